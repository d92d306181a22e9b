"""Updating widgets in place: no screen layout pass when their size cannot change."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.visual import Visual, VisualType, visualize
from textual.widgets import Static


def update_in_place(widget: Static, content: VisualType) -> None:
    """``widget.update(content)``, without a layout pass when the new content is exactly
    as tall as the old one in the same width.

    A layout pass arranges every widget on the screen (the editor holds ~140), so on a
    keystroke it costs far more than repainting the one widget that changed. Widgets
    with an ``auto`` width always get their layout (their width follows the content).
    """
    if isinstance(content, str) and content == widget.content:
        return  # the same text (a resize or a watcher showing it again): nothing to draw
    styles = widget.styles
    if widget.is_mounted and not widget.display:
        # Hidden: its size counts for nothing until it is shown, and showing it (a style
        # change) lays it out anew.
        widget.update(content, layout=False)
        return
    same_size = False
    if widget.is_mounted and not (styles.width and styles.width.is_auto):
        gutter = styles.gutter
        width = widget.size.width - gutter.width
        height = widget.size.height - gutter.height
        if width > 0 and height > 0:
            if styles.height is not None and not styles.height.is_auto:
                same_size = True
            else:
                visual = visualize(widget, content, markup=widget._render_markup)
                same_size = _height(visual, widget, width) == height
    widget.update(content, layout=not same_size)


def _height(visual: Visual, widget: Static, width: int) -> int:
    """How tall ``visual`` is at ``width`` in ``widget``: one row per line when no line
    needs wrapping (the usual case, and much cheaper than wrapping it), else measured."""
    if isinstance(visual, Content) and not widget.styles.line_pad:
        lines = visual.plain.split("\n")
        if "\t" not in visual.plain and all(cell_len(line) <= width for line in lines):
            return len(lines)
    # Textual measures with the widget's styles too (Widget.get_content_height).
    return visual.get_height(widget.styles, width)  # type: ignore[arg-type]
