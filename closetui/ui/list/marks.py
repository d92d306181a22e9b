"""Marked opportunities, by id, and the range being marked with ``V`` (pure, no textual).

Marks are opportunity ids, so they survive re-sorting, filtering and reloading. A range
is kept in row indexes (the server's order): the rows shown between the anchor and the
cursor are marked; moving the cursor only looks at the rows that entered or left the span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

RowsIn = Callable[[int, int], Iterable[str]]
"""``(start, stop) -> ids`` of the shown, loaded rows with an index in ``start..stop``."""


@dataclass(slots=True)
class MarkRange:
    """A range being marked: from ``anchor`` to the cursor, both row indexes."""

    anchor: int
    low: int
    high: int
    """The span marked now, ``low..high`` inclusive."""
    before: frozenset[str]
    """Ids marked before the range began (they stay marked whatever the span does)."""


class Marks:
    """An ordered set of marked ids plus an optional range in progress."""

    def __init__(self) -> None:
        self.ids: dict[str, None] = {}
        """Marked ids in the order they were marked."""
        self.range: MarkRange | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, opportunity_id: object) -> bool:
        return opportunity_id in self.ids

    def toggle(self, opportunity_id: str) -> bool:
        """Mark or unmark one id; True when it is marked now."""
        if opportunity_id in self.ids:
            del self.ids[opportunity_id]
            return False
        self.ids[opportunity_id] = None
        return True

    def add(self, ids: Iterable[str]) -> int:
        """Mark every id; how many were not marked before."""
        before = len(self.ids)
        self.ids.update(dict.fromkeys(ids))
        return len(self.ids) - before

    def clear(self) -> None:
        """Unmark everything and end any range."""
        self.ids.clear()
        self.range = None

    # -- ranges ------------------------------------------------------------------------

    def start_range(self, index: int, opportunity_id: str | None) -> None:
        """Begin a range at row ``index`` (its row is marked at once, when loaded)."""
        self.range = MarkRange(index, index, index, frozenset(self.ids))
        if opportunity_id is not None:
            self.ids[opportunity_id] = None

    def end_range(self) -> None:
        """Stop extending the range; its marks stay."""
        self.range = None

    def move_range(self, index: int, rows_in: RowsIn) -> None:
        """The cursor is on row ``index`` now: mark the rows that entered the span and
        unmark those that left it (unless they were marked before the range began)."""
        span = self.range
        if span is None:
            return
        low, high = min(span.anchor, index), max(span.anchor, index)
        leaving = [(span.low, min(low, span.high + 1)), (max(high + 1, span.low), span.high + 1)]
        entering = [(low, min(span.low, high + 1)), (max(span.high + 1, low), high + 1)]
        for start, stop in leaving:
            if start < stop:
                for opportunity_id in rows_in(start, stop):
                    if opportunity_id not in span.before:
                        self.ids.pop(opportunity_id, None)
        for start, stop in entering:
            if start < stop:
                self.ids.update(dict.fromkeys(rows_in(start, stop)))
        span.low, span.high = low, high

    def rows_arrived(self, start: int, stop: int, rows_in: RowsIn) -> None:
        """Rows ``start..stop`` were loaded: those inside the span are marked."""
        span = self.range
        if span is not None:
            start, stop = max(start, span.low), min(stop, span.high + 1)
            if start < stop:
                self.ids.update(dict.fromkeys(rows_in(start, stop)))
