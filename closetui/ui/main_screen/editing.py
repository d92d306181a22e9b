"""The main screen's editing: open an opportunity from the list, keep its draft as it changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.reactive import reactive

from closetui.api.errors import CloseError
from closetui.ui.key_gate import gate_of
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.main_screen.live import notice_on_open
from closetui.ui.main_screen.send import SendActions
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits import OrgSchema
    from closetui.session.edit_state import EditState
    from closetui.ui.list.rows import ListRow
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.request_preview import RequestPreview

Pane = Literal["list", "editor", "preview"]


class EditActions(SendActions):
    """Open the opportunity picked in the list (in full, with its unsent draft) and keep the
    edit state, the editor, the preview and the saved draft in step as the draft changes.

    A part of :class:`~closetui.ui.main_screen.screen.MainScreen`, which owns the state
    declared here and lays out the panes.
    """

    pane: reactive[Pane] = reactive[Pane]("list", init=False)
    """Which pane has the user's attention (the only one shown when narrow)."""

    _pending_open: Opportunity | None
    _open_ticket: int
    _reference_failed: bool
    _listing: OpportunityList

    if TYPE_CHECKING:

        @property
        def preview(self) -> RequestPreview: ...

    @on(OpportunityList.OpportunitySelected)
    def _selected(self, event: OpportunityList.OpportunitySelected) -> None:
        gate = gate_of(self.app)
        self._open_ticket = gate.ticket if gate is not None and gate.loading else 0
        if gate is not None:
            gate.cancel_with(self._open_ticket, self._cancel_open)
        self._load_and_open(event.row, event.status)

    def _cancel_open(self) -> None:
        """Escape while an opportunity loads: it is not opened (the keys typed are dropped)."""
        self.workers.cancel_group(self, "open")
        self._pending_open = None
        self._open_ticket = 0
        self.query_one(StatusLine).show("Not opened.")

    def _drop_typed_ahead(self) -> None:
        """Opening failed: the keys typed for the editor go nowhere."""
        gate = gate_of(self.app)
        if gate is not None and self._open_ticket:
            gate.drop(self._open_ticket)
        self._open_ticket = 0

    @work(exclusive=True, group="open", exit_on_error=False)
    async def _load_and_open(self, row: ListRow, pick_status: bool) -> None:
        """The list keeps a few fields per row: fetch the whole opportunity, then edit it."""
        status = self.query_one(StatusLine)
        status.show(f"Loading {row.lead_name}…")
        try:
            opportunity = await self.tui.client.get_opportunity(row.id)
        except Exception as exc:  # every failure is shown; the list stays as it was
            detail = str(exc) if isinstance(exc, CloseError) else f"{type(exc).__name__}: {exc}"
            status.show(f"Could not open {row.lead_name}: {detail} (enter retries)", "error")
            self._drop_typed_ahead()
            return
        # On the screen, not in this worker: a bug in opening must stop the app with its
        # (redacted) report, as in any handler, not leave "Loading…" there for good.
        self.call_later(self.open, opportunity, pick_status=pick_status)

    def open(self, opportunity: Opportunity, *, pick_status: bool = False) -> None:
        """Edit ``opportunity`` (its unsent draft comes back); maybe pick its status."""
        if self.reference is None:
            self._pending_open = opportunity
            self.query_one(StatusLine).show("Loading the organisation's fields…")
            if self._reference_failed:  # it opens once r has loaded the organisation
                self._drop_typed_ahead()
            return
        self._pending_open = None
        # The edit layer loaded on its thread with the organisation; here it is cached.
        from closetui.edits import Draft
        from closetui.session.edit_state import EditState

        draft = self.drafts.get(opportunity.id) or Draft()
        self._set_state(
            EditState.build(self.tui.client, opportunity, draft, self.reference.schema),
            reload=True,
            focus=True,
            pick_status=pick_status,
        )
        gate = gate_of(self.app)
        if gate is not None and self._open_ticket:
            # Once the fields are mounted and focused (or the status picker is up).
            gate.settle_on(self.editor, self._open_ticket)
        self._open_ticket = 0
        send = "read-only: f2 previews" if self.connection.read_only else "ctrl+r sends"
        stale = self.drafts.stale_note(opportunity)
        if stale is not None:
            self.query_one(StatusLine).show(stale, "warning")
        elif (saved := self.drafts.restored_age(opportunity.id)) is not None:
            self.query_one(StatusLine).show(
                f"Restored unsent draft (saved {saved}) · tab next field · f4 undoes · {send}"
            )
        else:
            self.query_one(StatusLine).show(
                f"tab next field · enter opens a picker · f3 clears · f4 undoes · {send}"
            )
        self.set_reactive(EditActions.pane, "editor")
        self.remove_class("-pane-list", "-pane-preview")
        self.add_class("-pane-editor")
        self.refresh_bindings()
        notice_on_open(self, say=stale is None)  # a restored draft's note says it already

    async def prepare_editor(self, schema: OrgSchema) -> None:
        """Mount the editor's rows at idle (the first open fills them), then freeze what
        start-up left alive out of the collector's full passes."""
        from closetui.api.models import Opportunity
        from closetui.ui.main_screen.gc_pauses import freeze_long_lived

        await self.editor.prepare(schema, Opportunity.placeholder())
        self.app.call_after_refresh(freeze_long_lived)  # start-up is over

    def _set_state(
        self,
        state: EditState | None,
        *,
        reload: bool = False,
        focus: bool = False,
        pick_status: bool = False,
        later: bool = False,
    ) -> None:
        if (self.edit_state is None) != (state is None):
            self.refresh_bindings()
        self.edit_state = state
        self.editor.show(state, reload=reload, focus=focus, pick_status=pick_status, later=later)
        self.preview.show(state)
        if state is not None:
            failure = self.drafts.put(state.opportunity, state.draft)
            if failure is not None:
                self.query_one(StatusLine).show(failure, "error")
        self._listing.set_drafted(self.drafts.ids())

    def on_edit_pane_draft_changed(self, event: EditPane.DraftChanged) -> None:
        event.stop()  # the screen owns the edit state: nothing above it listens
        state = self.edit_state
        if state is None or state.opportunity.id != event.opportunity_id:
            return
        server = {k: v for k, v in state.server_errors.items() if k != event.key}
        self._set_state(
            type(state).build(
                self.tui.client,
                state.opportunity,
                event.draft,
                state.schema,
                input_problems=event.input_problems,
                server_errors=server,
            )
        )

    def discard_draft(self) -> None:
        """Forget the open opportunity's draft."""
        state = self.edit_state
        if state is None:
            return
        self.drafts.drop(state.opportunity.id)
        empty = type(state.draft)()
        self._set_state(
            type(state).build(self.tui.client, state.opportunity, empty, state.schema), reload=True
        )
        self.query_one(StatusLine).show("Draft discarded.")

    def clear_date_won(self) -> None:
        """Clear ``date_won`` in the open draft (offered by the edits layer's notes)."""
        state = self.edit_state
        if state is not None:
            draft = state.draft.with_cleared("date_won")
            self._set_state(
                type(state).build(self.tui.client, state.opportunity, draft, state.schema),
                reload=True,
            )
