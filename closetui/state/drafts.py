"""Unsent drafts kept on disk per profile and opportunity, so they survive a crash or quit."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import platformdirs

from closetui.state.codec import CodecError, decode_draft, encode_draft
from closetui.state.files import (
    StateProblem,
    is_temporary,
    move_aside,
    private_dir,
    remove_stale_temporaries,
    safe_name,
    write_atomic,
)
from closetui.state.reader import BadStateFile, check_size, read_json

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits import Draft

FORMAT_VERSION = 1
"""Version of the draft file format; newer files are moved aside, never overwritten."""

MAX_DRAFT_BYTES = 1024 * 1024
"""Largest draft file read or written: a draft with its base opportunity is a few KB,
so a file this size is not one closetui wrote."""


def drafts_root() -> Path:
    """``<user state dir>/drafts``: one folder per profile below it."""
    return platformdirs.user_state_path("closetui") / "drafts"


@dataclass(frozen=True, slots=True)
class SavedDraft:
    """A draft as stored: its changes and what it was based on."""

    profile: str
    opportunity_id: str
    draft: Draft
    based_on: datetime | None
    """The opportunity's ``date_updated`` when the draft was started (stale-edit guard)."""
    saved_at: datetime
    lead_name: str | None = None
    """For listing drafts without fetching each opportunity."""
    base: Opportunity | None = None
    """The opportunity the draft was made against, when it was given (field-level
    stale reports and :func:`closetui.bulk.rebase` need it)."""


class LoadedDrafts(NamedTuple):
    """What :meth:`DraftStore.load_all` found: drafts by opportunity id, and bad files."""

    drafts: dict[str, SavedDraft]
    problems: list[StateProblem]


