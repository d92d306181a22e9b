"""The main screen's board: switch between the list and a pipeline's board, move cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.timer import Timer

from closetui.api.errors import CloseError
from closetui.display.board import BoardStatus, board_statuses, step_status
from closetui.ui.board.board import PipelineBoard
from closetui.ui.board.column import ColumnPage
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.list.rows import LIST_FIELDS, ListRow, RowPage, row_from_opportunity
from closetui.ui.main_screen.editing import EditActions
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.api.models import Opportunity, Pipeline
    from closetui.api.query import OpportunityQuery
    from closetui.session.edit_state import EditState

PREFETCHED = 8
"""Full opportunities kept for the cards the cursor rested on (a move needs one)."""
PREFETCH_REST = 0.2
"""Seconds the cursor rests on a card before it is read in full: cards passed over with
``j`` are not read, and the board's first pages go out before the first card's read."""
SIDE_BESIDE_BOARD = 48
"""Cells of the editor beside the board when wide: three columns of cards fit at 120."""


class BoardActions(EditActions):
    """``B`` shows a pipeline's board in the list's place (``[`` / ``]``: the other
    pipelines); a card moved with ``H`` / ``L`` is a draft of its status, as the status
    picker makes it, or, with the profile's ``board_move = "send"``, sent at once.

    A part of :class:`~closetui.ui.main_screen.screen.MainScreen`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("B", "toggle_board", "Board", show=False, id="main.board"),
        Binding(
            "left_square_bracket",
            "board_pipeline(-1)",
            "Previous pipeline",
            show=False,
            id="main.board_previous",
        ),
        Binding(
            "right_square_bracket",
            "board_pipeline(1)",
            "Next pipeline",
            show=False,
            id="main.board_next",
        ),
        Binding("P", "pick_pipeline", "Pipeline…", show=False, id="main.board_pick"),
    ]

    _board: PipelineBoard | None = None
    _prefetched: dict[str, Opportunity]
    _prefetch_timer: Timer | None = None

    @property
    def board(self) -> PipelineBoard | None:
        """The board, once it has been mounted (hidden until ``B``)."""
        return self._board

    @property
    def board_shown(self) -> bool:
        """True while the board stands in the list's place."""
        return self._board is not None and self._board.has_class("-shown")

    def rows_view(self) -> OpportunityList | PipelineBoard:
        """What stands on the left: the board while it is shown, else the list."""
        if self.board_shown and self._board is not None:
            return self._board
        return self.query_one(OpportunityList)

    def action_bulk_edit(self) -> None:
        """Compose one change for every marked row (or card); review; send paced."""
        from closetui.ui.flows import bulk_flow

        bulk_flow.start_bulk_edit(self, self.rows_view())

    # -- showing it ----------------------------------------------------------------------

    def action_toggle_board(self) -> None:
        """Switch between the list and the board of one pipeline."""
        if self.board_shown:
            self._show_list()
            return
        pipeline = self._pipeline_near(0)
        if pipeline is None:
            return
        self.show_board(pipeline)

    def action_board_pipeline(self, step: int) -> None:
        """The previous (-1) or next (1) pipeline's board (opens the board if need be)."""
        pipeline = self._pipeline_near(step)
        if pipeline is not None:
            self.show_board(pipeline)

    def action_pick_pipeline(self) -> None:
        """Pick a pipeline by name (type to filter) and show its board."""
        from closetui.ui.widgets.picker_screen import PickerScreen, PickItem

        pipelines = self.pipelines()
        if not pipelines:
            self._pipeline_near(0)  # says why there is none yet
            return
        items = [PickItem(p.id, p.name, mark=f"{len(p.statuses)} statuses") for p in pipelines]
        shown = self._board.pipeline_id if self.board_shown and self._board else None
        by_id = {p.id: p for p in pipelines}

        def picked(value: str | None) -> None:
            if value is not None and value in by_id:
                self.show_board(by_id[value])

        self.app.push_screen(PickerScreen("Board of the pipeline", items, shown), picked)

    def pipelines(self) -> list[Pipeline]:
        """The organisation's pipelines (none before it has loaded)."""
        return list(self.reference.schema.pipelines) if self.reference is not None else []

    def _pipeline_near(self, step: int) -> Pipeline | None:
        """The pipeline ``step`` places from the one shown (or from the list's row's)."""
        pipelines = self.pipelines()
        if not pipelines:
            self.query_one(StatusLine).show(
                "The board needs the organisation's pipelines: still loading.", "warning"
            )
            return None
        ids = [p.id for p in pipelines]
        current = self._board.pipeline_id if self._board is not None else None
        if current is None:
            row = self.query_one(OpportunityList).highlighted
            assert self.reference is not None
            found = self.reference.schema.pipeline_of(row.status_id) if row else None
            current = found.id if found is not None else ids[0]
        index = ids.index(current) if current in ids else 0
        return pipelines[(index + step) % len(pipelines)]

    def mount_board(self) -> PipelineBoard:
        """The board, mounted hidden (with the editor, once the organisation loads): ``B``
        then sends its first requests at once, not after a mount and a layout."""
        board = self._board
        if board is None:
            board = self._board = PipelineBoard(id="board")
            board.source = self._fetch_column
            board.read_only = self.connection.read_only
            self._prefetched = {}
            self.query_one("#body").mount(board, before="#side")
        return board

    def show_board(self, pipeline: Pipeline) -> None:
        """Show ``pipeline``'s board in the list's place and give it the keys."""
        board = self.mount_board()
        listing = self.query_one(OpportunityList)
        # Classes, not display: narrow, the stylesheet hides both behind the editor's pane.
        listing.add_class("-behind-board")
        board.add_class("-shown")
        self._fit_side()
        narrow = self.has_class("-narrow")
        board.show(self.size.width - (0 if narrow else SIDE_BESIDE_BOARD))
        if board.pipeline_id != pipeline.id:
            board.show_pipeline(pipeline.id, board_statuses(pipeline.statuses))
        else:
            board.view_moved()  # columns read again while it was hidden are fetched now
        self._board_marks()
        board.focus()
        if self.pane != "list":
            self.pane = "list"
        self.query_one(StatusLine).show(
            f"Board: {pipeline.name} · h/l columns · H/L move a card · [ ] pipelines · B list"
        )
        self.refresh_bindings()

    def _show_list(self) -> None:
        if self._board is not None:
            self._board.remove_class("-shown")
            self._board.hide()
        self._fit_side()
        listing = self.query_one(OpportunityList)
        listing.remove_class("-behind-board")
        listing.focus()
        self.refresh_bindings()

    def _fit_side(self) -> None:
        """A narrower editor beside the board when wide. Set on the side pane alone (a class
        on the screen would restyle every widget); narrow, the stylesheet's own widths."""
        side = self.query_one("#side")
        narrower = self.board_shown and not self.has_class("-narrow")
        side.styles.width = SIDE_BESIDE_BOARD if narrower else None
        side.styles.min_width = SIDE_BESIDE_BOARD if narrower else None

    def on_resize(self) -> None:
        # After the screen's breakpoint classes follow the new width.
        self.call_later(self._fit_side)

    def column_query(self, status_id: str) -> OpportunityQuery | None:
        """A column's query: the list's filter and sort, narrowed to one status (None when
        the filter leaves the column empty)."""
        query = self.active_filter.for_page(self.query_one(OpportunityList).order_by)
        within = query.status_id
        if within is not None and status_id not in (
            (within,) if isinstance(within, str) else within
        ):
            return None
        return replace(query, status_id=status_id)

    async def _fetch_column(self, status_id: str, skip: int, limit: int) -> ColumnPage:
        """One page of a column (:meth:`column_query`)."""
        query = self.column_query(status_id)
        if query is None:
            return ColumnPage(RowPage([], False, 0), 0, 0)  # the filter leaves it empty
        page = await self.tui.client.list_opportunity_fields(
            list(LIST_FIELDS), query, skip=skip, limit=limit
        )
        return ColumnPage(RowPage.from_page(page), page.value_total, page.expected_total)

    # -- keeping it in step with drafts and sends -------------------------------------------

    def _set_state(
        self,
        state: EditState | None,
        *,
        reload: bool = False,
        focus: bool = False,
        pick_status: bool = False,
        later: bool = False,
    ) -> None:
        super()._set_state(state, reload=reload, focus=focus, pick_status=pick_status, later=later)
        self._board_marks()

    def _board_marks(self) -> None:
        """Show on the board which cards have drafts, and where drafted moves go."""
        board = self._board
        if board is None or not board.columns or self.reference is None:
            return  # never shown: nothing to mark
        moving: dict[str, str] = {}
        for opp_id in self.drafts.ids():
            draft = self.drafts.get(opp_id)
            change = draft.change("status_id") if draft is not None else None
            value = getattr(change, "value", None)
            status = self.reference.schema.status(value) if isinstance(value, str) else None
            if status is not None:
                moving[opp_id] = status.label
        board.set_marks(drafted=self.drafts.ids(), moving=moving)

    def opportunity_changed(self, opportunity: Opportunity) -> None:
        """A newer version came from the server: columns it left or joined are read again."""
        board = self._board
        if board is None or not board.columns:
            return  # never shown (it is mounted with the editor): nothing to follow
        known = self._prefetched.get(opportunity.id)  # its status before, if it was read
        self._keep(opportunity)  # the newest, among the few kept
        left = [c.status.id for c in board.columns if c.cache.index_of(opportunity.id) is not None]
        if known is not None and known.status_id not in left:
            left.append(known.status_id)
        board.replace(row_from_opportunity(opportunity))
        if left != [opportunity.status_id]:
            board.reload_statuses([*left, opportunity.status_id])
        self._board_marks()

    def cards_changed(self, rows: Sequence[ListRow], dropped: Iterable[str]) -> None:
        """The live list saw these opportunities change (``dropped``: they left the
        filter): the board follows (:meth:`PipelineBoard.follow_changes`)."""
        if self._board is not None and self._board.columns:
            self._board.follow_changes(rows, dropped)

    def filter_changed(self) -> None:
        """The list's server filter changed: the board's columns are read with it again."""
        if self._board is not None and self._board.columns:
            self._board.reload()

    # -- cards ----------------------------------------------------------------------------

    @on(PipelineBoard.CardHighlighted)
    def _card_highlighted(self, event: PipelineBoard.CardHighlighted) -> None:
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
            self._prefetch_timer = None
        if self.reference is not None and event.row.id not in self._prefetched:
            self._prefetch_timer = self.set_timer(
                PREFETCH_REST, partial(self._prefetch, event.row.id)
            )

    @work(exclusive=True, group="board-prefetch", exit_on_error=False)
    async def _prefetch(self, opp_id: str) -> None:
        """Read the card under the cursor in full: a move then drafts it at once."""
        try:
            opportunity = await self.tui.client.get_opportunity(opp_id)
        except CloseError:
            return  # a move reads it again and says why it failed
        self._keep(opportunity)

    def _keep(self, opportunity: Opportunity) -> None:
        self._prefetched.pop(opportunity.id, None)
        self._prefetched[opportunity.id] = opportunity
        while len(self._prefetched) > PREFETCHED:
            del self._prefetched[next(iter(self._prefetched))]

    @on(PipelineBoard.MoveRequested)
    def _move_requested(self, event: PipelineBoard.MoveRequested) -> None:
        status = self.query_one(StatusLine)
        if self.connection.read_only:
            status.show("Read-only connection: cards do not move.", "error")
            return
        if self.reference is None:
            status.show("Still loading the organisation's fields; try again in a moment.")
            return
        state = self.edit_state
        if state is not None and state.opportunity.id == event.row.id:
            self._move(state.opportunity, event.step)
        elif (known := self._prefetched.get(event.row.id)) is not None:
            self._move(known, event.step)
        else:
            self._read_and_move(event.row, event.step)

    @work(exclusive=True, group="board-move", exit_on_error=False)
    async def _read_and_move(self, row: ListRow, step: int) -> None:
        try:
            opportunity = await self.tui.client.get_opportunity(row.id)
        except CloseError as exc:
            self.query_one(StatusLine).show(f"Could not read {row.lead_name}: {exc}", "error")
            return
        self._keep(opportunity)
        self.call_later(self._move, opportunity, step)

    def _move(self, opportunity: Opportunity, step: int) -> None:
        """Draft (or send) ``opportunity``'s move ``step`` statuses on in its pipeline."""
        board = self._board
        assert board is not None
        assert self.reference is not None
        statuses = [column.status for column in board.columns]
        state = self.edit_state
        same = state is not None and state.opportunity.id == opportunity.id
        draft = state.draft if same and state is not None else self.drafts.get(opportunity.id)
        change = draft.change("status_id") if draft is not None else None
        drafted = getattr(change, "value", None)
        now = drafted if isinstance(drafted, str) else opportunity.status_id
        target = step_status(statuses, now, step)
        if target is None:
            where = "first" if step < 0 else "last"
            self.query_one(StatusLine).show(f"{opportunity.lead_name} is in the {where} status.")
            return
        if self.connection.board_move == "send":
            from closetui.ui.flows.board_flow import send_move

            send_move(self, opportunity, target)
            return
        self._draft_move(opportunity, target)

    def _draft_move(self, opportunity: Opportunity, target: BoardStatus) -> None:
        from closetui.edits import Draft
        from closetui.session.edit_state import EditState

        assert self.reference is not None
        state = self.edit_state
        if state is not None and state.opportunity.id == opportunity.id:
            draft, opportunity = state.draft, state.opportunity
        else:
            draft = self.drafts.get(opportunity.id) or Draft()
        if target.id == opportunity.status_id:
            draft = draft.without("status_id")  # back where it is: as the picker reverts
        else:
            draft = draft.with_set("status_id", target.id)
        new = EditState.build(self.tui.client, opportunity, draft, self.reference.schema)
        # The card open already: only its changed fields are redrawn, as after a pick.
        # Another card: its fields mount after the frame that shows the move.
        other = state is None or state.opportunity.id != opportunity.id
        self._set_state(new, reload=other, later=other)
        note = next((n.message for n in new.notes if n.field in ("status_id", "date_won")), "")
        send = "ctrl+r sends" if not draft.is_empty else "no change left"
        lead = opportunity.lead_name or opportunity.id
        text = f"{lead} → {target.label} (draft) · {send}"
        self.query_one(StatusLine).show(f"{text} · {note}" if note else text)
