"""The footer: the keys that apply now, drawn as one line of text.

Textual's ``Footer`` composes a widget per key and composes them all again whenever the
bindings change (focus moves, a pane opens); each time every key widget is styled anew.
At start-up the bindings settle in several steps, each restyling every key widget before
the list can show. :class:`KeyBar` is one widget that repaints its line instead. It looks
like the compact ``Footer`` (same theme variables), and a click on a key presses it.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class KeyItem(NamedTuple):
    """One key shown, and the cells it takes (for clicks)."""

    key: str
    display: str
    description: str
    enabled: bool
    start: int
    end: int


class KeyBar(Widget, can_focus=False):
    """The screen's shown bindings (``show=True``), then the palette key on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--edge",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--hover { background: $block-hover-background; }
    KeyBar > .key-bar--edge { color: $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[KeyItem] = []
        """What the last paint showed, left to right."""
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Focus moving between fields changes the bindings but rarely the keys shown:
        # repaint only when the bar would read differently.
        if self.is_attached and screen is self.screen and self._items() != self.items:
            self.refresh()

    def shown(self) -> list[tuple[str, str]]:
        """(key, description) of each key shown now (the palette key last)."""
        return [(item.display, item.description) for item in self._items()]

    def _items(self) -> list[KeyItem]:
        """The keys to show, with the cells each takes on the bar."""
        app = self.app
        bindings = self.screen.active_bindings
        found: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        palette = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        for key, (_, binding, enabled, _) in bindings.items():
            if not binding.show or binding.action in actions or key == palette:
                continue
            actions.add(binding.action)  # one key per action, as Footer shows
            found.append((key, app.get_key_display(binding), binding.description, enabled))
        palette_item: KeyItem | None = None
        right = self.size.width
        if palette is not None and palette in bindings:
            _, binding, enabled, _ = bindings[palette]
            display = app.get_key_display(binding)
            width = 1 + cell_len(display) + 1 + cell_len(binding.description)
            right = max(0, self.size.width - width)  # "▏^p Commands" at the right edge
            palette_item = KeyItem(
                palette, display, binding.description, enabled, right, right + width
            )
        items: list[KeyItem] = []
        x = 0
        for key, display, description, enabled in found:
            end = x + cell_len(display) + (1 + cell_len(description) if description else 0)
            if end > right:  # no room left before the palette key
                break
            items.append(KeyItem(key, display, description, enabled, x, end))
            x = end + 1
        if palette_item is not None:
            items.append(palette_item)
        return items

    def render(self) -> Content:
        self.items = items = self._items()
        key_style = self.get_visual_style("key-bar--key", partial=True)
        text_style = self.get_visual_style("key-bar--description", partial=True)
        hover_style = self.get_visual_style("key-bar--hover", partial=True)
        edge_style = self.get_visual_style("key-bar--edge")
        palette = self.app.COMMAND_PALETTE_BINDING
        parts: list[Content] = []
        x = 0
        for index, item in enumerate(items):
            if item.start > x:
                parts.append(Content(" " * (item.start - x)))
            piece = Content.styled(item.display, key_style)
            if item.key == palette:
                piece = Content.styled("▏", edge_style) + piece
            if item.description:
                piece += Content(" ") + Content.styled(item.description, text_style)
            if not item.enabled:
                piece = piece.stylize("dim")
            if index == self._hover:
                piece = piece.stylize_before(hover_style)
            parts.append(piece)
            x = item.end
        return Content("").join(parts)

    def _item_at(self, x: int) -> int | None:
        for index, item in enumerate(self.items):
            if item.start <= x < item.end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._item_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self._item_at(event.x)
        if index is None:
            return
        item = self.items[index]
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
