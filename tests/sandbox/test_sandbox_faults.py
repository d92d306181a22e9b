"""Rate limiting, scripted and random faults, and the admin routes (in process)."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from closetui.sandbox import (
    DEMO_API_KEY,
    USER_API_KEY,
    DroppedConnection,
    Fault,
    Sandbox,
    SandboxConfig,
    create_app,
)
from closetui.sandbox.app import SandboxApp

from .helpers import make_client

OFFICIAL = re.compile(r"limit=(\d+), remaining=(\d+), reset=(\d+)")
"""The only RateLimit form the official Python client parses."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- rate limiting --------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [",", ";"])
async def test_rate_limit(client: httpx.AsyncClient, sb: Sandbox, separator: str) -> None:
    fake = FakeClock()
    sb.clock = fake
    sb.set_rate_limit(2, separator)
    sep = separator + " "
    first, second, third = [await client.get("me/") for _ in range(3)]
    assert first.status_code == second.status_code == 200
    assert first.headers["RateLimit"] == f"limit=2{sep}remaining=1{sep}reset=1"
    assert second.headers["RateLimit"] == f"limit=2{sep}remaining=0{sep}reset=1"
    assert third.status_code == 429
    assert third.headers["RateLimit"] == f"limit=2{sep}remaining=0{sep}reset=1"
    assert third.headers["Retry-After"] == "1"
    assert bool(OFFICIAL.match(third.headers["RateLimit"])) == (separator == ",")
    fake.now += 1.0  # next window
    assert (await client.get("me/")).status_code == 200


async def test_rate_limit_is_per_key(app: SandboxApp, sb: Sandbox) -> None:
    sb.clock = FakeClock()
    sb.set_rate_limit(1)
    async with (
        make_client(app, auth=(DEMO_API_KEY, "")) as a,
        make_client(app, auth=(USER_API_KEY, "")) as b,
    ):
        assert (await a.get("me/")).status_code == 200
        assert (await a.get("me/")).status_code == 429
        assert (await b.get("me/")).status_code == 200


