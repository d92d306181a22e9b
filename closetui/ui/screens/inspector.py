"""The response inspector: status, timing, rate limit, headers, body (searchable), diff."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from closetui.ui.themes import variable_style
from closetui.ui.widgets.inputs import OrderedInput, steady
from closetui.ui.widgets.key_bar import KeyBar
from closetui.ui.widgets.request_preview import json_syntax

if TYPE_CHECKING:
    from closetui.api.exchange import Exchange
    from closetui.api.models import Opportunity
    from closetui.edits import OrgSchema


def opportunity_diff(before: Opportunity, after: Opportunity) -> list[tuple[str, Any, Any]]:
    """Every field whose JSON value differs, as ``(field, before, after)``, sorted."""
    old = before.model_dump(mode="json")
    new = after.model_dump(mode="json")
    return [
        (key, old.get(key), new.get(key))
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]


def _short(value: Any) -> str:
    if value is None:
        return "null"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def find_matches(lines: list[str], term: str) -> list[tuple[int, int]]:
    """(line, column) of every case-insensitive occurrence of ``term``."""
    if not term:
        return []
    needle = term.casefold()
    found: list[tuple[int, int]] = []
    for number, line in enumerate(lines):
        start = line.casefold().find(needle)
        while start != -1:
            found.append((number, start))
            start = line.casefold().find(needle, start + 1)
    return found


class InspectorScreen(Screen[None]):
    """What the API answered to one request, with the opportunity before -> after."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="inspector.close"),
        Binding("slash", "search", "Search", id="inspector.search"),
        Binding("n", "next_match(1)", "Next", id="inspector.next"),
        Binding("N", "next_match(-1)", "Previous", id="inspector.previous"),
        Binding("c", "copy_body", "Copy body", id="inspector.copy_body"),
        Binding("y,f7", "copy_curl", "Copy curl", id="inspector.copy_curl"),
        Binding("p", "pager", "Pager", show=False, id="inspector.pager"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="inspector.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="inspector.up"),
    ]

    DEFAULT_CSS = """
    InspectorScreen > VerticalScroll { padding: 0 1; background: $surface; }
    InspectorScreen .section { text-style: bold; color: $text-primary; margin-top: 1; }
    InspectorScreen Label { width: 1fr; }
    InspectorScreen #inspector-status { text-style: bold; }
    InspectorScreen #inspector-status.-ok { color: $text-success; }
    InspectorScreen #inspector-status.-failed { color: $text-error; }
    InspectorScreen #inspector-body { width: auto; min-width: 100%; }
    InspectorScreen > VerticalScroll { height: 1fr; }
    InspectorScreen #inspector-search, InspectorScreen #inspector-search:focus {
        display: none; height: 1; border: none; padding: 0 1;
    }
    InspectorScreen #inspector-search.-open { display: block; }
    InspectorScreen #inspector-found { height: 1; color: $text-muted; padding: 0 1; }
    InspectorScreen #inspector-found.-empty { display: none; }
    """

    def __init__(
        self,
        exchange: Exchange,
        before: Opportunity | None = None,
        after: Opportunity | None = None,
        schema: OrgSchema | None = None,
    ) -> None:
        super().__init__(id="inspector")
        self.exchange = exchange
        self.before = before
        self.after = after
        self.schema = schema
        data = exchange.json_body()
        text = json.dumps(data, indent=2, ensure_ascii=False) if data is not None else None
        self.body_text = text if text is not None else exchange.body_text()
        self.body_lines = self.body_text.splitlines()
        self.term = ""
        self.matches: list[tuple[int, int]] = []
        self.current = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="inspector-scroll"):
            yield Label(self._status_line(), id="inspector-status", markup=False)
            yield Label(self._request_line(), id="inspector-request", markup=False)
            yield Label(self._rate_line(), id="inspector-rate", markup=False)
            yield Label("Changes (before → after)", classes="section")
            yield Static(self._diff(), id="inspector-diff")
            yield Label("Response headers", classes="section")
            yield Static(self._headers(), id="inspector-headers")
            yield Label("Body", classes="section")
            yield Static(id="inspector-body")
        yield Label("", id="inspector-found", markup=False)
        yield steady(
            OrderedInput(placeholder="search the body, enter to keep", id="inspector-search")
        )
        yield KeyBar()

    def on_mount(self) -> None:
        ok = self.exchange.ok
        self.query_one("#inspector-status").add_class("-ok" if ok else "-failed")
        self._render_body()
        self.query_one(VerticalScroll).focus()
        # The diff's colours are theme variables resolved into Rich styles: redo on a switch.
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        def recolour() -> None:
            if not self.is_attached:
                return
            self.query_one("#inspector-diff", Static).update(self._diff())
            self._render_body()

        self.call_after_refresh(recolour)

    def _status_line(self) -> str:
        ex = self.exchange
        if ex.status is None:
            return f"No answer: {ex.error or 'transport failure'} after {ex.elapsed * 1000:.0f} ms"
        attempt = f" · attempt {ex.attempt}" if ex.attempt > 1 else ""
        return f"HTTP {ex.status} in {ex.elapsed * 1000:.0f} ms{attempt}"

    def _request_line(self) -> str:
        req = self.exchange.request
        return f"{req.method} {req.url}  (X-TZ-Offset: {req.header('x-tz-offset') or '—'})"

    def _rate_line(self) -> str:
        rate = self.exchange.rate_limit
        if rate is None:
            return "Rate limit: no headers"
        reset = f"{rate.reset:g}s" if rate.reset is not None else "—"
        return f"Rate limit: {rate.remaining}/{rate.limit} left, resets in {reset}"

    def _diff(self) -> Table | Text:
        if self.before is None:
            return Text("No opportunity was sent in this exchange.", "dim")
        if self.after is None:
            return Text("Nothing changed: the request was not accepted; the draft is kept.", "dim")
        body = self.exchange.request.json_body()
        sent = {key.removesuffix(".add").removesuffix(".remove") for key in body or {}}
        # What the request asked for first, then what the server derived from it.
        rows = sorted(self.diff_rows(), key=lambda r: (r[0] not in sent, r[0]))
        if not rows:
            return Text("No field changed.", "dim")
        table = Table.grid(padding=(0, 1))
        table.add_column("field", no_wrap=True)
        table.add_column("before")
        table.add_column("", no_wrap=True)
        table.add_column("after")
        removed = variable_style(self.app, "diff-removed", strike=True)
        added = variable_style(self.app, "diff-added", bold=True)
        for key, old, new in rows:
            name = Text(key, "bold" if key in sent else "dim")
            table.add_row(name, Text(_short(old), removed), "→", Text(_short(new), added))
        return table

    def diff_rows(self) -> list[tuple[str, Any, Any]]:
        """The opportunity's changed fields (empty when nothing was saved)."""
        if self.before is None or self.after is None:
            return []
        return opportunity_diff(self.before, self.after)

    def _headers(self) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column("name", style="bold", no_wrap=True)
        table.add_column("value")
        for name, value in self.exchange.response_headers:
            table.add_row(Text(name), Text(value))  # Text: the server's words are not markup
        return table

    def _render_body(self) -> None:
        body = self.query_one("#inspector-body", Static)
        syntax = json_syntax(body, self.body_text or "(empty body)", line_numbers=True)
        for index, (line, column) in enumerate(self.matches):
            style = "reverse bold" if index == self.current else "reverse"
            syntax.stylize_range(style, (line + 1, column), (line + 1, column + len(self.term)))
        body.update(syntax)
        found = self.query_one("#inspector-found", Label)
        found.set_class(not self.term, "-empty")
        if self.term:
            count = len(self.matches)
            where = f"{self.current + 1}/{count}" if count else "no matches"
            found.update(f"/{self.term}: {where} (n next, N previous)")
        else:
            found.update("")

    def action_search(self) -> None:
        """Search the body (``/``)."""
        search = self.query_one("#inspector-search", Input)
        search.add_class("-open")
        search.value = self.term
        search.focus()

    @on(Input.Changed, "#inspector-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.term = event.value
        self.matches = find_matches(self.body_lines, self.term)
        self.current = 0
        self._render_body()
        self._show_current()

    @on(Input.Submitted, "#inspector-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.input.remove_class("-open")
        self.query_one(VerticalScroll).focus()

    def action_next_match(self, step: int) -> None:
        """Next (1) or previous (-1) match."""
        if self.matches:
            self.current = (self.current + step) % len(self.matches)
            self._render_body()
            self._show_current()

    def _show_current(self) -> None:
        if not self.matches:
            return
        line = self.matches[self.current][0]
        body = self.query_one("#inspector-body", Static)
        scroll = self.query_one(VerticalScroll)
        top = body.virtual_region.y + line - scroll.scrollable_content_region.height // 2
        scroll.scroll_to(y=max(0, top), animate=False)

    def action_copy_body(self) -> None:
        """Copy the response body."""
        self.app.copy_to_clipboard(self.body_text)
        self.notify("Copied the response body.", timeout=3)

    def action_pager(self) -> None:
        """The exchange in the user's pager ($PAGER): status, the redacted request line,
        the response headers and the pretty body."""
        from closetui.ui.terminal import page_externally

        page_externally(self, self.pager_text(), suffix=".txt")

    def pager_text(self) -> str:
        """What the pager shows: the lines above the body as the screen shows them (the
        request redacted), the response headers, then the body."""
        headers = "\n".join(f"{name}: {value}" for name, value in self.exchange.response_headers)
        lines = [self._status_line(), self._request_line(), self._rate_line(), "", headers]
        return "\n".join([*lines, "", self.body_text or "(empty body)", ""])

    def action_copy_curl(self) -> None:
        """Copy the request as curl (credential from $CLOSE_API_KEY, never the key)."""
        self.app.copy_to_clipboard(self.exchange.request.to_curl())
        self.notify("Copied the request as curl (credential redacted).", timeout=3)

    def action_scroll(self, lines: int) -> None:
        """Scroll."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        """Back to the main screen (or close the search box first)."""
        search = self.query_one("#inspector-search", Input)
        if search.has_class("-open"):
            search.remove_class("-open")
            self.query_one(VerticalScroll).focus()
            return
        self.dismiss(None)
