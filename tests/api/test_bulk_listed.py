"""Reading marks from the list's own pages, and the chunked stale guard, against the sandbox."""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl

import httpx
import pytest

from closetui.api import CloseClient, Credential
from closetui.api.query import OpportunityQuery
from closetui.bulk import BulkPlan, RowResult, plan_bulk, send_bulk
from closetui.bulk.fetch import Fetched, fetch_listed
from closetui.bulk.guard import GUARD_OVERLAP
from closetui.edits import Draft, OrgSchema
from closetui.reference import load_reference
from closetui.sandbox import USER_API_KEY, Fault, Sandbox, SandboxConfig, create_app
from closetui.sandbox.app import SandboxApp
from tests.api.conftest import IN_PROCESS_URL, make_client

PAGE = 100
ORDER = OpportunityQuery(order_by="date_created")


def kinds(sandbox: Sandbox, start: int) -> Counter[str]:
    """The demo user's API requests since ``start``: ``list``, ``one`` (GET by id), ``put``,
    ``other`` (the second user's are left out)."""
    seen: Counter[str] = Counter()
    theirs = Credential.api_key(USER_API_KEY).header_value()
    for request in sandbox.requests[start:]:
        if request.headers.get("authorization") == theirs:
            continue
        if request.method == "PUT":
            seen["put"] += 1
        elif request.path.rstrip("/") == "/api/v1/opportunity":
            seen["list"] += 1
        elif request.path.startswith("/api/v1/opportunity/"):
            seen["one"] += 1
        else:
            seen["other"] += 1
    return seen


def list_queries(sandbox: Sandbox, start: int) -> list[dict[str, str]]:
    """The query parameters of each list request since ``start``."""
    return [
        dict(parse_qsl(r.query))
        for r in sandbox.requests[start:]
        if r.method == "GET" and r.path.rstrip("/") == "/api/v1/opportunity"
    ]


def org(opportunities: int) -> SandboxApp:
    return create_app(SandboxConfig(opportunities=opportunities, seed=3))


@pytest.fixture
def app() -> SandboxApp:
    return org(250)


@pytest.fixture
async def other(app: SandboxApp) -> AsyncIterator[CloseClient]:
    """A second user of the same org, with their own key."""
    async with CloseClient(
        Credential.api_key(USER_API_KEY),
        base_url=IN_PROCESS_URL,
        tz_offset=0,
        transport=httpx.ASGITransport(app=app),
    ) as close:
        yield close


async def schema_of(client: CloseClient) -> OrgSchema:
    return (await load_reference(client)).schema


async def page_ids(client: CloseClient, query: OpportunityQuery, number: int) -> list[str]:
    page = await client.list_opportunities(query, skip=number * PAGE, limit=PAGE)
    return [o.id for o in page.data]


async def read(
    client: CloseClient, ids: list[str], query: OpportunityQuery, pages: list[int]
) -> Fetched:
    return await fetch_listed(client, ids, query, pages, page_size=PAGE)


# -- the reader ------------------------------------------------------------------------------


async def test_marks_on_loaded_pages_cost_one_request_a_page(
    client: CloseClient, sandbox: Sandbox
) -> None:
    first, second, third = [await page_ids(client, ORDER, n) for n in range(3)]
    # 150 marks on pages 0 and 1, three more on page 2 (marked under another filter).
    marks = [*second[::2], *first, *third[:3]]
    start = len(sandbox.requests)
    progress: list[tuple[int, int, str]] = []
    fetched = await fetch_listed(
        client, marks, ORDER, [0, 1], page_size=PAGE, on_progress=lambda *p: progress.append(p)
    )
    assert [o.id for o in fetched.opportunities] == marks  # the marks' order
    assert fetched.failures == {}
    assert kinds(sandbox, start) == Counter(list=2, one=3)
    assert fetched.listed == frozenset(marks[:-3])
    assert set(fetched.guard_since()) == fetched.listed
    assert progress[:2] == [(1, 2, "pages"), (2, 2, "pages")]
    assert progress[-1] == (3, 3, "opportunities")
    for opportunity in fetched.opportunities:
        assert opportunity.lead_name == sandbox.opportunities[opportunity.id]["lead_name"]
    asked = list_queries(sandbox, start)
    assert sorted(q["_skip"] for q in asked) == ["0", "100"]
    assert all(q["_order_by"] == "date_created" and "_fields" not in q for q in asked)


