"""One column of the board: its status, its pages of cards, its cursor and its sums."""

from __future__ import annotations

from dataclasses import dataclass, field

from closetui.display.board import LOADING, BoardStatus, ColumnSums
from closetui.ui.list.page_cache import PageCache
from closetui.ui.list.rows import ListRow, RowPage

COLUMN_PAGE = 25
"""Cards per request: a column's screen of cards at 80 lines (the first page is all that
opening the board waits for; Close's pages go up to 200)."""


@dataclass(frozen=True, slots=True)
class ColumnPage:
    """One page of a status's opportunities and the server's sums over all of them."""

    rows: RowPage
    value_total: int | None = None
    """``total_value_annualized`` of the answer (None: the server sent none)."""
    expected_total: int | None = None
    """``expected_value_annualized`` of the answer."""


@dataclass(slots=True)
class BoardColumn:
    """A status's cards as far as read, the card under the column's cursor, the first card
    on screen, and the header's figures."""

    status: BoardStatus
    cache: PageCache = field(default_factory=lambda: PageCache(COLUMN_PAGE))
    cursor: int = 0
    top: int = 0
    """The first card on screen."""
    sums: ColumnSums = LOADING
    server_sums: bool = False
    """True when :attr:`sums` came from the server's aggregates (exact)."""

    @property
    def count(self) -> int:
        """Cards known to be in the column (0 until its first page came)."""
        return self.cache.total or 0

    @property
    def highlighted(self) -> ListRow | None:
        """The card under the cursor, when its page is here."""
        return self.cache.row(self.cursor) if self.count else None

    def reset(self) -> int:
        """Forget the cards (the cursor stays); the new generation."""
        self.sums = LOADING
        self.server_sums = False
        return self.cache.reset()

    def store(self, number: int, page: ColumnPage, generation: int) -> bool:
        """Keep a page and bring the sums up to date; False when it is from an older query."""
        if not self.cache.store(number, page.rows, generation):
            return False
        if number == 0 and page.value_total is not None and page.expected_total is not None:
            self.sums = ColumnSums.from_server(self.count, page.value_total, page.expected_total)
            self.server_sums = True
        elif not self.server_sums:
            rows = (row for _, row in self.cache.loaded())
            self.sums = ColumnSums.from_rows(self.cache.total, rows)
        self.clamp(self.cursor)
        return True

    def clamp(self, position: int) -> None:
        """Put the cursor on ``position``, within the cards."""
        self.cursor = max(0, min(position, self.count - 1))

    def follow(self, visible: int) -> None:
        """Scroll just enough for the cursor's card to be among ``visible`` cards."""
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + visible:
            self.top = self.cursor - visible + 1
        self.top = max(0, min(self.top, max(0, self.count - visible)))
