"""``GET /opportunity/``: filters, the ``query`` subset, ordering, paging and aggregates."""

from __future__ import annotations

import operator
import re
import shlex
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from closetui.sandbox.derive import iso, money_or_none, parse_date
from closetui.sandbox.errors import ValidationFailed
from closetui.sandbox.org import JSON
from closetui.sandbox.records import Records

MAX_LIMIT = 200
"""Largest ``_limit`` accepted (Close documents a per-resource maximum; 200 works)."""
DEFAULT_LIMIT = 100

ORDER_KEYS = frozenset(
    {
        "date_won",
        "date_updated",
        "date_created",
        "confidence",
        "user_name",
        "value",
        "annualized_value",
        "annualized_expected_value",
    }
)
EXACT_FILTERS = {
    "status_id": "status_id",
    "status_type": "status_type",
    "status_label": "status_label",
    "status": "status_label",
    "user_id": "user_id",
    "value_period": "value_period",
    "lead_id": "lead_id",
    "organization_id": "organization_id",
    "contact_id": "contact_id",
}
"""Query parameter -> opportunity key, each also accepted with ``__in``."""
DATE_FILTERS = ("date_won", "date_created", "date_updated")
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "": operator.eq,
    "__gt": operator.gt,
    "__gte": operator.ge,
    "__lt": operator.lt,
    "__lte": operator.le,
}
QUERY_FIELDS = {"note": "note", "lead_name": "lead_name", "status": "status_label"}
UNSUPPORTED = ("_group_by", "lead_saved_search_id", "lead_query")

Predicate = Callable[[JSON], bool]
_PLUS_AS_SPACE = re.compile(r"\d \d{2}(:?\d{2})?$")
"""A timestamp whose ``+hh:mm`` offset arrived unencoded (a form-encoded ``+`` is a space)."""


def _bad(param: str, message: str) -> ValidationFailed:
    return ValidationFailed([message], {param: message})


