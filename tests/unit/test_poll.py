"""The live list's poller against the in-process sandbox: requests, merge, cursor, budget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from closetui.api import CloseClient, Credential
from closetui.api.query import OpportunityQuery
from closetui.sandbox import DEMO_API_KEY, USER_API_KEY, Sandbox, SandboxConfig, create_app
from closetui.sandbox.app import SandboxApp
from closetui.sandbox.faults import Fault
from closetui.session.poll import Poller, has_filters
from closetui.ui.list.rows import LIST_FIELDS

URL = "http://sandbox.test/api/v1/"


@pytest.fixture
def app() -> SandboxApp:
    return create_app(SandboxConfig(opportunities=60))


@pytest.fixture
def sandbox(app: SandboxApp) -> Sandbox:
    sb: Sandbox = app.state.sandbox
    return sb


@pytest.fixture
async def client(app: SandboxApp) -> AsyncIterator[CloseClient]:
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=URL,
        tz_offset=0,
        transport=httpx.ASGITransport(app=app),
        backoff=0.01,
    ) as close:
        yield close


@pytest.fixture
async def other(app: SandboxApp) -> AsyncIterator[httpx.AsyncClient]:
    """A second user of the same organisation, writing through the API."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=URL, auth=(USER_API_KEY, "")
    ) as c:
        yield c


def gets(sandbox: Sandbox) -> int:
    """List requests the sandbox has answered so far."""
    return sum(1 for entry in sandbox.requests if entry.method == "GET")


def status_of(sandbox: Sandbox, kind: str) -> str:
    return next(o["status_id"] for o in sandbox.opportunities.values() if o["status_type"] == kind)


