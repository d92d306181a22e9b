"""Close's create/update rules for opportunities: validation first, then a PATCH-like apply."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from closetui.sandbox.derive import DATE_PATTERN, html_to_note, iso, note_to_html, parse_date
from closetui.sandbox.errors import ValidationFailed
from closetui.sandbox.org import EDITABLE_TYPES, JSON, FieldSpec, Org
from closetui.sandbox.seed import Data, refresh

PERIODS = frozenset({"one_time", "monthly", "annual"})

NO_PERMISSION = "You don't have permission to edit this field."
"""Field error for a custom field the caller's role may not edit."""

READ_ONLY_KEYS = frozenset(
    {
        "id",
        "organization_id",
        "lead_name",
        "status_label",
        "status_type",
        "status_display_name",
        "pipeline_name",
        "user_name",
        "contact_name",
        "created_by",
        "created_by_name",
        "updated_by",
        "updated_by_name",
        "date_updated",
        "date_lost",
        "expected_value",
        "annualized_value",
        "annualized_expected_value",
        "value_formatted",
        "value_currency",
        "integration_links",
        "comment_summary",
        "is_stalled",
        "stall_status",
        "suggested_action",
        "lead_primary_email",
        "lead_primary_phone",
    }
)
"""Derived or server-owned keys: sent values are ignored silently, as Close does."""


