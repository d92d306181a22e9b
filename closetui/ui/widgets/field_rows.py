"""One row per opportunity field in the editor: a control by type, old -> new, the problem."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from closetui.edits import (
    Cleared,
    apply_change,
    current_value,
    format_input,
)
from closetui.ui import format as fmt
from closetui.ui.widgets.inputs import FixedInput, route_key, steady
from closetui.ui.widgets.line_static import LineStatic
from closetui.ui.widgets.pickers import PickButton, pick_items

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits import (
        Change,
        FieldSpec,
        OrgSchema,
        Scalar,
        Value,
    )

EditKind = Literal["text", "set", "clear", "revert", "add", "remove", "add_text"]
"""What a row asks the editor to do to its field."""

PLACEHOLDERS = {
    "date": "YYYY-MM-DD, today, yesterday, +3d, -1w",
    "datetime": "2026-11-28T10:00:00+01:00",
    "money": "1,250.50",
    "number": "a number",
    "confidence": "0-100",
    "contact": "cont_…",
}


def describe(schema: OrgSchema, spec: FieldSpec, value: Value | None) -> str:
    """A field value as people read it: money with a symbol, status and user by name."""
    if value is None or value == ():
        return "—"
    if isinstance(value, tuple):
        return ", ".join(describe(schema, spec, item) for item in value)
    if spec.kind == "money" and isinstance(value, int):
        return fmt.money(value)
    if spec.kind == "status" and isinstance(value, str):
        return schema.status_name(value)
    if spec.kind == "user" and isinstance(value, str):
        user = schema.user(value)
        return user.full_name if user is not None else value
    if spec.kind == "value_period" and isinstance(value, str):
        return fmt.period_name(value)
    if spec.kind == "confidence":
        return f"{value}%"
    return fmt.one_line(format_input(schema, spec, value), 120)


class FieldRow(Vertical):
    """Title, control, ``old -> new`` and the field's message; posts :class:`Edited`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+delete,f3", "clear", "Clear", id="field.clear"),
        Binding("f4", "revert", "Undo", id="field.revert"),
    ]

    DEFAULT_CSS = """
    FieldRow { height: auto; margin-bottom: 1; }
    FieldRow > .field-title { color: $text-muted; }
    FieldRow > .field-title.-changed { color: $text-warning; text-style: bold; }
    FieldRow > .field-diff { color: $text-warning; display: none; width: 1fr; }
    FieldRow > .field-diff.-changed { display: block; }
    FieldRow > .field-message { color: $text-error; display: none; width: 1fr; }
    FieldRow.-invalid > .field-message { display: block; }
    FieldRow.-invalid > .field-title { color: $text-error; }
    FieldRow Input { border: none; height: 1; padding: 0 1; background: $boost; }
    FieldRow Input:focus { border: none; background: $primary-muted; }
    FieldRow TextArea { height: 4; border: none; padding: 0 1; background: $boost; }
    FieldRow TextArea:focus { border: none; background: $primary-muted; }
    FieldRow > .field-value { padding: 0 1; color: $text-muted; width: 1fr; }
    """

    @dataclass
    class Edited(Message):
        """The user changed this field: ``kind`` says how, ``payload`` carries the input."""

        row: FieldRow
        kind: EditKind
        payload: Any = None

        @property
        def key(self) -> str:
            """The key of the field that was edited."""
            return self.row.spec.key

    def __init__(
        self, spec: FieldSpec, schema: OrgSchema, opportunity: Opportunity, change: Change | None
    ) -> None:
        super().__init__(id="field-" + spec.key.replace(".", "-"), classes="field-row")
        self.spec = spec
        self.schema = schema
        self.opportunity = opportunity
        self.change = change
        self.current: Value | None = current_value(opportunity, spec)
        """The value on record (what the server last said)."""

    @property
    def result(self) -> Value | None:
        """The value after the draft's change."""
        return apply_change(self.spec, self.current, self.change)

    def compose(self) -> ComposeResult:
        title = self.spec.label + ("" if self.spec.editable else "  (read-only)")
        self._title = Label(title, classes="field-title", markup=False)
        yield self._title
        yield from self.compose_control()
        self._diff = LineStatic(classes="field-diff")
        self._message = LineStatic(classes="field-message")
        yield self._diff
        yield self._message

    def compose_control(self) -> ComposeResult:
        """The control that edits this field (subclasses)."""
        yield Label(
            describe(self.schema, self.spec, self.current), classes="field-value", markup=False
        )
        if self.spec.read_only:
            yield Label(self.spec.read_only, classes="field-value", markup=False)

    def on_mount(self) -> None:
        self.update_state(self.change, None)

    _shown: tuple[Change | None, str | None] | None = None
    """The (change, message) last shown, to skip no-op updates."""
    _texts: tuple[str, str] = ("", "")
    """The diff and message texts on show."""

    def update_state(self, change: Change | None, message: str | None) -> None:
        """Show the draft's change (``old -> new``) and the message under the field."""
        # The editor asks every row after every change; a row whose change and message did
        # not move must not touch its labels, and a label whose text keeps its height is
        # repainted without laying out the screen (a keystroke's cost).
        if self._shown is not None and self._shown == (change, message):
            return
        self._shown = (change, message)
        self.change = change
        # `-changed` styles the title and the old -> new line: it is set on those two
        # (each restyled alone) and on the row without restyling it, as no style reads it
        # there (restyling the row restyles all it holds: ~10 ms on a first change).
        changed = change is not None
        self.set_class(changed, "-changed", update=False)
        self._title.set_class(changed, "-changed")
        self._diff.set_class(changed, "-changed")
        self.set_class(bool(message), "-invalid")
        diff = ""
        if change is not None:
            new = "(cleared)" if isinstance(change, Cleared) else self._new_text()
            diff = f"{self._old_text} → {new}"
        texts = (diff, message or "")
        for label, old, text in zip((self._diff, self._message), self._texts, texts, strict=True):
            if text != old:
                label.show(text)  # only its changed lines repainted, no layout
        self._texts = texts
        self.refresh_control()

    @cached_property
    def _old_text(self) -> str:
        """The value on record as the ``old -> new`` line shows it."""
        return describe(self.schema, self.spec, self.current)

    def _new_text(self) -> str:
        return describe(self.schema, self.spec, self.result)

    def refresh_control(self) -> None:
        """Bring the control in line with the draft (subclasses)."""

    def edited(self, kind: EditKind, payload: Any = None) -> None:
        """Tell the editor what the user did."""
        if self.spec.editable:
            self.post_message(self.Edited(self, kind, payload))

    def action_clear(self) -> None:
        """Clear this field (``null`` in the body)."""
        self.edited("clear")

    def action_revert(self) -> None:
        """Leave this field untouched again."""
        self.edited("revert")


