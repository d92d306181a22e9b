"""Field-level "old -> new" lines for request bodies and drafts, as the review screens show them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from closetui.bulk import StaleChange
from closetui.display import format as fmt
from closetui.display.field_values import describe
from closetui.edits import (
    Change,
    Cleared,
    Draft,
    FieldSpec,
    MultiEdit,
    OrgSchema,
    SetTo,
    Value,
    apply_change,
    current_value,
    from_json,
)

if TYPE_CHECKING:
    from closetui.api.models import Opportunity


@dataclass(frozen=True)
class FieldChange:
    """One field a request changes: its label and the value before and after, as text."""

    key: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class StaleRow:
    """One field in the stale-edit dialog: base, their value now, and the draft's."""

    key: str
    label: str
    base: str
    theirs: str
    """Their value now (same as ``base`` when they did not change it)."""
    mine: str
    """What the draft sets ("" when the draft leaves it alone)."""
    changed_by_them: bool
    conflict: bool
    """Both changed it: sending the draft replaces their value."""


def field_name(key: str) -> str:
    """A body key without its ``.add``/``.remove`` suffix."""
    return key.removesuffix(".add").removesuffix(".remove")


def body_changes(
    before: Opportunity | None, body: Mapping[str, Any], schema: OrgSchema | None
) -> list[FieldChange]:
    """What ``body`` does to ``before``, field by field (``.add``/``.remove`` folded in)."""
    starts: dict[str, Value | None] = {}
    results: dict[str, Value | None] = {}
    specs: dict[str, FieldSpec] = {}
    raw_rows: dict[str, FieldChange] = {}
    for key, raw in body.items():
        name = field_name(key)
        spec = schema.spec_for_key(name) if schema is not None else None
        if spec is None:
            old = _raw_text(before.model_dump(mode="json").get(name)) if before else "?"
            raw_rows[name] = FieldChange(name, name, old, _raw_text(raw))
            continue
        specs[name] = spec
        if name not in starts:
            starts[name] = current_value(before, spec) if before is not None else None
            results[name] = starts[name]
        results[name] = _after_key(spec, key, raw, results[name])
    rows: list[FieldChange] = []
    for key in body:
        name = field_name(key)
        if name in raw_rows:
            rows.append(raw_rows.pop(name))
        elif name in specs and schema is not None:
            spec = specs.pop(name)
            old = describe(schema, spec, starts[name]) if before is not None else "?"
            rows.append(FieldChange(name, spec.label, old, describe(schema, spec, results[name])))
    return rows


def _after_key(spec: FieldSpec, key: str, raw: Any, current: Value | None) -> Value | None:
    """The field's value once one body key is applied to ``current``."""
    if key.endswith((".add", ".remove")):
        item = from_json(replace(spec, multi=False), raw)
        items = (item,) if item is not None and not isinstance(item, tuple) else ()
        edit = MultiEdit(added=items) if key.endswith(".add") else MultiEdit(removed=items)
        return apply_change(spec, current, edit)
    return from_json(spec, raw)


def change_text(schema: OrgSchema, spec: FieldSpec, change: Change) -> str:
    """What a draft change does, as text: the new value, ``cleared``, or ``+a -b``."""
    if isinstance(change, SetTo):
        return describe(schema, spec, change.value)
    if isinstance(change, Cleared):
        return "cleared"
    parts = [f"+{describe(schema, spec, item)}" for item in change.added]
    parts += [f"-{describe(schema, spec, item)}" for item in change.removed]
    return " ".join(parts)


def stale_rows(
    base: Opportunity | datetime | None, stale: StaleChange, draft: Draft, schema: OrgSchema
) -> list[StaleRow]:
    """Their changes next to the draft's: every field either side touched, in schema order."""
    theirs = set(stale.changed_fields)
    conflicts = set(stale.conflicts(draft))
    rows: list[StaleRow] = []
    for spec in schema.specs():
        change = draft.change(spec.key)
        if spec.key not in theirs and change is None:
            continue
        now = current_value(stale.current, spec)
        was = "?"
        if base is not None and not isinstance(base, datetime):
            was = describe(schema, spec, current_value(base, spec))
        rows.append(
            StaleRow(
                spec.key,
                spec.label,
                was,
                describe(schema, spec, now),
                change_text(schema, spec, change) if change is not None else "",
                spec.key in theirs,
                spec.key in conflicts,
            )
        )
    return rows


def _raw_text(value: Any) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return fmt.one_line(text, 80)
