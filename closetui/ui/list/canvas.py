"""The opportunity list's canvas: cursor, scrolling and painting of a ListModel."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from closetui.ui.bound_keys import keymap_of
from closetui.ui.list import render as paint
from closetui.ui.list.contents import ListModel
from closetui.ui.list.prompt import LineEdit
from closetui.ui.list.rows import ListRow

ROW_STRIPS = 256
"""Painted rows kept for reuse: a few screens' worth, so typing a filter, clearing it or
scrolling back repaints rows from here instead of laying out their cells again."""


class ListCanvas(ScrollView, can_focus=True):
    """A sticky header, one line per shown row, and a bar under them when there is
    something to report (a filter, its prompt, marks). :class:`OpportunityList` adds
    the keys, the fetching and the messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"opportunity-list--{name}"  # the cell kinds of columns.cell_values, then the rest
        for name in (
            *("plain", "muted", "active", "won", "lost"),
            *("header", "cursor", "cursor-blurred", "error", "mark", "marked"),
            *("bar", "bar-muted", "bar-cursor"),
        )
    }

    DEFAULT_CSS = """
    ListCanvas {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    ListCanvas > .opportunity-list--header {
        color: $text-primary;
        text-style: bold;
    }
    ListCanvas > .opportunity-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    ListCanvas > .opportunity-list--cursor-blurred {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    ListCanvas > .opportunity-list--plain { color: $foreground; }
    ListCanvas > .opportunity-list--active { color: $status-active; }
    ListCanvas > .opportunity-list--won { color: $status-won; }
    ListCanvas > .opportunity-list--lost { color: $status-lost; }
    ListCanvas > .opportunity-list--muted { color: $text-muted; }
    ListCanvas > .opportunity-list--error { color: $text-error; }
    ListCanvas > .opportunity-list--mark { color: $text-warning; }
    ListCanvas > .opportunity-list--marked { color: $text-accent; text-style: bold; }
    ListCanvas > .opportunity-list--bar { background: $panel; color: $foreground; }
    ListCanvas > .opportunity-list--bar-muted { background: $panel; color: $text-muted; }
    ListCanvas > .opportunity-list--bar-cursor {
        background: $foreground;
        color: $panel;
        text-style: underline;
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False)
    """Position of the highlighted row among the rows shown (the filter's matches when
    a filter is on, else every row)."""
    order_by: reactive[str] = reactive("-date_updated")
    """The server-side sort (``_order_by``): a field, ``-`` prefixed for descending."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.model = ListModel()
        """Rows, filter and marks."""
        self.drafted: frozenset[str] = frozenset()
        """Ids of opportunities with an unsent draft (marked with a dot)."""
        self.changed_by: dict[str, str] = {}
        """Ids someone else changed since the list loaded -> who (marked until a reload)."""
        self.prompt: LineEdit | None = None
        """The filter being typed (None when the prompt is closed)."""
        self.failure: str | None = None
        """Why the first page could not be fetched (shown instead of the rows)."""
        self.note = ""
        """A passing remark for the bar (e.g. what ``*`` just marked)."""
        self._row_strips: LRUCache[tuple[ListRow, int, bool, bool, bool], Strip] = LRUCache(
            ROW_STRIPS
        )
        self._paint_styles: dict[str, Style] = {}

    # -- what is shown ---------------------------------------------------------------

    @property
    def shown(self) -> int | None:
        """Rows shown: the filter's matches when filtering, else every row."""
        return self.model.shown

    @property
    def highlighted(self) -> ListRow | None:
        """The row under the cursor, when its page is loaded."""
        return self.model.row_at(self.cursor)

    def highlighted_index(self) -> int | None:
        """The row index (server order) under the cursor, loaded or not."""
        return self.model.index_at(self.cursor) if self.shown else None

    @property
    def bar_shown(self) -> bool:
        """True when the bar under the rows is shown (filter, prompt or marks)."""
        marks = self.model.marks
        return (
            self.prompt is not None
            or self.model.filter.active
            or bool(marks)
            or marks.range is not None
        )

    def rows_visible(self) -> int:
        """Row lines on screen (between the header and the bar)."""
        return max(1, self.scrollable_content_region.height - 1 - self.bar_shown)

    def go_to(self, position: int) -> None:
        """Move the cursor to ``position`` among the shown rows (clamped) and show it."""
        shown = self.shown or 0
        self.cursor = max(0, min(position, shown - 1)) if shown else 0

    def update_virtual_size(self) -> None:
        """Size the scrollable area: header, shown rows, bar."""
        size = Size(self.scrollable_content_region.width, (self.shown or 1) + 1 + self.bar_shown)
        if size != self.virtual_size:
            self.virtual_size = size

    def refresh_bar(self) -> None:
        """Repaint only the bar (its text changed, the rows did not)."""
        if self.bar_shown:
            height = self.scrollable_content_region.height
            self.refresh(Region(0, height - 1, self.size.width, 1))

    def shape_changed(self, keep: int | None = None, *, follow: bool = True) -> None:
        """The rows shown (or the bar) changed: resize, keep the cursor on row ``keep``
        when it is still shown, scroll to it (``follow``) and repaint."""
        self.update_virtual_size()
        position = self.model.position_of(keep) if keep is not None else None
        self.go_to(self.cursor if position is None else position)
        if follow:
            self.scroll_cursor_into_view()
        self.refresh()

    def scroll_cursor_into_view(self) -> None:
        """Scroll just enough for the cursor's row to be on screen."""
        visible = self.rows_visible()
        top = round(self.scroll_y)
        # force: the scrollbar that allows scrolling may only appear at the next layout
        # (the rows shown just grew, e.g. a filter was cleared).
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, force=True)

    # -- hooks for the subclass ----------------------------------------------------------

    def cursor_moved(self, position: int) -> None:
        """The cursor is on ``position`` now."""

    def view_moved(self) -> None:
        """Scrolling or resizing changed which rows are on screen."""

    def activate(self) -> None:
        """The highlighted row was double-clicked."""

    # -- events ------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.view_moved()

    def on_resize(self, event: events.Resize) -> None:
        self.update_virtual_size()
        self.scroll_cursor_into_view()
        self.view_moved()

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self.scroll_cursor_into_view()
        self.cursor_moved(new)

    def notify_style_update(self) -> None:
        """Textual calls this when the styles change (CSS, theme, pseudo-classes, also an
        ancestor's): the remembered styles and painted rows are out of date."""
        super().notify_style_update()
        self._paint_styles.clear()
        self._row_strips.clear()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y < 1 or event.y > self.rows_visible():
            return
        position = int(self.scroll_y) + event.y - 1
        if 0 <= position < (self.shown or 0):
            if position == self.cursor and event.chain >= 2:
                self.activate()
            self.cursor = position

    # -- navigation ------------------------------------------------------------------

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
        self.go_to((self.shown or 1) - 1)

    def action_page_down(self) -> None:
        """One screen down."""
        self.go_to(self.cursor + self.rows_visible() - 1)

    def action_page_up(self) -> None:
        """One screen up."""
        self.go_to(self.cursor - self.rows_visible() + 1)

    # -- painting --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width, height = self.scrollable_content_region.size
        model = self.model
        if y == 0:
            return paint.header(width, self.order_by, self._style("header"))
        if self.bar_shown and y == height - 1:
            return paint.bar(self._bar_state(), self.prompt, width, self._style)
        if model.total is None:
            text = self._failure_text() or "  Loading opportunities…"
            return self._message(text if y == 1 else "", width)
        if model.total == 0:
            return self._message("  No opportunities match." if y == 1 else "", width)
        if model.filter.active and not model.filter.hits:
            text = f"  No loaded opportunity matches “{model.filter.text.strip()}”."
            return self._message(text if y == 1 else "", width)
        position = int(self.scroll_y) + y - 1
        if position >= (self.shown or 0):
            return Strip.blank(width, self._base_style())
        return self._row(position, width)

    def _style(self, name: str) -> Style:
        style = self._paint_styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"opportunity-list--{name}")
            self._paint_styles[name] = style
        return style

    def _base_style(self) -> Style:
        """The widget's own style (it walks every ancestor: remembered, as :meth:`_style`)."""
        style = self._paint_styles.get("")
        if style is None:
            style = self._paint_styles[""] = self.rich_style
        return style

    def _bar_state(self) -> paint.BarState:
        model = self.model
        return paint.BarState(
            filter_text=model.filter.text,
            filter_active=model.filter.active,
            shown=len(model.filter.hits),
            loaded=model.filter.loaded,
            total=model.total,
            marked=len(model.marks),
            ranging=model.marks.range is not None,
            note=self.note,
        )

    def _failure_text(self) -> str | None:
        if self.failure is None:
            return None
        keys = keymap_of(self.app).get("list.refresh", "r")
        key = self.app.get_key_display(Binding(keys.split(",")[0], "reload"))
        return f"  Could not load opportunities: {self.failure}  ({key} retries)"

    def _message(self, text: str, width: int) -> Strip:
        return paint.message(text, width, self._style("error" if self.failure else "muted"))

    def _row(self, position: int, width: int) -> Strip:
        cache = self.model.cache
        index = self.model.index_at(position)
        row = cache.row(index)
        if row is None:
            failed = cache.errors.get(cache.page_of(index))
            text = f"  ⚠ {failed}" if failed else "  ⋯"
            strip = paint.message(text, width, self._style("error" if failed else "muted"))
        else:
            strip = self._row_strip(row, width)
        if position != self.cursor:
            return strip
        cursor = self._style("cursor" if self.has_focus else "cursor-blurred")
        return Strip(Segment.apply_style(list(strip), post_style=cursor), width)

    def _row_strip(self, row: ListRow, width: int) -> Strip:
        """A row's line without the cursor: from the cache, else painted and kept."""
        key = (
            row,
            width,
            row.id in self.drafted,
            row.id in self.model.marks,
            row.id in self.changed_by,
        )
        strip = self._row_strips.get(key)
        if strip is None:
            strip = (
                paint.row_cells(
                    row,
                    width,
                    self._style,
                    drafted=key[2],
                    marked=key[3],
                    changed=key[4],
                )
                .adjust_cell_length(width, self._base_style())
                .simplify()
            )
            self._row_strips.set(key, strip)
        return strip
