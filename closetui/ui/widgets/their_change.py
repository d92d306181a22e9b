"""A notice in the edit pane: someone changed the open opportunity; theirs beside mine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

from closetui.display.changes import stale_rows
from closetui.ui.widgets.stale_view import stale_intro, stale_table

if TYPE_CHECKING:
    from datetime import datetime

    from closetui.api.models import Opportunity
    from closetui.bulk import StaleChange
    from closetui.edits import Draft, OrgSchema

TheirChoice = Literal["rebase", "theirs", "later"]
"""``rebase``: keep my draft on top of their version; ``theirs``: drop my draft and show
their version; ``later``: hide the notice (the send still checks)."""


class TheirChange(Vertical, can_focus=True):
    """Shown at the top of the edit pane, never as a dialog: keys typed in a field stay
    there. Focused (f12, or shift+tab), ``k`` / ``t`` / ``l`` choose; posts :class:`Chosen`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('rebase')", "Keep mine on top", id="their.rebase"),
        Binding("t", "choose('theirs')", "Take theirs", id="their.theirs"),
        Binding("l,escape", "choose('later')", "Later", id="their.later"),
    ]

    DEFAULT_CSS = """
    TheirChange {
        height: auto;
        border: round $warning;
        padding: 0 1;
        margin-bottom: 1;
    }
    TheirChange:focus { border: round $accent; }
    TheirChange > #their-title { text-style: bold; color: $text-warning; width: 1fr; }
    TheirChange > #their-intro { color: $text-muted; width: 1fr; }
    TheirChange > #their-keys { color: $text-muted; width: 1fr; }
    """

    @dataclass
    class Chosen(Message):
        """The user chose what to do about their change."""

        notice: TheirChange
        choice: TheirChoice

    def __init__(
        self,
        base: Opportunity | datetime | None,
        stale: StaleChange,
        draft: Draft,
        schema: OrgSchema,
        *,
        key: str = "f12",
        id: str | None = "their-change",
    ) -> None:
        super().__init__(id=id)
        self.key = key
        """The key that focuses this notice (the screen's, after the keymap)."""
        self.base = base
        self.stale = stale
        self.rows = stale_rows(base, stale, draft, schema)
        self.conflicts = stale.conflicts(draft)
        since = "you opened it" if draft.is_empty else "your draft began"
        self.heading = f"Someone changed this since {since}"

    def compose(self) -> ComposeResult:
        yield Label(self.heading, id="their-title", markup=False)
        yield Label(stale_intro(self.stale, self.conflicts), id="their-intro", markup=False)
        yield Static(stale_table(self.rows), id="their-fields")
        yield Label(
            f"{self.key} here, then: k keep mine on top · t take theirs · l later "
            "(send still checks)",
            id="their-keys",
            markup=False,
        )

    def action_choose(self, choice: TheirChoice) -> None:
        """Say what the user chose (the screen acts on it)."""
        self.post_message(self.Chosen(self, choice))
