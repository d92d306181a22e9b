"""The virtual opportunity list: a line-API ScrollView over pages fetched on demand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from closetui.api.errors import CloseError
from closetui.api.models import Opportunity, OpportunityPage
from closetui.ui.columns import MARK_WIDTH, SORT_FIELDS, cell_values, fit, layout_columns
from closetui.ui.pages import PageCache

PageSource = Callable[[str, int, int], Awaitable[OpportunityPage]]
"""Fetches one page: ``(order_by, skip, limit) -> OpportunityPage``."""

MAX_IN_FLIGHT = 2
"""Most page requests under way at once (the rest wait for a free slot)."""


class OpportunityList(ScrollView, can_focus=True):
    """Every opportunity of a query, one line each; only the visible pages are fetched.

    The parent sets :attr:`source`; the list posts :class:`OpportunityHighlighted` and
    :class:`OpportunitySelected`, and :class:`Loaded` / :class:`LoadFailed` as pages arrive.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("enter,e", "open", "Edit", id="list.open"),
        Binding("s", "open(True)", "Status", id="list.status"),
        Binding("o", "cycle_sort", "Sort", id="list.sort"),
        Binding("O", "flip_sort", "Reverse sort", show=False, id="list.sort_direction"),
        Binding("r", "reload", "Refresh", id="list.refresh"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"opportunity-list--{name}"  # the cell kinds of columns.cell_values, then the rest
        for name in "plain muted active won lost header cursor cursor-blurred error mark".split()  # noqa: SIM905
    }

    DEFAULT_CSS = """
    OpportunityList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    OpportunityList > .opportunity-list--header {
        color: $text-primary;
        text-style: bold;
    }
    OpportunityList > .opportunity-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    OpportunityList > .opportunity-list--cursor-blurred {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    OpportunityList > .opportunity-list--plain { color: $foreground; }
    OpportunityList > .opportunity-list--active { color: $status-active; }
    OpportunityList > .opportunity-list--won { color: $status-won; }
    OpportunityList > .opportunity-list--lost { color: $status-lost; }
    OpportunityList > .opportunity-list--muted { color: $text-muted; }
    OpportunityList > .opportunity-list--error { color: $text-error; }
    OpportunityList > .opportunity-list--mark { color: $text-warning; }
    """

    cursor: reactive[int] = reactive(0, repaint=False)
    """Index of the highlighted row."""
    order_by: reactive[str] = reactive("-date_updated")
    """The server-side sort (``_order_by``): a field, ``-`` prefixed for descending."""

    class OpportunityHighlighted(Message):
        """The cursor moved onto a loaded opportunity."""

        def __init__(self, opportunity: Opportunity, index: int) -> None:
            super().__init__()
            self.opportunity = opportunity
            self.index = index

    class OpportunitySelected(Message):
        """The user asked to edit an opportunity (enter / e / click; s: its status)."""

        def __init__(self, opportunity: Opportunity, index: int, status: bool = False) -> None:
            super().__init__()
            self.opportunity = opportunity
            self.index = index
            self.status = status
            """True when the status picker should open at once."""

    class Loaded(Message):
        """A page arrived; ``total`` is the number of matching opportunities."""

        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    class LoadFailed(Message):
        """A page could not be fetched; ``message`` says why."""

        def __init__(self, message: str, first_page: bool) -> None:
            super().__init__()
            self.message = message
            self.first_page = first_page

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source: PageSource | None = None
        """Where pages come from; set by the parent, then call :meth:`reload`."""
        self.drafted: frozenset[str] = frozenset()
        """Ids of opportunities with an unsent draft (marked with a dot)."""
        self.cache = PageCache()
        self._failure: str | None = None

    # -- data ----------------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """Matching opportunities; None until the first page is here."""
        return self.cache.total

    @property
    def highlighted(self) -> Opportunity | None:
        """The opportunity under the cursor, when its page is loaded."""
        return self.cache.row(self.cursor) if self.cache.total else None

    def reload(self) -> None:
        """Forget every row and fetch the first page again (the list says it is loading)."""
        generation = self.cache.reset()
        self._failure = None
        self.cache.loading.add(0)
        self._update_virtual_size()
        self.refresh()
        self.run_worker(
            self._fetch(0, generation, first=True),
            group="list-reload",
            exclusive=True,
            exit_on_error=False,
        )

    def replace(self, opportunity: Opportunity) -> None:
        """Show a newer version of an opportunity in its row, if that row is loaded."""
        index = self.cache.replace(opportunity)
        if index is not None:
            self.refresh_line(index + 1)

    def set_drafted(self, ids: frozenset[str]) -> None:
        """Mark the rows that have unsent drafts."""
        if ids != self.drafted:
            self.drafted = ids
            self.refresh()

    def go_to(self, index: int) -> None:
        """Move the cursor to ``index`` (clamped) and show that row."""
        total = self.cache.total or 0
        self.cursor = max(0, min(index, total - 1)) if total else 0

    async def _fetch(self, number: int, generation: int, *, first: bool = False) -> None:
        if self.source is None:
            return
        size = self.cache.page_size
        try:
            page = await self.source(self.order_by, number * size, size)
        except CloseError as exc:
            self._failed(number, str(exc), generation, first)
            return
        except Exception as exc:  # a bug must still end the spinner, with a message
            self._failed(number, f"{type(exc).__name__}: {exc}", generation, first)
            return
        if self.cache.store(number, page, generation):
            self._update_virtual_size()
            self.refresh()
            self.post_message(self.Loaded(self.cache.total or 0))
            if first:
                self.go_to(self.cursor)
                self._announce_cursor()
            self._request_visible()

    def _failed(self, number: int, message: str, generation: int, first: bool) -> None:
        if not self.cache.fail(number, message, generation):
            return
        if first:
            self._failure = message
        self.refresh()
        self.post_message(self.LoadFailed(message, first))
        self._request_visible()

    def _request_visible(self) -> None:
        """Fetch the pages on screen, at most :data:`MAX_IN_FLIGHT` at a time.

        Pages scrolled past while others were loading are never fetched: each
        finished fetch looks again at what is on screen now.
        """
        if self.cache.total is None or self.source is None:
            return
        top = int(self.scroll_y)
        rows = max(1, self.scrollable_content_region.height)
        for number in self.cache.missing_pages(top, top + rows):
            if len(self.cache.loading) >= MAX_IN_FLIGHT:
                return
            self.cache.loading.add(number)
            self.run_worker(
                self._fetch(number, self.cache.generation),
                group="list-pages",
                exit_on_error=False,
            )

    def _update_virtual_size(self) -> None:
        rows = self.cache.total if self.cache.total else 1
        self.virtual_size = Size(self.scrollable_content_region.width, rows + 1)

    # -- reactivity ------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_visible()

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self._request_visible()

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._scroll_cursor_into_view()
        self._announce_cursor()

    def watch_order_by(self) -> None:
        if self.is_mounted and self.source is not None:
            self.reload()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def _announce_cursor(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.OpportunityHighlighted(row, self.cursor))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    # -- actions ---------------------------------------------------------------------

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor_down(self) -> None:
        """Next row."""
        self.go_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.go_to(self.cursor - 1)

    def action_first(self) -> None:
        """First row."""
        self.go_to(0)

    def action_last(self) -> None:
        """Last row (its page is fetched when it comes into view)."""
        self.go_to((self.cache.total or 1) - 1)

    def action_page_down(self) -> None:
        """One screen down."""
        self.go_to(self.cursor + self._page_rows())

    def action_page_up(self) -> None:
        """One screen up."""
        self.go_to(self.cursor - self._page_rows())

    def action_open(self, status: bool = False) -> None:
        """Edit the highlighted opportunity (``status``: straight to the status picker)."""
        row = self.highlighted
        if row is not None:
            self.post_message(self.OpportunitySelected(row, self.cursor, status))

    def action_cycle_sort(self) -> None:
        """Sort by the next column Close can order by (a new query)."""
        field = self.order_by.lstrip("-")
        names = [name for name, _ in SORT_FIELDS]
        name, direction = (
            SORT_FIELDS[(names.index(field) + 1) % len(names)]
            if (field in names)
            else SORT_FIELDS[0]
        )
        self.order_by = direction + name

    def action_flip_sort(self) -> None:
        """Reverse the sort direction (a new query)."""
        self.order_by = self.order_by[1:] if self.order_by.startswith("-") else "-" + self.order_by

    def action_reload(self) -> None:
        """Fetch the list again (failed pages included)."""
        self.reload()

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = int(self.scroll_y) + event.y - 1
        if 0 <= index < (self.cache.total or 0):
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index

    # -- rendering ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = int(self.scroll_y) + y - 1
        total = self.cache.total
        if total is None:
            if y == 1:
                return self._message(self._failure_text() or "  Loading opportunities…", width)
            return Strip.blank(width, base)
        if total == 0:
            return self._message("  No opportunities match." if y == 1 else "", width)
        if index >= total:
            return Strip.blank(width, base)
        return self._row(index, width, base)

    def _failure_text(self) -> str | None:
        if self._failure is None:
            return None
        keys = getattr(self.app, "_keymap", {}).get("list.refresh", "r")
        key = self.app.get_key_display(Binding(keys.split(",")[0], "reload"))
        return f"  Could not load opportunities: {self._failure}  ({key} retries)"

    def _message(self, text: str, width: int) -> Strip:
        name = "opportunity-list--error" if self._failure else "opportunity-list--muted"
        style = self.get_component_rich_style(name)
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def _header(self, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style("opportunity-list--header")
        field = self.order_by.lstrip("-")
        arrow = "▼" if self.order_by.startswith("-") else "▲"
        segments = [Segment(" " * MARK_WIDTH, style)]
        for column, size in layout_columns(width):
            title = column.title + (arrow if column.sort_field == field else "")
            segments += [Segment(fit(title, size, column.right), style), Segment(" ", style)]
        return Strip(segments).adjust_cell_length(width, style)

    def _row(self, index: int, width: int, base: Style) -> Strip:
        row = self.cache.row(index)
        cursor = None
        if index == self.cursor:
            cursor = self.get_component_rich_style(
                "opportunity-list--cursor" if self.has_focus else "opportunity-list--cursor-blurred"
            )
        if row is None:
            failed = self.cache.errors.get(self.cache.page_of(index))
            name = "opportunity-list--error" if failed else "opportunity-list--muted"
            text = f"  ⚠ {failed}" if failed else "  ⋯"
            strip = Strip(
                [Segment(set_cell_size(text, width), self.get_component_rich_style(name))]
            )
        else:
            strip = Strip(self._cells(row, width), width)
        strip = strip.adjust_cell_length(width, base)
        if cursor is None:
            return strip
        return Strip(Segment.apply_style(list(strip), post_style=cursor), width)

    def _cells(self, row: Opportunity, width: int) -> list[Segment]:
        style = self.get_component_rich_style
        plain = style("opportunity-list--plain")
        values = cell_values(row)
        segments = [
            Segment("● " if row.id in self.drafted else "  ", style("opportunity-list--mark"))
        ]
        for column, size in layout_columns(width):
            text, kind = values[column.key]
            cell = Segment(fit(text, size, column.right), style(f"opportunity-list--{kind}"))
            segments += [cell, Segment(" ", plain)]
        return segments
