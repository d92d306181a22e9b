"""Local state of a profile: drafts that survive (state dir) and sent-request history (data dir).

No textual, no rich, never a credential; every file 0600, written atomically.
"""

from closetui.state.codec import CodecError, decode_draft, encode_draft
from closetui.state.drafts import DraftStore, LoadedDrafts, SavedDraft, drafts_root
from closetui.state.files import StateProblem
from closetui.state.history import (
    History,
    HistoryEntry,
    LoadedHistory,
    Revert,
    history_root,
    revert_body,
    revert_entries,
)

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