async def test_rate_limited_writes_change_nothing(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.clock = FakeClock()
    sb.set_rate_limit(1)
    opp_id = next(iter(sb.opportunities))
    await client.get("me/")
    response = await client.put(f"opportunity/{opp_id}/", json={"confidence": 3})
    assert response.status_code == 429
    assert sb.opportunities[opp_id]["confidence"] != 3
    assert sb.requests_seen[-1] == ("PUT", f"/api/v1/opportunity/{opp_id}/")


async def test_rate_limit_from_config_and_off() -> None:
    app = create_app(SandboxConfig(opportunities=5, rate_limit=5, rate_limit_separator=";"))
    async with make_client(app, auth=(DEMO_API_KEY, "")) as c:
        assert (await c.get("pipeline/")).headers["RateLimit"] == "limit=5; remaining=4; reset=1"
        app.state.sandbox.set_rate_limit(None)
        assert "RateLimit" not in (await c.get("pipeline/")).headers


async def test_rate_limit_header_not_sent_when_off(client: httpx.AsyncClient) -> None:
    assert "RateLimit" not in (await client.get("me/")).headers


# -- scripted faults -------------------------------------------------------------------------


async def test_503_on_put_only_once(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp_id = next(iter(sb.opportunities))
    sb.script_faults(Fault(status=503, count=1, methods=("PUT",)))
    assert (await client.get(f"opportunity/{opp_id}/")).status_code == 200
    failed = await client.put(f"opportunity/{opp_id}/", json={"confidence": 9})
    assert failed.status_code == 503
    assert "error" in failed.json()
    assert sb.opportunities[opp_id]["confidence"] != 9
    assert (await client.put(f"opportunity/{opp_id}/", json={"confidence": 9})).status_code == 200
    assert sb.requests_seen.count(("PUT", f"/api/v1/opportunity/{opp_id}/")) == 2


@pytest.mark.parametrize("separator", [",", ";"])
async def test_scripted_429_headers(client: httpx.AsyncClient, sb: Sandbox, separator: str) -> None:
    sb.set_rate_limit(None, separator)
    sb.script_faults(Fault(status=429, retry_after=1, ratelimit_reset=1))
    response = await client.get("me/")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    sep = separator + " "
    assert response.headers["RateLimit"] == f"limit=60{sep}remaining=0{sep}reset=1"
    assert (await client.get("me/")).status_code == 200


async def test_502_on_get_matches_method_and_path(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.script_faults(Fault(status=502, methods=("GET",), path="/opportunity/", count=2))
    assert (await client.get("me/")).status_code == 200  # path does not match
    opp_id = next(iter(sb.opportunities))
    assert (await client.put(f"opportunity/{opp_id}/", json={})).status_code == 200
    assert (await client.get("opportunity/")).status_code == 502
    assert (await client.get(f"opportunity/{opp_id}/")).status_code == 502
    assert (await client.get("opportunity/")).status_code == 200


async def test_non_json_body(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.script_faults(Fault(status=500, body="<html>oops</html>", content_type="text/html"))
    response = await client.get("me/")
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html"
    assert response.text == "<html>oops</html>"


async def test_faults_apply_in_order_and_forever(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.script_faults(Fault(status=503), Fault(status=504, count=None))
    statuses = [(await client.get("me/")).status_code for _ in range(4)]
    assert statuses == [503, 504, 504, 504]
    sb.clear_faults()
    assert (await client.get("me/")).status_code == 200


async def test_latency(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.script_faults(Fault(latency=0.2))
    started = time.monotonic()
    response = await client.get("me/")
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2
    sb.latency = 0.1
    started = time.monotonic()
    await client.get("me/")
    assert time.monotonic() - started >= 0.1


async def test_drop_in_process_raises(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.script_faults(Fault(drop=True))
    with pytest.raises(DroppedConnection):
        await client.get("me/")
    assert isinstance(DroppedConnection(), ConnectionResetError)
    assert (await client.get("me/")).status_code == 200


async def test_faults_come_before_auth(anon: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.script_faults(Fault(status=503))
    assert (await anon.get("me/")).status_code == 503
    assert (await anon.get("me/")).status_code == 401


# -- random faults ---------------------------------------------------------------------------


async def statuses_for(config: SandboxConfig, count: int) -> list[int | str]:
    app = create_app(config)
    out: list[int | str] = []
    async with make_client(app, auth=(DEMO_API_KEY, "")) as c:
        for _ in range(count):
            try:
                out.append((await c.get("pipeline/")).status_code)
            except DroppedConnection:
                out.append("drop")
    return out


async def test_random_faults_are_seeded() -> None:
    config = SandboxConfig(opportunities=0, seed=5, error_rate=0.3, drop_rate=0.2)
    first = await statuses_for(config, 60)
    assert first == await statuses_for(config, 60)
    assert {200, 503, "drop"} == set(first)
    assert await statuses_for(SandboxConfig(opportunities=0, error_rate=1.0), 3) == [503] * 3
    assert await statuses_for(SandboxConfig(opportunities=0, drop_rate=1.0), 2) == ["drop"] * 2


# -- admin routes ----------------------------------------------------------------------------


async def test_admin_routes(app: SandboxApp, sb: Sandbox, anon: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox/", auth=(DEMO_API_KEY, "")
    ) as admin:
        assert (await anon.post("http://sandbox/_sandbox/reset")).status_code == 401
        faults = [{"status": 503, "methods": ["PUT"]}, {"status": 429, "retry_after": 2}]
        assert (await admin.post("_sandbox/faults", json=faults)).json() == {"queued": 2}
        assert len(sb.faults) == 2
        bad = await admin.post("_sandbox/faults", json=[{"colour": "red"}])
        assert bad.status_code == 400
        body = (await admin.post("_sandbox/rate_limit", json={"rps": 3, "separator": ";"})).json()
        assert body == {"rps": 3}
        assert sb.rate_limit == 3
        assert sb.rate_limit_separator == ";"
        assert (
            await admin.post("_sandbox/rate_limit", json={"rps": 3, "separator": "|"})
        ).status_code == 400
        opp_id = next(iter(sb.opportunities))
        sb.opportunities.pop(opp_id)
        async with make_client(app, auth=(DEMO_API_KEY, "")) as api:
            await api.get("me/")
        seen = (await admin.get("_sandbox/requests")).json()["requests"]
        assert seen == [["GET", "/api/v1/me/"]]  # admin calls are not logged
        assert (await admin.post("_sandbox/reset")).json() == {"reset": True}
        assert opp_id in sb.opportunities
        assert sb.faults == []
        assert sb.requests_seen == []
        assert sb.rate_limit is None


# -- faults after the request took effect ---------------------------------------------------


async def test_502_after_the_write_was_applied(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp_id = next(iter(sb.opportunities))
    sb.script_faults(Fault(status=502, methods=("PUT",), after=True))
    response = await client.put(f"opportunity/{opp_id}/", json={"confidence": 61})
    assert response.status_code == 502
    assert sb.opportunities[opp_id]["confidence"] == 61  # the write happened anyway


async def test_drop_after_the_write_was_applied(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp_id = next(iter(sb.opportunities))
    sb.script_faults(Fault(drop=True, after=True))
    with pytest.raises(DroppedConnection):
        await client.put(f"opportunity/{opp_id}/", json={"confidence": 62})
    assert sb.opportunities[opp_id]["confidence"] == 62