class TextRow(FieldRow):
    """A one-line input; the text is parsed by the edits layer on every keystroke."""

    # The old -> new line is always there, one line high, in the place of the blank line
    # between rows (the new value is in full in the input and the preview): a field that
    # becomes changed, or a value growing as it is typed, never re-lays out the screen.
    DEFAULT_CSS = """
    TextRow.field-row { margin-bottom: 0; }
    TextRow.field-row.-invalid { margin-bottom: 1; }
    TextRow.field-row > .field-diff {
        display: block; height: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    TextRow.field-row.-invalid > .field-diff { display: none; }
    TextRow.field-row.-invalid > .field-diff.-changed { display: block; }
    """

    def original_text(self) -> str:
        """The record's value as input text."""
        return format_input(self.schema, self.spec, self.current)

    def compose_control(self) -> ComposeResult:
        text = self.original_text()
        if self.change is not None:
            text = "" if isinstance(self.change, Cleared) else self._draft_text()
        yield steady(
            FixedInput(
                text,
                placeholder=PLACEHOLDERS.get(self.spec.kind, "empty"),
                id="control-" + self.spec.key.replace(".", "-"),
                select_on_focus=False,
            )
        )

    def _draft_text(self) -> str:
        return format_input(self.schema, self.spec, self.result)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited("text", event.value)

    def action_clear(self) -> None:
        """Empty the input (which clears the field)."""
        self.query_one(Input).value = ""

    def action_revert(self) -> None:
        """Put the record's value back in the input."""
        self.query_one(Input).value = self.original_text()


class OrderedTextArea(TextArea):
    """A ``TextArea`` that applies keys in the order they were typed (``route_key``)."""

    async def on_key(self, event: events.Key) -> None:
        """Apply the key in the order typed (``route_key``); TextArea inserts text."""
        text = not self.read_only and (event.is_printable or event.key == "enter")
        await route_key(self, event, text=text)


class TextAreaRow(TextRow):
    """Multi-line text (notes, ``textarea`` custom fields)."""

    def compose_control(self) -> ComposeResult:
        text = self.original_text()
        if self.change is not None:
            text = "" if isinstance(self.change, Cleared) else self._draft_text()
        yield steady(
            OrderedTextArea(text, id="control-" + self.spec.key.replace(".", "-"), soft_wrap=True)
        )

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.edited("text", event.text_area.text)

    def action_clear(self) -> None:
        """Empty the text (which clears the field)."""
        self.query_one(TextArea).text = ""

    def action_revert(self) -> None:
        """Put the record's text back."""
        self.query_one(TextArea).text = self.original_text()


class PickRow(FieldRow):
    """A single value picked from a list: status (by pipeline), choices, owner, period."""

    def compose_control(self) -> ComposeResult:
        yield PickButton(
            self.spec.label,
            pick_items(self.schema, self.spec),
            id="control-" + self.spec.key.replace(".", "-"),
        )

    def refresh_control(self) -> None:
        button = self.query_one(PickButton)
        value = self.result
        button.value = value if isinstance(value, str) else None
        button.text = describe(self.schema, self.spec, value)

    @on(PickButton.Picked)
    def _picked(self, event: PickButton.Picked) -> None:
        event.stop()
        if event.value == self.current:
            self.edited("revert")
        else:
            self.edited("set", event.value)


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


def make_row(
    spec: FieldSpec, schema: OrgSchema, opportunity: Opportunity, change: Change | None
) -> FieldRow:
    """The right row for a field's kind (read-only fields get a plain row)."""
    if not spec.editable:
        cls: type[FieldRow] = FieldRow
    elif spec.multi:
        cls = MultiRow
    elif spec.kind in ("status", "choices", "user", "value_period"):
        cls = PickRow
    elif spec.key == "note" or (
        spec.custom_field is not None and spec.custom_field.type == "textarea"
    ):
        cls = TextAreaRow
    else:
        cls = TextRow
    return cls(spec, schema, opportunity, change)
