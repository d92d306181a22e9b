"""``GET /opportunity/``: every filter, the query subset, ordering, paging, totals, _fields."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from closetui.sandbox import Sandbox

from .helpers import recorded

JSON = dict[str, Any]


async def ids_of(client: httpx.AsyncClient, **params: Any) -> list[str]:
    """Ids of every match, following ``has_more`` with ``_skip``."""
    ids: list[str] = []
    while True:
        body = (
            await client.get("opportunity/", params={**params, "_skip": len(ids), "_limit": 200})
        ).json()
        ids += [o["id"] for o in body["data"]]
        if not body["has_more"]:
            return ids


def expected(sb: Sandbox, keep: Callable[[JSON], bool]) -> set[str]:
    return {o["id"] for o in sb.opportunities.values() if keep(o)}


async def check(
    client: httpx.AsyncClient, sb: Sandbox, keep: Callable[[JSON], bool], **params: Any
) -> None:
    want = expected(sb, keep)
    assert want, f"the seed should have matches for {params}"
    assert want != set(sb.opportunities), f"{params} should not match everything"
    got = await ids_of(client, **params)
    assert len(got) == len(set(got))
    assert set(got) == want


async def test_exact_filters(client: httpx.AsyncClient, sb: Sandbox) -> None:
    some = next(o for o in sb.opportunities.values() if o["contact_id"])
    for key in ("status_id", "status_type", "user_id", "status_label", "value_period", "lead_id"):
        value = some[key]
        await check(client, sb, lambda o, k=key, v=value: o[k] == v, **{key: value})


async def test_in_filters(client: httpx.AsyncClient, sb: Sandbox) -> None:
    for key in ("status_id", "user_id", "status_label", "lead_id"):
        values = sorted({o[key] for o in sb.opportunities.values()})[:2]
        await check(
            client, sb, lambda o, k=key, v=values: o[k] in v, **{f"{key}__in": ",".join(values)}
        )
    await check(
        client, sb, lambda o: o["status_type"] in ("won", "lost"), status_type__in="won,lost"
    )
    await check(
        client, sb, lambda o: o["value_period"] != "monthly", value_period__in="one_time,annual"
    )


async def test_status_label_spans_pipelines(client: httpx.AsyncClient, sb: Sandbox) -> None:
    got = await ids_of(client, status_label="Won")
    pipelines = {sb.opportunities[i]["pipeline_name"] for i in got}
    assert pipelines == {"Sales", "Renewals"}


@pytest.mark.parametrize(
    ("op", "test"),
    [
        ("", lambda a, b: a == b),
        ("__gt", lambda a, b: a > b),
        ("__gte", lambda a, b: a >= b),
        ("__lt", lambda a, b: a < b),
        ("__lte", lambda a, b: a <= b),
    ],
)
async def test_date_won_filters(
    client: httpx.AsyncClient, sb: Sandbox, op: str, test: Callable[[str, str], bool]
) -> None:
    dates = sorted({o["date_won"] for o in sb.opportunities.values() if o["date_won"]})
    pivot = dates[len(dates) // 2]
    await check(
        client,
        sb,
        lambda o: o["date_won"] is not None and test(o["date_won"], pivot),
        **{f"date_won{op}": pivot},
    )


@pytest.mark.parametrize("key", ["date_created", "date_updated"])
async def test_timestamp_filters(client: httpx.AsyncClient, sb: Sandbox, key: str) -> None:
    moments = sorted(datetime.fromisoformat(o[key]) for o in sb.opportunities.values())
    pivot = moments[len(moments) // 2]
    day = pivot.date().isoformat()
    parsed = lambda o: datetime.fromisoformat(o[key])  # noqa: E731
    await check(client, sb, lambda o: parsed(o) > pivot, **{f"{key}__gt": pivot.isoformat()})
    await check(client, sb, lambda o: parsed(o) <= pivot, **{f"{key}__lte": pivot.isoformat()})
    # a bare date means that whole day (in UTC here)
    await check(client, sb, lambda o: parsed(o).date() >= pivot.date(), **{f"{key}__gte": day})
    await check(client, sb, lambda o: parsed(o).date() < pivot.date(), **{f"{key}__lt": day})
    await check(client, sb, lambda o: parsed(o).date() <= pivot.date(), **{f"{key}__lte": day})
    await check(client, sb, lambda o: parsed(o).date() > pivot.date(), **{f"{key}__gt": day})
    same_day = expected(sb, lambda o: parsed(o).date() == pivot.date())
    assert set(await ids_of(client, **{key: day})) == same_day


async def test_date_filters_use_the_tz_offset(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(iter(sb.opportunities.values()))
    created = datetime.fromisoformat(opp["date_created"])
    for offset in (-5, 5.5, 0):
        local_day = (created + timedelta(hours=offset)).date().isoformat()
        body = (
            await client.get(
                "opportunity/",
                params={"date_created": local_day, "_limit": 200},
                headers={"X-TZ-Offset": str(offset)},
            )
        ).json()
        assert opp["id"] in {o["id"] for o in body["data"]}


@pytest.mark.parametrize("param", ["date_won", "date_created__gte", "date_updated__lt"])
async def test_bad_dates_are_400(client: httpx.AsyncClient, param: str) -> None:
    response = await client.get("opportunity/", params={param: "31/12/2026"})
    assert response.status_code == 400
    assert param in response.json()["field-errors"]


async def test_query(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(o for o in sb.opportunities.values() if o["note"] and o["lead_name"])
    word = opp["lead_name"].split()[0]
    lower = word.lower()
    await check(
        client,
        sb,
        lambda o: lower in (o["lead_name"] or "").lower() or lower in (o["note"] or "").lower(),
        query=word.upper(),
    )
    await check(client, sb, lambda o: "renewal" in (o["note"] or "").lower(), query="note:renewal")
    await check(
        client, sb, lambda o: lower in (o["lead_name"] or "").lower(), query=f"lead_name:{word}"
    )
    await check(
        client, sb, lambda o: o["status_label"] == "Proposal Sent", query='status:"proposal sent"'
    )
    both = expected(
        sb, lambda o: "renewal" in (o["note"] or "").lower() and o["status_type"] == "won"
    )
    got = await ids_of(client, query="note:renewal", status_type="won")
    assert set(got) == both


@pytest.mark.parametrize(
    "query", ["owner:me", 'note:"unbalanced', "a OR b", "status_change(old_status:active)"]
)
async def test_unsupported_queries_are_400(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get("opportunity/", params={"query": query})
    assert response.status_code == 400
    assert "query" in response.json()["field-errors"]


@pytest.mark.parametrize(
    "key",
    [
        "date_won",
        "date_updated",
        "date_created",
        "confidence",
        "user_name",
        "value",
        "annualized_value",
        "annualized_expected_value",
    ],
)
@pytest.mark.parametrize("descending", [False, True])
async def test_ordering(client: httpx.AsyncClient, sb: Sandbox, key: str, descending: bool) -> None:
    got = await ids_of(client, _order_by=("-" if descending else "") + key)
    opps = [sb.opportunities[i] for i in got]
    present = [o for o in opps if o[key] is not None]
    assert all(o[key] is None for o in opps[len(present) :]), "nulls come last"
    pairs = [(o[key], o["id"]) for o in present]
    for (a, a_id), (b, b_id) in itertools.pairwise(pairs):
        assert (a > b if descending else a < b) or (a == b and a_id < b_id)


async def test_default_order_is_newest_first(client: httpx.AsyncClient, sb: Sandbox) -> None:
    got = await ids_of(client)
    created = [sb.opportunities[i]["date_created"] for i in got]
    assert created == sorted(created, reverse=True)


async def test_ordering_by_two_keys(client: httpx.AsyncClient, sb: Sandbox) -> None:
    assert (
        await client.get("opportunity/", params={"_order_by": "status_type"})
    ).status_code == 400
    got = await ids_of(client, _order_by="confidence,-value")
    keys = [(sb.opportunities[i]["confidence"], -(sb.opportunities[i]["value"] or -1)) for i in got]
    assert keys == sorted(keys)


async def test_paging(client: httpx.AsyncClient, sb: Sandbox) -> None:
    first = (await client.get("opportunity/")).json()
    assert len(first["data"]) == 100  # default limit
    assert first["has_more"] is True
    assert first["total_results"] == len(sb.opportunities)
    pages = [
        (await client.get("opportunity/", params={"_skip": s, "_limit": 50})).json()
        for s in (0, 50, 100)
    ]
    assert [len(p["data"]) for p in pages] == [50, 50, 20]
    assert [p["has_more"] for p in pages] == [True, True, False]
    all_ids = [o["id"] for p in pages for o in p["data"]]
    assert all_ids == await ids_of(client)
    beyond = (await client.get("opportunity/", params={"_skip": 500})).json()
    assert beyond["data"] == []
    assert beyond["has_more"] is False
    assert beyond["total_results"] == len(sb.opportunities)


@pytest.mark.parametrize(
    ("name", "value"), [("_limit", "201"), ("_limit", "x"), ("_skip", "-1"), ("_limit", "-5")]
)
async def test_bad_paging_is_400(client: httpx.AsyncClient, name: str, value: str) -> None:
    response = await client.get("opportunity/", params={name: value})
    assert response.status_code == 400
    assert response.json()["errors"]


async def test_limit_200_is_allowed(client: httpx.AsyncClient) -> None:
    assert len((await client.get("opportunity/", params={"_limit": 200})).json()["data"]) == 120


def totals(opps: list[JSON]) -> JSON:
    out: JSON = {}
    for period in ("one_time", "monthly", "annual"):
        chosen = [o for o in opps if o["value_period"] == period]
        out[f"total_value_{period}"] = sum(o["value"] or 0 for o in chosen)
        out[f"expected_value_{period}"] = sum(o["expected_value"] or 0 for o in chosen)
    out["total_value_annualized"] = sum(o["annualized_value"] or 0 for o in opps)
    out["expected_value_annualized"] = sum(o["annualized_expected_value"] or 0 for o in opps)
    return out


@pytest.mark.parametrize(
    "params", [{}, {"status_type": "won"}, {"value_period": "monthly"}, {"user_id__in": "nobody"}]
)
async def test_aggregates_cover_all_matches(
    client: httpx.AsyncClient, sb: Sandbox, params: JSON
) -> None:
    body = (await client.get("opportunity/", params={**params, "_limit": 5})).json()
    matches = [sb.opportunities[i] for i in await ids_of(client, **params)]
    assert body["total_results"] == len(matches)
    for key, value in totals(matches).items():
        assert body[key] == value, key
        formatted = body[f"{key}_formatted"]
        assert formatted is None if value == 0 else formatted.startswith("$")
    counts: dict[str, int] = {}
    for o in matches:
        counts[o["value_period"]] = counts.get(o["value_period"], 0) + 1
    assert body["count_by_value_period"] == counts


async def test_aggregates_match_the_recorded_example(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    """The two recorded opportunities (annual $500 @50, one-time $250 @50) give Close's totals."""
    sb.opportunities.clear()
    lead_id = next(iter(sb.leads))
    for value, period in ((50000, "annual"), (25000, "one_time")):
        body = {"lead_id": lead_id, "value": value, "value_period": period, "confidence": 50}
        assert (await client.post("opportunity/", json=body)).status_code == 200
    body = (await client.get("opportunity/")).json()
    real = recorded("list-opportunities")
    for key, value in real.items():
        if key != "data":
            assert body[key] == value, key
    assert sorted(o["value_formatted"] for o in body["data"]) == ["$250", "$500 annual"]


