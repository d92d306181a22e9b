"""Someone changed the opportunity since the draft began: theirs next to mine, and a choice."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from closetui.display.changes import stale_rows
from closetui.ui.widgets.stale_view import stale_intro, stale_table

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.bulk import StaleChange
    from closetui.display.changes import StaleRow
    from closetui.edits import Draft, OrgSchema

StaleChoice = Literal["rebase", "overwrite", "cancel"]
"""``rebase``: keep my draft on top of their version (nothing sent yet); ``overwrite``:
send the previewed body as it is; ``cancel``: send nothing, keep the draft."""


class StaleScreen(ModalScreen[StaleChoice]):
    """Their change (field: base → theirs) next to the draft (field: → mine), conflicts
    marked, and three choices. Dismisses with a :data:`StaleChoice`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('rebase')", "Keep mine on top", id="stale.rebase"),
        Binding("o", "choose('overwrite')", "Overwrite", id="stale.overwrite"),
        Binding("escape,c", "choose('cancel')", "Cancel", id="stale.cancel"),
    ]

    DEFAULT_CSS = """
    StaleScreen { align: center middle; }
    StaleScreen > Vertical {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        background: $panel;
        border: round $warning;
        padding: 0 1;
    }
    StaleScreen #stale-title { text-style: bold; color: $text-warning; width: 1fr; }
    StaleScreen #stale-intro { width: 1fr; color: $text-muted; }
    StaleScreen #stale-scroll { height: auto; max-height: 16; margin: 1 0; }
    StaleScreen #stale-fields { width: 1fr; }
    StaleScreen #stale-buttons { height: 1; }
    StaleScreen #stale-buttons Button { margin-right: 2; }
    """

    def __init__(
        self,
        name: str,
        base: Opportunity | datetime | None,
        stale: StaleChange,
        draft: Draft,
        schema: OrgSchema,
    ) -> None:
        super().__init__()
        self.lead = name
        self.stale = stale
        self.rows: list[StaleRow] = stale_rows(base, stale, draft, schema)
        """Every field either side changed (what the dialog lists)."""
        self.conflicts = stale.conflicts(draft)
        """Fields both changed: overwriting replaces their value."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"Someone changed {self.lead} since your draft began",
                id="stale-title",
                markup=False,
            )
            yield Label(self._intro(), id="stale-intro", markup=False)
            with VerticalScroll(id="stale-scroll"):
                yield Static(self._table(), id="stale-fields")
            with Horizontal(id="stale-buttons"):
                yield Button("Keep my draft on top (k)", id="stale-rebase", compact=True)
                yield Button("Overwrite (o)", id="stale-overwrite", compact=True)
                yield Button("Cancel (esc)", id="stale-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#stale-rebase", Button).focus()

    def _intro(self) -> str:
        return stale_intro(self.stale, self.conflicts) + (
            " Keep mine on top rebuilds the preview on their version without sending; "
            "Overwrite sends the previewed request as is; "
            "Cancel sends nothing and keeps your draft."
        )

    def _table(self) -> Table | Text:
        return stale_table(self.rows)

    def action_choose(self, choice: StaleChoice) -> None:
        """Close with ``choice``."""
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choices: dict[str, StaleChoice] = {
            "stale-rebase": "rebase",
            "stale-overwrite": "overwrite",
            "stale-cancel": "cancel",
        }
        if event.button.id in choices:
            self.dismiss(choices[event.button.id])
