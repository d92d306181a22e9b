"""Every error class and retry rule, provoked through the sandbox's fault settings."""

from __future__ import annotations

import httpx
import pytest

from closetui.api import (
    ApiError,
    AuthError,
    CloseClient,
    Credential,
    NotFound,
    RateLimited,
    TransportError,
    ValidationError,
)
from closetui.sandbox import DEMO_API_KEY, Fault, Sandbox
from closetui.sandbox.app import SandboxApp
from tests.api.conftest import IN_PROCESS_URL, Waits, make_client


async def _first_id(client: CloseClient) -> str:
    return (await client.list_opportunities(limit=1)).data[0].id


async def test_400_carries_errors_and_field_errors(client: CloseClient, sandbox: Sandbox) -> None:
    opp_id = await _first_id(client)
    before = dict(sandbox.opportunities[opp_id])
    with pytest.raises(ValidationError) as caught:
        await client.update_opportunity(opp_id, {"status_id": "stat_nope", "confidence": 101})
    assert caught.value.status == 400
    assert set(caught.value.field_errors) == {"status_id", "confidence"}
    assert sandbox.opportunities[opp_id] == before


async def test_401_wrong_key(app: SandboxApp) -> None:
    async with CloseClient(
        Credential.api_key("wrong"), base_url=IN_PROCESS_URL, transport=httpx.ASGITransport(app=app)
    ) as close:
        with pytest.raises(AuthError) as caught:
            await close.me()
    assert caught.value.status == 401
    assert "wrong" not in repr(close.last_exchange)


async def test_404(client: CloseClient) -> None:
    with pytest.raises(NotFound):
        await client.get_opportunity("oppo_doesnotexist")


@pytest.mark.parametrize("separator", [",", ";"])
async def test_429_waits_for_the_ratelimit_reset(
    client: CloseClient, sandbox: Sandbox, waits: Waits, separator: str
) -> None:
    sandbox.set_rate_limit(2, separator)
    for _ in range(4):
        await client.me()
    assert "rate_limited" in waits.reasons
    wait = waits.seen[waits.reasons.index("rate_limited")]
    assert 0 < wait.seconds <= 1
    assert any(e.status == 429 for e in client.exchanges)
    state = client.last_exchange.rate_limit if client.last_exchange else None
    assert state is not None
    assert state.limit == 2


async def test_429_retry_after_when_no_ratelimit_header(
    client: CloseClient, sandbox: Sandbox, waits: Waits
) -> None:
    sandbox.script_faults(Fault(status=429, retry_after=1))
    assert (await client.me()).id
    assert waits.seen[0].reason == "rate_limited"
    assert waits.seen[0].seconds == 1


async def test_429_longer_than_the_cap_fails_at_once(app: SandboxApp, sandbox: Sandbox) -> None:
    sandbox.script_faults(Fault(status=429, retry_after=600))
    async with make_client(app, max_wait=5) as close:
        with pytest.raises(RateLimited) as caught:
            await close.me()
    assert caught.value.retry_after == 600


async def test_503_is_retried_on_any_method(
    client: CloseClient, sandbox: Sandbox, waits: Waits
) -> None:
    opp_id = await _first_id(client)
    sandbox.script_faults(Fault(status=503, count=2, methods=("PUT",)))
    updated = await client.update_opportunity(opp_id, {"confidence": 33})
    assert updated.confidence == 33
    assert waits.reasons == ["unavailable", "unavailable"]


async def test_503_gives_up_after_max_attempts(app: SandboxApp, sandbox: Sandbox) -> None:
    sandbox.script_faults(Fault(status=503, count=None))
    async with make_client(app, max_attempts=3) as close:
        with pytest.raises(ApiError) as caught:
            await close.me()
        assert caught.value.status == 503
        assert len(close.exchanges) == 3


@pytest.mark.parametrize("status", [502, 504])
async def test_502_504_retried_on_get(client: CloseClient, sandbox: Sandbox, status: int) -> None:
    sandbox.script_faults(Fault(status=status, methods=("GET",)))
    assert (await client.me()).id
    assert [e.status for e in client.exchanges] == [status, 200]


@pytest.mark.parametrize("status", [502, 504])
async def test_502_504_never_retried_on_put(
    client: CloseClient, sandbox: Sandbox, status: int
) -> None:
    opp_id = await _first_id(client)
    sandbox.script_faults(Fault(status=status, methods=("PUT",)))
    with pytest.raises(ApiError) as caught:
        await client.update_opportunity(opp_id, {"confidence": 5})
    assert caught.value.status == status
    assert sum(1 for e in client.exchanges if e.request.method == "PUT") == 1


async def test_non_json_error_body(client: CloseClient, sandbox: Sandbox) -> None:
    sandbox.script_faults(Fault(status=500, body="<html>oops</html>", content_type="text/html"))
    with pytest.raises(ApiError) as caught:
        await client.me()
    assert caught.value.status == 500
    assert caught.value.body == "<html>oops</html>"


async def test_timeout_is_a_transport_error(loopback: str, sandbox: Sandbox) -> None:
    # httpx enforces timeouts in its network backend, so this needs the real socket.
    opp_id = next(iter(sandbox.opportunities))
    sandbox.script_faults(Fault(latency=1.0, methods=("PUT",)))
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY), base_url=loopback, timeout=0.2
    ) as close:
        with pytest.raises(TransportError) as caught:
            await close.update_opportunity(opp_id, {"confidence": 1})
    assert caught.value.timeout


async def test_dropped_connection_get_is_retried(
    live_client: CloseClient, sandbox: Sandbox, waits: Waits
) -> None:
    sandbox.script_faults(Fault(drop=True, methods=("GET",)))
    assert (await live_client.me()).id
    assert waits.reasons == ["connect_failed"]
    assert live_client.exchanges[0].error


async def test_dropped_connection_put_is_not_retried(
    live_client: CloseClient, sandbox: Sandbox
) -> None:
    opp_id = next(iter(sandbox.opportunities))
    sandbox.script_faults(Fault(drop=True, methods=("PUT",)))
    with pytest.raises(TransportError):
        await live_client.update_opportunity(opp_id, {"confidence": 2})
    assert sum(1 for e in live_client.exchanges if e.request.method == "PUT") == 1


async def test_refused_connection_is_retried_then_reported() -> None:
    async with CloseClient(
        Credential.api_key("k"), base_url="http://127.0.0.1:9/api/v1/", backoff=0.01, max_attempts=2
    ) as close:
        with pytest.raises(TransportError) as caught:
            await close.me()
    assert not caught.value.timeout
    assert len(close.exchanges) == 2


async def test_secrets_never_in_exchanges_or_reprs(client: CloseClient) -> None:
    await client.me()
    exchange = client.last_exchange
    assert exchange is not None
    text = repr(exchange) + exchange.request.to_text() + exchange.request.to_curl()
    assert "sandbox_demo_key" not in text
    assert "sandbox_demo_key" not in repr(client.credential)
    assert "sandbox_demo_key" in exchange.request.to_curl(reveal=True)


async def test_dropped_connection_in_process_is_a_transport_error(
    client: CloseClient, sandbox: Sandbox
) -> None:
    opp_id = next(iter(sandbox.opportunities))
    sandbox.script_faults(Fault(drop=True, methods=("PUT",)))
    with pytest.raises(TransportError):
        await client.update_opportunity(opp_id, {"confidence": 3})
