"""What can be edited on an opportunity: field specs, kinds and the problem type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from closetui.api.models import CustomField

FieldKind = Literal[
    "status",
    "date",
    "datetime",
    "money",
    "number",
    "confidence",
    "value_period",
    "choices",
    "user",
    "contact",
    "text",
    "unknown",
]
"""How a field's values are typed, parsed and serialised."""

STANDARD_KEYS: tuple[str, ...] = (
    "status_id",
    "date_won",
    "value",
    "value_period",
    "confidence",
    "user_id",
    "contact_id",
    "note",
)
"""The editable built-in fields, in body order (custom fields follow in schema order)."""

MAX_NUMBER = 2**63 - 1
"""The largest magnitude of a number field. Close documents only "integer" / "number":
a signed 64-bit integer is a defensible guess at what it stores."""

MAX_CENTS = MAX_NUMBER // 12
"""The largest ``value`` in cents: Close derives ``annualized_value`` (x12 for monthly)
from it, so that must fit the same signed 64-bit guess."""

VALUE_PERIODS: tuple[str, ...] = ("one_time", "monthly", "annual")
"""The values Close accepts for ``value_period``."""

_CUSTOM_KINDS: dict[str, FieldKind] = {
    "text": "text",
    "textarea": "text",
    "number": "number",
    "date": "date",
    "datetime": "datetime",
    "choices": "choices",
    "user": "user",
    "contact": "contact",
}


@dataclass(frozen=True)
class FieldProblem:
    """Why a raw input or a draft change cannot be used, as a message for the user."""

    message: str
    """One sentence naming the field and the reason."""
    suggestion: str | None = None
    """A canonical input the user probably meant (e.g. the closest choice), if any."""


@dataclass(frozen=True)
class FieldSpec:
    """One editable (or visible but read-only) field of an opportunity."""

    key: str
    """Body key: a built-in name (``status_id``) or ``custom.cf_...``."""
    label: str
    """Human name used in messages (``Status``, ``Deal Source``)."""
    kind: FieldKind
    """How values are parsed and serialised."""
    multi: bool = False
    """True for multi-value custom fields (values are tuples)."""
    clearable: bool = True
    """False for fields Close requires (status, value period, confidence, owner)."""
    choices: tuple[str, ...] = ()
    """Allowed values for ``choices`` fields, canonical spelling."""
    read_only: str | None = None
    """Why the field cannot be changed, or None when it can."""
    custom_field: CustomField | None = None
    """The custom field definition behind a ``custom.cf_...`` key."""

    @property
    def editable(self) -> bool:
        """True when the current user may change this field."""
        return self.read_only is None


STANDARD_SPECS: dict[str, FieldSpec] = {
    spec.key: spec
    for spec in (
        FieldSpec("status_id", "Status", "status", clearable=False),
        FieldSpec("date_won", "Date won", "date"),
        FieldSpec("value", "Value", "money"),
        FieldSpec("value_period", "Value period", "value_period", clearable=False),
        FieldSpec("confidence", "Confidence", "confidence", clearable=False),
        FieldSpec("user_id", "Owner", "user", clearable=False),
        FieldSpec("contact_id", "Contact", "contact"),
        FieldSpec("note", "Note", "text"),
    )
}
"""Specs of the built-in editable fields, by key."""

STANDARD_ALIASES: dict[str, str] = {
    "status": "status_id",
    "owner": "user_id",
    "user": "user_id",
    "contact": "contact_id",
    "period": "value_period",
    "date won": "date_won",
    "value period": "value_period",
}
"""Extra case-insensitive names accepted for built-in fields (labels are accepted too)."""


def custom_spec(field: CustomField, role: str | None) -> FieldSpec:
    """The spec of one custom field as seen by a user with ``role``."""
    kind = _CUSTOM_KINDS.get(field.type, "unknown") if field.is_known_type else "unknown"
    read_only: str | None = None
    if kind == "unknown":
        read_only = f"{field.name} is read-only: closetui cannot edit {field.type!r} fields."
    elif not field.editable_by(role):
        roles = ", ".join(field.roles_allowed())
        read_only = (
            f"{field.name} is read-only: only roles {roles} may edit it "
            f"(your role: {role or 'unknown'})."
        )
    return FieldSpec(
        key=field.key,
        label=field.name,
        kind=kind,
        multi=field.accepts_multiple_values,
        clearable=True,
        choices=tuple(field.choices or ()),
        read_only=read_only,
        custom_field=field,
    )