async def put(other: httpx.AsyncClient, opp_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await other.put(f"opportunity/{opp_id}/", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def poller(client: CloseClient, query: OpportunityQuery | None = None, **kw: Any) -> Poller:
    return Poller(client, LIST_FIELDS, query, poll_seconds=0.5, **kw)


async def test_an_idle_poll_is_one_request(client: CloseClient, sandbox: Sandbox) -> None:
    live = poller(client)
    await live.start()
    assert live.cursor == max(o["date_updated"] for o in sandbox.opportunities.values())
    before = len(sandbox.requests)
    result = await live.poll(set(sandbox.opportunities))
    assert result.empty
    assert result.requests == 1
    assert len(sandbox.requests) == before + 1
    again = await live.poll(set(sandbox.opportunities))  # the overlap repeats nothing
    assert again.empty
    assert again.requests == 1


async def test_another_users_change_is_reported_with_who(
    client: CloseClient, sandbox: Sandbox, other: httpx.AsyncClient
) -> None:
    live = poller(client, user_id="user_demo_does_not_match")
    await live.start()
    opp = next(iter(sandbox.opportunities.values()))
    saved = await put(other, opp["id"], {"confidence": 99})
    result = await live.poll({opp["id"]})
    assert [c.id for c in result.changed] == [opp["id"]]
    change = result.changed[0]
    assert change.item["confidence"] == 99
    assert change.by == saved["updated_by_name"]
    assert change.by
    assert not change.mine
    assert "updated_by" not in change.item
    assert set(change.item) <= set(LIST_FIELDS) | {
        k for k in change.item if k.startswith("custom.")
    }
    assert live.cursor == saved["date_updated"]
    # inside the overlap the same row comes back: not reported twice
    assert (await live.poll({opp["id"]})).empty


async def test_own_changes_are_flagged_mine(
    client: CloseClient, sandbox: Sandbox, other: httpx.AsyncClient
) -> None:
    me = (await other.get("me/")).json()["id"]
    live = poller(client, user_id=me)
    await live.start()
    opp = next(iter(sandbox.opportunities.values()))
    await put(other, opp["id"], {"confidence": 12})
    result = await live.poll({opp["id"]})
    assert [c.mine for c in result.changed] == [True]


async def test_a_created_opportunity_is_added(
    client: CloseClient, sandbox: Sandbox, other: httpx.AsyncClient
) -> None:
    live = poller(client)
    await live.start()
    lead = next(iter(sandbox.opportunities.values()))["lead_id"]
    response = await other.post("opportunity/", json={"lead_id": lead, "note": "new"})
    assert response.status_code == 200, response.text
    result = await live.poll(set())
    assert [c.id for c in result.added] == [response.json()["id"]]
    assert not result.changed
    assert not result.dropped


async def test_a_row_moved_out_of_the_filter_is_dropped(
    client: CloseClient, sandbox: Sandbox, other: httpx.AsyncClient
) -> None:
    query = OpportunityQuery(status_type="active", order_by="-date_updated")
    assert has_filters(query)
    assert not has_filters(OpportunityQuery(order_by="-value"))
    live = poller(client, query)
    await live.start()
    active = [o["id"] for o in sandbox.opportunities.values() if o["status_type"] == "active"]
    leaving, staying = active[0], active[1]
    await put(other, leaving, {"status_id": status_of(sandbox, "lost")})
    await put(other, staying, {"confidence": 77})
    before = gets(sandbox)
    result = await live.poll(set(active))
    assert result.dropped == (leaving,)
    assert [c.id for c in result.changed] == [staying]
    assert result.requests == 2 == gets(sandbox) - before
    filtered = sandbox.requests[-1]
    assert "status_type=active" in filtered.query
    assert "date_updated__gt=" in filtered.query


async def test_a_row_outside_the_filter_is_not_added(
    client: CloseClient, sandbox: Sandbox, other: httpx.AsyncClient
) -> None:
    live = poller(client, OpportunityQuery(status_type="active"))
    await live.start()
    won = next(o["id"] for o in sandbox.opportunities.values() if o["status_type"] == "won")
    await put(other, won, {"confidence": 5})
    result = await live.poll(set())
    assert result.empty
    assert result.requests == 2


async def test_the_timestamp_is_sent_percent_encoded(
    client: CloseClient, sandbox: Sandbox, other: httpx.AsyncClient
) -> None:
    live = poller(client)
    await live.start()
    assert live.cursor
    assert live.cursor.endswith("+00:00")
    await live.poll(set())
    sent = sandbox.requests[-1].query
    assert "date_updated__gt=" in sent
    assert "%2B00%3A00" in sent.replace("%3a", "%3A")


async def test_the_interval_keeps_to_five_percent_of_the_limit(
    client: CloseClient, sandbox: Sandbox
) -> None:
    live = poller(client)
    assert live.interval() == 0.5  # no RateLimit header: poll_seconds alone
    sandbox.set_rate_limit(10)
    await live.start()
    await live.poll(set())
    assert live.limit == 10
    assert live.window >= 1
    # one request per poll, 5% of 10/s: at most one every 2 s
    assert live.interval() == pytest.approx(live.last_requests * live.window / 0.5)
    assert live.interval() >= 2


async def test_paused_while_a_send_waits_on_a_429(client: CloseClient, sandbox: Sandbox) -> None:
    live = poller(client)
    assert not live.paused()
    sandbox.script_faults(Fault(status=429, retry_after=1, path="/opportunity/"))
    seen: list[bool] = []

    async def on_wait(_wait: object) -> None:
        seen.append(live.paused())

    client.on_wait = on_wait
    await client.get_opportunity(next(iter(sandbox.opportunities)))
    assert seen == [True]


async def test_the_first_interval_already_keeps_to_the_budget(
    client: CloseClient, sandbox: Sandbox
) -> None:
    sandbox.set_rate_limit(10)
    live = poller(client)
    await live.start()  # the cursor's answer tells the limit
    assert live.limit == 10
    assert live.interval() >= 2


async def test_more_changes_than_a_page_are_paged() -> None:
    app = create_app(SandboxConfig(opportunities=150))
    sandbox: Sandbox = app.state.sandbox
    transport = httpx.ASGITransport(app=app)
    async with (
        CloseClient(Credential.api_key(DEMO_API_KEY), base_url=URL, transport=transport) as client,
        httpx.AsyncClient(transport=transport, base_url=URL, auth=(USER_API_KEY, "")) as other,
    ):
        live = poller(client)
        await live.start()
        changed = list(sandbox.opportunities)[:130]
        for opp_id in changed:
            await put(other, opp_id, {"confidence": 1})
        result = await live.poll(set(sandbox.opportunities))
        assert result.requests == 2  # 100 + 30, following has_more
        assert sorted(c.id for c in result.changed) == sorted(changed)
        assert live.interval() == 0.5  # no RateLimit header
