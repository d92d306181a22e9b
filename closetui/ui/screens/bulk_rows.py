"""How the bulk progress screen's rows read: outcome texts and colours, and cell updates."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

OUTCOME_TEXT = {
    "ok": "saved",
    "failed": "failed",
    "unknown": "unknown",
    "stale": "changed by someone else",
    "not_sent": "not sent",
}
"""How each outcome reads in the table."""

OUTCOME_STYLE = {
    "ok": "text-success",
    "failed": "text-error",
    "unknown": "text-warning",
    "stale": "text-warning",
    "not_sent": "",
}
"""Theme variable colouring each outcome (none: dim)."""

PAINT_EVERY = 0.25
"""Seconds between two paints of the rows that completed while sending."""


def put_cell(table: DataTable[Text], row: str, column: str, text: Text) -> None:
    """Update one cell; widen its column only for a wider text (a narrower one would
    make the table measure the whole column again, on every row)."""
    current = table.columns.get(ColumnKey(column))
    wider = current is None or text.cell_len > current.content_width
    table.update_cell(row, column, text, update_width=wider)
