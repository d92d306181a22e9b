"""Typed JSON for drafts: every Change and Scalar round-trips exactly (dates stay dates)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

# The edit layer's types are imported where a change is built or told apart: the draft
# store opens with the app, the edit layer loads after the list shows.
if TYPE_CHECKING:
    from closetui.edits import Change, Draft, Scalar, Value


class CodecError(ValueError):
    """A stored draft that does not decode; the message says where."""


def encode_scalar(value: Scalar) -> dict[str, Any]:
    """``{"date": "2026-01-31"}``-style: the type is kept next to the JSON value.

    Plain JSON would turn dates into strings and ``5.0`` into ``5``; the tag keeps
    every value the same type it was in the draft.
    """
    if isinstance(value, bool):  # not a Scalar, but an int subclass: keep it honest
        return {"bool": value}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": value if math.isfinite(value) else repr(value)}
    if isinstance(value, str):
        return {"str": value}
    raise CodecError(f"cannot store a {type(value).__name__} value")


def decode_scalar(raw: Any) -> Scalar:
    """The scalar of :func:`encode_scalar` (CodecError when malformed)."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise CodecError(f"not a tagged value: {raw!r}"[:120])
    ((tag, value),) = raw.items()
    try:
        if tag == "str" and isinstance(value, str):
            return value
        if tag == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if tag == "bool" and isinstance(value, bool):
            return value
        if tag == "float" and isinstance(value, int | float | str):
            return float(value)
        if tag == "date" and isinstance(value, str):
            return date.fromisoformat(value)
        if tag == "datetime" and isinstance(value, str):
            return datetime.fromisoformat(value)
    except ValueError as exc:
        raise CodecError(f"bad {tag} value {value!r}: {exc}"[:160]) from None
    raise CodecError(f"bad {tag!r} value {value!r}"[:120])


def encode_value(value: Value) -> Any:
    """A field value: a tagged scalar, or ``{"items": [...]}`` for a tuple."""
    if isinstance(value, tuple):
        return {"items": [encode_scalar(item) for item in value]}
    return encode_scalar(value)


def decode_value(raw: Any) -> Value:
    """The value of :func:`encode_value`."""
    if isinstance(raw, dict) and set(raw) == {"items"}:
        items = raw["items"]
        if not isinstance(items, list):
            raise CodecError("items must be a list")
        return tuple(decode_scalar(item) for item in items)
    return decode_scalar(raw)


def encode_change(change: Change) -> dict[str, Any]:
    """``{"set": ...}``, ``{"cleared": true}`` or ``{"add": [...], "remove": [...]}``."""
    from closetui.edits import Cleared, SetTo

    if isinstance(change, SetTo):
        return {"set": encode_value(change.value)}
    if isinstance(change, Cleared):
        return {"cleared": True}
    return {
        "add": [encode_scalar(item) for item in change.added],
        "remove": [encode_scalar(item) for item in change.removed],
    }


def decode_change(raw: Any) -> Change:
    """The change of :func:`encode_change`."""
    from closetui.edits import Cleared, MultiEdit, SetTo

    if not isinstance(raw, dict):
        raise CodecError(f"not a change: {raw!r}"[:120])
    if set(raw) == {"set"}:
        return SetTo(decode_value(raw["set"]))
    if raw == {"cleared": True}:
        return Cleared()
    if set(raw) == {"add", "remove"}:
        added, removed = raw["add"], raw["remove"]
        if not isinstance(added, list) or not isinstance(removed, list):
            raise CodecError("add/remove must be lists")
        return MultiEdit(
            tuple(decode_scalar(item) for item in added),
            tuple(decode_scalar(item) for item in removed),
        )
    raise CodecError(f"not a change: {raw!r}"[:120])


def encode_draft(draft: Draft) -> dict[str, Any]:
    """Changes by field key, in the order they were made."""
    return {key: encode_change(change) for key, change in draft.changes.items()}


def decode_draft(raw: Any) -> Draft:
    """The draft of :func:`encode_draft` (CodecError when malformed)."""
    from closetui.edits import Draft

    if not isinstance(raw, Mapping):
        raise CodecError("changes must be an object")
    return Draft({str(key): decode_change(change) for key, change in raw.items()})
