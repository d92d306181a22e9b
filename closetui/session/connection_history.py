"""One connection's history of sent requests, as the UI uses it: record, list, find the undo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from closetui.api.exchange import Exchange, RequestView
from closetui.api.ratelimit import parse_ratelimit

if TYPE_CHECKING:
    from closetui.api.credentials import Credential
    from closetui.api.models import Opportunity
    from closetui.edits import OrgSchema
    from closetui.state import History, HistoryEntry

HISTORY_LIMIT = 200
"""Entries the history screen lists and undo looks through (newest first)."""


@dataclass(frozen=True, slots=True)
class UndoTarget:
    """What one undo puts back: an entry, or every entry of its batch."""

    entries: tuple[HistoryEntry, ...]
    reverts: str
    """The entry id or batch id recorded as ``reverts`` on the undo's own entries."""

    @property
    def is_batch(self) -> bool:
        """True when a whole bulk send is undone."""
        return self.entries[0].batch == self.reverts


class ConnectionHistory:
    """The :class:`closetui.state.History` of one connection (key: ``connection_key``).

    Files are 0600 JSON under the user data dir; the request headers are redacted by
    :class:`History` itself. Every method turns a disk problem into a message.
    """

    def __init__(self, key: str, history: History | None = None) -> None:
        self.key = key
        self._history = history

    @property
    def history(self) -> History:
        """The store (bulk sends record into it themselves); made on first use, so its
        module does not load at start-up."""
        if self._history is None:
            from closetui.state import History

            self._history = History(self.key)
        return self._history

    def record(
        self,
        exchanges: Sequence[Exchange],
        opportunity: Opportunity,
        *,
        before: Opportunity | None,
        after: Opportunity | None,
    ) -> str | None:
        """Keep the last exchange of one send (success or failure).

        Returns a warning when it could not be written (the send itself stands).
        """
        if not exchanges:
            return None  # nothing went out (e.g. refused before sending)
        try:
            self.history.append(
                exchanges[-1],
                opportunity_id=opportunity.id,
                lead_name=opportunity.lead_name,
                before=before,
                after=after,
            )
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return f"The send was not kept in history: {reason}"
        return None

    def load(self, limit: int = HISTORY_LIMIT) -> tuple[list[HistoryEntry], list[str]]:
        """Entries newest first, and problems with files (each a sentence; never fatal)."""
        try:
            loaded = self.history.entries(limit)
        except OSError as exc:
            return [], [f"Could not read the history: {exc.strerror or exc}"]
        problems = [f"A history file could not be read: {problem}" for problem in loaded.problems]
        return loaded.entries, problems

    def batch(self, batch_id: str) -> list[HistoryEntry]:
        """Every entry of one bulk send, in send order (empty when unreadable)."""
        try:
            return self.history.batch(batch_id)
        except OSError:
            return []

    def target_for(self, entry: HistoryEntry, *, whole_batch: bool) -> UndoTarget:
        """Undo ``entry`` alone, or (``whole_batch``) every entry of its batch."""
        if whole_batch and entry.batch is not None:
            return UndoTarget(tuple(self.batch(entry.batch)) or (entry,), entry.batch)
        return UndoTarget((entry,), entry.id)

    def last_change(self, entries: Sequence[HistoryEntry]) -> UndoTarget | None:
        """What ``u`` undoes: the newest accepted change that is not itself an undo and
        was not undone yet — with the rest of its batch when it was a bulk send."""
        done = reverted_ids(entries)
        for entry in entries:
            if not undoable(entry) or entry.reverts is not None or is_reverted(entry, done):
                continue
            return self.target_for(entry, whole_batch=True)
        return None


def undoable(entry: HistoryEntry) -> bool:
    """True when the entry changed something we can put back (accepted, before/after known
    and readable as opportunities)."""
    if not (entry.ok and entry.opportunity_id and entry.before and entry.after):
        return False
    before, after = entry_opportunities(entry)
    return before is not None and after is not None


def reverted_ids(entries: Iterable[HistoryEntry]) -> frozenset[str]:
    """Entry and batch ids that an accepted undo request points back to."""
    return frozenset(e.reverts for e in entries if e.reverts is not None and e.ok)


def is_reverted(entry: HistoryEntry, reverted: frozenset[str]) -> bool:
    """True when ``entry`` (or its batch) was undone."""
    return entry.id in reverted or (entry.batch is not None and entry.batch in reverted)


def entry_exchange(entry: HistoryEntry, credential: Credential | None = None) -> Exchange:
    """The entry as an exchange for the response inspector.

    ``credential`` only tells "copy as curl" which environment variable to name; the
    stored headers are already redacted.
    """
    request = RequestView(
        entry.method,
        entry.url,
        entry.request_headers,
        entry.request_body.encode("utf-8"),
        credential,
    )
    return Exchange(
        request=request,
        started_at=entry.time,
        elapsed=entry.elapsed,
        status=entry.status,
        response_headers=entry.response_headers,
        response_body=entry.response_body.encode("utf-8"),
        rate_limit=parse_ratelimit(dict(entry.response_headers)),
        error=entry.error,
        attempt=entry.attempts,
    )


def entry_opportunities(entry: HistoryEntry) -> tuple[Opportunity | None, Opportunity | None]:
    """The entry's opportunity before and after (None when unknown or unreadable)."""
    try:
        return entry.before_opportunity(), entry.after_opportunity()
    except ValueError:  # pydantic's ValidationError: a stored body that is no opportunity
        return None, None


def entry_fields(entry: HistoryEntry, schema: OrgSchema | None) -> list[str]:
    """The fields the request set, by label (``Status``, ``Seats``), in body order."""
    try:
        view = RequestView(entry.method, entry.url, (), entry.request_body.encode("utf-8"))
        body = view.json_body()
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    labels: list[str] = []
    for key in body:
        name = key.removesuffix(".add").removesuffix(".remove")
        spec = schema.spec_for_key(name) if schema is not None else None
        label = spec.label if spec is not None else name
        if label not in labels:
            labels.append(label)
    return labels
