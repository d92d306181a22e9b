"""Text inputs as closetui uses them: no cursor blink (SSH-friendly, stable snapshots), and
editing keys applied in the order they were typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input

if TYPE_CHECKING:  # TextArea (and its tree-sitter support) loads with the first editor
    from textual.widgets import TextArea

Editable = TypeVar("Editable", Input, "TextArea")


def steady(widget: Editable) -> Editable:
    """The widget with its cursor blink off."""
    widget.cursor_blink = False
    return widget


async def route_key(widget: Widget, event: events.Key, *, text: bool) -> None:
    """Deal with ``event`` in ``widget``'s ``on_key``, in the order it was typed; a
    ``text`` key (one the widget inserts) is left to the widget, as Textual leaves it.

    Textual resolves key bindings when the key has bubbled up to the app, through every
    container on the way, while a typed character is inserted as soon as it arrives.
    Keys that come together (one read over SSH, a fast typist) were applied out of
    order: ``1 2 ⌫ 3`` gave ``12`` when the backspace lost the race, ``ctrl+u 7 7 7``
    cleared the 7s it came before, and ``tab x`` typed the x into the field being left.
    Here the binding the screen has for the key (the widget's own, else the row's, pane's,
    screen's or app's) runs as the key arrives; a key that arrives after an earlier one
    moved the focus goes back to the app, which hands it to the newly focused widget.
    Priority bindings (send, quit) still come first: the app runs them before a key
    reaches the widget. A key whose binding declines (or that none binds) takes Textual's
    own way up.
    """
    app = widget.app
    if app.focused is not widget:
        event.stop()
        event.prevent_default()
        # To the app, as the terminal's keys arrive: it checks priority keys and forwards
        # the key to whatever has the focus now.
        app.post_message(events.Key(event.key, event.character))
        return
    if text:
        return
    active = widget.screen.active_bindings.get(event.key)
    if active is None or active.binding.priority:
        return
    if await app.run_action(active.binding.action, active.node):
        event.stop()  # handled here: the app must not run it again
        event.prevent_default()


class OrderedInput(Input):
    """An ``Input`` that applies keys in the order they were typed (:func:`route_key`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.validators:
            # Textual marks an input without validators ``-valid`` at its first change:
            # a new class restyles the input, on the first key of every field.
            # Marked from the start, the first key changes no class.
            self.set_class(True, "-valid", update=False)

    async def on_key(self, event: events.Key) -> None:
        """Apply the key in the order typed (:func:`route_key`); Input inserts text."""
        await route_key(self, event, text=event.is_printable)

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        """Scroll the text without moving the hidden scrollbar.

        An Input's horizontal scrollbar is zero cells high, so it is never on screen;
        Textual still moved it on every scroll, and a refresh of a widget that is not on
        screen makes the compositor arrange the whole screen again (every widget). Once
        a value is wider than its field, every key scrolls.
        """
        if self.styles.scrollbar_size_horizontal:
            super().watch_scroll_x(old_value, new_value)
        elif round(old_value) != round(new_value):
            self.refresh(self.size.region)


class FixedInput(OrderedInput):
    """An ``Input`` whose typing never lays out the screen.

    Textual's Input sets its virtual size (the text's width, for horizontal scrolling)
    on every change, and a virtual size change asks for a layout of the whole screen.
    That width only matters to the Input's own scrolling, which reads it directly, so
    here it repaints the Input alone. CSS that changes the Input's size (classes,
    focus, display) still lays out as usual.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
