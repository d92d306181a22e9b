"""Text inputs as closetui uses them: no cursor blink (SSH-friendly, stable snapshots)."""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import Input, TextArea

Editable = TypeVar("Editable", Input, TextArea)


def steady(widget: Editable) -> Editable:
    """The widget with its cursor blink off."""
    widget.cursor_blink = False
    return widget
