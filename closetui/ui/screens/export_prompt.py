"""Export rows: which file (format by extension), loading progress, no silent overwrite."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label
from textual.worker import Worker

from closetui.export import Row, format_of, write_rows

Progress = Callable[[int, int], None]
"""``(rows loaded, rows in all)`` while the rows to export are being gathered."""
Collect = Callable[[Progress], Awaitable[Sequence[Row]]]
"""Gathers the rows to export (loading what is missing); raises :class:`ExportStopped`."""


class ExportStopped(Exception):
    """The rows could not be gathered; the message says why (shown in the dialog)."""


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote."""

    path: Path
    rows: int


def write_file(path: Path, rows: Sequence[Row], *, overwrite: bool) -> int:
    """Write ``rows`` to ``path`` in the format of its extension; the rows written.

    Without ``overwrite`` an existing file is never replaced (FileExistsError), even one
    that appeared after the user was asked.
    """
    kind = format_of(path)
    if kind is None:
        raise ValueError(f"{path.name}: not a .csv, .ndjson or .json file")
    with path.open("w" if overwrite else "x", encoding="utf-8", newline="") as out:
        return write_rows(kind, rows, out)


class ExportScreen(ModalScreen[Exported | None]):
    """Asks where to write, then gathers the rows (``collect``: progress shown, ``esc``
    stops it) and writes them. An existing file is replaced only after a second ``enter``
    on the same path. Dismisses with :class:`Exported`, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80;
        max-width: 100%;
        height: auto;
        background: $panel;
        border: round $primary;
        padding: 0 1;
    }
    ExportScreen #export-title { text-style: bold; color: $text-primary; width: 1fr; }
    ExportScreen #export-what { color: $text-muted; width: 1fr; }
    ExportScreen #export-hint { color: $text-muted; width: 1fr; }
    ExportScreen #export-hint.-warning { color: $text-warning; }
    ExportScreen #export-hint.-error { color: $text-error; }
    """

    HINT = "enter writes · the extension picks the format: .csv, .ndjson, .json · esc cancels"

    def __init__(self, default: Path, what: str, collect: Collect) -> None:
        super().__init__()
        self.default = default
        self.what = what
        """Which rows, in words (``the 3 marked rows``)."""
        self.collect = collect
        self._confirmed: Path | None = None
        """The existing file the user agreed to replace (a second enter on it)."""
        self._job: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Export rows", id="export-title")
            yield Label(f"Writes {self.what}.", id="export-what", markup=False)
            yield Input(str(self.default), id="export-path")
            yield Label(self.HINT, id="export-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def hint(self, text: str, severity: str = "") -> None:
        """Say something under the path (``warning`` / ``error`` colour it)."""
        label = self.query_one("#export-hint", Label)
        label.update(text)
        label.set_class(severity == "warning", "-warning")
        label.set_class(severity == "error", "-error")

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._job is not None:
            return  # already exporting
        text = event.value.strip()
        path = Path(text).expanduser() if text else None
        if path is None or format_of(path) is None:
            self.hint("Name a .csv, .ndjson (or .jsonl) or .json file.", "error")
            return
        if not path.parent.is_dir():
            self.hint(f"No such folder: {path.parent}", "error")
            return
        if path.is_dir():
            self.hint(f"{path} is a folder: name a file in it.", "error")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self.hint(f"{path.name} exists: enter again replaces it, esc keeps it.", "warning")
            return
        self.query_one(Input).disabled = True
        self._job = self._export(path, overwrite=self._confirmed == path)

    def _progress(self, done: int, total: int) -> None:
        self.hint(f"Loading rows: {done:,} of {total:,}… esc stops", "")

    @work(exclusive=True, group="export", exit_on_error=False)
    async def _export(self, path: Path, *, overwrite: bool) -> None:
        try:
            rows = await self.collect(self._progress)
        except ExportStopped as exc:
            self._failed(str(exc))
            return
        self.hint(f"Writing {len(rows):,} rows…")
        try:
            count = await asyncio.to_thread(write_file, path, rows, overwrite=overwrite)
        except FileExistsError:
            self._confirmed = None
            self._failed(f"{path.name} appeared meanwhile: enter again to replace it.")
            return
        except (OSError, ValueError) as exc:
            self._failed(f"Could not write {path}: {exc}")
            return
        self.dismiss(Exported(path, count))

    def _failed(self, message: str) -> None:
        self._job = None
        self.query_one(Input).disabled = False
        self.query_one(Input).focus()
        self.hint(message, "error")

    def action_cancel(self) -> None:
        """Stop loading (nothing is written) or close the dialog."""
        if self._job is not None:
            self._job.cancel()
        self.dismiss(None)
