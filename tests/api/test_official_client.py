"""The official Close Python client (PyPI ``closeio``), unchanged, against the sandbox.

If Close's own client works against the sandbox over a real socket, the sandbox speaks
the same protocol as Close for everything that client does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from closeio_api import API, APIError
from closeio_api import ValidationError as CloseValidationError

from closetui.sandbox import DEMO_API_KEY, Sandbox, SandboxConfig, ServerThread, field_id

NOW = datetime(2026, 11, 28, 22, 30, tzinfo=UTC)
"""22:30 UTC is already the 29th at UTC+5.5: the offset decides date_won."""


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    thread = ServerThread(SandboxConfig(opportunities=30, now=lambda: NOW))
    with thread:
        yield thread


@pytest.fixture
def api(server: ServerThread) -> API:
    server.sandbox.clear_faults()
    server.sandbox.set_rate_limit(None)
    return API(server.base_url, api_key=DEMO_API_KEY, tz_offset=5.5)


def _active_without_date_won(sandbox: Sandbox) -> str:
    return next(
        oid
        for oid, o in sandbox.opportunities.items()
        if o["status_type"] == "active" and o["date_won"] is None and o["pipeline_name"] == "Sales"
    )


def test_list_and_get(api: API, server: ServerThread) -> None:
    page = api.get("opportunity", params={"_limit": 10, "status_type": "active"})
    assert len(page["data"]) == 10
    assert page["has_more"] is True
    assert {o["status_type"] for o in page["data"]} == {"active"}
    one = api.get("opportunity/" + page["data"][0]["id"])
    assert one["id"] == page["data"][0]["id"]
    assert api.get("me")["organizations"][0]["pipelines"]


def test_won_status_sets_date_won_in_the_clients_timezone(api: API, server: ServerThread) -> None:
    opp_id = _active_without_date_won(server.sandbox)
    won = server.sandbox.status_id("Sales", "Won")
    updated = api.put("opportunity/" + opp_id, {"status_id": won})
    assert updated["status_type"] == "won"
    assert updated["date_won"] == "2026-11-29"
    assert server.sandbox.requests[-1].headers["x-tz-offset"] == "5.5"


def test_multi_value_add_remove_and_clear(api: API, server: ServerThread) -> None:
    opp_id = next(iter(server.sandbox.opportunities))
    products = "custom." + field_id("Products")
    api.put("opportunity/" + opp_id, {products: None})
    added = api.put("opportunity/" + opp_id, {products + ".add": "Calling"})
    assert added[products] == ["Calling"]
    added = api.put("opportunity/" + opp_id, {products + ".add": "SMS"})
    assert added[products] == ["Calling", "SMS"]
    removed = api.put("opportunity/" + opp_id, {products + ".remove": "Calling"})
    assert removed[products] == ["SMS"]
    cleared = api.put("opportunity/" + opp_id, {products: None})
    assert products not in cleared


def test_400_with_field_errors(api: API, server: ServerThread) -> None:
    opp_id = next(iter(server.sandbox.opportunities))
    with pytest.raises(CloseValidationError) as caught:
        api.put("opportunity/" + opp_id, {"confidence": 250})
    assert "confidence" in caught.value.field_errors


def test_404(api: API) -> None:
    with pytest.raises(APIError) as caught:
        api.get("opportunity/oppo_missing")
    assert caught.value.response.status_code == 404


def test_401_with_a_wrong_key(server: ServerThread) -> None:
    wrong = API(server.base_url, api_key="not-a-key", tz_offset=1)
    with pytest.raises(APIError) as caught:
        wrong.get("me")
    assert caught.value.response.status_code == 401


def test_rate_limited_calls_are_waited_out(api: API, server: ServerThread) -> None:
    server.sandbox.set_rate_limit(3, ",")
    before = len(server.sandbox.requests)
    for _ in range(7):
        assert api.get("me")["id"]
    received = len(server.sandbox.requests) - before
    assert received > 7  # some were answered 429 and retried after the advertised reset