async def test_a_mark_that_moved_off_its_page_is_read_on_its_own(
    client: CloseClient, other: CloseClient, sandbox: Sandbox
) -> None:
    newest_first = OpportunityQuery(order_by="-date_updated")
    second = await page_ids(client, newest_first, 1)
    await other.update_opportunity(second[5], {"confidence": 3})  # now first on page 0
    start = len(sandbox.requests)
    fetched = await read(client, second[:10], newest_first, [1])
    assert [o.id for o in fetched.opportunities] == second[:10]
    assert kinds(sandbox, start) == Counter(list=1, one=1)
    assert second[5] not in fetched.listed
    assert fetched.opportunities[5].confidence == 3


async def test_read_at_is_the_servers_date_of_the_page_answer(
    client: CloseClient, sandbox: Sandbox
) -> None:
    ids = await page_ids(client, ORDER, 0)
    fetched = await read(client, ids[:5], ORDER, [0])
    answer = client.last_exchange
    assert answer is not None
    date = {k.lower(): v for k, v in answer.response_headers}["date"]
    assert fetched.read_at == parsedate_to_datetime(date)
    assert abs(fetched.read_at - datetime.now(UTC)) < timedelta(seconds=5)
    # Far newer than the rows' own date_updated: a guard from those would list the org.
    assert all(o.date_updated < fetched.read_at - timedelta(days=1) for o in fetched.opportunities)


# -- the chunked guard -----------------------------------------------------------------------


async def planned(
    client: CloseClient, query: OpportunityQuery, count: int
) -> tuple[Fetched, OrgSchema, list[str]]:
    schema = await schema_of(client)
    ids = (await page_ids(client, query, 0))[:count]
    return await read(client, ids, query, [0]), schema, ids


def confidence_plan(fetched: Fetched, schema: OrgSchema) -> BulkPlan:
    plan = plan_bulk(fetched.opportunities, Draft().with_set("confidence", 97), schema)
    assert len(plan.jobs) == len(fetched.opportunities)
    return plan


async def test_nothing_changed_costs_one_list_request_a_chunk_and_no_get(
    client: CloseClient, sandbox: Sandbox
) -> None:
    fetched, schema, ids = await planned(client, ORDER, 45)
    plan = confidence_plan(fetched, schema)
    start = len(sandbox.requests)
    result = await send_bulk(
        client, plan.jobs, guard_stale=True, schema=schema, guard_since=fetched.guard_since()
    )
    assert [r.outcome for r in result.rows] == ["ok"] * 45
    assert kinds(sandbox, start) == Counter(put=45, list=math.ceil(45 / 20))
    assert all(sandbox.opportunities[i]["confidence"] == 97 for i in ids)


async def test_rows_changed_by_someone_else_are_held_back_without_a_get(
    client: CloseClient, other: CloseClient, sandbox: Sandbox
) -> None:
    active = OpportunityQuery(status_type="active", order_by="date_created")
    fetched, schema, ids = await planned(client, active, 30)
    won = sandbox.status_id(sandbox.opportunities[ids[4]]["pipeline_name"], "Won")
    # Between the read and the send: one row changed, one moved out of the list's filter.
    await other.update_opportunity(ids[3], {"value": 123400})
    await other.update_opportunity(ids[4], {"status_id": won})
    late = ids[26]  # changed while the first chunk is on its way: the second guard sees it

    async def on_row(row: RowResult) -> None:
        if row.index == 2:
            await other.update_opportunity(late, {"confidence": 11})

    plan = confidence_plan(fetched, schema)
    start = len(sandbox.requests)
    result = await send_bulk(
        client,
        plan.jobs,
        guard_stale=True,
        schema=schema,
        guard_since=fetched.guard_since(),
        on_row=on_row,
        concurrency=1,
    )
    stale = {r.job.opportunity_id: r for r in result.stale}
    assert set(stale) == {ids[3], ids[4], late}
    assert stale[ids[3]].stale is not None
    assert "value" in stale[ids[3]].stale.changed_fields
    assert stale[ids[4]].stale is not None
    assert "status_id" in stale[ids[4]].stale.changed_fields
    assert stale[ids[4]].opportunity is not None
    assert stale[ids[4]].opportunity.status_id == won
    assert sandbox.opportunities[late]["confidence"] == 11  # theirs, not overwritten
    assert sandbox.opportunities[ids[4]]["status_id"] == won
    assert len(result.ok) == 27
    counted = kinds(sandbox, start)
    assert counted["one"] == 0
    assert counted["put"] == 27
    assert counted["list"] == 2


