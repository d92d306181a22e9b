"""A page of a list endpoint read as plain dicts, without pydantic (the list's first rows
arrive before pydantic has loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CUSTOM_PREFIX = "custom."
"""Custom field values arrive as top-level ``custom.cf_...`` keys."""


@dataclass(frozen=True, slots=True)
class DictPage:
    """One page of a list endpoint, each item as the API sent it."""

    data: list[dict[str, Any]]
    has_more: bool = False
    total_results: int | None = None
    value_total: int | None = None
    """``total_value_annualized``: the sum of every match's annualised value (minor units),
    when the server sends it."""
    expected_total: int | None = None
    """``expected_value_annualized``: the same for the expected value."""

    @classmethod
    def from_json(cls, payload: Any) -> DictPage:
        """The page in a decoded response body; ValueError naming what is wrong."""
        if not isinstance(payload, dict):
            raise ValueError(f"not a page of results: a {type(payload).__name__}")
        data = payload.get("data")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ValueError("not a page of results: 'data' is not a list of objects")
        has_more = payload.get("has_more", False)
        if not isinstance(has_more, bool):
            raise ValueError(f"not a page of results: 'has_more' is {has_more!r}")
        total = payload.get("total_results")
        if total is not None and (isinstance(total, bool) or not isinstance(total, int)):
            raise ValueError(f"not a page of results: 'total_results' is {total!r}")
        return cls(
            data,
            has_more,
            total,
            _amount(payload.get("total_value_annualized")),
            _amount(payload.get("expected_value_annualized")),
        )


def _amount(value: object) -> int | None:
    """A whole amount of minor units, or None when absent or of another kind."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None
