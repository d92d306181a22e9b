"""Per-call client hooks (``before_attempt``, ``on_exchange``) and ``TransportError.connect``."""

from __future__ import annotations

import httpx
import pytest

from closetui.api import ApiError, CloseClient, Credential, Exchange, TransportError
from closetui.sandbox import DEMO_API_KEY, Fault, Sandbox
from closetui.sandbox.app import SandboxApp
from tests.api.conftest import IN_PROCESS_URL, make_client


class Stop(Exception):
    pass


async def test_hooks_see_every_attempt_of_one_call(app: SandboxApp, sandbox: Sandbox) -> None:
    everywhere: list[Exchange] = []
    attempts: list[int] = []
    mine: list[Exchange] = []

    async def before(attempt: int) -> None:
        attempts.append(attempt)

    async with make_client(app, on_exchange=everywhere.append) as close:
        opp_id = next(iter(sandbox.opportunities))
        sandbox.script_faults(Fault(status=503, methods=("PUT",)))
        request = close.build_update_request(opp_id, {"confidence": 3})
        await close.send(request, before_attempt=before, on_exchange=mine.append)
        await close.get_opportunity(opp_id)  # a call without hooks
    assert attempts == [1, 2]
    assert [e.status for e in mine] == [503, 200]
    assert [e.status for e in everywhere] == [503, 200, 200]


async def test_a_hook_that_raises_stops_the_call_before_it_is_sent(
    app: SandboxApp, sandbox: Sandbox
) -> None:
    async def refuse(attempt: int) -> None:
        raise Stop

    async with make_client(app) as close:
        opp_id = next(iter(sandbox.opportunities))
        with pytest.raises(Stop):
            await close.send(
                close.build_update_request(opp_id, {"confidence": 3}), before_attempt=refuse
            )
    assert not [r for r in sandbox.requests if r.method == "PUT"]


async def test_transport_errors_say_whether_the_server_could_have_seen_it(
    app: SandboxApp, sandbox: Sandbox
) -> None:
    sandbox.script_faults(Fault(drop=True, methods=("PUT",)))
    async with make_client(app) as close:
        opp_id = next(iter(sandbox.opportunities))
        with pytest.raises(TransportError) as dropped:
            await close.update_opportunity(opp_id, {"confidence": 3})
    assert dropped.value.connect is False

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url="http://sandbox.test/api/v1/",
        transport=httpx.MockTransport(refuse),
        max_attempts=1,
    ) as close:
        with pytest.raises(TransportError) as refused:
            await close.update_opportunity(opp_id, {"confidence": 3})
    assert refused.value.connect is True


async def test_send_update_passes_its_exchanges_on(app: SandboxApp, sandbox: Sandbox) -> None:
    seen: list[Exchange] = []
    async with make_client(app) as close:
        opp_id = next(iter(sandbox.opportunities))
        request = close.build_update_request(opp_id, {"confidence": 4})
        updated = await close.send_update(request, on_exchange=seen.append)
    assert updated.confidence == 4
    assert [(e.request.method, e.status) for e in seen] == [("PUT", 200)]


class Peek(httpx.AsyncBaseTransport):
    """Notes the client's ``writes_in_flight`` as each request reaches the server."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.client: CloseClient | None = None
        self.seen: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.client is not None
        self.seen.append((request.method, self.client.writes_in_flight))
        return await self.inner.handle_async_request(request)


async def test_writes_in_flight_counts_writes_on_the_wire_only(
    app: SandboxApp, sandbox: Sandbox
) -> None:
    peek = Peek(httpx.ASGITransport(app=app))
    during_wait: list[int] = []
    close = CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=IN_PROCESS_URL,
        tz_offset=0,
        transport=peek,
        backoff=0.01,
        on_wait=lambda wait: during_wait.append(close.writes_in_flight),
    )
    peek.client = close
    async with close:
        opp_id = next(iter(sandbox.opportunities))
        await close.get_opportunity(opp_id)
        sandbox.script_faults(Fault(status=503, methods=("PUT",)))
        await close.update_opportunity(opp_id, {"confidence": 4})
        assert close.writes_in_flight == 0
        sandbox.script_faults(Fault(status=400, methods=("PUT",)))
        with pytest.raises(ApiError):
            await close.update_opportunity(opp_id, {"confidence": 5})
    assert peek.seen == [("GET", 0), ("PUT", 1), ("PUT", 1), ("PUT", 1)]
    assert during_wait == [0]  # waiting to retry: nothing is out
    assert close.writes_in_flight == 0