class DraftStore:
    """The drafts of one profile: one small JSON file (0600) per opportunity.

    ``save`` is meant to be called on every change of a draft; it writes atomically, so
    a crash leaves the previous or the new version. Files hold field values only, never
    a credential.
    """

    def __init__(self, profile: str, root: Path | None = None) -> None:
        self.profile = profile
        self.folder = (root or drafts_root()) / safe_name(profile)
        """Where this profile's drafts live (created on first save)."""
        self.untouchable: set[Path] = set()
        """Files that could not be read nor moved aside: never written over or removed."""

    def path_for(self, opportunity_id: str) -> Path:
        """The file of one opportunity's draft."""
        return self.folder / f"{safe_name(opportunity_id)}.json"

    def save(
        self,
        opportunity_id: str,
        draft: Draft,
        based_on: Opportunity | datetime | None,
        *,
        lead_name: str | None = None,
    ) -> SavedDraft | None:
        """Store ``draft`` (an empty draft discards the file instead and returns None).

        ``based_on`` is the opportunity the draft was made against (preferred: its
        editable fields are kept for stale reports) or just its ``date_updated``.
        """
        if draft.is_empty:
            self.discard(opportunity_id)
            return None
        saved = self.snapshot(opportunity_id, draft, based_on, lead_name=lead_name)
        if self.is_untouchable(opportunity_id):
            raise ValueError("its saved file could not be read, so it is left untouched")
        private_dir(self.folder)
        write_atomic(self.path_for(opportunity_id), self.encode(saved))
        return saved

    def snapshot(
        self,
        opportunity_id: str,
        draft: Draft,
        based_on: Opportunity | datetime | None,
        *,
        lead_name: str | None = None,
    ) -> SavedDraft:
        """The draft as :meth:`save` stores it (with this moment as ``saved_at``)."""
        if based_on is None or isinstance(based_on, datetime):
            base, stamp = None, based_on
        else:
            base, stamp = based_on, based_on.date_updated
        return SavedDraft(
            profile=self.profile,
            opportunity_id=opportunity_id,
            draft=draft,
            based_on=stamp,
            saved_at=datetime.now(UTC),
            lead_name=lead_name if lead_name is not None or base is None else base.lead_name,
            base=base,
        )

    @staticmethod
    def encode(saved: SavedDraft) -> bytes:
        """The file content of ``saved`` (ValueError for a value JSON cannot hold, or a
        file larger than :data:`MAX_DRAFT_BYTES`)."""
        return check_size(_dump(saved), MAX_DRAFT_BYTES)

    def is_untouchable(self, opportunity_id: str) -> bool:
        """True when this opportunity's file could not be read and stays as it was found
        (its draft can then be kept in memory only)."""
        return self.path_for(opportunity_id) in self.untouchable

    def discard(self, opportunity_id: str) -> bool:
        """Forget the draft of one opportunity (after a send, or when the user drops it);
        a file that could not be read is never removed."""
        if self.is_untouchable(opportunity_id):
            return False
        try:
            os.unlink(self.path_for(opportunity_id))
        except FileNotFoundError:
            return False
        return True

    def load(self, opportunity_id: str) -> SavedDraft | StateProblem | None:
        """One stored draft, the problem with its file (moved aside), or None."""
        path = self.path_for(opportunity_id)
        if not path.exists():
            return None
        return self._read(path)

    def load_all(self) -> LoadedDrafts:
        """Every stored draft of the profile; unreadable files are moved aside and listed.

        Never raises for bad content: a broken file costs that draft, not the session.
        """
        drafts: dict[str, SavedDraft] = {}
        problems: list[StateProblem] = []
        if not self.folder.is_dir():
            return LoadedDrafts(drafts, problems)
        remove_stale_temporaries(self.folder)
        for path in sorted(self.folder.glob("*.json")):
            if is_temporary(path):
                continue
            found = self._read(path)
            if isinstance(found, StateProblem):
                problems.append(found)
            elif found is not None:
                drafts[found.opportunity_id] = found
        return LoadedDrafts(drafts, problems)

    def _read(self, path: Path) -> SavedDraft | StateProblem | None:
        try:
            raw = read_json(path, MAX_DRAFT_BYTES)
        except FileNotFoundError:
            return None  # discarded meanwhile
        except OSError as exc:  # mode 000, a folder by that name...
            return self._set_aside(path, f"cannot read it ({exc.strerror or exc})")
        except BadStateFile as exc:
            return self._set_aside(path, str(exc))
        version = raw.get("version") if isinstance(raw, dict) else None
        if isinstance(version, int) and version > FORMAT_VERSION:
            return self._set_aside(path, f"written by a newer closetui (format {version})")
        try:
            saved = _parse(raw)
        except (CodecError, ValueError, TypeError, KeyError) as exc:
            return self._set_aside(path, f"not a closetui draft ({exc})")
        if saved.profile != self.profile or path != self.path_for(saved.opportunity_id):
            return self._set_aside(path, "belongs to another profile or opportunity")
        return saved

    def _set_aside(self, path: Path, message: str) -> StateProblem:
        """Move a file that could not be used aside; one that cannot be moved is never
        written over or removed by this store."""
        problem = move_aside(path, message)
        if problem.moved_to is None:
            self.untouchable.add(path)
        return problem


def _dump(saved: SavedDraft) -> bytes:
    data: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "profile": saved.profile,
        "opportunity_id": saved.opportunity_id,
        "lead_name": saved.lead_name,
        "based_on": saved.based_on.isoformat() if saved.based_on else None,
        "saved_at": saved.saved_at.isoformat(),
        "changes": encode_draft(saved.draft),
        "base": saved.base.model_dump(mode="json") if saved.base is not None else None,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _parse(raw: Any) -> SavedDraft:
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
        raise CodecError("missing or unknown version")
    profile, opp_id = raw["profile"], raw["opportunity_id"]
    if not isinstance(profile, str) or not isinstance(opp_id, str):
        raise CodecError("profile and opportunity_id must be text")
    based_on = raw.get("based_on")
    lead_name = raw.get("lead_name")
    base = raw.get("base")
    return SavedDraft(
        profile=profile,
        opportunity_id=opp_id,
        draft=decode_draft(raw["changes"]),
        based_on=datetime.fromisoformat(based_on) if based_on is not None else None,
        saved_at=datetime.fromisoformat(raw["saved_at"]),
        lead_name=lead_name if isinstance(lead_name, str) else None,
        base=_opportunity(base) if base is not None else None,
    )


def _opportunity(raw: Any) -> Opportunity:
    # Imported here: pydantic loads with the first draft that has a base, not at start-up.
    from closetui.api.models import Opportunity

    return Opportunity.model_validate(raw)
