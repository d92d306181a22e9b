"""Local state of a profile: drafts that survive (state dir) and sent-request history (data dir).

No textual, no rich, never a credential; every file 0600, written atomically.

Names load with their module on first use: the app's start-up needs the draft store only.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "CodecError": "codec",
    "decode_draft": "codec",
    "encode_draft": "codec",
    "DraftStore": "drafts",
    "LoadedDrafts": "drafts",
    "SavedDraft": "drafts",
    "drafts_root": "drafts",
    "StateProblem": "files",
    "History": "history",
    "HistoryEntry": "history",
    "LoadedHistory": "history",
    "Revert": "history",
    "history_root": "history",
    "revert_body": "history_undo",
    "revert_entries": "history_undo",
}
"""Name -> the module it loads from, on first use."""

if TYPE_CHECKING:
    from closetui.state.codec import CodecError, decode_draft, encode_draft
    from closetui.state.drafts import DraftStore, LoadedDrafts, SavedDraft, drafts_root
    from closetui.state.files import StateProblem
    from closetui.state.history import (
        History,
        HistoryEntry,
        LoadedHistory,
        Revert,
        history_root,
    )
    from closetui.state.history_undo import revert_body, revert_entries

__all__ = [
    "CodecError",
    "DraftStore",
    "History",
    "HistoryEntry",
    "LoadedDrafts",
    "LoadedHistory",
    "Revert",
    "SavedDraft",
    "StateProblem",
    "decode_draft",
    "drafts_root",
    "encode_draft",
    "history_root",
    "revert_body",
    "revert_entries",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"closetui.state.{module}"), name)
