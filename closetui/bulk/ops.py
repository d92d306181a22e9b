"""Bulk edit operations: "set Status to Won", "add urgent to Tags" — one draft per row.

A bulk edit is a short list of :class:`BulkOp` typed by the user. The same words mean
different things on different rows ("Won" is a different status in each pipeline; "add"
depends on what a row already holds), so :func:`draft_for` turns the operations into a
function that builds each opportunity's draft — exactly what :func:`plan_bulk` takes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from closetui.bulk.plan import plan_bulk
from closetui.edits import Draft, FieldProblem, notes

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.bulk.plan import BulkPlan
    from closetui.edits import FieldSpec, OrgSchema

OpKind = Literal["set", "add", "remove", "clear"]
"""What an operation does to its field."""

OP_LABELS: dict[OpKind, str] = {
    "set": "set to",
    "add": "add",
    "remove": "remove",
    "clear": "clear",
}
"""How each kind reads in the UI ("Tags: add urgent")."""


@dataclass(frozen=True)
class BulkOp:
    """One change applied to every marked opportunity."""

    key: str
    """The field's key (``status_id``, ``custom.cf_...``)."""
    kind: OpKind
    text: str = ""
    """What the user typed (ignored by ``clear``)."""

    def describe(self, schema: OrgSchema) -> str:
        """``Tags: add urgent`` / ``Date won: clear``."""
        spec = schema.spec_for_key(self.key)
        label = spec.label if spec is not None else self.key
        if self.kind == "clear":
            return f"{label}: clear"
        return f"{label}: {OP_LABELS[self.kind]} {self.text.strip()}"


def bulk_specs(schema: OrgSchema) -> tuple[FieldSpec, ...]:
    """The fields a bulk edit may change: every editable field but the note."""
    return tuple(s for s in schema.editable_specs() if s.key != "note")


def kinds_for(spec: FieldSpec) -> tuple[OpKind, ...]:
    """The operations that make sense for ``spec``."""
    kinds: list[OpKind] = ["set"]
    if spec.multi:
        kinds += ["add", "remove"]
    if spec.clearable:
        kinds.append("clear")
    return tuple(kinds)


def apply_op(
    draft: Draft, op: BulkOp, schema: OrgSchema, opportunity: Opportunity | None = None
) -> Draft | FieldProblem:
    """``draft`` with ``op`` applied for ``opportunity`` (None: checked without a row)."""
    spec = schema.spec_for_key(op.key)
    if spec is None:
        return FieldProblem(f"Unknown field {op.key!r}.")
    if spec.read_only is not None:
        return FieldProblem(spec.read_only)
    if op.kind not in kinds_for(spec):
        return FieldProblem(f"{spec.label} cannot be changed with {op.kind!r}.")
    if op.kind == "clear":
        return draft.with_cleared(spec.key)
    if not op.text.strip():
        return FieldProblem(f"{spec.label}: type a value (or choose clear).")
    if op.kind == "add":
        return draft.add_text(schema, spec.key, op.text)
    if op.kind == "remove":
        return draft.remove_text(schema, spec.key, op.text)
    return draft.set_text(schema, spec.key, op.text, opportunity=opportunity)


def check_ops(
    ops: Sequence[BulkOp], schema: OrgSchema, sample: Iterable[Opportunity] = ()
) -> dict[int, str]:
    """Problems by operation index, found before any row is planned.

    An operation is checked against each ``sample`` opportunity (its pipeline scopes status
    labels) and reported when it fails on every one of them; per-row failures show up as
    invalid rows in the plan instead. Two operations on one field are refused.
    """
    problems: dict[int, str] = {}
    seen: dict[str, int] = {}
    rows: list[Opportunity | None] = [*sample] or [None]
    for index, op in enumerate(ops):
        if op.key in seen:
            problems[index] = "This field already has an operation above; combine them there."
            continue
        seen[op.key] = index
        found: list[FieldProblem] = []
        for row in rows:
            result = apply_op(Draft(), op, schema, row)
            if not isinstance(result, FieldProblem):
                break
            found.append(result)
        else:
            problems[index] = found[0].message
    return problems


def draft_for(
    ops: Sequence[BulkOp], schema: OrgSchema
) -> Callable[[Opportunity], Draft | FieldProblem]:
    """A function building each opportunity's draft (for :func:`plan_bulk`)."""
    frozen = tuple(ops)

    def build(opportunity: Opportunity) -> Draft | FieldProblem:
        draft = Draft()
        for op in frozen:
            result = apply_op(draft, op, schema, opportunity)
            if isinstance(result, FieldProblem):
                return result
            draft = result
        return draft

    return build


def plan_notes(plan: BulkPlan, schema: OrgSchema) -> list[str]:
    """What the server will do beyond the bodies, counted over the rows that will be sent.

    ``3 of 5: The server will set date_won to …``
    """
    rows = [(j.before, j.draft) for j in plan.jobs if j.before is not None and j.draft is not None]
    counts: Counter[str] = Counter()
    for opportunity, draft in rows:
        for message in dict.fromkeys(n.message for n in notes(opportunity, draft, schema)):
            counts[message] += 1
    return [f"{count} of {len(rows)}: {message}" for message, count in counts.items()]


def bulk_notes(
    opportunities: Iterable[Opportunity], ops: Sequence[BulkOp], schema: OrgSchema
) -> list[str]:
    """:func:`plan_notes` of ``ops`` planned over ``opportunities``."""
    return plan_notes(plan_bulk(opportunities, draft_for(ops, schema), schema), schema)
