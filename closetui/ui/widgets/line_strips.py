"""One line of text drawn exactly as Textual draws it, faster when it is drawn again.

Textual draws each piece of a line with a Rich style that carries the piece's place on
screen (text selection reads it), and makes that style anew every time: for the
preview's body line, redrawn on every keystroke, that was most of its cost. Here the
styles are kept by (base style, piece style, place): a line typed into keeps the place
and style of every piece but the last, so those come from the cache.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.css.types import TextOverflow


@lru_cache(maxsize=4096)
def _placed(base: Style, piece: Style, x: int, y: int) -> RichStyle:
    """The Rich style of a piece drawn at (x, y), as Textual's ``FormattedLine`` makes it."""
    return (base + piece).rich_style_with_offset(x, y)


def line_strips(widget: Widget, line: Content, width: int, style: Style) -> list[Strip]:
    """The strips ``Visual.to_strips(widget, line, width, None, style,
    apply_selection=False)`` makes, for a widget whose text is left-aligned in its top
    left corner and shows no links (else Textual's own drawing)."""
    styles = widget.styles
    rules = styles.get  # what Textual's Content.render_strips reads the rules from
    align = rules("text_align", "left")
    top_left = styles.content_align == ("left", "top")
    if align not in ("left", "start") or widget.auto_links or not top_left:
        return Visual.to_strips(widget, line, width, None, style, apply_selection=False)
    get_style = widget._get_style
    strips: list[Strip] = []
    for formatted in line._wrap_and_format(
        width,
        align=align,
        overflow=cast("TextOverflow", rules("text_overflow", "fold")),
        no_wrap=rules("text_wrap", "wrap") == "nowrap",
        line_pad=cast(int, rules("line_pad", 0)),
        tab_size=8,
        get_style=get_style,
    ):
        x, y, content = formatted.x, formatted.y, formatted.content
        segments: list[Segment] = []
        for text, piece in content.render(style, end="", parse_style=get_style):
            segments.append(Segment(text, _placed(style, piece, x, y)))
            x += len(text)
        strips.append(Strip(segments, content.cell_length))
    return strips
