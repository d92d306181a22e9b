"""What the opportunity list holds and shows: pages of rows, the filter, the marks (pure)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence

from closetui.ui.list.filter import RowFilter
from closetui.ui.list.marks import Marks
from closetui.ui.list.page_cache import PageCache
from closetui.ui.list.rows import ListRow, RowPage


class ListModel:
    """The rows of one query and which of them are shown and marked.

    Rows have an *index* (their place in the server's order) and, while shown, a
    *position* (their place on screen). Without a filter the two are the same; with
    one, positions count the loaded rows that match.
    """

    def __init__(self) -> None:
        self.cache = PageCache()
        self.filter = RowFilter()
        """The loaded rows' search texts and the rows the filter lets through."""
        self.marks = Marks()
        """Marked opportunity ids."""

    # -- shown rows ------------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """Matching opportunities on the server; None until the first page is here."""
        return self.cache.total

    @property
    def shown(self) -> int | None:
        """Rows shown: the filter's matches when filtering, else :attr:`total`."""
        return len(self.filter.hits) if self.filter.active else self.cache.total

    def index_at(self, position: int) -> int:
        """The row index shown at ``position``."""
        return self.filter.hits[position] if self.filter.active else position

    def position_of(self, index: int) -> int | None:
        """Where row ``index`` is shown (None when the filter hides it)."""
        if not self.filter.active:
            return index
        hits = self.filter.hits
        at = bisect_left(hits, index)
        return at if at < len(hits) and hits[at] == index else None

    def row_at(self, position: int) -> ListRow | None:
        """The row shown at ``position``, when loaded."""
        shown = self.shown
        if not shown or not 0 <= position < shown:
            return None
        return self.cache.row(self.index_at(position))

    def ids_in(self, start: int, stop: int) -> Iterator[str]:
        """Ids of the shown, loaded rows with an index in ``start..stop``."""
        if self.filter.active:
            hits = self.filter.hits
            indexes: range | list[int] = hits[bisect_left(hits, start) : bisect_left(hits, stop)]
        else:
            indexes = range(max(0, start), min(stop, self.cache.total or 0))
        for index in indexes:
            row = self.cache.row(index)
            if row is not None:
                yield row.id

    # -- changes ---------------------------------------------------------------------

    def reset(self) -> int:
        """Forget every row for a new query (marks and filter text stay); the generation."""
        self.filter.clear_rows()
        self.marks.end_range()
        return self.cache.reset()

    def add_page(self, number: int, page: RowPage, generation: int) -> bool:
        """Keep a fetched page, filter it, and mark its rows inside a range being marked;
        False when it answers an older query."""
        if not self.cache.store(number, page, generation):
            return False
        start = number * self.cache.page_size
        self.filter.add(start, [row.search for row in page.rows])
        self.marks.rows_arrived(start, start + len(page.rows), self.ids_in)
        return True

    def replace(self, row: ListRow) -> int | None:
        """Put a newer version of a loaded row in place; its index, if loaded."""
        index = self.cache.replace(row)
        if index is not None:
            self.filter.replace(index, row.search)
        return index

    def restack(self, drop: Collection[str], add: Sequence[ListRow]) -> None:
        """Drop loaded rows by id and put new ones at the top (the live list); the filter
        indexes rows by place, so it is built again from the pages left. Marks are ids and
        stay; a range being marked ends (its rows moved)."""
        self.cache.restack(drop, add)
        self.filter.clear_rows()
        size = self.cache.page_size
        for number, rows in sorted(self.cache.pages.items()):
            self.filter.add(number * size, [row.search for row in rows])
        self.marks.end_range()

    # -- marks -----------------------------------------------------------------------

    def marked_ids(self) -> tuple[str, ...]:
        """Marked ids: the loaded ones in list order, then the rest in marking order."""
        marks = self.marks.ids
        if not marks:
            return ()
        known = [row.id for _, row in self.cache.loaded() if row.id in marks]
        seen = set(known)
        return (*known, *(i for i in marks if i not in seen))

    def mark_shown(self) -> str:
        """Mark every row shown (the filter's matches, else every loaded row); says which."""
        self.marks.end_range()
        if self.filter.active:
            ids = list(self.ids_in(0, len(self.filter.texts)))
            self.marks.add(ids)
            return f"*: {len(ids):,} filtered"
        ids = [row.id for _, row in self.cache.loaded()]
        self.marks.add(ids)
        note = f"*: {len(ids):,} loaded"
        missing = (self.cache.total or 0) - len(ids)
        return note + (f", not {missing:,} unloaded" if missing > 0 else "")
