"""Text inputs as closetui uses them: no cursor blink (SSH-friendly, stable snapshots), and
editing keys applied in the order they were typed."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea

Editable = TypeVar("Editable", Input, TextArea)


def steady(widget: Editable) -> Editable:
    """The widget with its cursor blink off."""
    widget.cursor_blink = False
    return widget


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run ``widget``'s own (non-priority) binding for ``event`` now; True if one ran.

    Textual resolves a widget's key bindings when the key has bubbled up to the app,
    through every container on the way, while a printable key is inserted by the widget
    as soon as it arrives. Keys that come together (one read over SSH, a fast typist)
    were applied out of order: ``1 2 ⌫ 3`` gave ``123`` when the backspace lost the race,
    and ``ctrl+u 7 7 7`` cleared the 7s it came before. Priority bindings (send, quit)
    still come first: the app checks them before the key reaches the widget. Keys the
    widget does not bind bubble as before.
    """
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()  # handled here: the app must not run it again
            event.prevent_default()
            return True
    return False


class OrderedInput(Input):
    """An ``Input`` that applies its editing keys (backspace, arrows, ctrl+u, ...) in the
    order they were typed (see :func:`run_own_binding`)."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)


class OrderedTextArea(TextArea):
    """A ``TextArea`` that applies its editing keys in the order they were typed."""

    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)
