"""Opportunities as CSV, NDJSON or JSON text: the export shared by ``closetui list`` and the app."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any, Literal, TextIO

ExportFormat = Literal["csv", "ndjson", "json"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "ndjson", "json")
"""Every file format an export can write."""

COLUMNS: tuple[str, ...] = (
    "id",
    "lead_name",
    "status",
    "status_type",
    "value",
    "value_currency",
    "value_period",
    "confidence",
    "owner",
    "date_won",
    "date_updated",
)
"""The columns of a row, in order: what the list shows, with values as the API has them
(``value`` in cents, dates ``YYYY-MM-DD``, ``owner`` the user's name)."""

Row = Mapping[str, str | int | None]
"""One opportunity as a row: :data:`COLUMNS` to values (None: empty)."""

_SUFFIXES: dict[str, ExportFormat] = {
    ".csv": "csv",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "json",
}


def format_of(path: str | PurePath) -> ExportFormat | None:
    """The format a file name asks for by its extension (``.csv``, ``.ndjson`` / ``.jsonl``,
    ``.json``); None for any other."""
    return _SUFFIXES.get(PurePath(path).suffix.lower())


def write_csv(rows: Iterable[Row], out: TextIO) -> int:
    """A header line, then one line per row (RFC 4180 quoting); the rows written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: "" if row.get(key) is None else row.get(key) for key in COLUMNS})
        count += 1
    return count


def write_ndjson(items: Iterable[Any], out: TextIO) -> int:
    """One JSON value per line (newline-delimited JSON); the items written."""
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def write_json(items: Iterable[Any], out: TextIO) -> int:
    """One indented JSON list; the items written."""
    values = list(items)
    out.write(json.dumps(values, indent=2, ensure_ascii=False) + "\n")
    return len(values)


def write_rows(kind: ExportFormat, rows: Iterable[Row], out: TextIO) -> int:
    """Rows in ``kind``: CSV lines, or each row as a JSON object with the CSV's columns."""
    if kind == "csv":
        return write_csv(rows, out)
    objects = ({key: row.get(key) for key in COLUMNS} for row in rows)
    return write_ndjson(objects, out) if kind == "ndjson" else write_json(objects, out)