async def test_list_fields(client: httpx.AsyncClient, sb: Sandbox) -> None:
    body = (
        await client.get(
            "opportunity/", params={"_fields": "id,status_label,custom", "_limit": 200}
        )
    ).json()
    for item in body["data"]:
        opp = sb.opportunities[item["id"]]
        assert item == {
            k: v for k, v in opp.items() if k in ("id", "status_label") or k.startswith("custom.")
        }
    assert "total_results" in body


async def test_unsupported_group_by_is_400(client: httpx.AsyncClient) -> None:
    assert (await client.get("opportunity/", params={"_group_by": "user_id"})).status_code == 400


def _pivot(sb: Sandbox) -> datetime:
    """The median ``date_updated`` (an aware UTC datetime with microseconds)."""
    moments = sorted(datetime.fromisoformat(o["date_updated"]) for o in sb.opportunities.values())
    return moments[len(moments) // 2]


@pytest.mark.parametrize("hours", [5.5, -5, 0])
async def test_date_updated_gt_with_an_offset(
    client: httpx.AsyncClient, sb: Sandbox, hours: float
) -> None:
    """``+05:30`` / ``-05:00`` / ``+00:00``: the same moment in another zone, same matches."""
    pivot = _pivot(sb)
    local = pivot.astimezone(timezone(timedelta(hours=hours)))
    later = lambda o: datetime.fromisoformat(o["date_updated"]) > pivot  # noqa: E731
    await check(client, sb, later, date_updated__gt=local.isoformat())


async def test_date_updated_gt_with_z_and_microseconds(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pivot = _pivot(sb)
    text = pivot.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert text.endswith("Z")
    assert "." in text
    later = lambda o: datetime.fromisoformat(o["date_updated"]) > pivot  # noqa: E731
    await check(client, sb, later, date_updated__gt=text)
    # one microsecond earlier lets the pivot itself through
    just_before = (pivot - timedelta(microseconds=1)).isoformat()
    assert set(await ids_of(client, date_updated__gt=just_before)) == expected(
        sb, lambda o: datetime.fromisoformat(o["date_updated"]) >= pivot
    )


async def test_date_updated_gt_naive_uses_the_tz_offset(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    """A moment without an offset is in the caller's zone (``X-TZ-Offset``)."""
    pivot = _pivot(sb)
    local = pivot.astimezone(timezone(timedelta(hours=-5))).replace(tzinfo=None)
    body = (
        await client.get(
            "opportunity/",
            params={"date_updated__gt": local.isoformat(), "_limit": 200},
            headers={"X-TZ-Offset": "-5"},
        )
    ).json()
    assert {o["id"] for o in body["data"]} == expected(
        sb, lambda o: datetime.fromisoformat(o["date_updated"]) > pivot
    )


async def test_date_updated_gt_a_bare_date(client: httpx.AsyncClient, sb: Sandbox) -> None:
    """A bare date is the whole day: ``__gt`` means from the next day on."""
    pivot = _pivot(sb)
    after = lambda o: datetime.fromisoformat(o["date_updated"]).date() > pivot.date()  # noqa: E731
    await check(client, sb, after, date_updated__gt=pivot.date().isoformat())


async def test_date_updated_gt_percent_encoded_plus(client: httpx.AsyncClient, sb: Sandbox) -> None:
    """``%2B`` is a ``+``; an unencoded ``+`` is a space in a query: 400 saying so."""
    pivot = _pivot(sb)
    text = pivot.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
    assert "+05:30" in text
    encoded = text.replace("+", "%2B").replace(":", "%3A")
    body = (await client.get(f"opportunity/?date_updated__gt={encoded}&_limit=200")).json()
    assert {o["id"] for o in body["data"]} == expected(
        sb, lambda o: datetime.fromisoformat(o["date_updated"]) > pivot
    )
    response = await client.get(f"opportunity/?date_updated__gt={text}&_limit=200")
    assert response.status_code == 400
    message = response.json()["field-errors"]["date_updated__gt"]
    assert "%2B" in message
