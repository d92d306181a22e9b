"""A field value as people read it: money with a symbol, status and user by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closetui.display import format as fmt
from closetui.edits import format_input

if TYPE_CHECKING:
    from closetui.edits import FieldSpec, OrgSchema, Value


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
