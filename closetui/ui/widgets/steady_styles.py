"""Styles a widget repaints with, kept while no style above it changes.

To repaint a widget, Textual works out its colours from every ancestor's styles each
time: ``background_colors`` (twice), ``opacity``, ``rich_style``, ``link_style``, and its
component styles (an Input's cursor), whose cache every repaint empties. For a field
~10 levels down in the editor that was over half of what a keystroke's repaint of the
Input (or of the field's ``old → new`` line) cost. :class:`SteadyStyles` keeps those
values until a style of the widget, of one of its ancestors or of one of its component
classes changes: Textual counts every change of a node's styles (a CSS rule applied,
an inline style set, a pseudo-class, a theme) and makes new component styles each time
it restyles a widget; those counts and objects are the key.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import is_
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.style import Style
from textual.color import Color
from textual.dom import DOMNode
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

T = TypeVar("T")


def _textual(owner: type, name: str, widget: object) -> Any:
    """What ``owner``'s own property ``name`` computes for ``widget``."""
    textual_property: property = owner.__dict__[name]
    return textual_property.__get__(widget, type(widget))


if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object  # a Widget base would give the mixin Widget's class settings (can_focus)


class SteadyStyles(_Base):
    """Mixin (before the widget class) keeping the styles a repaint reads; see above."""

    _steady_key: tuple[tuple[object, ...], tuple[int, ...]] = ((), ())
    _steady: dict[Any, Any] | None = None
    _painting = False
    """True during :meth:`render_lines`: nothing restyles while a widget paints, so the
    key is checked once per paint, not at every read (a list row reads ~8 styles)."""

    def _styles_key(self) -> tuple[tuple[object, ...], tuple[int, ...]]:
        """(the objects the styles come from, their counts of changes): the ancestors and
        their styles, and the component styles, which a restyle replaces."""
        widget = cast(Widget, self)
        nodes = widget.ancestors_with_self
        sources = (*nodes, *widget._component_styles.values())
        return sources, tuple(node.styles._cache_key for node in nodes)

    def _current(self) -> dict[Any, Any]:
        """The kept values, emptied first when a style they come from has changed."""
        kept = self._steady
        if kept is not None and self._painting:
            return kept
        sources, counts = key = self._styles_key()
        kept_sources, kept_counts = self._steady_key
        if (
            kept is None
            or counts != kept_counts
            or len(sources) != len(kept_sources)
            or not all(map(is_, sources, kept_sources))
        ):
            kept = self._steady = {}
            self._steady_key = key
        return kept

    def _kept(self, name: Any, compute: Callable[[], T]) -> T:
        kept = self._current()
        if name not in kept:
            kept[name] = compute()
        value: T = kept[name]
        return value

    def render_lines(self, crop: Region) -> list[Strip]:
        self._current()
        self._painting = True
        try:
            return super().render_lines(crop)
        finally:
            self._painting = False

    @property
    def rich_style(self) -> Style:
        style: Style = self._kept("rich_style", lambda: _textual(DOMNode, "rich_style", self))
        return style

    @property
    def background_colors(self) -> tuple[Color, Color]:
        colors: tuple[Color, Color] = self._kept(
            "background_colors", lambda: _textual(DOMNode, "background_colors", self)
        )
        return colors

    @property
    def opacity(self) -> float:
        opacity: float = self._kept("opacity", lambda: _textual(Widget, "opacity", self))
        return opacity

    @property
    def link_style(self) -> Style:
        style: Style = self._kept("link_style", lambda: _textual(Widget, "link_style", self))
        return style

    def get_component_rich_style(
        self, *names: str, partial: bool = False, default: Style | None = None
    ) -> Style:
        return self._kept(
            ("component", names, partial, default),
            lambda: super(SteadyStyles, self).get_component_rich_style(
                *names, partial=partial, default=default
            ),
        )
