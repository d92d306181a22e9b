"""How the board paints one line of one column: its header, a line of a card, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style

from closetui.display.board import card_texts, header_texts
from closetui.ui.board.column import BoardColumn
from closetui.ui.board.layout import CARD_LINES, HEADER_LINES
from closetui.ui.list.columns import fit

StyleOf = Callable[[str], Style]
"""A part's name (``lead``, ``cursor``...: a component class ``board--NAME``) -> its style."""

MARK_GLYPH = "▌"
"""Before a marked card's first line."""
DRAFT_GLYPH = "●"
"""Before the second line of a card with an unsent draft."""


@dataclass(frozen=True, slots=True)
class Marks:
    """What the cards carry besides their row: marks, drafts and where drafts move them."""

    marked: frozenset[str] = frozenset()
    drafted: frozenset[str] = frozenset()
    moving: Mapping[str, str] | None = None
    """Opportunity id -> the status label its draft moves it to."""


def header_line(
    column: BoardColumn,
    y: int,
    width: int,
    current: bool,
    style_of: StyleOf,
    *,
    more: tuple[bool, bool] = (False, False),
) -> list[Segment]:
    """Line ``y`` (0 to 3) of a column's header: title and count, value, expected, a rule
    (``more``: with ◂ / ▸ at its ends, where more columns are off screen that way)."""
    title, count, value, expected = header_texts(column.status, column.sums)
    if y == 0:
        room = max(1, width - len(count) - 1)
        kind = column.status.type if column.status.type in ("won", "lost") else "active"
        return [
            Segment(fit(title, room), style_of(f"title-{kind}")),
            Segment(" ", style_of("muted")),
            Segment(fit(count, width - room - 1, right=True), style_of("count")),
        ]
    if y in (1, 2):
        return [Segment(fit(value if y == 1 else expected, width), style_of("muted"))]
    line = "━" if current else "─"
    left, right = ("◂" if more[0] else line), ("▸" if more[1] else line)
    rule = (left + line * max(0, width - 2) + right)[:width] if width > 1 else line * width
    return [Segment(rule, style_of("rule-current" if current else "rule"))]


def card_line(
    column: BoardColumn,
    y: int,
    width: int,
    *,
    cursor: str | None,
    marks: Marks,
    style_of: StyleOf,
) -> list[Segment]:
    """Line ``y`` (below the header) of a column: a card's line, a placeholder or blank.
    ``cursor``: the cursor's style name when this column holds the cursor."""
    below = y - HEADER_LINES
    index, line = column.top + below // CARD_LINES, below % CARD_LINES
    plain = style_of("plain")
    if index >= column.count:
        text = ""
        if line == 0 and index == 0:
            text = "  …" if column.cache.total is None else "  (none)"
        return [Segment(fit(text, width), style_of("muted"))]
    row = column.cache.row(index)
    if row is None:
        failed = column.cache.errors.get(column.cache.page_of(index))
        text = (f"  ⚠ {failed}" if failed else "  ⋯") if line == 0 else ""
        return [Segment(fit(text, width), style_of("error" if failed else "muted"))]
    moving = marks.moving.get(row.id) if marks.moving else None
    texts = card_texts(row, moving)
    if line == 0:
        sign = (
            Segment(MARK_GLYPH, style_of("marked"))
            if row.id in marks.marked
            else Segment(" ", plain)
        )
    elif line == 1 and row.id in marks.drafted:
        sign = Segment(DRAFT_GLYPH, style_of("draft"))
    else:
        sign = Segment(" ", plain)
    kind = ("lead", "plain", "moving" if moving else "muted")[line]
    segments = [sign, Segment(fit(texts[line], width - 1), style_of(kind))]
    if cursor is not None and index == column.cursor:
        over = style_of(cursor)
        return list(Segment.apply_style(segments, post_style=over))
    return segments
