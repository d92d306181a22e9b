"""Bulk sends against the sandbox: refused rows and their retry, unknown outcomes, cancelling,
and pacing under a rate limit over a real loopback socket."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx
import pytest

from closetui.api import CloseClient, Credential, Exchange
from closetui.api.models import Opportunity
from closetui.bulk import BulkResult, Job, RowResult, plan_bulk, retry_failed, send_bulk
from closetui.bulk import verify_unknown as verify
from closetui.edits import Draft, OrgSchema
from closetui.reference import load_reference
from closetui.sandbox import DEMO_API_KEY, USER_API_KEY, Fault, Sandbox, SandboxConfig, create_app
from closetui.sandbox.app import SandboxApp
from closetui.sandbox.server import ServerThread
from tests.api.conftest import make_client


def puts(sandbox: Sandbox) -> Counter[str]:
    """How many PUTs reached the sandbox, by opportunity id."""
    return Counter(
        r.path.split("/")[-2] for r in sandbox.requests if r.method == "PUT" and "/opp" in r.path
    )


async def setup(client: CloseClient, n: int, confidence: int) -> tuple[OrgSchema, list[Job]]:
    schema = (await load_reference(client)).schema
    opps = (await client.list_opportunities(limit=n)).data
    opps = [o for o in opps if o.confidence != confidence]
    return schema, plan_bulk(opps, Draft().with_set("confidence", confidence), schema).jobs


async def test_a_refused_row_is_reported_and_only_it_is_retried(
    client: CloseClient, sandbox: Sandbox
) -> None:
    _, jobs = await setup(client, 10, 77)
    bad = jobs[3].opportunity_id
    refusal = {"errors": [], "field-errors": {"confidence": "Not today."}}
    sandbox.script_faults(Fault(status=400, path=bad, methods=("PUT",), body=json.dumps(refusal)))
    seen: list[RowResult] = []
    result = await send_bulk(client, jobs, on_row=seen.append)
    assert sorted(r.index for r in seen) == list(range(len(jobs)))
    assert [r.outcome for r in result.rows].count("ok") == len(jobs) - 1
    (failed,) = result.failed
    assert (failed.index, failed.job.opportunity_id, failed.status) == (3, bad, 400)
    assert dict(failed.field_errors) == {"confidence": "Not today."}
    assert "1 failed" in result.summary()
    assert "Not today." in result.summary()
    ok = result.ok[0]
    assert isinstance(ok.opportunity, Opportunity)
    assert ok.opportunity.confidence == 77
    assert ok.exchange is not None
    assert ok.exchange.status == 200

    again = await retry_failed(client, result)
    assert again.batch == result.batch
    assert [r.outcome for r in again.rows] == ["ok"] * len(jobs)
    counts = puts(sandbox)
    assert counts[bad] == 2
    assert all(counts[j.opportunity_id] == 1 for j in jobs if j.opportunity_id != bad)
    assert all(sandbox.opportunities[j.opportunity_id]["confidence"] == 77 for j in jobs)


async def test_unclear_answers_are_settled_by_a_re_read_and_never_resent_blindly(
    client: CloseClient, sandbox: Sandbox
) -> None:
    schema, jobs = await setup(client, 7, 41)
    applied_502, dropped, refused_502, unreadable, unclear = (
        jobs[i].opportunity_id for i in range(5)
    )
    sandbox.script_faults(
        Fault(status=502, after=True, path=applied_502, methods=("PUT",)),
        Fault(drop=True, after=True, path=dropped, methods=("PUT",)),
        Fault(status=502, path=refused_502, methods=("PUT",)),
        Fault(status=200, after=True, path=unreadable, methods=("PUT",), body="<html>ok</html>",
              content_type="text/html"),
        Fault(status=504, after=True, path=unclear, methods=("PUT",)),
        # The re-read of the last one fails too: nobody can tell yet.
        Fault(status=500, path=unclear, methods=("GET",)),
    )  # fmt: skip
    result = await send_bulk(client, jobs, schema=schema)
    outcomes = [r.outcome for r in result.rows[:5]]
    assert outcomes == ["ok", "ok", "failed", "ok", "unknown"]
    assert [result.rows[i].message for i in (0, 1, 3)] == ["saved (checked)"] * 3
    assert result.rows[2].message.startswith("not saved (checked)")
    assert "check before retrying" in result.rows[4].message
    assert "checked: could not tell" in result.rows[4].message
    assert "1 unknown" in result.summary()
    before = puts(sandbox)
    assert sum(before.values()) == len(jobs)

    again = await retry_failed(client, result)
    assert puts(sandbox)[refused_502] == 2
    assert puts(sandbox)[unclear] == 1  # never resent before it is known
    assert [r.outcome for r in again.rows[:5]] == ["ok", "ok", "ok", "ok", "unknown"]

    checked = await verify(client, again, schema)
    assert [r.outcome for r in checked.rows] == ["ok"] * len(jobs)
    assert checked.rows[4].message == "saved (checked)"
    assert all(n == 1 for k, n in puts(sandbox).items() if k != refused_502)
    assert all(sandbox.opportunities[j.opportunity_id]["confidence"] == 41 for j in jobs)


async def test_without_a_draft_only_an_untouched_opportunity_says_not_saved(
    client: CloseClient, sandbox: Sandbox
) -> None:
    _, jobs = await setup(client, 4, 42)
    applied, refused = jobs[0].opportunity_id, jobs[1].opportunity_id
    sandbox.script_faults(
        Fault(status=502, after=True, path=applied, methods=("PUT",)),
        Fault(status=502, path=refused, methods=("PUT",)),
    )
    result = await send_bulk(client, jobs)  # no schema: the drafts cannot be compared
    assert [r.outcome for r in result.rows[:2]] == ["unknown", "failed"]
    assert "could not tell" in result.rows[0].message


async def test_a_connection_that_never_opens_is_a_plain_failure() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    async with CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url="http://sandbox.test/api/v1/",
        transport=httpx.MockTransport(refuse),
        backoff=0.001,
        max_attempts=2,
    ) as close:
        result = await send_bulk(close, [Job("oppo_1", {"confidence": 1})])
    (row,) = result.rows
    assert row.outcome == "failed"
    assert row.message.startswith("not sent: ConnectError")


async def test_cancel_stops_new_jobs_and_in_flight_ones_finish(
    client: CloseClient, sandbox: Sandbox
) -> None:
    _, jobs = await setup(client, 40, 63)
    cancel = asyncio.Event()
    done: list[RowResult] = []

    def on_row(row: RowResult) -> None:
        done.append(row)
        if len(done) == 5:
            cancel.set()

    result = await send_bulk(client, jobs, concurrency=4, cancel=cancel, on_row=on_row)
    assert result.cancelled
    assert len(result.ok) >= 5
    assert len(result.ok) + len(result.not_sent) == len(jobs)
    assert result.not_sent
    assert sum(puts(sandbox).values()) == len(result.ok)  # nothing cut short, nothing extra
    assert f"{len(result.not_sent)} not sent" in result.summary()

    rest = await retry_failed(client, result, include_not_sent=True)
    assert [r.outcome for r in rest.rows] == ["ok"] * len(jobs)
    assert set(puts(sandbox).values()) == {1}


async def test_cancelling_the_task_lets_in_flight_requests_finish(
    client: CloseClient, sandbox: Sandbox
) -> None:
    _, jobs = await setup(client, 40, 64)
    reported: list[RowResult] = []

    def on_row(row: RowResult) -> None:
        reported.append(row)
        if len(reported) == 3:
            task.cancel()

    task = asyncio.ensure_future(send_bulk(client, jobs, concurrency=4, on_row=on_row))
    with pytest.raises(asyncio.CancelledError):
        await task
    ok = [r for r in reported if r.outcome == "ok"]
    assert len(ok) >= 3
    assert {r.outcome for r in reported} == {"ok", "not_sent"}  # every row still reported
    assert sum(puts(sandbox).values()) == len(ok)


async def test_history_records_every_put_of_the_batch(
    client: CloseClient, sandbox: Sandbox
) -> None:
    from closetui.state import History

    history = History("test")
    _, jobs = await setup(client, 8, 12)
    sandbox.script_faults(Fault(status=400, path=jobs[0].opportunity_id, methods=("PUT",)))
    result = await send_bulk(client, jobs, history=history)
    entries = history.batch(result.batch)
    assert [e.opportunity_id for e in entries] == sorted(
        (j.opportunity_id for j in jobs), key=[e.opportunity_id for e in entries].index
    )
    assert {e.id for e in entries} == {r.history_id for r in result.rows}
    assert sorted(e.status for e in entries) == [200] * (len(jobs) - 1) + [400]
    assert all(e.after is None for e in entries if e.status == 400)


def _count_429(seen: list[Exchange]) -> int:
    return sum(1 for e in seen if e.status == 429)


async def _loopback_bulk(base_url: str, jobs: list[Job]) -> tuple[BulkResult, list[Exchange]]:
    seen: list[Exchange] = []
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY), base_url=base_url, tz_offset=0, on_exchange=seen.append
    ) as close:
        return await send_bulk(close, jobs, concurrency=6), seen


async def test_rate_limited_bulk_over_loopback_is_paced_without_429s() -> None:
    app: SandboxApp = create_app(SandboxConfig(opportunities=30, rate_limit=5))
    sandbox: Sandbox = app.state.sandbox
    with ServerThread(app=app) as base_url:
        # Another key plans the change, so the bulk's key starts with a fresh window.
        async with CloseClient(
            Credential.api_key(USER_API_KEY), base_url=base_url, tz_offset=0
        ) as planner:
            _, jobs = await setup(planner, 30, 88)
        jobs = jobs[:20]
        result, seen = await _loopback_bulk(base_url, jobs)
    assert [r.outcome for r in result.rows] == ["ok"] * len(jobs)
    assert _count_429(seen) == 0
    assert result.rate_limited == 0
    assert all(e.rate_limit is not None for e in seen)  # the limit was on throughout
    assert result.paused > 0  # and the pacer had to hold requests back
    assert all(sandbox.opportunities[j.opportunity_id]["confidence"] == 88 for j in jobs)


async def test_a_429_that_happens_anyway_is_waited_out_and_counted(
    app: SandboxApp, sandbox: Sandbox
) -> None:
    async with make_client(app) as close:
        _, jobs = await setup(close, 6, 19)
        sandbox.script_faults(Fault(status=429, retry_after=0, methods=("PUT",), count=2))
        result = await send_bulk(close, jobs)
    assert [r.outcome for r in result.rows] == ["ok"] * len(jobs)
    assert result.rate_limited == 2
    assert "2 rate-limit answers waited out" in result.summary()
