"""The edit pane: every field of one opportunity, and the draft the user is building."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from closetui.display import format as fmt

if TYPE_CHECKING:  # the edit layer and the rows (and their pickers) load with the first
    # opportunity opened, not at start-up
    from closetui.api.models import Opportunity
    from closetui.edits import Change, Draft, FieldProblem, FieldSpec, OrgSchema
    from closetui.session.edit_state import EditState
    from closetui.ui.widgets.field_rows import FieldRow

HINT = "Nothing open: pick an opportunity (list or board) and press enter."
PREPARE_ROWS = 6
"""Field rows mounted at a time by :meth:`EditPane.prepare` (keys are handled between)."""


class EditPane(VerticalScroll, can_focus=False):
    """Edits one opportunity; the parent sets :attr:`state`, the pane posts
    :class:`DraftChanged` with the new draft after every edit."""

    DEFAULT_CSS = """
    EditPane {
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    EditPane > #edit-summary { color: $text-muted; margin-bottom: 1; }
    EditPane > #edit-title { text-style: bold; color: $text-primary; }
    EditPane > #edit-hint { color: $text-muted; width: 1fr; }
    """

    @dataclass
    class DraftChanged(Message):
        """The user changed a field: the new draft and the inputs that did not parse."""

        opportunity_id: str
        draft: Draft
        input_problems: dict[str, str]
        key: str
        """The field that was edited."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: EditState | None = None
        """What is being edited; set through :meth:`show`."""
        self._loaded: tuple[str, object] | None = None
        self._draft: Draft | None = None
        self._input_problems: dict[str, str] = {}
        self._focus_after_rebuild = False
        self._pick_after_rebuild = False
        self._rows: dict[str, FieldRow] = {}
        """The mounted rows by field key (a keystroke must not query ~140 widgets)."""
        self._mounted: dict[str, FieldRow] = {}
        """The rows last mounted (kept while a rebuild waits, or hidden while nothing is
        open: the next opportunity opened fills them)."""
        self._generation = 0
        """Counts rebuilds: a :meth:`prepare` under way stops when one begins."""
        self.notice: Widget | None = None
        """A notice at the top (someone changed this opportunity); gone with a rebuild."""
        self._rebuild_pending = False

    def compose(self) -> ComposeResult:
        yield Static(HINT, id="edit-hint")

    def show(
        self,
        state: EditState | None,
        *,
        reload: bool = False,
        focus: bool = False,
        pick_status: bool = False,
        later: bool = False,
    ) -> None:
        """Show ``state``: rebuild the fields for another opportunity (or a new version of
        it, or when ``reload``), else only update each field's old -> new and message.

        ``later``: a rebuild waits for the next frame, so what else changed with it (a card
        moved on the board, the preview, the status line) is on screen at once, not after
        every row has mounted; the old rows take no updates meanwhile."""
        previous, self.state = self.state, state
        if state is None:
            self._loaded = None
            self._rebuild_pending = True
            self.call_later(self._rebuild)
            return
        self._draft = state.draft
        self._input_problems = dict(state.input_problems)
        identity = (state.opportunity.id, state.opportunity.date_updated)
        if reload or identity != self._loaded:
            self._loaded = identity
            self._focus_after_rebuild = self._focus_after_rebuild or focus
            self._pick_after_rebuild = self._pick_after_rebuild or pick_status
            self._rebuild_pending = True
            if later:
                self._rows = {}
                self.call_after_refresh(self._rebuild)
            else:
                self.call_later(self._rebuild)
        else:
            touched = _touched(previous, state)
            for key in self._rows if touched is None else touched:
                row = self._rows.get(key)
                if row is not None:
                    row.update_state(state.draft.change(key), state.field_message(key))
            if focus:
                self.focus_first()

    async def _rebuild(self) -> None:
        """Show the fields of the state's opportunity: the rows on screen take its values
        when they are the same fields, else every row is replaced (the old ones are gone
        before the new ones mount)."""
        state = self.state
        self._rows = {}
        self._rebuild_pending = False
        self._generation += 1
        if state is None and self._mounted:
            self._idle()
            return
        if state is not None and self._reuse(state):
            return
        # A notice given while this rebuild waited is about the version coming; one on
        # screen already is about the version going.
        notice = self.notice if self.notice is not None and not self.notice.is_attached else None
        self.notice = notice
        async with self.batch():
            await self.remove_children()
            if state is None:
                self.notice = None
                await self.mount(Static(HINT, id="edit-hint"))
                return
            widgets, rows = self._widgets(state)
            await self.mount_all([notice, *widgets] if notice is not None else widgets)
        if not all(row.is_attached for row in rows):
            return  # gone while mounting (the app closing): nothing left to fill in
        self._mounted = self._rows = {row.spec.key: row for row in rows}
        self._filled(state)

    def _reuse(self, state: EditState) -> bool:
        """Show ``state`` in the rows on screen, when they are its schema's fields (another
        opportunity of the organisation): its widgets updated, not unmounted and mounted.
        False when they are not (nothing changed then)."""
        rows = self._mounted
        if not rows or not all(row.is_attached for row in rows.values()):
            return False
        if next(iter(rows.values())).schema is not state.schema:
            return False  # the organisation was read again: its fields may differ
        if self.notice is not None and self.notice.is_attached:
            self.notice.remove()  # about the opportunity going
            self.notice = None
        elif self.notice is not None:  # given while this waited: about the one coming
            self.mount(self.notice, before=0)
        opp = state.opportunity
        self.query_one("#edit-title", Static).update(opp.lead_name or opp.lead_id)
        self.query_one("#edit-summary", Static).update(_summary(opp))
        for key, row in rows.items():
            row.retarget(state.opportunity, state.draft.change(key))
        self._put_away(False)
        self._rows = rows
        self._filled(state)
        return True

    def _idle(self) -> None:
        """Nothing open: the hint, and the rows put away for the next one opened."""
        self.clear_notice()
        if not self.query("#edit-hint"):
            self.mount(Static(HINT, id="edit-hint"), before=0)
        self._put_away(True)

    def _put_away(self, away: bool) -> None:
        """Show only the hint (``away``), or only the rows. Put away, the rows stay laid
        out, invisible, with no scroll bar: showing them again repaints them without
        measuring ~110 widgets for the first time."""
        for widget in self.children:
            if widget.id == "edit-hint":
                widget.display = away
            else:
                widget.styles.visibility = "hidden" if away else "visible"
        self.styles.scrollbar_visibility = "hidden" if away else "visible"

    async def prepare(self, schema: OrgSchema, blank: Opportunity) -> None:
        """Mount the organisation's field rows, hidden, a few at a time (keys are handled
        between), so that the first opportunity opened fills them instead of mounting
        them (and styling their classes for the first time) in the frame after its key.
        Stops when a rebuild begins."""
        if self._mounted or self.state is not None or self._rebuild_pending:
            return
        generation = self._generation
        rows = [make_row(spec, schema, blank, None) for spec in schema.specs()]
        widgets: list[Widget] = [
            Static(id="edit-title", markup=False),
            Static(id="edit-summary", markup=False),
            *rows,
        ]
        for widget in widgets:
            widget.styles.visibility = "hidden"  # laid out (and measured) already
        self.styles.scrollbar_visibility = "hidden"
        for start in range(0, len(widgets), PREPARE_ROWS):
            if self._generation != generation or self._rebuild_pending or not self.is_attached:
                return  # an opportunity opened (or the pane went): its rebuild owns the pane
            await self.mount_all(widgets[start : start + PREPARE_ROWS])
        if self._generation == generation and all(row.is_attached for row in rows):
            self._mounted = {row.spec.key: row for row in rows}

    def _filled(self, state: EditState) -> None:
        """The rows are there: show the draft (the newest, typed meanwhile), scroll to the
        top, focus or pick as asked."""
        self.scroll_home(animate=False, immediate=True)
        latest = self.state  # a keystroke may have come while the rows were mounting
        if latest is not None and latest.opportunity.id == state.opportunity.id:
            state = latest
        for key, row in self._rows.items():
            row.update_state(state.draft.change(key), state.field_message(key))
        if self._focus_after_rebuild:
            self._focus_after_rebuild = False
            self.focus_first()
        if self._pick_after_rebuild:
            from closetui.ui.widgets.pickers import PickButton

            self._pick_after_rebuild = False
            self.query_one("#control-status_id", PickButton).action_pick()

    def _widgets(self, state: EditState) -> tuple[list[Widget], list[FieldRow]]:
        opp = state.opportunity
        rows = [
            make_row(spec, state.schema, opp, state.draft.change(spec.key))
            for spec in state.schema.specs()
        ]
        return [
            Static(opp.lead_name or opp.lead_id, id="edit-title", markup=False),
            Static(_summary(opp), id="edit-summary", markup=False),
            *rows,
        ], rows

    def show_notice(self, notice: Widget) -> None:
        """Put ``notice`` at the top of the pane, replacing any other; focus stays where
        it is (keys typed in a field must not land in it)."""
        self.clear_notice()
        self.notice = notice
        if not self._rebuild_pending:  # else the rebuild mounts it, above the new rows
            self.mount(notice, before=0)
            self.scroll_home(animate=False)

    def clear_notice(self) -> None:
        """Remove the notice, if any."""
        if self.notice is not None and self.notice.is_attached:
            self.notice.remove()
        self.notice = None

    def focus_first(self) -> None:
        """Focus the first editable field."""
        for row in self._rows.values():
            if row.spec.editable:
                for widget in row.query("*"):
                    if widget.can_focus:
                        widget.focus(scroll_visible=False)
                        return

    def focus_field(self, key: str) -> bool:
        """Focus one field's control (e.g. the first one the server refused)."""
        for row in self._rows.values():
            if row.spec.key == key:
                for widget in row.query("*"):
                    if widget.can_focus:
                        widget.focus()
                        self.scroll_to_widget(row, animate=False)
                        return True
        return False

    def on_field_row_edited(self, event: FieldRow.Edited) -> None:
        """Turn a row's edit into the new draft; post :class:`DraftChanged`."""
        from closetui.ui.widgets.field_rows import TextRow

        event.stop()
        # The edit layer loads with the first opportunity opened, not at start-up.
        from closetui.edits import FieldProblem, parse_input

        state, draft = self.state, self._draft
        if state is None or draft is None:
            return
        key, schema, opp = event.key, state.schema, state.opportunity
        result: Draft | FieldProblem
        if event.kind == "text":
            row = event.row
            if isinstance(row, TextRow) and event.payload == row.original_text():
                result = draft.without(key)
            else:
                result = draft.set_text(schema, key, str(event.payload), opportunity=opp)
        elif event.kind == "set":
            result = draft.with_set(key, event.payload)
        elif event.kind == "clear":
            parsed = parse_input(schema, key, "", opportunity=opp)
            result = parsed if isinstance(parsed, FieldProblem) else draft.with_cleared(key)
        elif event.kind == "revert":
            result = draft.without(key)
        elif event.kind == "add":
            result = draft.with_added(key, event.payload)
        elif event.kind == "remove":
            result = draft.with_removed(key, event.payload)
        else:
            result = draft.add_text(schema, key, str(event.payload))
        if isinstance(result, FieldProblem):
            self._input_problems[key] = result.message
            if event.kind == "text":
                # The field's text is not a value: leave it out of the request.
                draft = draft.without(key)
        else:
            self._input_problems.pop(key, None)
            draft = result
        self._draft = draft
        # To the screen that keeps the edit state: bubbled, it was dispatched on the way
        # at the pane and the two containers between, none of which listens (each key).
        changed = self.DraftChanged(opp.id, draft, dict(self._input_problems), key)
        self.screen.post_message(changed)


def _summary(opp: Opportunity) -> str:
    """The lines under the title: where it stands, its expected value, who made and changed it."""
    facts = [
        f"{opp.pipeline_name or ''} · {opp.status_label or ''}",
        f"expected {fmt.money(opp.expected_value, opp.value_currency)}"
        if opp.expected_value is not None
        else "",
        f"created {fmt.short_date(opp.date_created)} by {opp.created_by_name or '—'}",
        f"updated {fmt.short_date(opp.date_updated)} by {opp.updated_by_name or '—'}",
        opp.id,
    ]
    return "\n".join(f for f in facts if f)


def _touched(old: EditState | None, new: EditState) -> set[str] | None:
    """The fields whose change or message may differ between two states of one
    opportunity (a keystroke touches one), or None when every field must be looked at."""
    if old is None or old.opportunity is not new.opportunity:
        return None
    keys: set[str] = set()
    for state in (old, new):
        keys.update(state.draft.changes, state.input_problems, state.problems)
        keys.update(state.server_errors)
    return keys


def make_row(
    spec: FieldSpec, schema: OrgSchema, opportunity: Opportunity, change: Change | None
) -> FieldRow:
    """The right row for a field's kind (read-only fields get a plain row)."""
    from closetui.ui.widgets.field_rows import FieldRow, PickRow, TextAreaRow, TextRow
    from closetui.ui.widgets.multi_row import MultiRow

    if not spec.editable:
        cls: type[FieldRow] = FieldRow
    elif spec.multi:
        cls = MultiRow
    elif spec.kind in ("status", "choices", "user", "value_period"):
        cls = PickRow
    elif spec.key == "note" or (
        spec.custom_field is not None and spec.custom_field.type == "textarea"
    ):
        cls = TextAreaRow
    else:
        cls = TextRow
    return cls(spec, schema, opportunity, change)