@dataclass
class Change:
    """Who changes what, and when (``today`` is the caller's date per ``X-TZ-Offset``)."""

    org: Org
    data: Data
    caller_id: str
    now: datetime
    today: date
    errors: list[str] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)

    def fail(self, key: str, message: str) -> None:
        """Record a field error (the first one per key wins)."""
        self.field_errors.setdefault(key, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _custom_item(spec: FieldSpec, value: Any, opp: JSON, change: Change) -> tuple[bool, Any]:
    """Check one value for a custom field; returns (ok, normalized value)."""
    kind = spec.type
    if kind in ("text", "textarea"):
        return isinstance(value, str), value
    if kind == "number":
        ok = (_is_int(value) or isinstance(value, float)) and math.isfinite(value)
        return ok, value
    if kind == "date":
        ok = isinstance(value, str) and bool(re.fullmatch(DATE_PATTERN, value))
        return ok and parse_date(value) is not None, value
    if kind == "datetime":
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            return False, value
        return True, iso(moment)
    if kind == "choices":
        return isinstance(value, str) and value in (spec.choices or ()), value
    if kind == "user":
        return isinstance(value, str) and value in change.org.users, value
    if kind == "contact":
        lead = change.data.leads.get(opp["lead_id"])
        return isinstance(value, str) and lead is not None and value in lead["contact_ids"], value
    return False, value


def _bad_value(spec: FieldSpec) -> str:
    messages = {
        "text": "Must be a string.",
        "textarea": "Must be a string.",
        "number": "Must be a number.",
        "date": "Must be a date in YYYY-MM-DD format.",
        "datetime": "Must be an ISO 8601 datetime with a UTC offset.",
        "choices": "Not one of the available choices.",
        "user": "Not a user of this organization.",
        "contact": "Not a contact of this opportunity's lead.",
    }
    return messages.get(spec.type, "Invalid value.")


def _apply_custom(new: JSON, key: str, value: Any, change: Change) -> None:
    """Apply one ``custom.cf_X`` / ``.add`` / ``.remove`` key to ``new``."""
    name = key[len("custom.") :]
    op = ""
    for suffix in (".add", ".remove"):
        if name.endswith(suffix):
            name, op = name[: -len(suffix)], suffix[1:]
    spec = change.org.field_specs.get(name)
    error_key = f"custom.{name}"
    if spec is None:
        return change.fail(error_key, "Unknown custom field.")
    if spec.type not in EDITABLE_TYPES:
        return change.fail(error_key, f"Fields of type '{spec.type}' are read-only.")
    if spec.roles and change.org.role(change.caller_id) not in spec.roles:
        return change.fail(error_key, NO_PERMISSION)
    current = new.get(error_key)
    if op:
        if not spec.multiple:
            return change.fail(error_key, f".{op} is only allowed on multi-value fields.")
        if isinstance(value, list | dict) or value is None:
            return change.fail(error_key, f".{op} takes exactly one value.")
        items = list(current) if isinstance(current, list) else []
        if op == "remove":
            items = [item for item in items if item != value]
        else:
            ok, value = _custom_item(spec, value, new, change)
            if not ok:
                return change.fail(error_key, _bad_value(spec))
            if value not in items:
                items.append(value)
        if items:
            new[error_key] = items
        else:
            new.pop(error_key, None)
        return None
    if value is None:
        new.pop(error_key, None)
        return None
    if isinstance(value, list) and not spec.multiple:
        return change.fail(error_key, "This field does not accept multiple values.")
    values = value if isinstance(value, list) else [value]
    normalized: list[Any] = []
    for item in values:
        ok, item = _custom_item(spec, item, new, change)
        if not ok:
            return change.fail(error_key, _bad_value(spec))
        if item not in normalized:
            normalized.append(item)
    if not spec.multiple:
        new[error_key] = normalized[0]
    elif normalized:
        new[error_key] = normalized
    else:
        new.pop(error_key, None)
    return None


def _resolve_status(new: JSON, body: JSON, change: Change) -> None:
    """Apply ``status_id`` / deprecated ``status`` label / ``pipeline_id`` from the body."""
    org = change.org
    pipeline_id = body.get("pipeline_id")
    if "pipeline_id" in body and pipeline_id not in org.pipeline_names:
        change.fail("pipeline_id", "Invalid pipeline.")
        return
    status_id: Any = None
    if "status_id" in body:
        status_id = body["status_id"]
        if status_id not in org.statuses:
            change.fail("status_id", "Invalid status.")
            return
    elif "status" in body:
        label = body["status"]
        found = [s for s in org.statuses.values() if isinstance(label, str) and s["label"] == label]
        if len(found) > 1:  # the label repeats: prefer the target/current pipeline
            where = pipeline_id or new.get("pipeline_id")
            found = [s for s in found if s["pipeline_id"] == where] or found
        if len(found) != 1:
            change.fail("status", "Ambiguous status label." if found else "Invalid status.")
            return
        status_id = found[0]["id"]
    elif pipeline_id is not None and pipeline_id != new.get("pipeline_id"):
        first = next(p for p in org.pipelines if p["id"] == pipeline_id)["statuses"][0]
        status_id = first["id"]
    if status_id is None:
        return
    status = org.statuses[status_id]
    if pipeline_id is not None and status["pipeline_id"] != pipeline_id:
        change.errors.append("Status does not belong to the given pipeline.")
        change.fail("status_id", "Status does not belong to the given pipeline.")
        return
    new["status_id"] = status_id
    if status["type"] == "won" and "date_won" not in body and not new.get("date_won"):
        new["date_won"] = change.today.isoformat()
    if status["type"] == "lost" and not new.get("date_lost"):
        new["date_lost"] = iso(change.now)


def _apply_plain(new: JSON, key: str, value: Any, change: Change) -> None:
    """Apply one non-custom writable key."""
    org = change.org
    if key == "date_won":
        parsed = parse_date(value)
        if value is not None and parsed is None:
            return change.fail(key, "Enter a valid date (YYYY-MM-DD).")
        new[key] = None if parsed is None else parsed.isoformat()
    elif key == "value":
        if value is not None and (not _is_int(value) or value < 0):
            return change.fail(key, "Must be a non-negative integer (cents).")
        new[key] = value
    elif key == "value_period":
        if value not in PERIODS:
            return change.fail(key, "Must be one of one_time, monthly, annual.")
        new[key] = value
    elif key == "confidence":
        if not _is_int(value) or not 0 <= value <= 100:
            return change.fail(key, "Must be an integer between 0 and 100.")
        new[key] = value
    elif key == "user_id":
        if value not in org.users:
            return change.fail(key, "Invalid user.")
        new[key] = value
    elif key == "contact_id":
        lead = change.data.leads.get(new["lead_id"])
        if value is not None and (lead is None or value not in lead["contact_ids"]):
            return change.fail(key, "Not a contact of this opportunity's lead.")
        new[key] = value
    elif key in ("note", "note_html"):
        if value is not None and not isinstance(value, str):
            return change.fail(key, "Must be a string.")
    elif key == "attachments":
        if not isinstance(value, list) or not all(
            isinstance(a, dict) and isinstance(a.get("url"), str) for a in value
        ):
            return change.fail(key, "Must be a list of objects with a url.")
        new[key] = [
            {
                "content_type": a.get("content_type"),
                "filename": a.get("filename"),
                "size": None,
                "thumbnail_url": None,
                "url": a["url"],
            }
            for a in value
        ]
    return None


WRITABLE_KEYS = frozenset(
    {"date_won", "value", "value_period", "confidence", "user_id", "contact_id"}
    | {"note", "note_html", "attachments"}
)


def apply_changes(opp: JSON, body: JSON, change: Change) -> JSON:
    """Validate ``body`` against ``opp`` and return the updated copy; nothing is mutated.

    Raises :class:`ValidationFailed` (and changes nothing) when any key is invalid.
    Unknown and read-only keys are ignored, like Close ignores them.
    """
    new = dict(opp)
    if "custom" in body:
        change.errors.append("The 'custom' object is deprecated; send custom.cf_ID keys.")
    _resolve_status(new, body, change)
    for key, value in body.items():
        if key in WRITABLE_KEYS:
            _apply_plain(new, key, value, change)
        elif key.startswith("custom."):
            _apply_custom(new, key, value, change)
    if "note_html" in body and "note_html" not in change.field_errors:
        html = body["note_html"]
        new["note_html"], new["note"] = html, None if html is None else html_to_note(html)
    elif "note" in body and "note" not in change.field_errors:
        note = body["note"]
        new["note"], new["note_html"] = note, None if note is None else note_to_html(note)
    if change.errors or change.field_errors:
        raise ValidationFailed(change.errors, change.field_errors)
    new["updated_by"] = change.caller_id
    new["date_updated"] = iso(change.now)
    refresh(new, change.org, change.data)
    return new
