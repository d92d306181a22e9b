"""The views picker: enter applies a view; ctrl+delete (f3), pressed twice, deletes one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList

from closetui.config.errors import ConfigError
from closetui.ui.bound_keys import first_key
from closetui.ui.widgets.inputs import steady
from closetui.ui.widgets.picker_screen import FilterInput, PickerScreen, PickItem

DeleteView = Callable[[str], tuple[str, list[PickItem]]]
"""Deletes the named view from the config file: what to tell the user, and the views
left (ConfigError, with a message fit to show, when it cannot)."""


class ViewPickerScreen(PickerScreen):
    """Pick a view to apply, or delete the highlighted one (a second press confirms)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+delete,f3", "delete_view", "Delete view", priority=True, id="views.delete"),
    ]

    DEFAULT_CSS = """
    ViewPickerScreen #picker-hint { width: 100%; color: $text-muted; margin-top: 1; }
    ViewPickerScreen #picker-hint.-warning { color: $text-warning; }
    ViewPickerScreen #picker-hint.-error { color: $text-error; }
    """

    def __init__(self, items: Sequence[PickItem], current: str | None, delete: DeleteView) -> None:
        super().__init__("Views", items, current)
        self._delete = delete
        self._armed: str | None = None
        """The view a first delete press picked; the next press deletes it."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picker-title", markup=False)
            yield steady(FilterInput(placeholder="type to filter", id="picker-filter"))
            yield OptionList(id="picker-options")
            yield Label(self._usage(), id="picker-hint", markup=False)

    def _usage(self) -> str:
        return f"enter applies · {self._key()} deletes"

    def _key(self) -> str:
        return first_key(self.app, self.BINDINGS, "views.delete")

    def _say(self, text: str, kind: str = "") -> None:
        hint = self.query_one("#picker-hint", Label)
        hint.update(text)
        hint.set_class(kind == "warning", "-warning")
        hint.set_class(kind == "error", "-error")

    def _fill(self, text: str) -> None:
        self._armed = None  # what is highlighted may change: ask again
        super()._fill(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._armed is not None:
            self._armed = None
            self._say(self._usage())

    def action_delete_view(self) -> None:
        """Delete the highlighted view: the first press asks, the second deletes."""
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return
        name = self.items[int(option.id.removeprefix("item-"))].value
        if self._armed != name:
            self._armed = name
            self._say(f"{self._key()} again deletes view {name!r} from the config file", "warning")
            return
        self._armed = None
        try:
            message, left = self._delete(name)
        except ConfigError as exc:
            self._say(str(exc).splitlines()[0], "error")
            return
        self.items = left
        self.current = None
        self._fill(self.query_one(Input).value)
        self._say(message if left else f"{message} No views left.")
