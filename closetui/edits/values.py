"""Typed field values, the three kinds of change, and their JSON forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from closetui.api.pages import CUSTOM_PREFIX

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.fields import FieldSpec

Scalar: TypeAlias = str | int | float | date | datetime
"""One value: text/choice/id, cents or number, date, aware datetime."""

Value: TypeAlias = Scalar | tuple[Scalar, ...]
"""A field value: a scalar, or a tuple of scalars for multi-value fields."""


@dataclass(frozen=True)
class SetTo:
    """Set the field to ``value`` (a tuple replaces a multi-value field's whole list)."""

    value: Value


@dataclass(frozen=True)
class Cleared:
    """Unset the field (``null`` in the body)."""


@dataclass(frozen=True)
class MultiEdit:
    """Add and remove single items of a multi-value field, keeping the others."""

    added: tuple[Scalar, ...] = ()
    removed: tuple[Scalar, ...] = ()


Change: TypeAlias = SetTo | Cleared | MultiEdit
"""What a draft does to one field; a field with no change is untouched."""


def from_json(spec: FieldSpec, raw: Any) -> Value | None:
    """The typed value of a JSON value as Close returns it (None when unset).

    Multi-value fields give tuples (empty when unset); a value that does not parse
    as the field's type is kept as it came, so it never equals a typed value.
    """
    if spec.multi:
        if raw is None:
            return ()
        items = raw if isinstance(raw, list) else [raw]
        return tuple(_scalar_from_json(spec, item) for item in items)
    if raw is None:
        return None
    return _scalar_from_json(spec, raw)


def _scalar_from_json(spec: FieldSpec, raw: Any) -> Scalar:
    if spec.kind == "date" and isinstance(raw, str):
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            return raw
    if spec.kind == "datetime" and isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return raw
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    # Anything else is kept as Close sent it (lists/dicts only for unknown types).
    value: Scalar = raw
    return value


def to_json(value: Value | None) -> Any:
    """The JSON form Close expects: ISO dates/datetimes, lists, numbers as they are."""
    if isinstance(value, tuple):
        return [to_json(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def current_value(opportunity: Opportunity, spec: FieldSpec) -> Value | None:
    """The typed value a field has on the opportunity (``()`` for unset multi fields)."""
    if spec.key.startswith(CUSTOM_PREFIX):
        return from_json(spec, opportunity.custom_value(spec.key[len(CUSTOM_PREFIX) :]))
    return from_json(spec, getattr(opportunity, spec.key))


def is_unset(value: Value | None) -> bool:
    """True for None and for an empty multi-value list."""
    return value is None or value == ()


def same(a: Value | None, b: Value | None) -> bool:
    """Whether two typed values are the same field value (unset == empty list)."""
    if is_unset(a) or is_unset(b):
        return is_unset(a) and is_unset(b)
    return (type(a) is type(b) and a == b) or _numbers_equal(a, b)


def _numbers_equal(a: Any, b: Any) -> bool:
    numeric = (int, float)
    return (
        isinstance(a, numeric)
        and isinstance(b, numeric)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and a == b
    )


def as_items(value: Value | None) -> tuple[Scalar, ...]:
    """A multi-value field's items (a scalar counts as a one-item list)."""
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def unique(items: tuple[Scalar, ...]) -> tuple[Scalar, ...]:
    """Items without repeats, first occurrence kept."""
    out: list[Scalar] = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)


def apply_change(spec: FieldSpec, current: Value | None, change: Change | None) -> Value | None:
    """The value a field has after ``change`` (unchanged when ``change`` is None).

    Multi-value results are tuples, existing order kept and additions appended.
    """
    if change is None:
        return current
    if not spec.multi:
        if isinstance(change, SetTo):
            return change.value
        return None if isinstance(change, Cleared) else current
    if isinstance(change, Cleared):
        return ()
    if isinstance(change, SetTo):
        return unique(as_items(change.value))
    have = as_items(current)
    kept = tuple(item for item in have if item not in change.removed)
    return kept + tuple(item for item in unique(change.added) if item not in have)
