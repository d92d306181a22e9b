"""A focusable value that opens a picker (status by pipeline, choices, users, periods)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from closetui.display import format as fmt
from closetui.edits.fields import VALUE_PERIODS
from closetui.ui.widgets.in_place import update_in_place
from closetui.ui.widgets.inputs import route_key
from closetui.ui.widgets.picker_screen import PickerScreen, PickItem

if TYPE_CHECKING:
    from closetui.api.models import Pipeline
    from closetui.edits import FieldSpec, OrgSchema


def status_items(pipelines: Sequence[Pipeline]) -> list[PickItem]:
    """Statuses grouped by pipeline, won and lost marked."""
    return [
        PickItem(
            status.id,
            status.label,
            group=pipeline.name,
            mark={"won": "✓ won", "lost": "✗ lost"}.get(status.type, ""),
            kind=status.type,
        )
        for pipeline in pipelines
        for status in pipeline.statuses
    ]


def pick_items(schema: OrgSchema, spec: FieldSpec) -> list[PickItem]:
    """What a field can be set to: statuses grouped by pipeline, choices, users, periods."""
    if spec.kind == "status":
        return status_items(schema.pipelines)
    if spec.kind == "user":
        return [PickItem(user.id, user.full_name, mark=user.email or "") for user in schema.users]
    if spec.kind == "value_period":
        return [PickItem(period, fmt.period_name(period)) for period in VALUE_PERIODS]
    return [PickItem(choice, choice) for choice in spec.choices]


class PickButton(Static, can_focus=True):
    """Shows a value; enter or space opens the picker and posts :class:`Picked`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "pick", "Pick", id="field.pick")
    ]

    DEFAULT_CSS = """
    PickButton { padding: 0 1; background: $boost; width: 1fr; height: 1; }
    PickButton:focus { background: $primary-muted; text-style: bold; }
    """

    text: reactive[str] = reactive("")
    """What is shown: the picked value as people read it."""

    @dataclass
    class Picked(Message):
        """A value was picked."""

        button: PickButton
        value: str

    def __init__(
        self,
        title: str,
        items: Sequence[PickItem],
        *,
        label: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id, markup=False)
        self.title = title
        self.items = list(items)
        self.value: str | None = None
        """The picked value (highlighted when the picker opens)."""
        self.exclude: frozenset[str] = frozenset()
        """Values not offered (items a multi-value field already has)."""
        self.fixed_label = label
        if label is not None:
            self.text = label

    async def on_key(self, event: events.Key) -> None:
        """Run the key's binding in the order typed: a tab and the characters behind it
        in one read land in the next field, not here (``route_key``)."""
        await route_key(self, event, text=False)

    def render_text(self) -> str:
        """The button's text with a hint that it opens a picker."""
        return f"{self.fixed_label or self.text}  ▾"

    def watch_text(self) -> None:
        # One line, as wide as its row: a new value repaints the button, not the screen.
        update_in_place(self, self.render_text())

    def on_mount(self) -> None:
        self.update(self.render_text())

    def action_pick(self) -> None:
        """Open the picker."""
        items = [item for item in self.items if item.value not in self.exclude]
        self.app.push_screen(PickerScreen(self.title, items, self.value), self._picked)

    def _picked(self, value: str | None) -> None:
        if value is not None:
            self.post_message(self.Picked(self, value))

    def on_click(self) -> None:
        self.focus()
        self.action_pick()
