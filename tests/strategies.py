"""Hypothesis strategies shared by the property tests (unit) and the sandbox round trips (api)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import strategies as st

from closetui.edits import FieldSpec, OrgSchema, Scalar

ZONES = [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=5, minutes=30))]
ZONES.append(timezone(-timedelta(hours=2, minutes=30)))


def values(schema: OrgSchema, spec: FieldSpec) -> st.SearchStrategy[Scalar]:
    """Valid single values (items, for multi-value fields) of one field."""
    kind = spec.kind
    if kind == "status":
        return st.sampled_from([s.id for p in schema.pipelines for s in p.statuses])
    if kind == "date":
        return st.dates(date(2020, 1, 1), date(2030, 12, 31))
    if kind == "datetime":
        return st.datetimes(
            datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.sampled_from(ZONES)
        )
    if kind == "money":
        return st.integers(0, 10**10)
    if kind == "number":
        return st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6, allow_nan=False)
    if kind == "confidence":
        return st.integers(0, 100)
    if kind == "value_period":
        return st.sampled_from(["one_time", "monthly", "annual"])
    if kind == "choices":
        return st.sampled_from(spec.choices)
    if kind == "user":
        return st.sampled_from([u.id for u in schema.users])
    if kind == "contact":
        return st.from_regex(r"cont_[A-Za-z0-9]{1,6}", fullmatch=True)
    return st.text(max_size=12)
