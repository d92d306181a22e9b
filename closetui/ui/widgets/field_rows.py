"""One row per opportunity field in the editor: a control by type, old -> new, the problem."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, TextArea

from closetui.display.field_values import describe
from closetui.edits import (
    Cleared,
    apply_change,
    current_value,
    format_input,
)
from closetui.ui.widgets.inputs import FixedInput, route_key, steady
from closetui.ui.widgets.line_static import LineStatic
from closetui.ui.widgets.pickers import PickButton, pick_items

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits import (
        Change,
        FieldSpec,
        OrgSchema,
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
    FieldRow.-steady { margin-bottom: 0; }
    FieldRow.-steady.-invalid { margin-bottom: 1; }
    FieldRow.-steady > .field-diff {
        display: block; height: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    FieldRow.-steady.-invalid > .field-diff { display: none; }
    FieldRow.-steady.-invalid > .field-diff.-changed { display: block; }
    """

    STEADY: ClassVar[bool] = False
    """The ``old -> new`` line is always there, one line high, in the place of the blank
    line between rows (the new value is in full in the control and the preview): a field
    that becomes changed, or a value growing as it is typed, never lays out the screen."""

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
        classes = "field-row -steady" if self.STEADY else "field-row"
        super().__init__(id="field-" + spec.key.replace(".", "-"), classes=classes)
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
        self._value = Label(
            describe(self.schema, self.spec, self.current), classes="field-value", markup=False
        )
        yield self._value
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
        # there (restyling the row would restyle all it holds).
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

    def retarget(self, opportunity: Opportunity, change: Change | None) -> None:
        """Show the same field of another opportunity (with its draft's ``change``): the
        editor keeps its rows when another opportunity opens instead of mounting new
        ones. :meth:`update_state` then shows the change and message."""
        self.opportunity = opportunity
        self.current = current_value(opportunity, self.spec)
        self.__dict__.pop("_old_text", None)  # the old value's text, cached
        self.change = change
        self._shown = None
        self.reset_control()

    def reset_control(self) -> None:
        """Show :attr:`current` (or the draft's value) in the control, as a new row would;
        no :class:`Edited` is posted (subclasses)."""
        self._value.update(describe(self.schema, self.spec, self.current))

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

    # ctrl+e is the inputs' own "end of line", and a letter would be typed: ctrl+g is free
    # in Input and TextArea, in the app and in tmux/screen; f10 is the F-key second.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+g,f10", "external_editor", "Editor", show=False, id="field.editor"),
    ]

    STEADY = True

    def original_text(self) -> str:
        """The record's value as input text."""
        return format_input(self.schema, self.spec, self.current)

    def control_start(self) -> str:
        """The text the control starts with: the record's, or the draft's."""
        if self.change is None:
            return self.original_text()
        return "" if isinstance(self.change, Cleared) else self._draft_text()

    def compose_control(self) -> ComposeResult:
        yield steady(
            FixedInput(
                self.control_start(),
                placeholder=PLACEHOLDERS.get(self.spec.kind, "empty"),
                id="control-" + self.spec.key.replace(".", "-"),
                select_on_focus=False,
            )
        )

    def _draft_text(self) -> str:
        return format_input(self.schema, self.spec, self.result)

    def reset_control(self) -> None:
        control = self.query_one(Input)
        text = self.control_start()
        with control.prevent(Input.Changed):
            control.value = text
        control.cursor_position = len(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.edited("text", event.value)

    def action_external_editor(self) -> None:
        """Edit the text in the user's editor ($VISUAL, $EDITOR); it comes back as if typed
        (the preview follows, the draft is saved)."""
        from closetui.ui.terminal import edit_externally

        new = edit_externally(self, self.control_text())
        if new is not None:
            self.put_text(new)

    def control_text(self) -> str:
        """The text in the control now."""
        return self.query_one(Input).value

    def put_text(self, text: str) -> None:
        """Put ``text`` in the control as typing would (one line: line breaks become spaces)."""
        if "\n" in text:
            text = " ".join(text.splitlines())
            self.notify("One-line field: the line breaks became spaces.", markup=False)
        self.query_one(Input).value = text

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
        yield steady(
            OrderedTextArea(
                self.control_start(),
                id="control-" + self.spec.key.replace(".", "-"),
                soft_wrap=True,
            )
        )

    def reset_control(self) -> None:
        control = self.query_one(TextArea)
        with control.prevent(TextArea.Changed):
            control.load_text(self.control_start())  # and its undo history goes

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.edited("text", event.text_area.text)

    def control_text(self) -> str:
        """The text in the control now."""
        return self.query_one(TextArea).text

    def put_text(self, text: str) -> None:
        """Put ``text`` in the control as typing would (ctrl+z takes it back)."""
        area = self.query_one(TextArea)
        area.replace(text, area.document.start, area.document.end)

    def action_clear(self) -> None:
        """Empty the text (which clears the field)."""
        self.query_one(TextArea).text = ""

    def action_revert(self) -> None:
        """Put the record's text back."""
        self.query_one(TextArea).text = self.original_text()


class PickRow(FieldRow):
    """A single value picked from a list: status (by pipeline), choices, owner, period."""

    STEADY = True  # a pick, or a card moved on the board, repaints only this row

    def compose_control(self) -> ComposeResult:
        yield PickButton(
            self.spec.label,
            pick_items(self.schema, self.spec),
            id="control-" + self.spec.key.replace(".", "-"),
        )

    def reset_control(self) -> None:
        """The button follows the draft (:meth:`refresh_control`)."""

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
