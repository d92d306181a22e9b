"""Review many requests before they go: each one's field changes and its exact JSON body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label, Static

from closetui.display.changes import body_changes
from closetui.ui.bound_keys import move_cursor
from closetui.ui.themes import variable_style
from closetui.ui.widgets.key_bar import KeyBar
from closetui.ui.widgets.request_preview import SHOWN_HEADERS, json_syntax

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.exchange import RequestView
    from closetui.bulk import BulkPlan, Job
    from closetui.display.changes import FieldChange
    from closetui.edits import OrgSchema


def plan_skipped(plan: BulkPlan) -> list[str]:
    """The rows of ``plan`` that will not be sent, each with why (for ``skipped=``)."""
    lines = [
        f"{row.opportunity.lead_name or row.opportunity.id}: unchanged — already so"
        for row in plan.unchanged
    ]
    lines += [
        f"{row.opportunity.lead_name or row.opportunity.id}: not valid — {row.message}"
        for row in plan.invalid
    ]
    return lines


def plural(count: int, word: str) -> str:
    """``1 request`` / ``3 requests``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


class ReviewScreen(Screen[bool]):
    """Every request of a bulk send (or an undo) before it goes out.

    Lists each request (lead, method and URL), shows the selected one's field changes
    (old → new, against its job's ``before``) and its exact body and headers as built by
    the client (credential redacted), plus the rows that will not be sent and why.
    Dismisses with True to send, False to cancel. Read-only connections never push it.

    Reuse it for any batch of :class:`closetui.bulk.Job`::

        review = ReviewScreen(
            "Set status: 12 requests", plan.jobs, schema, client,
            skipped=plan_skipped(plan), notes=[plan.summary()],
        )
        self.app.push_screen(review, lambda go: go and self.app.push_screen(progress))
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r,f5", "confirm", "Send", priority=True, id="review.send"),
        Binding("escape", "cancel", "Cancel", id="review.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="review.down"),
        Binding("k", "move(-1)", "Up", show=False, id="review.up"),
    ]

    DEFAULT_CSS = """
    ReviewScreen > Vertical { padding: 0 1; background: $surface; }
    ReviewScreen #review-title { text-style: bold; color: $text-primary; width: 1fr; }
    ReviewScreen #review-summary { color: $text-muted; width: 1fr; }
    ReviewScreen #review-jobs { height: auto; max-height: 35%; margin-top: 1; }
    ReviewScreen #review-notes { height: auto; max-height: 7; color: $text-warning; }
    ReviewScreen #review-notes.-empty { display: none; }
    ReviewScreen #review-detail { height: 1fr; border-top: solid $panel-lighten-2; }
    ReviewScreen .section { text-style: bold; color: $text-primary; }
    ReviewScreen #review-changes, ReviewScreen #review-request { width: 1fr; }
    ReviewScreen #review-buttons { height: 1; margin-top: 1; }
    ReviewScreen #review-buttons Button { margin-right: 2; }
    """

    def __init__(
        self,
        title: str,
        jobs: Sequence[Job],
        schema: OrgSchema | None,
        client: CloseClient,
        *,
        skipped: Sequence[str] = (),
        notes: Sequence[str] = (),
        confirm_label: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        """The heading (e.g. ``Undo: 3 requests``)."""
        self.jobs = list(jobs)
        """The requests to send, in order."""
        self.schema = schema
        self.client = client
        self.skipped = list(skipped)
        """Rows that will not be sent, each with its reason."""
        self.notes = list(notes)
        """Anything else to know first (e.g. fields an undo cannot restore)."""
        self.confirm_label = confirm_label or f"Send {plural(len(self.jobs), 'request')}"
        self.selected = 0
        """Index of the job whose changes and body are shown."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="review-title", markup=False)
            yield Label(self._summary(), id="review-summary", markup=False)
            with VerticalScroll(id="review-notes"):
                yield Static(self._notes(), id="review-notes-text")
            yield DataTable(id="review-jobs", cursor_type="row", zebra_stripes=False)
            with VerticalScroll(id="review-detail"):
                yield Label("Changes (before → after)", classes="section")
                yield Static(id="review-changes")
                yield Label("Request", classes="section")
                yield Static(id="review-request")
            with Horizontal(id="review-buttons"):
                yield Button(
                    self.confirm_label,
                    id="review-confirm",
                    variant="primary",
                    compact=True,
                    disabled=not self.jobs,
                )
                yield Button("Cancel", id="review-cancel", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#review-notes").set_class(not (self.notes or self.skipped), "-empty")
        table = self.query_one(DataTable)
        table.add_column("Opportunity", key="lead")
        table.add_column("Request", key="request")
        for index, job in enumerate(self.jobs):
            request = self.client.build_update_request(job.opportunity_id, job.body)
            name = job.lead_name or job.opportunity_id
            table.add_row(Text(name), Text(f"{request.method} {request.url}"), key=str(index))
        table.focus()
        self._show(0)

    def _summary(self) -> str:
        parts = [f"{plural(len(self.jobs), 'request')} to send"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} not sent (listed above the requests)")
        keys = "j/k moves · ctrl+r sends · esc cancels"
        return " · ".join(parts) + " — " + keys if self.jobs else "Nothing to send. esc goes back"

    def _notes(self) -> Text:
        text = Text()
        for line in self.notes:
            text.append("\u2139 " + line + "\n")
        for line in self.skipped:
            text.append("· " + line + "\n")
        text.rstrip()
        return text

    # -- the selected request ------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#review-jobs")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def _show(self, index: int) -> None:
        changes = self.query_one("#review-changes", Static)
        request = self.query_one("#review-request", Static)
        if not self.jobs:
            changes.update(Text("No request to send.", "dim"))
            request.update("")
            return
        self.selected = max(0, min(index, len(self.jobs) - 1))
        changes.update(self._changes(self.selected))
        request.update(self._request(self.selected))

    def changes_for(self, index: int) -> list[FieldChange]:
        """The field changes of one request (against its job's ``before``)."""
        job = self.jobs[index]
        return body_changes(job.before, job.body, self.schema)

    def view_for(self, index: int) -> RequestView:
        """One request exactly as it will be sent, credential redacted."""
        job = self.jobs[index]
        return self.client.describe(self.client.build_update_request(job.opportunity_id, job.body))

    def _changes(self, index: int) -> RenderableType:
        rows = self.changes_for(index)
        if not rows:
            return Text("The body changes no known field.", "dim")
        table = Table.grid(padding=(0, 1))
        table.add_column("field", no_wrap=True, style="bold")
        table.add_column("before")
        table.add_column("", no_wrap=True)
        table.add_column("after")
        removed = variable_style(self.app, "diff-removed", strike=True)
        added = variable_style(self.app, "diff-added", bold=True)
        for row in rows:
            table.add_row(row.label, Text(row.old, removed), "→", Text(row.new, added))
        return table

    def _request(self, index: int) -> RenderableType:
        view = self.view_for(index)
        head = Text()
        head.append(view.method, "bold")
        head.append(" " + view.url + "\n")
        for name, value in view.headers:
            if name.lower() in SHOWN_HEADERS:
                head.append(f"{name}: ", "bold")
                head.append(value + "\n")
        body = self.query_one("#review-request", Static)
        return Group(head, json_syntax(body, view.body_text() or "{}", word_wrap=True))

    # -- actions -------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Select the next (1) or previous (-1) request."""
        move_cursor(self.query_one(DataTable), step)

    def action_confirm(self) -> None:
        """Send them (dismiss with True)."""
        if not self.jobs:
            self.notify("Nothing to send.", severity="warning", timeout=3)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Send nothing (dismiss with False)."""
        self.dismiss(False)

    @on(Button.Pressed, "#review-confirm")
    def _confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#review-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
