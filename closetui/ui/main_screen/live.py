"""The live list: runs the poller on a timer and applies what it found to the main screen."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from closetui.api.errors import CloseError
from closetui.session.poll import NEWEST_FIRST, Poller, PollPaused, PollResult
from closetui.ui.bound_keys import first_key
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.list.rows import LIST_FIELDS, row_from_json
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual.timer import Timer

    from closetui.api.query import OpportunityQuery
    from closetui.ui.flows.host import FlowHost
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.their_change import TheirChange


class LiveList:
    """Polls for others' changes every :meth:`Poller.interval` seconds while the main screen
    is on top, and shows them: rows in the list, a notice on an open draft."""

    def __init__(self, screen: FlowHost, poll_seconds: float) -> None:
        self.screen = screen
        self.poll_seconds = poll_seconds
        """0: no polling at all."""
        self.poller: Poller | None = None
        self.polls = 0
        """Polls run (skipped ones not counted)."""
        self.running = False
        self._timer: Timer | None = None
        self._failed = False

    @property
    def on(self) -> bool:
        """True when this connection polls."""
        return self.poll_seconds > 0

    def list_loaded(self) -> None:
        """The list has rows: start (once) — the cursor is read at once, then each tick."""
        if self.on and self._timer is None and not self.running:
            self._run()

    def _query(self) -> OpportunityQuery:
        listing = self.screen.query_one(OpportunityList)
        query = self.screen.active_filter.for_page(listing.order_by)
        return dataclasses.replace(query, order_by=None)  # the poll sorts its own way

    def _arm(self) -> None:
        delay = self.poller.interval() if self.poller is not None else self.poll_seconds
        self._timer = self.screen.set_timer(delay, self._tick, name="live-poll")

    def _tick(self) -> None:
        self._timer = None
        # Skipped, not queued: while a send waits on a 429 (a poll would add to it) or
        # another screen is on top (nothing to show it on); the next tick asks again.
        paused = self.poller is not None and self.poller.paused()
        if paused or self.screen.app.screen is not self.screen or self.running:
            self._arm()
            return
        self._run()

    def _run(self) -> None:
        self.running = True
        self.screen.run_worker(self._poll(), group="live", exclusive=True, exit_on_error=False)

    async def _poll(self) -> None:
        try:
            query = self._query()
            if self.poller is None or self.poller.query != query:
                # A new filter is a new list: the cursor starts again from now.
                self.poller = Poller(
                    self.screen.tui.client, LIST_FIELDS, query, poll_seconds=self.poll_seconds
                )
                await self.poller.start()
            else:
                reference = self.screen.reference
                self.poller.user_id = reference.me.id if reference is not None else None
                listing = self.screen.query_one(OpportunityList)
                loaded = {row.id for _, row in listing.cache.loaded()}
                result = await self.poller.poll(loaded)
                self.polls += 1
                self._apply(result)
            self._failed = False
        except PollPaused:  # a send began waiting on a 429 meanwhile: the next tick asks
            pass
        except Exception as exc:  # an outage or a bug: said, never a silent stop
            why = str(exc) if isinstance(exc, CloseError) else f"{type(exc).__name__}: {exc}"
            if not self._failed:  # said once, not at every tick of an outage
                self.screen.query_one(StatusLine).show(
                    f"Live: could not check for changes: {why.splitlines()[0]}", "warning"
                )
            self._failed = True
        finally:
            self.running = False
            if self.screen.is_attached:
                self._arm()

    def _apply(self, result: PollResult) -> None:
        if result.empty:
            return
        listing = self.screen.query_one(OpportunityList)
        theirs = {c.id: c.by or "someone" for c in (*result.changed, *result.added) if not c.mine}
        added = result.added
        everything = len(listing.cache.loaded()) >= (listing.total or 0)
        if not everything and listing.order_by != NEWEST_FIRST:
            # An unloaded row may be an old one whose page comes later (in its place): put
            # on top too, it would show twice. Sorted by change, the top is its place.
            added = ()
        changed = [row_from_json(c.item) for c in result.changed]
        listing.apply_live(
            changed,
            [row_from_json(c.item) for c in added],
            result.dropped,
            {c.id: theirs[c.id] for c in (*result.changed, *added) if c.id in theirs},
        )
        self.screen.cards_changed(
            [*changed, *(row_from_json(c.item) for c in result.added)], result.dropped
        )
        state = self.screen.edit_state
        if state is not None and state.opportunity.id in theirs:
            # Now, not only at send: read it once and show theirs beside the draft.
            self.screen.run_worker(
                flag_open_draft(self.screen), group="their-change", exclusive=True
            )


async def flag_open_draft(screen: FlowHost) -> None:
    """The open opportunity changed on the server: read it once and, when the draft was
    made on an older version, show theirs beside mine in the edit pane (not a dialog)."""
    from closetui.bulk import stale_change
    from closetui.ui.widgets.their_change import TheirChange

    state = screen.edit_state
    if state is None:
        return
    opp_id = state.opportunity.id
    try:
        current = await screen.tui.client.get_opportunity(opp_id)
    except CloseError:
        return  # the send's own check reads it again
    state = screen.edit_state
    if state is None or state.opportunity.id != opp_id:
        return  # another one is open now
    base = screen.drafts.base_of(opp_id) or state.opportunity
    stale = stale_change(base, current, state.schema)
    if stale is None:
        return
    pane = editor(screen)
    in_editor = screen.focused is not None and pane in screen.focused.ancestors
    if state.draft.is_empty and not in_editor:  # nothing of mine, nobody in it: theirs
        screen.show_newer(current, new_base=True)
        who = current.updated_by_name or "someone else"
        name = current.lead_name or opp_id
        screen.query_one(StatusLine).show(f"↻ {name} changed by {who}: showing their version.")
        return
    _show_notice(screen, TheirChange(base, stale, state.draft, state.schema, key=their_key(screen)))


def notice_on_open(screen: FlowHost, *, say: bool = True) -> None:
    """A draft just opened was made on an older version than the one read now: theirs
    beside mine at once (the poll may have seen it while another was open)."""
    from closetui.bulk import stale_change
    from closetui.ui.widgets.their_change import TheirChange

    state = screen.edit_state
    if state is None or state.draft.is_empty:
        return
    base = screen.drafts.base_of(state.opportunity.id)
    stale = stale_change(base, state.opportunity, state.schema)
    if stale is not None:
        _show_notice(
            screen,
            TheirChange(base, stale, state.draft, state.schema, key=their_key(screen)),
            say=say,
        )


def their_key(screen: FlowHost) -> str:
    """The key that goes to the notice (f12 unless the keymap moved it)."""
    return first_key(screen.app, type(screen).BINDINGS, "main.their_change")


def _show_notice(screen: FlowHost, notice: TheirChange, *, say: bool = True) -> None:
    current = notice.stale.current
    who = current.updated_by_name or "someone else"
    key = their_key(screen)
    editor(screen).show_notice(notice)
    screen.refresh_bindings()
    if say:
        screen.query_one(StatusLine).show(
            f"↻ {current.lead_name or current.id} changed by {who} · "
            f"{key} shows theirs beside yours",
            "warning",
        )


def act_on_their_change(screen: FlowHost, event: TheirChange.Chosen) -> None:
    """Keep mine on top of theirs, take theirs (dropping my draft), or decide later."""
    from closetui.edits import Draft
    from closetui.ui.flows.send_flow import keep_mine_on_top

    notice, state = event.notice, screen.edit_state
    status = screen.query_one(StatusLine)
    editor(screen).clear_notice()
    screen.refresh_bindings()
    if state is None or state.opportunity.id != notice.stale.current.id:
        return
    if event.choice == "rebase":
        keep_mine_on_top(screen, state, notice.base, notice.stale)
    elif event.choice == "theirs":
        screen.show_newer(notice.stale.current, draft=Draft(), new_base=True)
        status.show("Took their version: your draft is dropped.")
    else:
        status.show("Later: ctrl+r still checks for their change before sending.", "warning")
    screen.call_after_refresh(editor(screen).focus_first)


def editor(screen: FlowHost) -> EditPane:
    """The edit pane (mounted: something is open)."""
    from closetui.ui.widgets.edit_pane import EditPane

    return screen.query_one("#editor", EditPane)
