"""The page cache behind the virtual opportunity list: compact rows by index, by page."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from closetui.ui.list.rows import ListRow, RowPage

PAGE_SIZE = 100
"""Rows per API page (Close's default ``_limit``)."""


class PageCache:
    """Rows of one query (one sort order), page by page, as they arrive.

    ``generation`` grows on every reset, so an answer to an older query is dropped.
    """

    __slots__ = ("errors", "generation", "loading", "page_size", "pages", "stale", "total")
    page_size: int
    total: int | None
    """Rows that match; None until the first page arrived."""
    generation: int
    pages: dict[int, list[ListRow]]
    loading: set[int]
    errors: dict[int, str]
    """Why a page failed, by page number (shown on its rows)."""
    stale: set[int]
    """Pages shown but short of rows since a :meth:`restack`: fetched again when on screen."""

    def __init__(
        self,
        page_size: int = PAGE_SIZE,
        total: int | None = None,
        generation: int = 0,
        pages: dict[int, list[ListRow]] | None = None,
        loading: set[int] | None = None,
        errors: dict[int, str] | None = None,
    ) -> None:
        self.page_size = page_size
        self.total = total
        self.generation = generation
        self.pages = {} if pages is None else pages
        self.loading = set() if loading is None else loading
        self.errors = {} if errors is None else errors
        self.stale: set[int] = set()

    def reset(self) -> int:
        """Forget every row; returns the new generation."""
        self.generation += 1
        self.total = None
        self.pages.clear()
        self.loading.clear()
        self.errors.clear()
        self.stale.clear()
        return self.generation

    def page_of(self, index: int) -> int:
        """The page number that holds row ``index``."""
        return index // self.page_size

    def row(self, index: int) -> ListRow | None:
        """The row at ``index``, or None while its page is not here."""
        page = self.pages.get(self.page_of(index))
        offset = index % self.page_size
        if page is None or offset >= len(page):
            return None
        return page[offset]

    def missing_pages(self, start: int, stop: int) -> list[int]:
        """Pages of rows ``start..stop`` (exclusive) neither here, loading nor failed."""
        if self.total is None or stop <= start:
            return []
        stop = min(stop, self.total)
        first, last = self.page_of(max(start, 0)), self.page_of(max(stop - 1, 0))
        return [
            number
            for number in range(first, last + 1)
            if (number not in self.pages or number in self.stale)
            and number not in self.loading
            and number not in self.errors
        ]

    def store(self, number: int, page: RowPage, generation: int) -> bool:
        """Keep one fetched page; False (and nothing kept) when it is from an older query."""
        if generation != self.generation:
            return False
        self.loading.discard(number)
        self.errors.pop(number, None)
        self.stale.discard(number)
        self.pages[number] = page.rows
        skip = number * self.page_size
        if page.total_results is not None:
            self.total = page.total_results
        else:
            seen = skip + len(page.rows) + (self.page_size if page.has_more else 0)
            self.total = max(self.total or 0, seen)
        return True

    def fail(self, number: int, message: str, generation: int) -> bool:
        """Record that a page could not be fetched; False when from an older query."""
        if generation != self.generation:
            return False
        self.loading.discard(number)
        self.errors[number] = message
        return True

    def retry_failed(self) -> None:
        """Forget failed pages so they are fetched again."""
        self.errors.clear()

    def index_of(self, opportunity_id: str) -> int | None:
        """The row index of a loaded opportunity, if it is loaded."""
        for number, rows in self.pages.items():
            for offset, row in enumerate(rows):
                if row.id == opportunity_id:
                    return number * self.page_size + offset
        return None

    def replace(self, row: ListRow) -> int | None:
        """Put a newer version of a loaded row in place; its index, if loaded."""
        index = self.index_of(row.id)
        if index is not None:
            self.pages[self.page_of(index)][index % self.page_size] = row
        return index

    def loaded(self) -> list[tuple[int, ListRow]]:
        """Every loaded row with its index, in order."""
        return [
            (number * self.page_size + offset, row)
            for number in sorted(self.pages)
            for offset, row in enumerate(self.pages[number])
        ]

    def restack(self, drop: Collection[str], add: Sequence[ListRow]) -> None:
        """Forget the loaded rows with an id in ``drop`` and put ``add`` at the top; every
        later row moves by as many places, and :attr:`total` follows.

        Pages are fixed slices of the server's order, so each page keeps the rows it can
        still fill from its start; a page left short (its neighbour was not loaded) is
        :attr:`stale` and fetched again when shown, an empty one is forgotten. Fetches
        under way answer the old order: they are dropped (a new generation).
        """
        if self.total is None:
            return
        placed: dict[int, ListRow] = dict(enumerate(add))
        gone = 0
        for index, row in self.loaded():
            if row.id in drop:
                gone += 1
            else:
                placed[index + len(add) - gone] = row
        self.total = max(0, self.total + len(add) - gone)
        size = self.page_size
        self.pages = {}
        self.stale = set()
        for number in sorted({index // size for index in placed}):
            start = number * size
            stop = min(start + size, self.total)
            rows: list[ListRow] = []
            while start + len(rows) < stop and (start + len(rows)) in placed:
                rows.append(placed[start + len(rows)])
            if rows:
                self.pages[number] = rows
            if len(rows) < stop - start:
                self.stale.add(number)
        self.generation += 1
        self.loading.clear()
        self.errors.clear()
