"""The bulk-edit composer: a few "field, operation, value" lines applied to every marked row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from closetui.bulk import BulkPlan, plan_bulk
from closetui.bulk.ops import (
    OP_LABELS,
    BulkOp,
    bulk_specs,
    check_ops,
    kinds_for,
    plan_notes,
)
from closetui.bulk.ops import draft_for as ops_draft
from closetui.ui.widgets.inputs import OrderedInput, steady
from closetui.ui.widgets.key_bar import KeyBar
from closetui.ui.widgets.picker_screen import PickItem
from closetui.ui.widgets.pickers import PickButton, pick_items

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.bulk.ops import (
        OpKind,
    )
    from closetui.edits import FieldSpec, OrgSchema

PREVIEW_ROWS = 500
"""Rows planned live on each keystroke (keeps typing instant); all are planned on review."""


def _suggestions(schema: OrgSchema, spec: FieldSpec) -> list[str]:
    """What the value input completes: labels people type (``Won``, ``Ada Lovelace``)."""
    if spec.kind == "status":
        labels = {status.label for pipeline in schema.pipelines for status in pipeline.statuses}
        return sorted(labels)
    if spec.kind == "date":
        return ["today", "yesterday"]
    return [item.label for item in pick_items(schema, spec)]


class OpLine(Horizontal):
    """One operation: field ▾  operation ▾  value, and its problem underneath."""

    DEFAULT_CSS = """
    OpLine { height: auto; }
    OpLine PickButton { width: 24; margin-right: 1; }
    OpLine .op-kind { width: 12; }
    OpLine Input, OpLine Input:focus { border: none; height: 1; padding: 0 1; width: 1fr; }
    OpLine Input { background: $boost; }
    """

    def __init__(self, schema: OrgSchema, op: BulkOp) -> None:
        super().__init__()
        self.schema = schema
        self.op = op

    def compose(self) -> ComposeResult:
        fields = [
            PickItem(spec.key, spec.label, group="Custom fields" if spec.custom_field else "Fields")
            for spec in bulk_specs(self.schema)
        ]
        field = PickButton("Field", fields)
        field.add_class("op-field")
        field.value = self.op.key
        field.text = self._spec.label
        yield field
        kind = PickButton("Operation", self._kind_items())
        kind.add_class("op-kind")
        kind.value = self.op.kind
        kind.text = OP_LABELS[self.op.kind]
        yield kind
        yield steady(
            OrderedInput(
                self.op.text,
                placeholder=self._placeholder(),
                suggester=SuggestFromList(
                    _suggestions(self.schema, self._spec), case_sensitive=False
                ),
                disabled=self.op.kind == "clear",
                classes="op-value",
            )
        )

    @property
    def _spec(self) -> FieldSpec:
        spec = self.schema.spec_for_key(self.op.key)
        assert spec is not None
        return spec

    def _kind_items(self) -> list[PickItem]:
        return [PickItem(kind, OP_LABELS[kind]) for kind in kinds_for(self._spec)]

    def _placeholder(self) -> str:
        if self.op.kind == "clear":
            return "(clears the field on every row)"
        hints = {"status": "e.g. Won — each row's own pipeline", "date": "YYYY-MM-DD, today, -1w"}
        return hints.get(self._spec.kind, "value")

    def set_op(self, op: BulkOp) -> None:
        """Show ``op`` (after a field or operation was picked)."""
        field_changed = op.key != self.op.key
        self.op = op
        field, kind = self.query(PickButton)
        field.value, field.text = op.key, self._spec.label
        kind.items = self._kind_items()
        kind.value, kind.text = op.kind, OP_LABELS[op.kind]
        value = self.query_one(Input)
        value.disabled = op.kind == "clear"
        value.placeholder = self._placeholder()
        if field_changed:
            value.suggester = SuggestFromList(
                _suggestions(self.schema, self._spec), case_sensitive=False
            )
            value.value = ""


class BulkEditScreen(Screen[BulkPlan | None]):
    """Compose one change for many opportunities; dismisses with the plan to review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r,f5", "review", "Review", priority=True, id="bulk.review"),
        Binding("ctrl+n", "add_line", "Add change", priority=True, id="bulk.add"),
        Binding("f3", "drop_line", "Drop change", id="bulk.drop"),
        Binding("escape", "cancel", "Cancel", id="bulk.cancel"),
    ]

    DEFAULT_CSS = """
    BulkEditScreen { background: $surface; }
    BulkEditScreen #bulk-title { text-style: bold; color: $text-primary; padding: 0 1; }
    BulkEditScreen #bulk-lines { height: auto; max-height: 60%; padding: 0 1; }
    BulkEditScreen .op-problem { color: $text-error; padding: 0 1 0 26; }
    BulkEditScreen #bulk-notes { color: $text-warning; padding: 1 1 0 1; }
    BulkEditScreen #bulk-summary { padding: 1 1 0 1; text-style: bold; }
    BulkEditScreen #bulk-help { color: $text-muted; padding: 1 1 0 1; }
    """

    def __init__(
        self, opportunities: Sequence[Opportunity], schema: OrgSchema, *, title: str = ""
    ) -> None:
        super().__init__()
        self.opportunities = list(opportunities)
        self.schema = schema
        self.title_text = title or f"Bulk edit · {len(self.opportunities):,} marked opportunities"
        self.ops: list[BulkOp] = [BulkOp("status_id", "set")]
        self.problems: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, id="bulk-title", markup=False)
        yield VerticalScroll(id="bulk-lines")
        with Vertical():
            yield Static("", id="bulk-notes", markup=False)
            yield Static("", id="bulk-summary", markup=False)
            yield Static(
                "enter on a field or operation opens a picker · tab moves · ctrl+n adds a "
                "change · f3 drops one · ctrl+r reviews every request before anything is sent",
                id="bulk-help",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self._refresh_lines()
        self.call_after_refresh(lambda: self.query(PickButton).first().focus())

    # -- lines ---------------------------------------------------------------------

    def _refresh_lines(self) -> None:
        """Rebuild the line widgets from :attr:`ops` (few lines: cheap)."""
        box = self.query_one("#bulk-lines", VerticalScroll)
        box.remove_children()
        for op in self.ops:
            box.mount(OpLine(self.schema, op))
            box.mount(Label("", classes="op-problem", markup=False))
        self.call_after_refresh(self._recheck)

    def _lines(self) -> list[OpLine]:
        return list(self.query(OpLine))

    def _index_of(self, widget: object) -> int | None:
        for index, line in enumerate(self._lines()):
            node = widget
            while node is not None:
                if node is line:
                    return index
                node = getattr(node, "parent", None)
        return None

    @on(PickButton.Picked)
    def _picked(self, event: PickButton.Picked) -> None:
        event.stop()
        index = self._index_of(event.button)
        if index is None:
            return
        line = self._lines()[index]
        op = self.ops[index]
        if event.button.has_class("op-field"):
            spec = self.schema.spec_for_key(event.value)
            if spec is None:
                return
            kind: OpKind = op.kind if op.kind in kinds_for(spec) else "set"
            op = BulkOp(event.value, kind, "")
        else:
            op = BulkOp(op.key, event.value, op.text)  # type: ignore[arg-type]
        self.ops[index] = op
        line.set_op(op)
        self._recheck()

    @on(Input.Changed, ".op-value")
    def _typed(self, event: Input.Changed) -> None:
        index = self._index_of(event.input)
        if index is None:
            return
        op = self.ops[index]
        self.ops[index] = BulkOp(op.key, op.kind, event.value)
        self._recheck()

    def action_add_line(self) -> None:
        """Add another change (the first field not used yet)."""
        used = {op.key for op in self.ops}
        spec = next((s for s in bulk_specs(self.schema) if s.key not in used), None)
        if spec is None:
            self.notify("Every field already has a change.", severity="warning")
            return
        self.ops.append(BulkOp(spec.key, "set"))
        box = self.query_one("#bulk-lines", VerticalScroll)
        line = OpLine(self.schema, self.ops[-1])
        box.mount(line)
        box.mount(Label("", classes="op-problem", markup=False))
        self.call_after_refresh(lambda: line.query(PickButton).first().focus())
        self.call_after_refresh(self._recheck)

    def action_drop_line(self) -> None:
        """Drop the change that has the focus."""
        index = self._index_of(self.focused)
        if index is None or len(self.ops) == 1:
            self.notify("Nothing to drop: keep at least one change, or esc.", severity="warning")
            return
        del self.ops[index]
        self._refresh_lines()

    # -- checking --------------------------------------------------------------------

    def _recheck(self) -> None:
        sample = self.opportunities[:PREVIEW_ROWS]
        self.problems = check_ops(self.ops, self.schema, sample)
        # A line still waiting for its value is not an error yet: say what is missing below.
        waiting = [i for i, op in enumerate(self.ops) if op.kind != "clear" and not op.text.strip()]
        labels = list(self.query(".op-problem").results(Label))
        for index, label in enumerate(labels):
            shown = index in self.problems and index not in waiting
            label.update(self.problems.get(index, "") if shown else "")
            label.display = shown
        notes = self.query_one("#bulk-notes", Static)
        summary = self.query_one("#bulk-summary", Static)
        if self.problems:
            notes.update("")
            if set(self.problems) <= set(waiting):
                names = ", ".join(self.ops[i].describe(self.schema).split(":")[0] for i in waiting)
                summary.update(f"Type a value for {names} (or pick the clear operation).")
            else:
                summary.update("Fix the changes marked above to see what would be sent.")
            return
        plan = self.plan(sample)
        notes.update("\n".join(plan_notes(plan, self.schema)))  # the plan's drafts, not new ones
        more = len(self.opportunities) - len(sample)
        suffix = f" (first {len(sample):,}; {more:,} more planned on review)" if more else ""
        summary.update(f"{plan.summary()}{suffix}")

    def plan(self, opportunities: Sequence[Opportunity] | None = None) -> BulkPlan:
        """The plan of the current changes over ``opportunities`` (default: all marked)."""
        rows = self.opportunities if opportunities is None else opportunities
        return plan_bulk(rows, ops_draft(self.ops, self.schema), self.schema)

    def action_review(self) -> None:
        """Dismiss with the plan, unless a change is wrong or nothing would be sent."""
        self._recheck()
        if self.problems:
            first = min(self.problems)
            self.notify(
                f"Change {first + 1}: {self.problems[first]}", severity="error", markup=False
            )
            return
        plan = self.plan()
        if not plan.jobs:
            self.notify(f"Nothing to send: {plan.summary()}.", severity="warning")
            return
        self.dismiss(plan)

    def action_cancel(self) -> None:
        """Leave without sending anything."""
        self.dismiss(None)
