"""Sending many requests: a progress bar, each row's outcome as it arrives, retry and verify."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label, ProgressBar

from closetui.bulk import (
    DEFAULT_CONCURRENCY,
    BulkResult,
    retry_failed,
    send_bulk,
    send_stale_anew,
    verify_unknown,
)
from closetui.display.sending import map_field_errors
from closetui.ui.bound_keys import move_cursor
from closetui.ui.screens.bulk_rows import OUTCOME_STYLE, OUTCOME_TEXT, PAINT_EVERY, put_cell
from closetui.ui.screens.review import plural
from closetui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from datetime import datetime

    from textual.timer import Timer

    from closetui.api.client import CloseClient
    from closetui.bulk import (
        Job,
        RowResult,
    )
    from closetui.edits import OrgSchema
    from closetui.state import History

Step = Literal["send", "retry", "verify", "anew"]


class BulkProgressScreen(Screen[BulkResult | None]):
    """Sends jobs with :func:`closetui.bulk.send_bulk` in a worker (group ``bulk``).

    Shows a progress bar counting rows, one table row per job with its outcome as it
    arrives (saved / failed and why / unknown / changed by someone else / not sent) and
    the rate-limit pauses. ``esc`` cancels: requests in flight finish, the rest become
    ``not_sent`` — nothing is ever sent twice. At the end: the summary, ``r`` retries the
    failures (and the not-sent rows after a cancel), ``v`` checks the unknown rows, and
    ``esc`` closes, dismissing with the final :class:`BulkResult` (None only if the
    sender itself broke), so the caller can refresh its rows and drop drafts::

        progress = BulkProgressScreen(
            "Set status", plan.jobs, client, history=main.history.history, schema=schema
        )
        main.app.push_screen(
            progress, lambda result: result and apply_result(main, result, drop_drafts=True)
        )

    (``closetui.ui.flows.revert_flow.apply_result`` puts each saved row's new version in the
    list and the open editor.) Rows someone changed meanwhile come back ``stale`` with
    what they changed, and are not sent; ``batch`` continues an earlier batch (one undo).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="bulk.cancel"),
        Binding("escape,q", "close", "Close", id="bulk.close"),
        Binding("r", "retry", "Retry failed", id="bulk.retry"),
        Binding("v", "verify", "Check unknown", id="bulk.verify"),
        Binding("s", "anew", "Apply to their version", id="bulk.anew"),
        Binding("j", "move(1)", "Down", show=False, id="bulk.down"),
        Binding("k", "move(-1)", "Up", show=False, id="bulk.up"),
    ]

    DEFAULT_CSS = """
    BulkProgressScreen > Vertical { padding: 0 1; background: $surface; }
    BulkProgressScreen #bulk-title { text-style: bold; color: $text-primary; width: 1fr; }
    BulkProgressScreen #bulk-bar { margin: 1 0 0 0; }
    BulkProgressScreen #bulk-pause { color: $text-warning; width: 1fr; }
    BulkProgressScreen #bulk-pause.-empty { display: none; }
    BulkProgressScreen #bulk-rows { height: 1fr; margin-top: 1; }
    BulkProgressScreen #bulk-summary { width: 1fr; text-style: bold; }
    BulkProgressScreen #bulk-summary.-error { color: $text-error; }
    """

    def __init__(
        self,
        title: str,
        jobs: Sequence[Job],
        client: CloseClient,
        *,
        history: History | None = None,
        schema: OrgSchema | None = None,
        guard_stale: bool = True,
        reverts: str | None = None,
        batch: str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        guard_since: Mapping[str, datetime] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.jobs = list(jobs)
        self.client = client
        self.history = history
        """Where every PUT is recorded (None: not recorded)."""
        self.schema = schema
        self.guard_stale = guard_stale
        """Re-read each row first and hold it back when someone changed it."""
        self.reverts = reverts
        """The history entry or batch an undo reverts (recorded on each entry)."""
        self.batch_id = batch
        """The batch to send under (None: a new one; pass the old one to continue it)."""
        self.concurrency = concurrency
        self.guard_since = guard_since
        """The server's time each row was read from a list page, by id: the first send
        guards those rows by chunks (retries re-read each row)."""
        self.rows: dict[int, RowResult] = {}
        """The latest result of each row, by job index."""
        self._unpainted: dict[int, RowResult] = {}
        self._paint_timer: Timer | None = None
        self.result: BulkResult | None = None
        """The final result (after the last send, retry or check)."""
        self.running = False
        """True while requests are going out."""
        self.cancel = asyncio.Event()
        self._styles: dict[str, Style] = {}
        self._styles_theme = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="bulk-title", markup=False)
            yield ProgressBar(total=len(self.jobs) or 1, show_eta=False, id="bulk-bar")
            yield Label("", id="bulk-pause", classes="-empty", markup=False)
            yield DataTable(id="bulk-rows", cursor_type="row", zebra_stripes=False)
            yield Label("", id="bulk-summary", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Opportunity", key="lead")
        table.add_column("Result", key="outcome")
        table.add_column("Detail", key="detail")
        for index, job in enumerate(self.jobs):
            name = Text(job.lead_name or job.opportunity_id)
            table.add_row(name, Text("waiting", "dim"), Text(""), key=str(index))
        table.focus()
        self._run("send")

    # -- the worker ----------------------------------------------------------------------

    @work(exclusive=True, group="bulk", exit_on_error=False)
    async def _run(self, step: Step) -> None:
        self._set_running(True)
        self.cancel = asyncio.Event()
        summary = self.query_one("#bulk-summary", Label)
        summary.remove_class("-error")
        summary.update("Checking the unknown rows…" if step == "verify" else "Sending… esc cancels")
        try:
            if step == "send":
                result = await send_bulk(
                    self.client,
                    self.jobs,
                    concurrency=self.concurrency,
                    cancel=self.cancel,
                    on_row=self._row_done,
                    on_pause=self._paused,
                    guard_stale=self.guard_stale,
                    schema=self.schema,
                    history=self.history,
                    batch=self.batch_id,
                    reverts=self.reverts,
                    guard_since=self.guard_since,
                )
            elif step == "retry":
                assert self.result is not None
                result = await retry_failed(
                    self.client,
                    self.result,
                    include_not_sent=bool(self.result.not_sent),
                    concurrency=self.concurrency,
                    cancel=self.cancel,
                    on_row=self._row_done,
                    on_pause=self._paused,
                    guard_stale=self.guard_stale,
                    schema=self.schema,
                    history=self.history,
                    reverts=self.reverts,
                )
            elif step == "anew":
                assert self.result is not None
                assert self.schema is not None
                result = await send_stale_anew(
                    self.client,
                    self.result,
                    self.schema,
                    concurrency=self.concurrency,
                    cancel=self.cancel,
                    on_row=self._row_done,
                    on_pause=self._paused,
                    history=self.history,
                    reverts=self.reverts,
                )
            else:
                assert self.result is not None
                result = await verify_unknown(self.client, self.result, self.schema)
        except Exception as exc:  # a bug in a callback, not a send outcome: say so
            summary.add_class("-error")
            summary.update(f"Stopped: {type(exc).__name__}: {exc}")
            self._set_running(False)
            return
        self.result = result
        for row in result.rows:
            self._row_done(row)
        self._paint()
        self._show_pause(None)
        self._set_running(False)
        summary.update(self._summary(result))

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.refresh_bindings()

    def _summary(self, result: BulkResult) -> str:
        hints: list[str] = []
        if result.failed or result.not_sent:
            hints.append("r retries " + ("them" if result.not_sent else "the failures"))
        if result.unknown:
            hints.append("v checks the unknown rows")
        if self._anew_rows(result):
            hints.append("s applies the edit to the versions they saved")
        hints.append("esc closes")
        stopped = "Cancelled: " if result.cancelled else ""
        return f"{stopped}{result.summary()}. " + " · ".join(hints)

    # -- rows ----------------------------------------------------------------------------

    def _row_done(self, row: RowResult) -> None:
        """One row's outcome (called by the sender as each one completes): shown with the
        others that came within :data:`PAINT_EVERY` (each paint redraws the table, on the
        loop that also paces the requests)."""
        self.rows[row.index] = row
        self._unpainted[row.index] = row
        if self._paint_timer is None:
            self._paint_timer = self.set_timer(PAINT_EVERY, self._paint)

    def _paint(self) -> None:
        """Show the rows that completed since the last paint."""
        self._paint_timer = None  # one still set finds nothing left to paint
        rows, self._unpainted = self._unpainted, {}
        if not rows:
            return
        self._show_pause(None)
        table = self.query_one(DataTable)
        for row in rows.values():
            key = str(row.index)
            style = self._style(OUTCOME_STYLE[row.outcome], bold=row.outcome != "ok")
            put_cell(table, key, "outcome", Text(OUTCOME_TEXT[row.outcome], style))
            put_cell(table, key, "detail", Text(self._detail(row)))
        self.query_one(ProgressBar).update(progress=self._settled())

    def _style(self, variable: str, *, bold: bool) -> Style:
        """A Rich style in a theme colour (cached per theme; dim when none is named)."""
        if self._styles_theme != self.app.theme:
            self._styles, self._styles_theme = {}, self.app.theme
        if variable not in self._styles:
            colour = None
            value = self.app.get_css_variables().get(variable, "") if variable else ""
            with contextlib.suppress(ColorParseError):
                colour = Color.parse(value).rich_color if value else None
            self._styles[variable] = Style(color=colour, dim=colour is None or None)
        return self._styles[variable] + Style(bold=bold or None)

    def _settled(self) -> int:
        """Rows with a final outcome (retried rows count again once they answer)."""
        return len(self.rows)

    def _detail(self, row: RowResult) -> str:
        if row.outcome == "ok":
            return row.message or (f"HTTP {row.status}" if row.status else "")
        if row.outcome == "stale" and row.stale is not None:
            names = self._labels(row.stale.changed_fields)
            what = ", ".join(names) if names else "it"
            return f"they changed {what} — not overwritten"
        if row.outcome == "failed" and row.field_errors and self.schema is not None:
            mapped = map_field_errors(self.schema, dict(row.field_errors))
            labels = dict(zip(mapped, self._labels(tuple(mapped)), strict=True))
            fields = "; ".join(f"{labels[k]}: {v}" for k, v in mapped.items())
            return f"{row.message} ({fields})" if row.message else fields
        return row.message

    def _labels(self, keys: tuple[str, ...]) -> list[str]:
        labels: list[str] = []
        for key in keys:
            spec = self.schema.spec_for_key(key) if self.schema is not None else None
            labels.append(spec.label if spec is not None else key)
        return labels

    def _paused(self, seconds: float) -> None:
        """The sender waits for the rate limit's reset."""
        self._show_pause(seconds)

    def _show_pause(self, seconds: float | None) -> None:
        pause = self.query_one("#bulk-pause", Label)
        if seconds is None:
            pause.add_class("-empty")
            return
        pause.update(f"Waiting {max(1, round(seconds))}s for the rate limit…")
        pause.remove_class("-empty")

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Cancel while sending; close, retry and verify once it is over."""
        result = self.result
        if action == "cancel":
            return self.running
        if action == "close":
            return not self.running
        if action == "retry":
            retriable = result is not None and bool(result.failed or result.not_sent)
            return not self.running and retriable
        if action == "verify":
            return not self.running and result is not None and bool(result.unknown)
        if action == "anew":
            return not self.running and result is not None and bool(self._anew_rows(result))
        return True

    def _anew_rows(self, result: BulkResult) -> list[RowResult]:
        """Stale rows the edit can be applied to again (they have a draft)."""
        if self.schema is None:
            return []
        return [row for row in result.stale if row.job.draft is not None]

    def action_cancel(self) -> None:
        """Start no more requests; those in flight finish (never cancelled mid-way)."""
        self.cancel.set()
        self.query_one("#bulk-summary", Label).update(
            "Cancelling: requests already on their way finish; the rest are not sent."
        )

    def action_close(self) -> None:
        """Back to where the send started, with the result."""
        self.dismiss(self.result)

    def action_retry(self) -> None:
        """Send the failed rows again (and the not-sent ones after a cancel)."""
        if self.result is not None:
            retried = self.result.failed + self.result.not_sent
            self._again("retry", retried, "retrying", f"Retrying {plural(len(retried), 'row')}")

    def action_anew(self) -> None:
        """Apply the edit to the versions someone else saved, and send those rows."""
        if self.result is not None:
            rows = self._anew_rows(self.result)
            doing = f"Applying the edit to {plural(len(rows), 'newer version')}"
            self._again("anew", rows, "applying again", doing)

    def _again(self, step: Step, rows: list[RowResult], state: str, doing: str) -> None:
        """Send ``rows`` once more: they show ``state`` and leave the count until they settle."""
        table = self.query_one(DataTable)
        for row in rows:
            self.rows.pop(row.index, None)
            table.update_cell(str(row.index), "outcome", Text(state, "dim"))
        self.query_one(ProgressBar).update(progress=self._settled())
        self.query_one("#bulk-summary", Label).update(f"{doing}… esc cancels")
        self._run(step)

    def action_verify(self) -> None:
        """Re-read the unknown rows: saved, or safe to retry."""
        self._run("verify")

    def action_move(self, step: int) -> None:
        """Move through the rows."""
        move_cursor(self.query_one(DataTable), step)
