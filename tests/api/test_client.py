"""The client against the sandbox: every call, in process and over a loopback socket."""

from __future__ import annotations

import base64
import json
from datetime import date

import httpx
import pytest

from closetui.api import CloseClient, Credential, OpportunityQuery
from closetui.api.models import OpportunityStatus
from closetui.sandbox import DEMO_API_KEY, OAUTH_TOKEN, Sandbox
from closetui.sandbox.app import SandboxApp
from tests.api.conftest import IN_PROCESS_URL


async def _status(client: CloseClient, kind: str) -> OpportunityStatus:
    pipelines = await client.list_pipelines()
    return next(s for s in pipelines[0].statuses if s.type == kind)


async def test_me_and_org(client: CloseClient) -> None:
    me = await client.me()
    org = me.organizations[0]
    assert me.role_in(org.id) == "admin"
    assert len(org.pipelines) >= 2


async def test_reference_data(client: CloseClient) -> None:
    pipelines = await client.list_pipelines()
    assert len(pipelines) >= 2
    for pipeline in pipelines:
        assert {s.type for s in pipeline.statuses} == {"active", "won", "lost"}
        assert all(s.pipeline_id == pipeline.id for s in pipeline.statuses)
    statuses = await client.list_statuses()
    assert {s.id for s in statuses} == {s.id for p in pipelines for s in p.statuses}
    users = await client.list_users()
    assert len(users) >= 5
    fields = await client.custom_fields()
    types = {f.type for f in fields}
    assert {"text", "textarea", "number", "date", "datetime", "choices", "user", "contact"} <= types
    assert any(f.accepts_multiple_values and f.type == "choices" for f in fields)
    assert any(f.accepts_multiple_values and f.type == "user" for f in fields)
    assert any(not f.is_known_type for f in fields)


async def test_custom_fields_fall_back_without_the_schema_endpoint(app: SandboxApp) -> None:
    inner = httpx.ASGITransport(app=app)

    async def no_schema(request: httpx.Request) -> httpx.Response:
        if "custom_field_schema" in request.url.path:
            return httpx.Response(404, json={"error": "Not found"})
        response = await inner.handle_async_request(request)
        await response.aread()
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )

    async with CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=IN_PROCESS_URL,
        transport=httpx.MockTransport(no_schema),
    ) as close:
        fallback = await close.custom_fields()
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY), base_url=IN_PROCESS_URL, transport=inner
    ) as close:
        schema = await close.custom_fields()
    assert {f.id for f in fallback} == {f.id for f in schema}
    assert any(f.is_shared for f in fallback)


async def test_list_pages_and_iterator(client: CloseClient, sandbox: Sandbox) -> None:
    first = await client.list_opportunities(limit=25)
    assert len(first.data) == 25
    assert first.has_more
    assert first.total_results == len(sandbox.opportunities)
    assert first.total_value_annualized is not None
    everything = [o.id async for o in client.iter_opportunities(page_size=25)]
    assert sorted(everything) == sorted(sandbox.opportunities)
    pages = [
        e for e in client.exchanges if e.request.url.startswith(IN_PROCESS_URL + "opportunity")
    ]
    assert any("_skip=50" in e.request.url for e in pages)


async def test_list_filters(client: CloseClient) -> None:
    won = await _status(client, "won")
    page = await client.list_opportunities(OpportunityQuery(status_type="won"), limit=100)
    assert page.data
    assert all(o.status_type == "won" for o in page.data)
    both = await client.list_opportunities(
        OpportunityQuery(status_type=("won", "lost"), order_by="-date_won"), limit=100
    )
    assert {o.status_type for o in both.data} <= {"won", "lost"}
    by_status = await client.list_opportunities(OpportunityQuery(status_id=won.id))
    assert all(o.status_id == won.id for o in by_status.data)
    recent = await client.list_opportunities(
        OpportunityQuery(status_type="won", date_won__gte=date(2000, 1, 1), order_by="value")
    )
    values = [o.value for o in recent.data if o.value is not None]
    assert values == sorted(values)


async def test_fields_subset(client: CloseClient) -> None:
    page = await client.list_opportunity_fields(["id", "lead_name"], limit=3)
    assert all(set(row) == {"id", "lead_name"} for row in page.data)


