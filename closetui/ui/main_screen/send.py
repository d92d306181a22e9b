"""The main screen's sending: the single send and its outcome, undo, bulk, quick, inspector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from closetui.api.errors import ValidationError
from closetui.api.outcome import classify_write_error
from closetui.display.sending import (
    SendRecord,
    failure_message,
    map_field_errors,
    unsettled_message,
    wait_message,
)
from closetui.ui.flows.host import FlowHost
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual.worker import Worker

    from closetui.api.client import Wait
    from closetui.api.exchange import Exchange
    from closetui.api.models import Opportunity
    from closetui.bulk import StaleChange
    from closetui.bulk.quick import QuickAction
    from closetui.edits import Draft
    from closetui.session.edit_state import EditState
    from closetui.ui.widgets.edit_pane import EditPane


class SendActions(FlowHost):
    """Send the open draft, show what came back, inspect it, copy it as curl; start undo,
    bulk edit and quick actions (their flows load on first use: start-up needs none).

    A part of :class:`~closetui.ui.main_screen.screen.MainScreen`, which owns the state the
    flows see in :class:`~closetui.ui.flows.host.FlowHost` (the connection, the drafts, the
    history, the open edit state) and the last send declared here.
    """

    last_send: SendRecord | None

    if TYPE_CHECKING:

        def _set_state(self, state: EditState | None, *, reload: bool = False) -> None: ...

        @property
        def editor(self) -> EditPane: ...

    @dataclass
    class UpdateSent(Message):
        """An update was accepted: the opportunity before and after."""

        before: Opportunity
        after: Opportunity
        checked: str = ""
        """Why the answer was unclear, when a re-read found it saved ("" otherwise)."""

    def action_send(self) -> None:
        """Send the open draft (in a worker; the UI stays live)."""
        status = self.query_one(StatusLine)
        state = self.edit_state
        if self.connection.read_only:
            status.show("Read-only connection: nothing is sent.", "error")
            return
        if state is None:
            status.show("Nothing to send: open an opportunity first (enter).", "warning")
            return
        if self.is_sending:
            # Never cancel a PUT in flight: it may already have been applied.
            status.show("Already sending; wait for the answer.", "warning")
            return
        reason = state.why_not_sendable()
        if reason is not None:
            status.show(reason, "error" if state.problems else "warning")
            if state.problems:
                self.editor.focus_field(next(iter(state.problems)))
            return
        self._send(state)

    @property
    def is_sending(self) -> bool:
        """True while an update (or a bulk send's screen) is at work: never cancel it."""
        return bool(self._sending_workers())

    @property
    def requests_on_their_way(self) -> int:
        """How many requests the sends at work may have out now (0: nothing is sending);
        at least one per send at work, even between its requests."""
        workers = self._sending_workers()
        return max(len(workers), self.tui.client.writes_in_flight) if workers else 0

    def _sending_workers(self) -> list[Worker[object]]:
        return [
            w
            for w in self.workers
            if w.is_running and ((w.group == "send" and w.node is self) or w.group == "bulk")
        ]

    @work(exclusive=True, group="send", exit_on_error=False)
    async def _send(self, state: EditState, overwrite: StaleChange | None = None) -> None:
        """Re-read first (stale-edit guard; skipped when the user chose to ``overwrite``
        their change), PUT, and keep the exchange in the history."""
        from closetui.bulk.settle import settle_write
        from closetui.session.edit_state import RequestNotPreviewed
        from closetui.ui.flows.send_flow import ask_about_stale, check_before_send  # pulls in bulk

        status = self.query_one(StatusLine)
        client = self.tui.client
        try:
            request = state.request(client)
        except RequestNotPreviewed as exc:
            if self.edit_state is state:  # show the request that would go now
                self._set_state(state.rebuilt(client))
            status.show(str(exc), "error")
            return
        status.show(f"Sending {request.method} …")
        before = overwrite.current if overwrite is not None else None
        if before is None:
            base = self.drafts.base_of(state.opportunity.id)
            checked = await check_before_send(client, state, base)
            if checked.problem is not None:
                status.show(checked.problem, "error")
                return
            if checked.stale is not None:
                ask_about_stale(self, state, base, checked.stale)
                return
            before = checked.before or state.opportunity
        seen: list[Exchange] = []
        try:
            after = await client.send_update(request, on_exchange=seen.append)
        except Exception as exc:  # every failure becomes a visible message; the draft stays
            verdict = classify_write_error(exc)
            if not verdict.unknown:
                self._sent(seen, before, None)
                self._send_failed(state, exc)
                return
            # It may have landed: read it again before saying anything else.
            status.show(f"No clear answer ({verdict.reason}): checking whether it was saved…")
            opp_id = state.opportunity.id
            settled = await settle_write(client, opp_id, state.draft, state.schema, before)
            if settled.found != "saved" or settled.current is None:
                self._sent(seen, before, None)
                status.show(unsettled_message(verdict, settled), "error")
                return
            after, unclear = settled.current, verdict.reason
        else:
            unclear = ""
        self._sent(seen, before, after)
        self.post_message(self.UpdateSent(before, after, unclear))

    def _sent(self, seen: list[Exchange], before: Opportunity, after: Opportunity | None) -> None:
        self.last_send = SendRecord(seen[-1] if seen else None, before, after)
        warning = self.history.record(seen, before, before=before, after=after)
        if warning is not None:  # the send stands; only its history entry is missing
            self.notify(warning, title="History", severity="warning", markup=False)

    def _send_failed(self, state: EditState, exc: Exception) -> None:
        errors: dict[str, str] = {}
        if isinstance(exc, ValidationError):
            errors = map_field_errors(state.schema, exc.field_errors)
            current = self.edit_state
            if current is not None and current.opportunity.id == state.opportunity.id:
                self._set_state(current.rebuilt(self.tui.client, server_errors=errors))
                if errors:
                    self.editor.focus_field(next(iter(errors)))
        self.query_one(StatusLine).show(failure_message(exc, errors), "error")

    @on(UpdateSent)
    def _update_sent(self, event: UpdateSent) -> None:
        from closetui.edits import Draft
        from closetui.session.edit_state import EditState

        after = event.after
        self.query_one(OpportunityList).replace(after)
        self.opportunity_changed(after)
        self.drafts.drop(after.id)
        current = self.edit_state
        if current is not None and current.opportunity.id == after.id:
            self._set_state(
                EditState.build(self.tui.client, after, Draft(), current.schema), reload=True
            )
        else:
            self.query_one(OpportunityList).set_drafted(self.drafts.ids())
        name = after.lead_name or after.id
        if event.checked:
            message = f"Saved {name} (checked by reading it again after: {event.checked})."
        else:
            message = f"Saved {name}. ctrl+t shows the response."
        self.query_one(StatusLine).show(message, "success")

    def show_newer(
        self, opportunity: Opportunity, *, draft: Draft | None = None, new_base: bool = False
    ) -> None:
        """Show a newer version of ``opportunity`` in the list and, if it is open, in the
        editor with ``draft`` (default: its unsent draft). ``new_base``: the draft now
        builds on this version (the stale-edit guard compares with it from now on)."""
        from closetui.edits import Draft
        from closetui.session.edit_state import EditState

        self.query_one(OpportunityList).replace(opportunity)
        self.opportunity_changed(opportunity)
        keep = draft if draft is not None else self.drafts.get(opportunity.id)
        if new_base:
            self.drafts.drop(opportunity.id)
        current = self.edit_state
        if current is not None and current.opportunity.id == opportunity.id:
            state = EditState.build(self.tui.client, opportunity, keep or Draft(), current.schema)
            self._set_state(state, reload=True)
        elif new_base and keep is not None:
            failure = self.drafts.put(opportunity, keep)
            if failure is not None:
                self.query_one(StatusLine).show(failure, "error")
            self.query_one(OpportunityList).set_drafted(self.drafts.ids())

    def opportunity_changed(self, opportunity: Opportunity) -> None:
        """A newer version of ``opportunity`` came from the server (the board's hook)."""

    def show_wait(self, wait: Wait) -> None:
        """A retry is coming: count down so the app never looks hung."""
        self.query_one(StatusLine).countdown(wait_message(wait), wait.seconds)

    # -- acting on many, undo, history (closetui.ui.flows.bulk_flow, revert_flow) -------------

    def action_undo(self) -> None:
        """Undo the last change sent from this connection (review first)."""
        from closetui.ui.flows import revert_flow

        revert_flow.undo_last(self)

    def action_bulk_edit(self) -> None:
        """Compose one change for every marked row; review; send paced."""
        from closetui.ui.flows import bulk_flow

        bulk_flow.start_bulk_edit(self)

    def action_quick(self, action: QuickAction) -> None:
        """A one-key change of the current row (sent at once), then the next row."""
        from closetui.ui.flows import bulk_flow

        bulk_flow.quick_action(self, action)

    def action_history(self) -> None:
        """Open the history of sent requests."""
        from closetui.ui.flows import revert_flow

        revert_flow.open_history(self)

    # -- inspector, copy -----------------------------------------------------------------

    def action_inspect(self) -> None:
        """Open the response inspector for the last send (or the last exchange)."""
        from closetui.ui.screens.inspector import InspectorScreen

        record = self.last_send
        exchange = record.exchange if record else self.tui.client.last_exchange
        if exchange is None:
            self.query_one(StatusLine).show("No response yet.", "warning")
            return
        before = record.before if record else None
        after = record.after if record else None
        schema = self.reference.schema if self.reference else None
        self.app.push_screen(InspectorScreen(exchange, before, after, schema))

    def action_copy_curl(self) -> None:
        """Copy the previewed request as curl (the key comes from $CLOSE_API_KEY)."""
        state = self.edit_state
        if state is None or state.view is None:
            self.query_one(StatusLine).show("No request to copy: open an opportunity.", "warning")
            return
        self.app.copy_to_clipboard(state.view.to_curl())
        self.query_one(StatusLine).show("Copied the request as curl (credential redacted).")

    def on_request_preview_copy_requested(self) -> None:
        self.action_copy_curl()
