"""The history of sent requests, newest first: open one in the inspector, or undo it."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from closetui.session.connection_history import (
    UndoTarget,
    entry_exchange,
    entry_fields,
    entry_opportunities,
    is_reverted,
    reverted_ids,
    undoable,
)
from closetui.ui.bound_keys import move_cursor
from closetui.ui.key_gate import gate_of
from closetui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from closetui.api.credentials import Credential
    from closetui.edits import OrgSchema
    from closetui.session.connection_history import (
        ConnectionHistory,
    )
    from closetui.state import HistoryEntry

Reverter = Callable[[UndoTarget, Callable[[], None]], None]
"""Starts the undo flow for a target; calls the second argument when it is over."""


class HistoryScreen(Screen[None]):
    """Every request sent from this connection (bounded), newest first.

    ``enter`` opens one in the response inspector (request, answer, before → after);
    ``u``/``r`` undo the selected request, ``b`` its whole batch, through the review and
    progress screens. Without a ``reverter`` (read-only connections) it only browses.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="history.close"),
        Binding("u,r", "revert(False)", "Undo this", id="history.revert"),
        Binding("b", "revert(True)", "Undo its batch", id="history.revert_batch"),
        Binding("j", "move(1)", "Down", show=False, id="history.down"),
        Binding("k", "move(-1)", "Up", show=False, id="history.up"),
    ]

    DEFAULT_CSS = """
    HistoryScreen > Vertical { padding: 0 1; background: $surface; }
    HistoryScreen #history-title { text-style: bold; color: $text-primary; width: 1fr; }
    HistoryScreen #history-problems { color: $text-warning; width: 1fr; }
    HistoryScreen #history-problems.-empty { display: none; }
    HistoryScreen #history-table { height: 1fr; margin-top: 1; }
    HistoryScreen #history-hint { color: $text-muted; width: 1fr; }
    """

    def __init__(
        self,
        history: ConnectionHistory,
        schema: OrgSchema | None,
        *,
        credential: Credential | None = None,
        reverter: Reverter | None = None,
    ) -> None:
        super().__init__()
        self.history = history
        self.schema = schema
        self.credential = credential
        self.reverter = reverter
        """Undoes an entry or batch (None: this connection may not write)."""
        self.entries: list[HistoryEntry] = []
        """What the table lists, newest first."""
        self.problems: list[str] = []
        """History files that could not be read (shown, never fatal)."""

    @property
    def absent_binding_ids(self) -> frozenset[str]:
        """Undo does not exist on a read-only connection (help leaves it out)."""
        if self.reverter is None:
            return frozenset({"history.revert", "history.revert_batch"})
        return frozenset()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("History: requests sent from this connection", id="history-title")
            yield Label("", id="history-problems", classes="-empty", markup=False)
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=False)
            yield Label("Loading…", id="history-hint", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in (
            ("When", "when"),
            ("Opportunity", "lead"),
            ("Request", "request"),
            ("", "marks"),
            ("Fields", "fields"),
        ):
            table.add_column(label, key=key)
        table.focus()
        gate = gate_of(self.app)
        # The keys typed behind H (j, u...) wait for the entries they act on.
        ticket = gate.hold_for_load(self.action_close) if gate is not None else 0
        self.reload(ticket)

    @work(exclusive=True, group="history", exit_on_error=False)
    async def reload(self, typed_ahead: int = 0) -> None:
        """Read the history files again (off the UI thread) and list them; then the keys
        held as ``typed_ahead`` (a key gate's hold) go to the table."""
        listed = False
        try:
            entries, problems = await asyncio.to_thread(self.history.load)
            self.entries, self.problems = entries, problems
            self._fill()
            listed = True
        finally:
            gate = gate_of(self.app)
            if gate is not None and typed_ahead:
                if listed:
                    gate.settle_on(self, typed_ahead)
                else:
                    gate.drop(typed_ahead)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        done = reverted_ids(self.entries)
        sizes: Counter[str | None] = Counter(e.batch for e in self.entries if e.batch)
        for entry in self.entries:
            table.add_row(*self._cells(entry, done, sizes), key=entry.id)
        if self.entries:
            table.move_cursor(row=min(keep, len(self.entries) - 1))
        problems = self.query_one("#history-problems", Label)
        problems.update("\n".join(self.problems))
        problems.set_class(not self.problems, "-empty")
        hint = "enter opens it in the inspector"
        if self.reverter is not None:
            hint += " · u undoes it · b undoes its whole batch"
        empty = "No request sent from this connection yet."
        self.query_one("#history-hint", Label).update(hint if self.entries else empty)

    def _cells(
        self, entry: HistoryEntry, done: frozenset[str], sizes: Counter[str | None]
    ) -> tuple[Text, ...]:
        when = entry.time.astimezone().strftime("%m-%d %H:%M:%S")
        status = str(entry.status) if entry.status is not None else (entry.error or "no answer")
        request = Text(f"{entry.method} {status}", "" if entry.ok else "bold")
        fields = ", ".join(entry_fields(entry, self.schema))
        marks: list[str] = []
        if entry.batch is not None and sizes[entry.batch] > 1:
            marks.append(f"batch/{sizes[entry.batch]}")
        if entry.reverts is not None:
            marks.append("undo")
        if is_reverted(entry, done):
            marks.append("reverted")
        if not entry.ok:
            marks.append("failed")
        lead = entry.lead_name or entry.opportunity_id or "—"
        return (Text(when), Text(lead), request, Text(" ".join(marks), "italic"), Text(fields))

    @property
    def selected(self) -> HistoryEntry | None:
        """The entry under the cursor."""
        table = self.query_one(DataTable)
        if not self.entries:
            return None
        return self.entries[max(0, min(table.cursor_row, len(self.entries) - 1))]

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Undo keys exist only where writing is allowed."""
        if action == "revert":
            return self.reverter is not None
        return True

    @on(DataTable.RowSelected, "#history-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        """Show the selected entry in the response inspector."""
        from closetui.ui.screens.inspector import InspectorScreen

        entry = self.selected
        if entry is None:
            return
        before, after = entry_opportunities(entry)
        exchange = entry_exchange(entry, self.credential)
        self.app.push_screen(InspectorScreen(exchange, before, after, self.schema))

    def action_revert(self, whole_batch: bool) -> None:
        """Undo the selected request, or every request of its batch."""
        entry = self.selected
        if self.reverter is None or entry is None:
            return
        if not undoable(entry):
            self.notify(
                "Nothing to undo: that request was not accepted (or its before/after is unknown).",
                severity="warning",
                markup=False,
            )
            return
        if whole_batch and entry.batch is None:
            self.notify("That request was not part of a batch; undoing it alone.", timeout=4)
        target = self.history.target_for(entry, whole_batch=whole_batch)
        self.reverter(target, self._reverted)

    def _reverted(self) -> None:
        if self.is_attached:
            self.reload()

    def action_move(self, step: int) -> None:
        """Move through the entries."""
        move_cursor(self.query_one(DataTable), step)

    def action_close(self) -> None:
        """Back to the main screen."""
        self.dismiss(None)
