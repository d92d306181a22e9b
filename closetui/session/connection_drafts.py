"""Unsent drafts, kept per connection (profile) so switching profiles never mixes them up.

Every change is written through to :class:`closetui.state.DraftStore` (one 0600 file per
opportunity under the user state dir), so a crash, ``kill -9`` or dropped SSH session
loses no unsent edit; the next start restores them. The files are written at once by a
:class:`~closetui.state.draft_writer.DraftWriter` thread, so typing never waits for the
disk; :meth:`SessionDrafts.flush` waits for them (the app does at exit).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from closetui.state.draft_writer import FLUSH_TIMEOUT, DraftWriter
from closetui.state.drafts import DraftStore

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.connect import Connection
    from closetui.edits import Draft
    from closetui.state import SavedDraft, StateProblem

NAMES_IN_NOTICE = 4
"""How many lead names the restore notice lists before "and N more"."""


def connection_key(connection: Connection) -> str:
    """Which drafts belong to ``connection``: its profile name, ``@demo`` or ``@url:...``.

    Profile names are letters, digits, - and _, so the ``@`` keys never collide with them.
    """
    if connection.profile is not None:
        return connection.profile
    if connection.demo:
        return "@demo"
    return "@url:" + connection.base_url


class ConnectionDrafts(Mapping[str, "Draft"]):
    """One connection's unsent drafts by opportunity id, written through to disk.

    Read it as a mapping; change it only with :meth:`put` and :meth:`drop`, which save
    or discard the draft's file at once.
    """

    def __init__(
        self, key: str, store: DraftStore | None = None, writer: DraftWriter | None = None
    ) -> None:
        self.key = key
        self.store = store
        """Where the drafts are persisted (None: memory only)."""
        self.writer = writer
        """Writes the files in the background (None: written before returning)."""
        self._drafts: dict[str, Draft] = {}
        self._bases: dict[str, Opportunity | datetime | None] = {}
        self._names: dict[str, str | None] = {}
        self.restored: dict[str, SavedDraft] = {}
        """Drafts that came back from disk this session (until sent or dropped)."""
        self.problems: list[str] = []
        """Draft files that could not be used (shown once: :meth:`take_problems`)."""
        self._memory_only: set[str] = set()
        """Drafts whose newest version could not be written (without a writer)."""
        self._announced = False
        if store is not None:
            self._load(store)

    def _load(self, store: DraftStore) -> None:
        try:
            loaded = store.load_all()
        except OSError as exc:  # an unreadable folder costs the restore, not the session
            # Its files are unknown, so none may be written over: drafts stay in memory.
            self.store = None
            self.problems.append(
                f"Could not read saved drafts ({exc.strerror or exc}) in {store.folder}; "
                "they are left as they are, and drafts are kept in memory only."
            )
            return
        self.problems.extend(_describe(problem) for problem in loaded.problems)
        for opp_id, saved in loaded.drafts.items():
            if saved.draft.is_empty:
                continue
            self._drafts[opp_id] = saved.draft
            self._bases[opp_id] = saved.base if saved.base is not None else saved.based_on
            self._names[opp_id] = saved.lead_name
            self.restored[opp_id] = saved

    # -- reading -------------------------------------------------------------------------

    def __getitem__(self, opportunity_id: str) -> Draft:
        return self._drafts[opportunity_id]

    def __len__(self) -> int:
        return len(self._drafts)

    def __iter__(self) -> Iterator[str]:
        return iter(self._drafts)

    def ids(self) -> frozenset[str]:
        """Opportunity ids with an unsent draft (the list marks them)."""
        return frozenset(self._drafts)

    def base_of(self, opportunity_id: str) -> Opportunity | datetime | None:
        """What the draft was first made against (the stale-edit guard compares with it):
        the opportunity, only its ``date_updated`` for drafts saved without one, or None."""
        return self._bases.get(opportunity_id)

    def stale_note(self, current: Opportunity) -> str | None:
        """A warning when ``current`` changed on the server since its restored draft was
        started (its ``date_updated`` differs from the saved base's); else None."""
        saved = self.restored.get(current.id)
        if saved is None or current.id not in self._drafts:
            return None
        if saved.based_on is None or saved.based_on == current.date_updated:
            return None
        name = current.lead_name or current.id
        return (
            f"Restored draft for {name} (saved {age(saved.saved_at, datetime.now(UTC))}): "
            "the opportunity changed on the server since the draft was started; check the "
            "preview before sending."
        )

    # -- changing ------------------------------------------------------------------------

    def put(self, opportunity: Opportunity, draft: Draft) -> str | None:
        """Keep ``draft`` for ``opportunity`` (an empty draft drops it) and save it.

        Returns why a draft could not be written to disk (None when it was, or when
        nothing changed); the draft is kept in memory either way. With a writer the
        file is written in the background, and a failure is reported to the writer's
        ``on_failure``, else returned by the next call.

        The base recorded is the opportunity the draft was first made against: a draft
        restored or kept across edits keeps its original base (for the stale-edit guard).
        """
        opp_id = opportunity.id
        if draft.is_empty:
            return self.drop(opp_id)
        if self._drafts.get(opp_id) == draft and opp_id in self._bases:
            return None  # unchanged (e.g. reopened): no write
        self._drafts[opp_id] = draft
        base = self._bases.setdefault(opp_id, opportunity)
        name = self._names.setdefault(opp_id, opportunity.lead_name)
        if self.store is None:
            return None
        if self.store.is_untouchable(opp_id):
            self._memory_only.add(opp_id)
            return (
                f"Not saved to disk: the draft file of {name or opp_id} could not be read "
                "and is left as it was; this draft is kept in memory only."
            )
        if self.writer is not None:
            saved = self.store.snapshot(opp_id, draft, base, lead_name=name)
            self.writer.write(self.store.path_for(opp_id), partial(DraftStore.encode, saved))
            return self.writer.take_failure()
        try:
            self.store.save(opp_id, draft, base, lead_name=name)
        except (OSError, ValueError) as exc:  # disk full, read-only home, unstorable value
            self._memory_only.add(opp_id)
            return f"Could not save the draft to disk ({exc}); it is kept in memory only."
        self._memory_only.discard(opp_id)
        return None

    def drop(self, opportunity_id: str) -> str | None:
        """Forget one opportunity's draft (sent, or discarded by the user) and its file."""
        self._drafts.pop(opportunity_id, None)
        self._bases.pop(opportunity_id, None)
        self._names.pop(opportunity_id, None)
        self.restored.pop(opportunity_id, None)
        self._memory_only.discard(opportunity_id)
        if self.store is None or self.store.is_untouchable(opportunity_id):
            return None  # a file that could not be read is never removed
        if self.writer is not None:
            self.writer.remove(self.store.path_for(opportunity_id))
            return self.writer.take_failure()
        try:
            self.store.discard(opportunity_id)
        except OSError as exc:
            return f"Could not remove the saved draft ({exc})."
        return None

    def unsaved(self) -> list[str]:
        """Drafts (lead name, else id) whose newest version is not on disk: kept in memory
        only, or still waiting for the writer. Quitting loses them."""
        if self.store is None:
            return [self._label(opp_id) for opp_id in self._drafts]
        waiting = self.writer.unsaved() if self.writer is not None else frozenset()
        return [
            self._label(opp_id)
            for opp_id in self._drafts
            if opp_id in self._memory_only or self.store.path_for(opp_id) in waiting
        ]

    def _label(self, opportunity_id: str) -> str:
        return self._names.get(opportunity_id) or opportunity_id

    # -- telling the user ----------------------------------------------------------------

    def restore_notice(self) -> str | None:
        """``Restored 2 unsent drafts: Acme Corp, Globex — marked ● in the list…``

        Given once (None afterwards, and when nothing was restored).
        """
        if self._announced or not self.restored:
            return None
        self._announced = True
        now = datetime.now(UTC)
        names = [
            f"{s.lead_name or s.opportunity_id} (saved {age(s.saved_at, now)})"
            for s in self.restored.values()
        ]
        shown = ", ".join(names[:NAMES_IN_NOTICE])
        if len(names) > NAMES_IN_NOTICE:
            shown += f" and {len(names) - NAMES_IN_NOTICE} more"
        count = len(names)
        return (
            f"Restored {count} unsent draft{'s' if count != 1 else ''}: {shown} — "
            "marked ● in the list; open one to review or send it."
        )

    def restored_age(self, opportunity_id: str) -> str | None:
        """How old a restored draft is (``3 min ago``), None when it was not restored."""
        saved = self.restored.get(opportunity_id)
        return age(saved.saved_at, datetime.now(UTC)) if saved is not None else None

    def take_problems(self) -> list[str]:
        """Problems with draft files, each returned once."""
        found, self.problems = self.problems, []
        return found


def _describe(problem: StateProblem) -> str:
    if problem.moved_to is None:
        return (
            f"A saved draft could not be restored: {problem}, and closetui will not "
            "write over or remove it (an edit of that opportunity stays in memory only)."
        )
    return f"A saved draft could not be restored: {problem}."


def age(saved_at: datetime, now: datetime) -> str:
    """``just now``, ``3 min ago``, ``2 h ago``, ``4 days ago``."""
    if saved_at.tzinfo is None:  # files store UTC; a hand-made one may not say so
        saved_at = saved_at.replace(tzinfo=UTC)
    seconds = (now - saved_at).total_seconds()
    if seconds < 60:  # includes a clock that went back: never "-3 min"
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h ago"
    return f"{hours // 24} days ago"


class SessionDrafts:
    """Every connection's unsent drafts, loaded from disk the first time they are needed.

    The one place drafts live: the main screen is handed the :class:`ConnectionDrafts` of
    its connection and changes it in place, so switching away and back finds the drafts
    where they were, and a new start finds them on disk.
    """

    def __init__(self, *, persist: bool = True) -> None:
        self.persist = persist
        """False keeps drafts in memory only."""
        self.writer = DraftWriter()
        """Writes every connection's draft files, off the UI thread."""
        self._by_key: dict[str, ConnectionDrafts] = {}

    def drafts_for(self, connection: Connection) -> ConnectionDrafts:
        """The live drafts of ``connection`` (read from disk the first time)."""
        key = connection_key(connection)
        found = self._by_key.get(key)
        if found is None:
            store = DraftStore(key) if self.persist else None
            found = ConnectionDrafts(key, store, self.writer)
            self._by_key[key] = found
        return found

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> bool:
        """Wait until every draft change is on disk (False if the disk took too long)."""
        return self.writer.flush(timeout)

    def unsaved(self) -> list[str]:
        """Every connection's drafts that are not on disk (see
        :meth:`ConnectionDrafts.unsaved`); ask :meth:`flush` first."""
        return [name for drafts in self._by_key.values() for name in drafts.unsaved()]

    def is_loaded(self, connection: Connection) -> bool:
        """True once :meth:`drafts_for` has read this connection's drafts."""
        return connection_key(connection) in self._by_key

    def counts(self) -> dict[str, int]:
        """How many unsent drafts each connection key has (only those with some)."""
        return {key: len(drafts) for key, drafts in self._by_key.items() if drafts}
