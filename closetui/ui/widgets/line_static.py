"""A ``Static`` that renders each line of its text once and repaints only lines that change."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.visual import Visual, VisualType
from textual.widgets import Static

from closetui.ui.widgets.request_text import RequestText

LineKey = tuple[int, str, tuple[Span, ...]]
"""A text line: its number, its text and its styles."""


def as_content(content: VisualType) -> Content:
    """The Content Textual draws for what the widget is given."""
    if isinstance(content, RequestText):
        return content.content
    if isinstance(content, Content):
        return content
    if isinstance(content, Text):
        return Content.from_rich_text(content)
    return Content(str(content))  # plain text: never markup


def on_line(strip: Strip, number: int) -> Strip:
    """``strip``, drawn from one line alone, with the place text selection reads (the
    ``offset`` each piece carries) moved to line ``number`` of the whole text."""
    segments = []
    for text, style, control in strip:
        offset = style.meta.get("offset") if style else None
        if style and offset is not None:
            style += RichStyle.from_meta({"offset": (offset[0], number)})
        segments.append(Segment(text, style, control))
    return Strip(segments, strip.cell_length)


class LineStatic(Static):
    """A ``Static`` for text that changes a line at a time, as it is typed.

    A ``Static`` redraws all of its content when it is updated, through Textual's
    general path (visualize, wrap, style every piece anew), and repaints all of it. Here
    each line is rendered on its own and kept (by its place, text and styles); :meth:`show`
    compares the new lines with those on screen and repaints only the ones that differ
    (none, when the change is past the width of a line cut with an ellipsis). The
    layout only happens when the height changes (:meth:`height_for`). :attr:`content`
    is what was shown (a :class:`RequestText` keeps its Rich ``Syntax`` for tests and
    exports). Strings are plain text, never markup.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """Only this widget reads it (it does not scroll): a new height is laid out once, not
    again when the layout sets the new size (as :class:`~.inputs.FixedInput`)."""

    def __init__(
        self, content: VisualType = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.set_reactive(Static.auto_links, False)  # plain text: no links to style
        self._shown: VisualType = content
        self._whole: Content | None = None
        """All the lines as one Content (made when first asked for)."""
        self._lines: list[Content] = as_content(content).split("\n", allow_blank=True)
        self._strips: list[Strip] = []
        self._rendered_for: tuple[int, object] | None = None
        """(width, visual style) that ``_strips`` and ``_cache`` were rendered for."""
        self._cache: dict[LineKey, list[Strip]] = {}

    @property
    def content(self) -> VisualType:
        """What was last shown."""
        return self._shown

    @content.setter
    def content(self, content: VisualType) -> None:
        self.show(content)

    @property
    def visual(self) -> Visual:
        return self.whole

    def render(self) -> Content:
        return self.whole

    @property
    def whole(self) -> Content:
        """What is shown, as one Content."""
        if self._whole is None:
            self._whole = as_content(self._shown)
        return self._whole

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show ``content`` (as :meth:`show`; the layout happens only when needed)."""
        self.show(content)

    def show(self, content: VisualType) -> None:
        """Show ``content``, repainting only the lines that changed."""
        self._shown = content
        if isinstance(content, RequestText):  # already in lines: no split (nor join)
            self._whole = None
            self._lines = content.lines
        else:
            self._whole = as_content(content)
            self._lines = self._whole.split("\n", allow_blank=True)
        if self.is_mounted and not self.display:
            # Hidden: its size counts for nothing until it is shown, and showing it (a
            # style change) lays it out anew.
            self._rendered_for = None
            self.refresh()
            return
        width = self.size.width
        if not self.is_mounted or width <= 0:
            self._strips = []
            self._rendered_for = None
            # No width: not laid out yet (mounting lays it out) or hidden, here or above
            # (showing it lays it out; the single-pane editor hides the preview, which
            # laid out the whole screen on every key). Only a width that follows the
            # text needs a layout now.
            rule = self.styles.width
            self.refresh(layout=rule is not None and rule.is_auto)
            return
        height = self.styles.height
        fixed = height is not None and not height.is_auto  # the text cannot change it
        # Not drawn since it was laid out (scrolled out of view, or shown while hidden):
        # what is on screen is not known, so all of it is repainted.
        old = self._strips if self._rendered_for is not None else None
        new = self._render_all(width)
        if old is None:
            self.refresh(layout=not fixed)
            return
        if not fixed and self.height_for(len(new)) != self.height_for(len(old)):
            self.refresh(layout=True)
            return
        for y in range(max(len(old), len(new))):
            before = old[y] if y < len(old) else None
            after = new[y] if y < len(new) else None
            if before is not after and before != after:
                self.refresh(Region(0, y, width, 1))

    def _render_all(self, width: int) -> list[Strip]:
        """Every screen line of the content at ``width`` (each text line rendered once)."""
        style = self.visual_style
        if self._rendered_for != (width, style):
            self._rendered_for = (width, style)
            self._cache = {}
        cache, fresh = self._cache, {}
        strips: list[Strip] = []
        for number, line in enumerate(self._lines):
            key = (number, line.plain, tuple(line.spans))
            rendered = cache.get(key)
            if rendered is None:
                drawn = Visual.to_strips(self, line, width, None, style, apply_selection=False)
                rendered = [on_line(strip, number) for strip in drawn]
            fresh[key] = rendered
            strips += rendered
        self._cache = fresh  # only the lines shown now: the cache never grows
        self._strips = strips
        return strips

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width <= 0:
            return 0
        if self._rendered_for is None or self._rendered_for[0] != width:
            self._render_all(width)
        return self.height_for(len(self._strips))

    def height_for(self, lines: int) -> int:
        """The height that shows ``lines`` screen lines."""
        return lines

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.text_selection is not None:  # selected text is drawn whole, as Static does
            return super().render_line(y)
        if self._rendered_for != (width, self.visual_style):
            self._render_all(width)
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, self.visual_style.rich_style)
