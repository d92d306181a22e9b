"""The pipeline board: a status's cards fetched page by page as they come on screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from closetui.api.errors import CloseError
from closetui.display.board import BoardStatus
from closetui.ui.board import render as paint
from closetui.ui.board.canvas import BoardCanvas
from closetui.ui.board.column import BoardColumn, ColumnPage
from closetui.ui.key_gate import gate_of
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.list.rows import ListRow

ColumnSource = Callable[[str, int, int], Awaitable[ColumnPage]]
"""Fetches one page of a column: ``(status_id, skip, limit) -> ColumnPage``."""

MAX_IN_FLIGHT = 3
"""Most page requests under way at once (the rest wait for a free slot)."""


class PipelineBoard(BoardCanvas):
    """A column per status of one pipeline; only the cards on screen are fetched.

    The parent sets :attr:`source` and calls :meth:`show_pipeline`. ``enter`` posts the
    list's :class:`OpportunityList.OpportunitySelected` (the screen opens the card as it
    opens a row); ``H`` / ``L`` post :class:`MoveRequested`; ``space`` marks cards.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,e", "open", "Edit", id="board.open"),
        Binding("L,shift+right", "move(1)", "Move →", id="board.move_right"),
        Binding("H,shift+left", "move(-1)", "Move ←", id="board.move_left"),
        Binding("space", "mark", "Mark", show=False, id="board.mark"),
        Binding("x", "clear_marks", "Clear marks", show=False, id="board.clear_marks"),
        Binding("r", "reload", "Refresh", show=False, id="board.refresh"),
    ]

    @dataclass
    class MoveRequested(Message):
        """Move ``row``'s opportunity ``step`` statuses on (-1: back) in its pipeline."""

        row: ListRow
        step: int

    @dataclass
    class MarksChanged(Message):
        """Cards were marked or unmarked; ``count`` are marked now."""

        count: int

    @dataclass
    class CardHighlighted(Message):
        """The cursor rests on a loaded card."""

        row: ListRow

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source: ColumnSource | None = None
        """Where pages come from; set by the parent."""
        self.pipeline_id: str | None = None
        """The pipeline shown (None: none yet)."""
        self.read_only = False
        """True on a read-only connection: cards do not move (the keys are not offered)."""
        self.shown = False
        """True while the board stands in the list's place (its pages are fetched)."""
        self._loading = 0

    # -- data ------------------------------------------------------------------------

    def show(self, width: int) -> None:
        """It is being shown, ``width`` cells wide: pages on screen may be fetched (before
        its first layout, with that width)."""
        self.shown = True
        self.width_hint = width

    def hide(self) -> None:
        """It is hidden: no page is fetched until it shows again."""
        self.shown = False

    def show_pipeline(self, pipeline_id: str, statuses: Iterable[BoardStatus]) -> None:
        """Show this pipeline's statuses as columns and fetch their first pages."""
        self.pipeline_id = pipeline_id
        self.columns = [BoardColumn(status) for status in statuses]
        self.column = 0
        self.message = "  This pipeline has no statuses." if not self.columns else ""
        self.reload()

    def reload(self) -> None:
        """Forget every card and fetch each column's first page again."""
        for column in self.columns:
            column.reset()
            column.top = 0
        self.refresh()
        self._request_visible()

    def reload_statuses(self, status_ids: Iterable[str]) -> None:
        """Read these columns again from their first page (a card left or joined them:
        their counts and sums changed)."""
        wanted = set(status_ids)
        for column in self.columns:
            if column.status.id in wanted:
                column.reset()
        self.refresh()
        self._request_visible()

    def replace(self, row: ListRow) -> None:
        """Show a newer version of a loaded card in place."""
        for column in self.columns:
            if column.cache.replace(row) is not None:
                self.refresh()

    def follow_changes(self, rows: Sequence[ListRow], dropped: Iterable[str]) -> None:
        """Others changed these opportunities (``dropped``: they left the filter): a card
        that changed in place is redrawn; a column a card joined, left or changed a value
        in is read again (its count and sums are the server's)."""
        statuses = {column.status.id for column in self.columns}
        stale: set[str] = set()
        for row in rows:
            shown = [
                (column, column.cache.row(index))
                for column in self.columns
                if (index := column.cache.index_of(row.id)) is not None
            ]
            if [card for _, card in shown] == [row]:
                continue  # shown so already (a change of mine, applied as it was sent)
            if len(shown) == 1 and shown[0][0].status.id == row.status_id:
                card = shown[0][1]
                if card is not None and _summed(card) == _summed(row):
                    self.replace(row)  # in place, and the sums hold: no request
                    continue
            stale.update(column.status.id for column, _ in shown)
            if row.status_id in statuses:
                stale.add(row.status_id)
        for opp_id in dropped:
            stale.update(c.status.id for c in self.columns if c.cache.index_of(opp_id) is not None)
        if stale:
            self.reload_statuses(stale)

    def set_marks(
        self, *, drafted: frozenset[str] | None = None, moving: Mapping[str, str] | None = None
    ) -> None:
        """Show which cards have unsent drafts and where those move them."""
        old = self.marks
        self.marks = new = paint.Marks(
            old.marked,
            old.drafted if drafted is None else drafted,
            old.moving if moving is None else dict(moving),
        )
        changed = set(old.drafted ^ new.drafted)
        old_moves, new_moves = old.moving or {}, new.moving or {}
        changed |= {
            k for k in old_moves.keys() | new_moves.keys() if old_moves.get(k) != new_moves.get(k)
        }
        if changed:
            self.refresh_cards(changed)

    def _request_visible(self) -> None:
        """Fetch the pages on screen: first pages before the rest, a few at a time."""
        if self.source is None or not self.columns or not self.is_mounted or not self.shown:
            return  # hidden: what changed meanwhile is read when it shows again
        found = self.screen_layout()
        visible = self.cards_visible()
        wanted: list[tuple[BoardColumn, int]] = []
        for index, _ in found.widths():
            column = self.columns[index]
            cache = column.cache
            if cache.total is None:
                if not cache.loading and not cache.errors:
                    wanted.append((column, 0))
                continue
            wanted += [(column, n) for n in cache.missing_pages(column.top, column.top + visible)]
        for column, number in wanted:
            if self._loading >= MAX_IN_FLIGHT:
                return
            self._loading += 1
            column.cache.loading.add(number)
            self.run_worker(
                self._fetch(column, number, column.cache.generation),
                group="board-pages",
                exit_on_error=False,
            )

    async def _fetch(self, column: BoardColumn, number: int, generation: int) -> None:
        assert self.source is not None
        size = column.cache.page_size
        try:
            page = await self.source(column.status.id, number * size, size)
        except Exception as exc:  # every failure is shown on the column's cards
            message = str(exc) if isinstance(exc, CloseError) else f"{type(exc).__name__}: {exc}"
            self._loading -= 1
            if column.cache.fail(number, message, generation):
                self.refresh()
            self._request_visible()
            return
        self._loading -= 1
        if column.store(number, page, generation):
            column.follow(self.cards_visible())
            self.refresh()
            if column is self.current and number == column.cache.page_of(column.cursor):
                self.cursor_moved()
        self._request_visible()

    # -- canvas hooks ----------------------------------------------------------------

    def view_moved(self) -> None:
        self._request_visible()

    def cursor_moved(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.CardHighlighted(row))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No moves on a read-only connection (nor in the footer or help)."""
        return not (action == "move" and self.read_only)

    # -- actions -----------------------------------------------------------------------

    def action_open(self) -> None:
        """Edit the card under the cursor, as the list's enter does."""
        row, column = self.highlighted, self.current
        if row is None or column is None:
            return
        gate = gate_of(self.app)
        if gate is not None:  # the keys typed behind go to the editor once it is there
            gate.hold_for_load()
        self.post_message(OpportunityList.OpportunitySelected(row, column.cursor))

    def action_move(self, step: int) -> None:
        """Move the card to the next (1) or previous (-1) status: a draft, or a send."""
        row = self.highlighted
        if row is not None:
            self.post_message(self.MoveRequested(row, step))

    def marked_ids(self) -> tuple[str, ...]:
        """The marked cards' opportunity ids."""
        return tuple(sorted(self.marks.marked))

    def clear_marks(self) -> None:
        """Unmark every card."""
        self._set_marked(frozenset())

    def mark(self, ids: Iterable[str]) -> None:
        """Mark these cards too (e.g. those a bulk send could not save)."""
        self._set_marked(self.marks.marked | frozenset(ids))

    def _set_marked(self, marked: frozenset[str]) -> None:
        old = self.marks
        self.marks = paint.Marks(marked, old.drafted, old.moving)
        self.refresh()
        if marked != old.marked:
            self.post_message(self.MarksChanged(len(marked)))

    def action_mark(self) -> None:
        """Mark or unmark the card under the cursor, then move down."""
        row = self.highlighted
        if row is not None:
            self._set_marked(self.marks.marked ^ {row.id})
            self.action_card(1)

    def action_clear_marks(self) -> None:
        """Unmark every card."""
        self.clear_marks()

    def action_reload(self) -> None:
        """Fetch every column again."""
        self.reload()


def _summed(row: ListRow) -> tuple[object, ...]:
    """What a column's value and expected value sums are made of."""
    return (row.value, row.value_period, row.confidence)
