"""Reading marked opportunities in full before a bulk plan: order, failures, rate limit."""

from __future__ import annotations

import asyncio

from closetui.api import CloseClient
from closetui.bulk.fetch import fetch_many
from closetui.sandbox import Fault, Sandbox


async def test_reads_in_the_order_asked_and_reports_failures(
    client: CloseClient, sandbox: Sandbox
) -> None:
    ids = list(sandbox.opportunities)[:12]
    sandbox.script_faults(Fault(status=404, path=ids[4], methods=("GET",)))
    progress: list[tuple[int, int]] = []
    fetched = await fetch_many(
        client, [*ids, ids[0]], on_progress=lambda d, t: progress.append((d, t))
    )
    assert [o.id for o in fetched.opportunities] == [i for i in ids if i != ids[4]]
    assert list(fetched.failures) == [ids[4]]
    assert fetched.summary().startswith("Read 11 of 12; 1 failed")
    for opp in fetched.opportunities:
        assert (
            opp.model_dump(mode="json", by_alias=True)["lead_name"]
            == sandbox.opportunities[opp.id]["lead_name"]
        )
    assert progress[-1][0] == 12


async def test_a_rate_limit_is_waited_out_not_failed(client: CloseClient, sandbox: Sandbox) -> None:
    sandbox.set_rate_limit(20, ",")
    ids = list(sandbox.opportunities)[:30]
    fetched = await fetch_many(client, ids)
    assert len(fetched.opportunities) == 30
    assert fetched.failures == {}


async def test_cancel_stops_new_reads(client: CloseClient, sandbox: Sandbox) -> None:
    cancel = asyncio.Event()
    ids = list(sandbox.opportunities)[:20]

    def progress(done: int, total: int) -> None:
        if done == 3:
            cancel.set()

    fetched = await fetch_many(client, ids, cancel=cancel, on_progress=progress, concurrency=1)
    assert fetched.cancelled
    assert len(fetched.opportunities) == 3