async def test_the_first_guard_starts_from_the_reads_date_later_ones_from_the_newest_seen(
    client: CloseClient, sandbox: Sandbox
) -> None:
    fetched, schema, _ = await planned(client, ORDER, 41)
    assert fetched.read_at is not None
    plan = confidence_plan(fetched, schema)
    start = len(sandbox.requests)
    await send_bulk(
        client,
        plan.jobs,
        guard_stale=True,
        schema=schema,
        guard_since=fetched.guard_since(),
        concurrency=1,
    )
    guards = list_queries(sandbox, start)
    assert len(guards) == 3
    since = [datetime.fromisoformat(q["date_updated__gt"]) for q in guards]
    assert since[0] == fetched.read_at - GUARD_OVERLAP
    assert all(
        q["_order_by"] == "-date_updated"
        and set(q) == {"date_updated__gt", "_order_by", "_skip", "_limit"}
        for q in guards
    )  # no list filters, full objects
    # A later guard starts from the newest change the one before it saw, less the overlap:
    # the first saw none, the second the first chunk's writes.
    written = [
        datetime.fromisoformat(sandbox.opportunities[j.opportunity_id]["date_updated"])
        for j in plan.jobs
    ]
    assert since[1] == since[0]
    assert since[2] == max(written[:20]) - GUARD_OVERLAP


async def test_a_guard_pages_through_every_change() -> None:
    app = org(250)
    async with make_client(app) as client:
        sandbox: Sandbox = app.state.sandbox
        schema = await schema_of(client)
        oldest = (
            await client.list_opportunities(OpportunityQuery(order_by="date_updated"), limit=3)
        ).data
        # Planned from a version older than the server's: only page 3 of the guard has it.
        based = [
            o.model_copy(update={"date_updated": o.date_updated - timedelta(days=1)})
            for o in oldest
        ]
        plan = plan_bulk(based, Draft().with_set("confidence", 97), schema)
        ancient = datetime(2000, 1, 1, tzinfo=UTC)
        start = len(sandbox.requests)
        result = await send_bulk(
            client,
            plan.jobs,
            guard_stale=True,
            schema=schema,
            guard_since={o.id: ancient for o in based},
        )
        assert [r.outcome for r in result.rows] == ["stale"] * 3
        assert [q["_skip"] for q in list_queries(sandbox, start)] == ["0", "100", "200"]
        assert kinds(sandbox, start) == Counter(list=3)


async def test_a_very_busy_org_falls_back_to_a_get_per_row() -> None:
    app = org(320)
    async with make_client(app) as client:
        sandbox: Sandbox = app.state.sandbox
        schema = await schema_of(client)
        opps = (await client.list_opportunities(ORDER, limit=25)).data
        plan = plan_bulk(opps, Draft().with_set("confidence", 97), schema)
        ancient = datetime(2000, 1, 1, tzinfo=UTC)
        start = len(sandbox.requests)
        result = await send_bulk(
            client,
            plan.jobs,
            guard_stale=True,
            schema=schema,
            guard_since={o.id: ancient for o in opps},
        )
        assert [r.outcome for r in result.rows] == ["ok"] * 25
        # 3 pages and more to come: every row is re-read on its own, as without the guard.
        assert kinds(sandbox, start) == Counter(list=3, one=25, put=25)


async def test_a_failed_guard_re_reads_its_chunk_row_by_row(
    client: CloseClient, other: CloseClient, sandbox: Sandbox
) -> None:
    fetched, schema, ids = await planned(client, ORDER, 25)
    await other.update_opportunity(ids[7], {"confidence": 5})
    plan = confidence_plan(fetched, schema)
    # The first guard's list request is refused (a 400 is never retried).
    sandbox.script_faults(Fault(status=400, methods=("GET",), path="/opportunity/"))
    start = len(sandbox.requests)
    result = await send_bulk(
        client, plan.jobs, guard_stale=True, schema=schema, guard_since=fetched.guard_since()
    )
    assert [r.job.opportunity_id for r in result.stale] == [ids[7]]
    assert sandbox.opportunities[ids[7]]["confidence"] == 5
    # Chunk 1 (20 rows) read one by one; the second guard lists again.
    assert kinds(sandbox, start) == Counter(list=2, one=20, put=24)


async def test_a_cancel_between_chunks_lists_and_sends_nothing_more(
    client: CloseClient, sandbox: Sandbox
) -> None:
    fetched, schema, ids = await planned(client, ORDER, 30)
    plan = confidence_plan(fetched, schema)
    cancel = asyncio.Event()

    def on_row(row: RowResult) -> None:
        if row.index == 19:  # the last row of the first chunk: the next guard is next
            cancel.set()

    start = len(sandbox.requests)
    result = await send_bulk(
        client,
        plan.jobs,
        guard_stale=True,
        schema=schema,
        guard_since=fetched.guard_since(),
        cancel=cancel,
        on_row=on_row,
        concurrency=1,
    )
    assert [r.outcome for r in result.rows] == ["ok"] * 20 + ["not_sent"] * 10
    assert kinds(sandbox, start) == Counter(list=1, put=20)
    assert all(sandbox.opportunities[i]["confidence"] != 97 for i in ids[20:])
