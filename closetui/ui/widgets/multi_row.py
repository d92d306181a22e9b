"""A multi-value field's row in the editor: its items as chips, and a way to add one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from closetui.display.field_values import describe
from closetui.ui.widgets.field_rows import PLACEHOLDERS, FieldRow
from closetui.ui.widgets.inputs import FixedInput, route_key, steady
from closetui.ui.widgets.pickers import PickButton, pick_items

if TYPE_CHECKING:
    from closetui.edits import Change, Scalar


class ItemChip(Static, can_focus=True):
    """One item of a multi-value field; delete removes it (or undoes a removal)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace,x", "toggle_item", "Remove item", id="field.remove_item")
    ]

    DEFAULT_CSS = """
    ItemChip { padding: 0 1; width: auto; background: $boost; margin-right: 1; }
    ItemChip:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    ItemChip.-added { color: $diff-added; }
    ItemChip.-removed { color: $diff-removed; text-style: strike; }
    """

    def __init__(self, item: Scalar, text: str, state: str) -> None:
        mark = {"added": "+ ", "removed": "\u2212 "}.get(state, "")
        super().__init__(mark + text, classes=f"-{state}", markup=False)
        self.item = item
        self.state = state

    async def on_key(self, event: events.Key) -> None:
        """Run the key's binding in the order typed (``route_key``)."""
        await route_key(self, event, text=False)

    def action_toggle_item(self) -> None:
        """Remove this item, or bring back an item marked for removal."""
        row = next(a for a in self.ancestors if isinstance(a, MultiRow))
        row.edited("add" if self.state == "removed" else "remove", self.item)


class MultiRow(FieldRow):
    """A multi-value field: its items (delete removes) and a way to add one."""

    DEFAULT_CSS = """
    MultiRow > .items { height: auto; layout: horizontal; }
    MultiRow .add-input { width: 1fr; }
    """

    def compose_control(self) -> ComposeResult:
        yield Horizontal(classes="items")
        if self.spec.kind in ("choices", "user"):
            yield PickButton(
                "Add to " + self.spec.label,
                pick_items(self.schema, self.spec),
                label="+ add…",
                id="control-" + self.spec.key.replace(".", "-"),
            )
        else:
            yield steady(
                FixedInput(
                    placeholder="add: " + PLACEHOLDERS.get(self.spec.kind, "text") + " + enter",
                    classes="add-input",
                    id="control-" + self.spec.key.replace(".", "-"),
                )
            )

    def reset_control(self) -> None:
        """An empty add input; the chips follow the draft (:meth:`refresh_control`)."""
        for box in self.query(".add-input").results(Input):
            with box.prevent(Input.Changed):
                box.value = ""

    def _chips(self) -> list[Widget]:
        have = self.current if isinstance(self.current, tuple) else ()
        want = self.result if isinstance(self.result, tuple) else ()
        chips: list[Widget] = []
        for item in want:
            state = "kept" if item in have else "added"
            chips.append(ItemChip(item, describe(self.schema, self.spec, item), state))
        for item in have:
            if item not in want:
                chips.append(ItemChip(item, describe(self.schema, self.spec, item), "removed"))
        if not chips:
            chips.append(Label("(none)", classes="field-value"))
        return chips

    def refresh_control(self) -> None:
        box = self.query_one(".items", Horizontal)
        focused = self.screen.focused if self.is_attached else None
        index = next((i for i, c in enumerate(box.children) if c is focused), None)
        box.remove_children()
        chips = self._chips()
        box.mount_all(chips)
        if index is not None:
            target = chips[min(index, len(chips) - 1)]
            if target.can_focus:
                self.call_after_refresh(target.focus)
        want = self.result if isinstance(self.result, tuple) else ()
        for picker in self.query(PickButton):
            picker.exclude = frozenset(str(item) for item in want)

    def _new_text(self) -> str:
        have = self.current if isinstance(self.current, tuple) else ()
        want = self.result if isinstance(self.result, tuple) else ()
        added = [describe(self.schema, self.spec, i) for i in want if i not in have]
        removed = [describe(self.schema, self.spec, i) for i in have if i not in want]
        changes = [f"+{a}" for a in added] + [f"\u2212{r}" for r in removed]
        return describe(self.schema, self.spec, want) + (
            f"  ({', '.join(changes)})" if changes else ""
        )

    @on(PickButton.Picked)
    def _picked(self, event: PickButton.Picked) -> None:
        event.stop()
        self.edited("add", event.value)

    def update_state(self, change: Change | None, message: str | None) -> None:
        """As for every row; a valid addition also empties the add input."""
        if change != self.change and not message:
            for box in self.query(".add-input").results(Input):
                box.value = ""
        super().update_state(change, message)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.edited("add_text", event.value)

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        event.stop()
