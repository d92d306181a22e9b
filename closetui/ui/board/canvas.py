"""The board's canvas: columns side by side, a cursor per column, painted line by line."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from closetui.ui.board import render as paint
from closetui.ui.board.column import BoardColumn
from closetui.ui.board.layout import (
    CARD_LINES,
    GAP,
    HEADER_LINES,
    Layout,
    cards_visible,
    layout,
)
from closetui.ui.list.rows import ListRow


class BoardCanvas(ScrollView, can_focus=True):
    """Columns of cards; the board scrolls by whole columns (to keep the cursor's column on
    screen) and each column by whole cards. :class:`PipelineBoard` adds the data and the
    messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "column(-1)", "Left", show=False, id="board.left"),
        Binding("l,right", "column(1)", "Right", show=False, id="board.right"),
        Binding("j,down", "card(1)", "Down", show=False, id="board.down"),
        Binding("k,up", "card(-1)", "Up", show=False, id="board.up"),
        Binding("g,home", "first", "First card", show=False, id="board.first"),
        Binding("G,end", "last", "Last card", show=False, id="board.last"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"board--{name}"
        for name in (
            *("plain", "muted", "lead", "count", "error", "draft", "moving"),
            *("title-active", "title-won", "title-lost", "rule", "rule-current"),
            *("cursor", "cursor-blurred", "marked"),
        )
    }

    DEFAULT_CSS = """
    BoardCanvas {
        background: $surface;
        overflow-x: hidden;
        overflow-y: hidden;
    }
    BoardCanvas > .board--plain { color: $foreground; }
    BoardCanvas > .board--muted { color: $text-muted; }
    BoardCanvas > .board--lead { color: $foreground; text-style: bold; }
    BoardCanvas > .board--count { color: $text-primary; text-style: bold; }
    BoardCanvas > .board--error { color: $text-error; }
    BoardCanvas > .board--draft { color: $text-warning; }
    BoardCanvas > .board--moving { color: $text-warning; text-style: bold; }
    BoardCanvas > .board--marked { color: $text-accent; text-style: bold; }
    BoardCanvas > .board--title-active { color: $status-active; text-style: bold; }
    BoardCanvas > .board--title-won { color: $status-won; text-style: bold; }
    BoardCanvas > .board--title-lost { color: $status-lost; text-style: bold; }
    BoardCanvas > .board--rule { color: $panel-lighten-2; }
    BoardCanvas > .board--rule-current { color: $accent; }
    BoardCanvas > .board--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    BoardCanvas > .board--cursor-blurred {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    """

    column: reactive[int] = reactive(0, repaint=False)
    """The column holding the cursor."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: list[BoardColumn] = []
        """One per status of the pipeline, in board order."""
        self.marks = paint.Marks()
        """Marked cards, drafted cards and where their drafts move them."""
        self.message = "  Loading the pipelines…"
        """What is shown while there are no columns."""
        self.width_hint = 0
        """The width it is given, until it has been laid out in it."""
        self._first = 0
        self._styles: dict[str, Style] = {}

    # -- what is where -----------------------------------------------------------------

    @property
    def current(self) -> BoardColumn | None:
        """The cursor's column."""
        return self.columns[self.column] if self.columns else None

    @property
    def highlighted(self) -> ListRow | None:
        """The card under the cursor, when its page is here."""
        column = self.current
        return column.highlighted if column is not None else None

    def screen_layout(self) -> Layout:
        """The columns on screen now."""
        # Before its first layout the board has no width yet: its owner says which it gives
        # (the first pages go out before the layout).
        width = self.scrollable_content_region.width or self.width_hint or self.app.size.width
        found = layout(width, len(self.columns), self.column, self._first)
        self._first = found.first
        return found

    def cards_visible(self) -> int:
        """Whole cards a column shows."""
        return cards_visible(self.scrollable_content_region.height)

    # -- hooks for the subclass ----------------------------------------------------------

    def view_moved(self) -> None:
        """Which cards are on screen changed (a move, a resize, new columns)."""

    def cursor_moved(self) -> None:
        """The cursor is on another card."""

    # -- moving ------------------------------------------------------------------------

    def go_to(self, column: int, card: int | None = None) -> None:
        """Put the cursor in ``column`` (clamped), on ``card`` when given, and show it."""
        if not self.columns:
            return
        before = self.column
        self.column = max(0, min(column, len(self.columns) - 1))
        current = self.columns[self.column]
        top, was = current.top, current.cursor
        if card is not None:
            current.clamp(card)
        current.follow(self.cards_visible())
        if self.column == before and current.top == top:
            self._refresh_card(was)  # within the column on screen: only the two cards
            self._refresh_card(current.cursor)
        else:
            self.refresh()
        self.view_moved()
        self.cursor_moved()

    def _refresh_card(self, card: int) -> None:
        """Repaint the lines of the cursor column's ``card`` (when on screen)."""
        current = self.current
        if current is not None and 0 <= card - current.top < self.cards_visible():
            y = HEADER_LINES + (card - current.top) * CARD_LINES
            self.refresh(Region(0, y, self.scrollable_content_region.width, CARD_LINES))

    def action_column(self, step: int) -> None:
        """The column left (-1) or right (1)."""
        self.go_to(self.column + step)

    def action_card(self, step: int) -> None:
        """The card below (1) or above (-1) in the column."""
        current = self.current
        if current is not None:
            self.go_to(self.column, current.cursor + step)

    def action_page(self, step: int) -> None:
        """A column's screen of cards down (1) or up (-1)."""
        current = self.current
        if current is not None:
            self.go_to(self.column, current.cursor + step * max(1, self.cards_visible() - 1))

    def action_first(self) -> None:
        """The column's first card."""
        self.go_to(self.column, 0)

    def action_last(self) -> None:
        """The column's last card (its page is fetched when it comes into view)."""
        current = self.current
        if current is not None:
            self.go_to(self.column, current.count - 1)

    # -- events ------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        visible = self.cards_visible()
        for column in self.columns:
            column.follow(visible)
        self.view_moved()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        """The styles changed (CSS, theme, focus): the remembered ones are out of date."""
        super().notify_style_update()
        self._styles.clear()

    # -- painting --------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"board--{name}")
        return style

    def _base_style(self) -> Style:
        """The widget's own style (it walks every ancestor: remembered, as :meth:`_style`)."""
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def refresh_cards(self, ids: set[str] | frozenset[str]) -> None:
        """Repaint only the lines of the cards on screen that are these opportunities'."""
        visible = self.cards_visible()
        width = self.scrollable_content_region.width
        for index, _ in self.screen_layout().widths():
            column = self.columns[index]
            for card in range(column.top, min(column.top + visible, column.count)):
                row = column.cache.row(card)
                if row is not None and row.id in ids:
                    y = HEADER_LINES + (card - column.top) * CARD_LINES
                    self.refresh(Region(0, y, width, CARD_LINES))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        if not self.columns:
            text = self.message if y == 0 else ""
            return Strip([Segment(text, self._style("muted"))]).adjust_cell_length(width, base)
        found = self.screen_layout()
        cursor = "cursor" if self.has_focus else "cursor-blurred"
        segments: list[Segment] = []
        last = found.first + found.shown - 1
        for index, size in found.widths():
            column = self.columns[index]
            here = index == self.column
            if segments:
                segments.append(Segment(" " * GAP, base))
            if y < HEADER_LINES:
                more = (index == found.first > 0, index == last < len(self.columns) - 1)
                segments += paint.header_line(column, y, size, here, self._style, more=more)
            else:
                segments += paint.card_line(
                    column,
                    y,
                    size,
                    cursor=cursor if here else None,
                    marks=self.marks,
                    style_of=self._style,
                )
        return Strip(segments).adjust_cell_length(width, base)
