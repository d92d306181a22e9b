"""Updating widgets in place: no screen layout pass when their size cannot change."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def update_in_place(widget: Static, content: str | Content) -> None:
    """``widget.update(content)``, without a layout pass when the new content is exactly
    as tall as the old one in the same width.

    A string is plain text, never markup (whatever the widget's ``markup``): the text
    measured here is the text shown. A layout pass arranges every widget on the screen
    (the editor holds ~140); a widget keeping its height only needs a repaint. Widgets
    with an ``auto`` width always get their layout (their width follows the content).
    """
    visual = Content(content) if isinstance(content, str) else content
    shown = widget.visual
    if isinstance(shown, Content) and shown.is_same(visual):
        return  # the same text (a resize or a watcher showing it again): nothing to draw
    styles = widget.styles
    if widget.is_mounted and not widget.display:
        # Hidden: its size counts for nothing until it is shown, and showing it (a style
        # change) lays it out anew.
        widget.update(visual, layout=False)
        return
    same_size = False
    if widget.is_mounted and not (styles.width and styles.width.is_auto):
        gutter = styles.gutter
        width = widget.size.width - gutter.width
        height = widget.size.height - gutter.height
        if width > 0 and height > 0:
            fixed = styles.height is not None and not styles.height.is_auto
            same_size = fixed or visual.get_height(styles, width) == height  # type: ignore[arg-type]
    widget.update(visual, layout=not same_size)
