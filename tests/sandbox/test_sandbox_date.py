"""Every answer carries one ``Date`` header (RFC 9110 §6.6.1) from the sandbox's clock."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import httpx

from closetui.sandbox import DEMO_API_KEY, Fault, Sandbox, SandboxConfig, ServerThread

from .helpers import FROZEN, Clock


def _dates(response: httpx.Response) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k.lower() == "date"]


async def test_in_process_answers_are_dated_by_the_sandbox_clock(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    ok = await client.get("opportunity/")
    (stamp,) = _dates(ok)
    assert parsedate_to_datetime(stamp) == FROZEN.replace(microsecond=0)
    sb.script_faults(Fault(status=503))
    failed = await client.get("me/")
    assert failed.status_code == 503
    assert len(_dates(failed)) == 1
    missing = await client.get("/nowhere/")
    assert missing.status_code == 404
    assert len(_dates(missing)) == 1


async def test_unauthorised_and_rate_limited_answers_are_dated(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    assert len(_dates(await client.get("me/", auth=("nope", "")))) == 1
    sb.set_rate_limit(1, ",")
    await client.get("me/")
    limited = await client.get("me/")
    assert limited.status_code == 429
    assert len(_dates(limited)) == 1


def test_over_loopback_there_is_exactly_one_date_header() -> None:
    with (
        ServerThread(SandboxConfig(opportunities=3, now=Clock(FROZEN))) as base_url,
        httpx.Client(base_url=base_url, auth=(DEMO_API_KEY, "")) as client,
    ):
        answer = client.get("opportunity/")
        (stamp,) = _dates(answer)  # uvicorn adds none of its own
        assert parsedate_to_datetime(stamp) == FROZEN.replace(microsecond=0)
