"""A modal picker: type to filter, arrows to move, enter to pick, esc to cancel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from closetui.ui.bound_keys import move_cursor
from closetui.ui.widgets.inputs import OrderedInput, steady


class FilterInput(OrderedInput):
    """The picker's filter. Enter picks there and then (not through a message the screen
    gets later): the keys typed behind it, still on their way to this input, find the
    picker closed and go to the screen underneath, in order."""

    async def action_submit(self) -> None:
        """Pick the highlighted value."""
        screen = self.screen
        if isinstance(screen, PickerScreen):
            screen.pick_first(self.value)


@dataclass(frozen=True)
class PickItem:
    """One choice: the value returned, its label, and the group it is listed under."""

    value: str
    label: str
    group: str | None = None
    """A heading (e.g. the pipeline); items of a group are listed together."""
    mark: str = ""
    """A short tag after the label, e.g. ``won`` or ``lost``."""
    kind: str = ""
    """Styles the mark: ``won`` / ``lost`` / ``warning`` / empty (muted)."""


class PickerScreen(ModalScreen[str | None]):
    """Pick one value from a list; dismisses with the value, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        background: $panel;
        border: round $primary;
        padding: 0 1;
    }
    PickerScreen #picker-title { text-style: bold; color: $text-primary; }
    PickerScreen Input, PickerScreen Input:focus {
        border: none; height: 1; padding: 0; margin-bottom: 1;
    }
    PickerScreen OptionList { height: auto; max-height: 20; border: none; padding: 0; }
    """

    def __init__(self, title: str, items: Sequence[PickItem], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="picker-title", markup=False)
            yield steady(FilterInput(placeholder="type to filter", id="picker-filter"))
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        needle = text.casefold().strip()
        shown: list[Option | None] = []
        group: str | None = None
        highlight: int | None = None
        for index, item in enumerate(self.items):
            haystack = f"{item.group or ''} {item.label} {item.mark}".casefold()
            if needle and needle not in haystack:
                continue
            if item.group is not None and item.group != group:
                group = item.group
                shown.append(
                    Option(Content.styled(item.group, "bold $text-secondary"), disabled=True)
                )
            prompt = Content(("  " if item.group else "") + item.label)
            if item.mark:
                style = {
                    "won": "$status-won",
                    "lost": "$status-lost",
                    "warning": "$text-warning",
                }.get(item.kind, "$text-muted")
                prompt = prompt + Content(" ") + Content.styled(item.mark, style)
            if item.value == self.current and highlight is None:
                highlight = len(shown)
            shown.append(Option(prompt, id=f"item-{index}"))
        options.set_options(shown)
        if highlight is None:
            highlight = next(
                (i for i, opt in enumerate(shown) if opt is not None and not opt.disabled), None
            )
        options.highlighted = highlight

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def pick_first(self, text: str) -> None:
        """Pick the value highlighted once the list is filtered by ``text`` (enter in the
        filter: the filter's own change messages may not have been handled yet)."""
        self._fill(text)
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id is not None:
            self._pick(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._pick(event.option.id)

    def _pick(self, option_id: str) -> None:
        self.dismiss(self.items[int(option_id.removeprefix("item-"))].value)

    def action_move(self, step: int) -> None:
        """Move the highlight while the filter keeps the focus."""
        move_cursor(self.query_one(OptionList), step)

    def action_cancel(self) -> None:
        """Close without picking."""
        self.dismiss(None)