async def test_get_update_and_the_request_that_was_sent(
    client: CloseClient, sandbox: Sandbox
) -> None:
    opp = (await client.list_opportunities(OpportunityQuery(status_type="active"), limit=1)).data[0]
    assert (await client.get_opportunity(opp.id)).id == opp.id
    request = client.build_update_request(opp.id, {"confidence": 77, "note": "Called twice"})
    view = client.describe(request)
    assert view.method == "PUT"
    assert view.url == f"{IN_PROCESS_URL}opportunity/{opp.id}/"
    assert view.header("X-TZ-Offset") == "0"
    assert view.header("Authorization") == "Basic ***"
    updated = await client.send_update(request)
    assert updated.confidence == 77
    assert updated.note == "Called twice"
    assert sandbox.opportunities[opp.id]["confidence"] == 77
    sent = client.last_exchange
    assert sent is not None
    assert sent.request.body == request.content
    assert json.loads(sent.request.body) == {"confidence": 77, "note": "Called twice"}
    assert sent.status == 200
    assert sent.elapsed > 0


def test_requests_built_again_for_the_same_path_are_the_same() -> None:
    """The preview rebuilds one path's request on every keystroke (its joined URL is
    kept); each build must still be exactly what httpx makes of the path."""
    client = CloseClient(Credential.api_key("k"), base_url="https://api.close.com/api/v1")
    fresh = httpx.AsyncClient(base_url=client.base_url)
    for path, params in [
        ("opportunity/oppo_1/", None),
        ("opportunity/oppo_1/", None),
        ("opportunity/", {"_skip": "50", "query": "a b"}),
        ("opportunity/oppo_2/", None),
        ("opportunity/oppo_1/", {"_fields": "id"}),
    ]:
        built = client.build_request("PUT", path, params=params, body={"a": 1})
        assert built.url == fresh.build_request("PUT", path, params=params).url
        assert str(built.url).startswith("https://api.close.com/api/v1/opportunity/")


async def test_won_status_sets_date_won_in_the_sent_offset(
    app: SandboxApp, sandbox: Sandbox
) -> None:
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=IN_PROCESS_URL,
        tz_offset=5.5,
        transport=httpx.ASGITransport(app=app),
    ) as close:
        active = [o async for o in close.iter_opportunities(OpportunityQuery(status_type="active"))]
        opp = next(o for o in active if o.date_won is None)
        won = await _status(close, "won")
        request = close.build_update_request(opp.id, {"status_id": won.id})
        assert close.describe(request).header("X-TZ-Offset") == "5.5"
        updated = await close.send_update(request)
    assert updated.status_type == "won"
    assert updated.date_won is not None


async def test_custom_field_add_remove_and_clear(client: CloseClient) -> None:
    fields = await client.custom_fields()
    multi = next(f for f in fields if f.type == "choices" and f.accepts_multiple_values)
    assert multi.choices
    opp = (await client.list_opportunities(limit=1)).data[0]
    cleared = await client.update_opportunity(opp.id, {multi.key: None})
    assert cleared.custom_value(multi.id) is None
    added = await client.update_opportunity(opp.id, {multi.key + ".add": multi.choices[0]})
    assert added.custom_value(multi.id) == [multi.choices[0]]
    added = await client.update_opportunity(opp.id, {multi.key + ".add": multi.choices[1]})
    assert added.custom_value(multi.id) == multi.choices[:2]
    removed = await client.update_opportunity(opp.id, {multi.key + ".remove": multi.choices[0]})
    assert removed.custom_value(multi.id) == [multi.choices[1]]


async def test_oauth_bearer(app: SandboxApp) -> None:
    async with CloseClient(
        Credential.oauth(OAUTH_TOKEN),
        base_url=IN_PROCESS_URL,
        transport=httpx.ASGITransport(app=app),
    ) as close:
        me = await close.me()
        assert me.id
        view = close.last_exchange
        assert view is not None
        assert view.request.header("Authorization") == "Bearer ***"


def test_basic_header_is_key_and_empty_password() -> None:
    header = Credential.api_key("abc").header_value()
    assert header == "Basic YWJjOg=="
    assert base64.b64decode(header.split()[1]) == b"abc:"


@pytest.mark.parametrize("repeat", [1])
async def test_over_a_real_loopback_socket(live_client: CloseClient, repeat: int) -> None:
    me = await live_client.me()
    assert me.organizations
    page = await live_client.list_opportunities(limit=5)
    opp = page.data[0]
    updated = await live_client.update_opportunity(opp.id, {"confidence": 12 + repeat})
    assert updated.confidence == 13
    assert live_client.base_url.startswith("http://127.0.0.1:")
