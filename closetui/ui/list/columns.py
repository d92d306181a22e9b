"""The list's columns: which fit a width, how each cell reads (pure, no textual)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len, set_cell_size

from closetui.display import format as fmt
from closetui.ui.list.rows import ListRow

SORT_FIELDS: tuple[tuple[str, str], ...] = (
    ("date_updated", "-"),
    ("value", "-"),
    ("confidence", "-"),
    ("user_name", ""),
    ("date_won", "-"),
    ("date_created", "-"),
)
"""Fields Close can order by (``_order_by``), each with its natural direction."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the list."""

    key: str
    title: str
    width: int
    """Cells; the lead column takes what is left, at least this many."""
    right: bool = False
    sort_field: str | None = None
    drop_order: int = 0
    """Columns with a higher number go first when the list is too narrow."""


COLUMNS: tuple[Column, ...] = (
    Column("lead", "Lead", 14),
    Column("status", "Status", 15),
    Column("value", "Value", 14, right=True, sort_field="value", drop_order=1),
    Column("confidence", "Conf", 5, right=True, sort_field="confidence", drop_order=3),
    Column("owner", "Owner", 13, sort_field="user_name", drop_order=5),
    Column("won", "Won", 10, sort_field="date_won", drop_order=4),
    Column("updated", "Updated", 10, sort_field="date_updated", drop_order=6),
)
"""Every column, in display order."""

MARK_WIDTH = 2
"""The leftmost cells: a dot on rows that have an unsent draft, then the mark bar."""


@lru_cache(maxsize=16)  # pure, and asked once per painted line
def layout_columns(width: int) -> tuple[tuple[Column, int], ...]:
    """The columns that fit in ``width`` cells, with their widths (the lead column flexes)."""
    shown = list(COLUMNS)
    for column in sorted(COLUMNS, key=lambda c: -c.drop_order):
        needed = MARK_WIDTH + sum(c.width + 1 for c in shown)
        if needed <= width or column.drop_order == 0:
            break
        shown.remove(column)
    fixed = MARK_WIDTH + sum(c.width + 1 for c in shown if c.key != "lead")
    lead_width = max(COLUMNS[0].width, width - fixed - 1)
    return tuple((c, lead_width if c.key == "lead" else c.width) for c in shown)


def cell_values(row: ListRow) -> dict[str, tuple[str, str]]:
    """Each column's text and style kind: ``plain``/``muted``, or the status kind of the row
    (``active``/``won``/``lost``) for the status and won-date cells."""
    kind = fmt.status_kind(row)
    return {
        "lead": (row.lead_name, "plain"),
        "status": (fmt.status_text(row), kind),
        "value": (fmt.money(row.value, row.value_currency, row.value_period), "plain"),
        "confidence": (fmt.confidence(row.confidence), "plain"),
        "owner": (row.user_name or "", "muted"),
        "won": (fmt.short_date(row.date_won), "won" if kind == "won" else "muted"),
        "updated": (fmt.short_date(row.date_updated), "muted"),
    }


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, padded left or right."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 1 else ""
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad
