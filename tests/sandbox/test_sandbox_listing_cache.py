"""The cached list path answers exactly what the uncached one does, before and after writes."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import httpx
import pytest

from closetui.sandbox import Sandbox
from closetui.sandbox.listing import (
    MAX_ORDERS,
    MAX_QUERIES,
    ORDER_KEYS,
    ListingCache,
    list_page,
    select,
)
from closetui.sandbox.records import Records
from closetui.sandbox.seed import SEED_ANCHOR

from .helpers import Clock

JSON = dict[str, Any]

QUERIES: list[dict[str, str]] = [
    {},
    {"_order_by": "-date_updated"},
    {"_order_by": "date_won"},
    {"_order_by": "-value,user_name"},
    {"_order_by": "confidence", "status_type": "active"},
    {"_order_by": "-annualized_value", "value_period__in": "annual,monthly"},
    {"_order_by": "user_name", "query": "renewal"},
    {"date_updated__gte": "2026-01-01", "_order_by": "-date_updated"},
    {"_fields": "id,value,status_label", "_order_by": "-date_created"},
]
"""Filter sets and orders a list screen might page through."""
PAGES = [(0, 100), (100, 100), (0, 7), (37, 25), (110, 200), (500, 10), (0, 0)]
"""``(_skip, _limit)`` pairs: first page, next page, odd windows, past the end, totals only."""


def oracle(sb: Sandbox, params: dict[str, str], offset: float) -> JSON:
    """The answer of the uncached path (a plain dict of the same records)."""
    return list_page(dict(sb.opportunities), params, offset)


def assert_same_answers(sb: Sandbox, offset: float = 0.0) -> None:
    for query in QUERIES:
        for skip, limit in PAGES:
            params = {**query, "_skip": str(skip), "_limit": str(limit)}
            got = sb.list_opportunities(params, offset)
            assert got == oracle(sb, params, offset), params


def write_somehow(sb: Sandbox, rng: random.Random, step: int) -> None:
    """One random change: through the sandbox's methods or on the dict itself."""
    caller = sb.user_id_by_name("Blake")
    ids = sorted(sb.opportunities)
    kind = step % 6
    if kind == 0:  # an update that moves the record in most orders
        body = {"confidence": rng.randrange(101), "value": rng.choice([None, 100, 99_000])}
        sb.update_opportunity(rng.choice(ids), body, caller)
    elif kind == 1:  # a status change (won: date_won set; other aggregates move)
        status = rng.choice(list(sb.statuses))
        sb.update_opportunity(rng.choice(ids), {"status_id": status}, caller, 5.5)
    elif kind == 2:
        lead = rng.choice(sorted(sb.leads))
        sb.create_opportunity({"lead_id": lead, "value": 12_345, "note": "renewal"}, caller)
    elif kind == 3:
        sb.delete_opportunity(rng.choice(ids))
    elif kind == 4:  # a test replacing a record on the dict directly
        opp_id = rng.choice(ids)
        sb.opportunities[opp_id] = {**sb.opportunities[opp_id], "value_period": "monthly"}
    else:
        sb.opportunities.pop(rng.choice(ids))


def test_pages_and_aggregates_match_the_uncached_path_across_writes(sb: Sandbox) -> None:
    rng = random.Random(11)
    assert_same_answers(sb)
    for step in range(12):
        write_somehow(sb, rng, step)
        assert_same_answers(sb)
    assert_same_answers(sb, offset=-5.0)  # the offset is part of a date filter's key


def test_cache_is_used_then_emptied_by_a_write(sb: Sandbox) -> None:
    """The second page of a query reuses the first one's work; a write starts over."""
    cache = ListingCache()
    records = sb.opportunities
    first, totals = cache.select(records, {"_order_by": "-value", "_skip": "0"}, 0.0)
    again, totals_again = cache.select(records, {"_order_by": "-value", "_skip": "100"}, 0.0)
    assert again is first
    assert totals_again is totals
    other_order, same_totals = cache.select(records, {"_order_by": "value"}, 0.0)
    assert same_totals is totals  # totals depend on the filters only
    assert other_order is not first
    opp_id = first[0]["id"]
    sb.update_opportunity(opp_id, {"value": 0}, sb.user_id_by_name("Blake"))
    after, after_totals = cache.select(records, {"_order_by": "-value"}, 0.0)
    assert after is not first
    assert after == select(dict(records).values(), {"_order_by": "-value"}, 0.0)[0]
    assert after_totals != totals
    assert opp_id not in [o["id"] for o in after[:1]]


def test_reset_and_clear_are_seen(sb: Sandbox) -> None:
    params = {"_order_by": "-date_updated", "_limit": "200"}
    seeded = sb.list_opportunities(params, 0.0)
    sb.opportunities.clear()
    assert sb.list_opportunities(params, 0.0)["total_results"] == 0
    sb.reset()
    assert sb.list_opportunities(params, 0.0) == seeded


def test_records_count_every_kind_of_change() -> None:
    records = Records(a={"id": "a"})
    seen = [records.version]

    def changed() -> bool:
        seen.append(records.version)
        return seen[-1] > seen[-2]

    records["b"] = {"id": "b"}
    assert changed()
    del records["b"]
    assert changed()
    records.update(c={"id": "c"})
    assert changed()
    records |= {"d": {"id": "d"}}
    assert changed()
    records.setdefault("e", {"id": "e"})
    assert changed()
    records.pop("e")
    assert changed()
    records.popitem()
    assert changed()
    records.clear()
    assert changed()
    with pytest.raises(KeyError):
        records.pop("missing")


def test_answers_stay_unshared(sb: Sandbox) -> None:
    """Changing one answer (in process) never changes the next one."""
    body = sb.list_opportunities({}, 0.0)
    body["count_by_value_period"]["one_time"] = -1
    body["total_value_annualized"] = -1
    assert sb.list_opportunities({}, 0.0) == oracle(sb, {}, 0.0)


async def test_http_pages_match_after_writes(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    clock.moment = SEED_ANCHOR + timedelta(days=1)  # later than every seeded update
    params = {"_order_by": "-date_updated", "_limit": "50"}
    for skip in (0, 50):
        got = (await client.get("opportunity/", params={**params, "_skip": skip})).json()
        assert got == oracle(sb, {**params, "_skip": str(skip)}, 0.0)
    opp_id = got["data"][-1]["id"]
    assert (await client.put(f"opportunity/{opp_id}/", json={"confidence": 1})).status_code == 200
    first = (await client.get("opportunity/", params=params)).json()
    assert first["data"][0]["id"] == opp_id  # just updated: first by -date_updated
    assert first == oracle(sb, params, 0.0)
    assert (await client.delete(f"opportunity/{opp_id}/")).status_code == 200
    after = (await client.get("opportunity/", params=params)).json()
    assert after["total_results"] == first["total_results"] - 1
    assert after == oracle(sb, params, 0.0)
    bad = await client.get("opportunity/", params={"_order_by": "colour"})
    assert bad.status_code == 400  # errors are never cached away
    bad = await client.get("opportunity/", params={"_order_by": "colour"})
    assert bad.status_code == 400


def test_more_orders_and_filter_sets_than_the_cache_keeps(sb: Sandbox) -> None:
    """Dropped entries are computed again, with the same answers."""
    orders = [f"{sign}{key}" for key in sorted(ORDER_KEYS) for sign in ("", "-")]
    filters = [{}, *({"not_a_filter": str(n)} for n in range(MAX_QUERIES + 2))]
    assert len(orders) > MAX_ORDERS
    for _ in range(2):
        for order_by in orders:
            params = {"_order_by": order_by, "_skip": "5", "_limit": "30"}
            assert sb.list_opportunities(params, 0.0) == oracle(sb, params, 0.0)
        for extra in filters:  # unknown parameters still make their own cache entries
            params = {**extra, "_order_by": "-value"}
            assert sb.list_opportunities(params, 0.0) == oracle(sb, params, 0.0)
