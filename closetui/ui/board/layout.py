"""Where the board's columns go: how many fit a width, how wide, which are on screen."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_WIDTH = 22
"""Least cells of text in a column (one more holds the mark and draft signs)."""
GAP = 1
"""Cells between two columns."""
HEADER_LINES = 4
"""A column's title and count, its value, its expected value, a rule."""
CARD_LINES = 3
"""A card's lead, its value and confidence, its owner (and ``date_won``)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns on screen: from ``first``, ``shown`` of them, each ``width`` cells."""

    first: int
    shown: int
    width: int
    last_width: int
    """The last column on screen takes the cells left over."""

    def widths(self) -> list[tuple[int, int]]:
        """``(column index, width)`` of each column on screen, left to right."""
        return [
            (self.first + i, self.last_width if i == self.shown - 1 else self.width)
            for i in range(self.shown)
        ]


def fitting(width: int) -> int:
    """How many columns fit ``width`` cells at :data:`TEXT_WIDTH` (at least one)."""
    return max(1, (width + GAP) // (TEXT_WIDTH + 1 + GAP))


def layout(width: int, columns: int, cursor: int, first: int) -> Layout:
    """The columns to show in ``width`` cells, scrolled from ``first`` just enough that
    the cursor's column is among them."""
    shown = min(fitting(width), max(1, columns))
    if cursor < first:
        first = cursor
    elif cursor >= first + shown:
        first = cursor - shown + 1
    first = max(0, min(first, max(0, columns - shown)))
    each = max(1, (width - GAP * (shown - 1)) // shown)
    last = max(1, width - (each + GAP) * (shown - 1))
    return Layout(first, shown, each, last)


def cards_visible(height: int) -> int:
    """Whole cards under the header in ``height`` lines (at least one)."""
    return max(1, (height - HEADER_LINES) // CARD_LINES)
