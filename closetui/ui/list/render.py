"""How the opportunity list paints its lines: header, rows, messages and its bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from closetui.ui.list.columns import MARK_WIDTH, cell_values, fit, layout_columns
from closetui.ui.list.prompt import LineEdit
from closetui.ui.list.rows import ListRow

StyleOf = Callable[[str], Style]
"""A part's name (``plain``, ``bar``...: a component class ``opportunity-list--NAME``) -> its
rich style."""

DRAFT_GLYPH = "●"
"""First mark cell: the row has an unsent draft."""
CHANGED_GLYPH = "↻"
"""First mark cell, when no draft: someone else changed the row since the list loaded."""
MARK_GLYPH = "▌"
"""Second mark cell: the row is marked (readable without colour)."""


def header(width: int, order_by: str, style: Style) -> Strip:
    """The column titles, with an arrow on the sorted column."""
    field = order_by.lstrip("-")
    arrow = "▼" if order_by.startswith("-") else "▲"
    segments = [Segment(" " * MARK_WIDTH, style)]
    for column, size in layout_columns(width):
        title = column.title + (arrow if column.sort_field == field else "")
        segments += [Segment(fit(title, size, column.right), style), Segment(" ", style)]
    return Strip(segments).adjust_cell_length(width, style)


def message(text: str, width: int, style: Style) -> Strip:
    """One line of text (loading, empty, failed)."""
    return Strip([Segment(set_cell_size(text, width), style)], width)


def row_cells(
    row: ListRow,
    width: int,
    style_of: StyleOf,
    *,
    drafted: bool,
    marked: bool,
    changed: bool = False,
) -> Strip:
    """One opportunity's line: draft dot (or changed mark), mark bar, then the columns."""
    plain = style_of("plain")
    values = cell_values(row)
    first = (
        Segment(DRAFT_GLYPH, style_of("mark"))
        if drafted
        else Segment(CHANGED_GLYPH, style_of("mark"))
        if changed
        else Segment(" ", plain)
    )
    segments = [
        first,
        Segment(MARK_GLYPH, style_of("marked")) if marked else Segment(" ", plain),
    ]
    for column, size in layout_columns(width):
        text, kind = values[column.key]
        cell = Segment(fit(text, size, column.right), style_of(kind))
        segments += [cell, Segment(" ", plain)]
    return Strip(segments, width)


@dataclass(frozen=True, slots=True)
class BarState:
    """What the list's bar reports."""

    filter_text: str
    filter_active: bool
    shown: int
    """Rows the filter lets through."""
    loaded: int
    """Rows loaded so far (the filter sees only these)."""
    total: int | None
    """Rows the server says match."""
    marked: int
    ranging: bool
    note: str = ""
    """A passing remark (e.g. what ``*`` just marked)."""


def bar_text(state: BarState, width: int = 1000) -> str:
    """``filter "acme" · 12 of 1,234 loaded (100,000 in all) · 3 marked``; the server's
    total is left out when the line would not fit ``width``."""
    parts: list[str] = []
    in_all = ""
    if state.filter_active:
        parts.append(
            f'filter "{state.filter_text.strip()}" · {state.shown:,} of {state.loaded:,} loaded'
        )
        if state.total is not None and state.loaded < state.total:
            in_all = f" ({state.total:,} in all)"
    if state.marked or state.ranging:
        parts.append(f"{state.marked:,} marked")
    if state.ranging:
        parts.append("range: V ends")
    if state.note:
        parts.append(state.note)
    text = " · ".join(parts)
    if in_all and len(text) + len(in_all) <= width:
        text = text.replace(" loaded", " loaded" + in_all, 1)
    return text


def prompt_text(state: BarState) -> str:
    """What follows the prompt while typing: counts, then the keys."""
    if state.filter_active:
        counts = f"{state.shown:,} of {state.loaded:,} loaded"
    else:
        counts = f"type to filter the {state.loaded:,} loaded rows"
    if state.total is not None and state.loaded < state.total:
        counts += f" ({state.total:,} in all)"
    marked = f" · {state.marked:,} marked" if state.marked else ""
    return f"{counts}{marked} · enter keeps · esc clears"


def bar(state: BarState, prompt: LineEdit | None, width: int, style_of: StyleOf) -> Strip:
    """The bar under the rows: the filter prompt while typing, else the filter and marks."""
    style = style_of("bar")
    if prompt is None:
        return message(" " + bar_text(state, width - 1), width, style)
    cursor = style_of("bar-cursor")
    muted = style_of("bar-muted")
    text, at = prompt.text, prompt.cursor
    segments = [
        Segment(" /" + text[:at], style),
        Segment(text[at : at + 1] or " ", cursor),
        Segment(text[at + 1 :], style),
    ]
    segments.append(Segment("   " + prompt_text(state), muted))
    strip = Strip(segments)
    start = max(0, cell_len(" /" + text[:at]) + 1 - width)  # a long filter: keep the cursor
    if start:
        strip = strip.crop(start, start + width)
    return strip.adjust_cell_length(width, style)