def int_param(params: Mapping[str, str], name: str, default: int, maximum: int | None) -> int:
    """A non-negative integer query parameter (400 when malformed or above ``maximum``)."""
    raw = params.get(name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        raise _bad(name, f"{name} must be an integer.") from None
    if number < 0:
        raise _bad(name, f"{name} must not be negative.")
    if maximum is not None and number > maximum:
        raise _bad(name, f"{name} must be at most {maximum}.")
    return number


def _date_predicate(key: str, op: str, raw: str, offset: timezone) -> Predicate:
    """Filter on ``date_won`` (a date) or a timestamp, comparing Close's string forms."""
    parsed = parse_date(raw)
    if parsed is None and _PLUS_AS_SPACE.search(raw):
        raise _bad(
            key + op,
            f"Invalid date: {raw!r}: a '+' in a query string is a space; send it as %2B.",
        )
    if parsed is None:
        raise _bad(key + op, f"Invalid date: {raw!r}.")
    compare = OPERATORS[op]
    if key == "date_won":
        bound = parsed.isoformat()
        return lambda o: o[key] is not None and compare(o[key], bound)
    if "T" in raw or " " in raw:  # a moment: compare exactly
        moment = datetime.fromisoformat(raw)
        bound = iso(moment if moment.tzinfo else moment.replace(tzinfo=offset))
        return lambda o: compare(o[key], bound)
    # a whole day in the caller's zone (X-TZ-Offset): [start, end)
    start = iso(datetime.combine(parsed, time(), offset))
    end = iso(datetime.combine(parsed + timedelta(days=1), time(), offset))
    day_ops: dict[str, Predicate] = {
        "": lambda o: start <= o[key] < end,
        "__gt": lambda o: o[key] >= end,
        "__gte": lambda o: o[key] >= start,
        "__lt": lambda o: o[key] < start,
        "__lte": lambda o: o[key] < end,
    }
    return day_ops[op]


def _query_predicates(query: str) -> list[Predicate]:
    """The supported subset: free words (lead name or note) and ``field:value`` terms."""
    try:
        terms = shlex.split(query)
    except ValueError as exc:
        raise _bad("query", f"Invalid query: {exc}.") from None
    predicates: list[Predicate] = []
    for term in terms:
        if term in ("OR", "NOT") or "(" in term:
            raise _bad("query", f"The sandbox does not support {term!r} in queries.")
        name, sep, value = term.partition(":")
        if sep and name.isidentifier():
            if name not in QUERY_FIELDS:
                raise _bad("query", f"The sandbox does not support the query field {name!r}.")
            key = QUERY_FIELDS[name]
            predicates.append(_text_match((key,), value, exact=key == "status_label"))
        elif term != "AND":
            predicates.append(_text_match(("lead_name", "note"), term, exact=False))
    return predicates


def _text_match(keys: tuple[str, ...], needle: str, *, exact: bool) -> Predicate:
    """Case-insensitive match of ``needle`` in (or, ``exact``, equal to) any of ``keys``."""
    needle = needle.lower()

    def check(opp: JSON) -> bool:
        for key in keys:
            text = (opp[key] or "").lower()
            if (text == needle) if exact else (needle in text):
                return True
        return False

    return check


def _equals(key: str, wanted: str) -> Predicate:
    return lambda opp: bool(opp[key] == wanted)


def _among(key: str, allowed: frozenset[str]) -> Predicate:
    return lambda opp: opp[key] in allowed


def build_filters(params: Mapping[str, str], offset_hours: float) -> list[Predicate]:
    """Turn list query parameters into predicates (400 on malformed values)."""
    for name in UNSUPPORTED:
        if name in params:
            raise _bad(name, f"The sandbox does not support {name}.")
    offset = timezone(timedelta(hours=offset_hours))
    predicates: list[Predicate] = []
    for param, key in EXACT_FILTERS.items():
        if param in params:
            predicates.append(_equals(key, params[param]))
        if param + "__in" in params:
            predicates.append(_among(key, frozenset(params[param + "__in"].split(","))))
    for key in DATE_FILTERS:
        for op in OPERATORS:
            if key + op in params:
                predicates.append(_date_predicate(key, op, params[key + op], offset))
    if "is_stalled" in params:
        stalled = params["is_stalled"].lower() == "true"
        predicates.append(lambda o: bool(o.get("is_stalled", False)) == stalled)
    if params.get("query"):
        predicates.extend(_query_predicates(params["query"]))
    return predicates


def order(items: list[JSON], order_by: str | None) -> list[JSON]:
    """Sort by ``_order_by`` (default ``-date_created``); nulls last, ties by id."""
    specs = [(s.startswith("-"), s.lstrip("-")) for s in (order_by or "-date_created").split(",")]
    for _, name in reversed(specs):
        if name not in ORDER_KEYS:
            raise _bad("_order_by", f"Cannot order by {name!r}.")
    items = sorted(items, key=_BY_ID)
    for descending, name in reversed(specs):  # stable sorts: the first key decides last
        present = [o for o in items if o[name] is not None]
        present.sort(key=operator.itemgetter(name), reverse=descending)  # reverse stays stable
        if len(present) < len(items):
            present += [o for o in items if o[name] is None]
        items = present
    return items


_BY_ID = operator.itemgetter("id")


def aggregates(matches: Iterable[JSON]) -> JSON:
    """Close's top-level totals over every match (paging ignored)."""
    counts: dict[str, int] = {}
    totals = dict.fromkeys(("one_time", "monthly", "annual", "annualized"), 0)
    expected = dict(totals)
    for opp in matches:
        period = opp["value_period"]
        counts[period] = counts.get(period, 0) + 1
        totals[period] += opp["value"] or 0
        expected[period] += opp["expected_value"] or 0
        totals["annualized"] += opp["annualized_value"] or 0
        expected["annualized"] += opp["annualized_expected_value"] or 0
    out: JSON = {"count_by_value_period": counts}
    for name in ("one_time", "monthly", "annual", "annualized"):
        out[f"total_value_{name}"] = totals[name]
        out[f"total_value_{name}_formatted"] = money_or_none(totals[name])
        out[f"expected_value_{name}"] = expected[name]
        out[f"expected_value_{name}_formatted"] = money_or_none(expected[name])
    return out


def pick_fields(obj: JSON, fields: str | None) -> JSON:
    """Apply ``_fields``: a comma list of keys; ``custom`` selects every ``custom.*`` key."""
    if not fields:
        return obj
    wanted = {f.strip() for f in fields.split(",") if f.strip()}
    everything_custom = "custom" in wanted
    return {
        k: v
        for k, v in obj.items()
        if k in wanted or (everything_custom and k.startswith("custom."))
    }


def matching(opportunities: Iterable[JSON], predicates: list[Predicate]) -> list[JSON]:
    """The opportunities every predicate accepts, in the order given."""
    if not predicates:
        return list(opportunities)
    if len(predicates) == 1:
        return list(filter(predicates[0], opportunities))
    return [o for o in opportunities if all(p(o) for p in predicates)]


def select(
    opportunities: Iterable[JSON], params: Mapping[str, str], offset_hours: float
) -> tuple[list[JSON], JSON]:
    """Every match in ``_order_by`` order, and Close's aggregates over them (uncached)."""
    matches = matching(opportunities, build_filters(params, offset_hours))
    return order(matches, params.get("_order_by")), aggregates(matches)


PAGE_PARAMS = frozenset({"_skip", "_limit", "_fields", "_order_by"})
"""Query parameters that do not change which opportunities match."""
MAX_QUERIES = 16
"""Filter sets a :class:`ListingCache` keeps (least recently used ones are dropped)."""
MAX_ORDERS = 8
"""Sorted orders kept per filter set (the oldest is dropped)."""


class _Query:
    """One filter set's matches (in store order), their aggregates and their sorted orders."""

    __slots__ = ("matches", "orders", "totals")

    def __init__(self, matches: list[JSON], totals: JSON) -> None:
        self.matches = matches
        self.totals = totals
        self.orders: dict[str | None, list[JSON]] = {}


class ListingCache:
    """Matches, aggregates and sorted orders per query, for one version of the records.

    Paging through 100,000 opportunities filters, sorts and totals them once per query
    instead of on every page. Any change to the records (:attr:`Records.version`), or
    other records, empties the cache, so answers are exactly those of :func:`select`.
    """

    def __init__(self, max_queries: int = MAX_QUERIES) -> None:
        self.max_queries = max_queries
        self._records: Records | None = None
        self._version = -1
        self._queries: OrderedDict[tuple[Any, ...], _Query] = OrderedDict()
        self._lock = threading.Lock()  # a server thread and a test may both list

    def select(
        self, records: Records, params: Mapping[str, str], offset_hours: float
    ) -> tuple[list[JSON], JSON]:
        """Like :func:`select` on ``records.values()``; the lists returned are shared."""
        with self._lock:
            version = records.version  # read before the work: a write during it makes it stale
            if records is not self._records or version != self._version:
                self._queries.clear()
                self._records, self._version = records, version
            filters = sorted((k, v) for k, v in params.items() if k not in PAGE_PARAMS)
            key = (offset_hours, *filters)
            query = self._queries.get(key)
            if query is None:
                matches = matching(records.values(), build_filters(params, offset_hours))
                query = _Query(matches, aggregates(matches))
                self._queries[key] = query
                while len(self._queries) > self.max_queries:
                    self._queries.popitem(last=False)
            else:
                self._queries.move_to_end(key)
            order_by = params.get("_order_by")
            ordered = query.orders.get(order_by)
            if ordered is None:
                ordered = order(query.matches, order_by)
                if len(query.orders) >= MAX_ORDERS:
                    del query.orders[next(iter(query.orders))]  # the oldest
                query.orders[order_by] = ordered
            return ordered, query.totals


def list_page(
    opportunities: Mapping[str, JSON],
    params: Mapping[str, str],
    offset_hours: float,
    cache: ListingCache | None = None,
) -> dict[str, Any]:
    """The whole ``GET /opportunity/`` answer for these query parameters.

    With a ``cache`` (and :class:`Records`), repeated pages of one query reuse its work.
    """
    skip = int_param(params, "_skip", 0, None)
    limit = int_param(params, "_limit", DEFAULT_LIMIT, MAX_LIMIT)
    if cache is not None and isinstance(opportunities, Records):
        ordered, totals = cache.select(opportunities, params, offset_hours)
    else:
        ordered, totals = select(opportunities.values(), params, offset_hours)
    page = ordered[skip : skip + limit]
    fields = params.get("_fields")
    body: dict[str, Any] = {
        "data": [pick_fields(o, fields) for o in page],
        "has_more": skip + len(page) < len(ordered),
        "total_results": len(ordered),
    }
    body.update(totals)
    body["count_by_value_period"] = dict(totals["count_by_value_period"])  # never shared
    return body


def today_in(offset_hours: float, now: datetime) -> date:
    """The calendar date at ``now`` in a zone ``offset_hours`` from UTC."""
    return (now.astimezone(UTC) + timedelta(hours=offset_hours)).date()
