"""Checks a draft against the opportunity and the org schema: one message per field."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from closetui.edits.fields import MAX_CENTS, MAX_NUMBER, VALUE_PERIODS, FieldProblem
from closetui.edits.schema import closest
from closetui.edits.values import (
    Cleared,
    MultiEdit,
    SetTo,
    apply_change,
    as_items,
    current_value,
    same,
)

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.draft import Draft
    from closetui.edits.fields import FieldSpec
    from closetui.edits.schema import OrgSchema
    from closetui.edits.values import (
        Change,
    )

_CONTACT_RE = re.compile(r"cont_[A-Za-z0-9]+")


def validate(opportunity: Opportunity, draft: Draft, schema: OrgSchema) -> dict[str, str]:
    """Problems by field key (empty when the draft can be sent).

    A change that leaves a field as it is never fails for being read-only.
    """
    problems: dict[str, str] = {}
    for key, change in draft.changes.items():
        message = check_change(opportunity, schema, key, change)
        if message is not None:
            problems[key] = message
    return problems


def check_change(
    opportunity: Opportunity, schema: OrgSchema, key: str, change: Change
) -> str | None:
    """Why one change to ``key`` cannot be sent, or None when it can."""
    spec = schema.spec_for_key(key)
    if spec is None:
        found = schema.spec(key)
        if isinstance(found, FieldProblem):
            return found.message
        return f"Unknown field key {key!r}; {found.label} has the key {found.key!r}."
    shape = _check_shape(spec, change)
    if shape is not None:
        return shape
    current = current_value(opportunity, spec)
    if same(apply_change(spec, current, change), current):
        return None
    if spec.read_only is not None:
        return spec.read_only
    if isinstance(change, SetTo):
        items = as_items(change.value) if spec.multi else (change.value,)
    else:
        items = change.added if isinstance(change, MultiEdit) else ()
    for item in items:
        message = check_value(schema, spec, item)
        if message is not None:
            return message
    return None


def _check_shape(spec: FieldSpec, change: Change) -> str | None:
    if isinstance(change, Cleared):
        return None if spec.clearable else f"{spec.label} cannot be cleared."
    if isinstance(change, MultiEdit):
        if not spec.multi:
            return f"{spec.label} holds one value; only multi-value fields add or remove."
        return None
    if isinstance(change, SetTo):
        if isinstance(change.value, tuple) and not spec.multi:
            return f"{spec.label} holds one value, not a list."
        return None
    return f"{spec.label}: {change!r} is not a change."


def check_value(schema: OrgSchema, spec: FieldSpec, value: object) -> str | None:
    """Why ``value`` is not a valid value (or item) for ``spec``, or None."""
    label, kind = spec.label, spec.kind
    if isinstance(value, tuple):
        return f"{label}: a list cannot be an item of a list."
    if kind == "status":
        ok = isinstance(value, str) and schema.status(value) is not None
        return None if ok else f"{label}: {_show(value)} is not a status of this organisation."
    if kind == "date":
        ok = isinstance(value, date) and not isinstance(value, datetime)
        return None if ok else f"{label} needs a date, not {_show(value)}."
    if kind == "datetime":
        if not isinstance(value, datetime):
            return f"{label} needs a date and time, not {_show(value)}."
        return None if value.tzinfo is not None else f"{label} needs a UTC offset."
    if kind in ("money", "confidence", "number"):
        return _check_number(spec, value)
    if kind == "value_period":
        return None if value in VALUE_PERIODS else f"{label}: {_show(value)} is not a value period."
    if kind == "choices":
        if value in spec.choices:
            return None
        guess = closest(str(value), spec.choices)
        hint = f"; did you mean {guess!r}?" if guess else "."
        return f"{_show(value)} is not a choice for {label}{hint}"
    if kind == "user":
        if not isinstance(value, str):
            return f"{label} needs a user id, not {_show(value)}."
        known = schema.user(value) is not None if schema.users else value.startswith("user_")
        return None if known else f"{label}: {_show(value)} is not a user of this organisation."
    if kind == "contact":
        ok = isinstance(value, str) and _CONTACT_RE.fullmatch(value) is not None
        return None if ok else f"{label}: {_show(value)} is not a contact id (cont_...)."
    if kind == "text":
        return None if isinstance(value, str) else f"{label} needs text, not {_show(value)}."
    return f"{label} cannot be edited."


def _show(value: object) -> str:
    """A value as the user would recognise it (ISO for dates, repr for the rest)."""
    return repr(value.isoformat()) if isinstance(value, date) else repr(value)


def _check_number(spec: FieldSpec, value: object) -> str | None:
    label = spec.label
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{label} needs a number, not {_show(value)}."
    if not math.isfinite(value):
        return f"{label} must be a finite number."
    if abs(value) > MAX_NUMBER:
        return f"{label} is larger than Close can store."
    if spec.kind == "number":
        return None
    if not isinstance(value, int):
        unit = "cents" if spec.kind == "money" else "percent"
        return f"{label} must be a whole number of {unit}, not {_show(value)}."
    if spec.kind == "money":
        if value > MAX_CENTS:
            return f"{label} is larger than Close can store."
        return None if value >= 0 else f"{label} cannot be negative."
    return None if 0 <= value <= 100 else f"{label} must be between 0 and 100, not {value}."
