"""The bulk progress screen: outcomes row by row, retry, verify, cancel, stale rows."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Label, ProgressBar, Static

from closetui.api import CloseClient, Credential
from closetui.api.models import Opportunity
from closetui.bulk import BulkResult, Job, plan_bulk
from closetui.connect import DEMO_BASE_URL, Connection
from closetui.edits import Draft, FieldProblem
from closetui.sandbox import USER_API_KEY, Fault
from closetui.ui.app import CloseTUI
from closetui.ui.screens.bulk_progress import BulkProgressScreen
from closetui.ui.screens.review import ReviewScreen, plan_skipped
from tests.ui.helpers import (
    HeldPuts,
    app_for,
    demo,
    listing,
    main,
    notifications,
    running,
    settle,
    wait_until,
)
from tests.ui.helpers import stored as stored_full


def stored(connection: Connection, opp_id: str) -> Opportunity:
    return Opportunity.model_validate(connection.sandbox.opportunities[opp_id])


def puts_by_opportunity(connection: Connection) -> Counter[str]:
    """How many PUTs reached the sandbox for each opportunity id."""
    return Counter(
        r.path.rstrip("/").rsplit("/", 1)[-1]
        for r in connection.sandbox.requests
        if r.method == "PUT"
    )


def jobs_for(app: CloseTUI, count: int, confidence: int) -> list[Job]:
    """Jobs setting ``confidence`` on the first loaded rows that do not have it yet."""
    schema = main(app).reference.schema  # type: ignore[union-attr]
    rows = [r for _, r in listing(app).cache.loaded() if r.confidence != confidence][:count]
    opps = [stored_full(app, r.id) for r in rows]  # the list keeps compact rows only
    jobs = plan_bulk(opps, Draft().with_set("confidence", confidence), schema).jobs
    assert len(jobs) == count
    return jobs


async def someone_else_changes(connection: Connection, changes: dict[str, dict[str, Any]]) -> None:
    """Another user of the sandbox updates these opportunities (by id: the body)."""
    async with CloseClient(
        Credential.api_key(USER_API_KEY),
        base_url=DEMO_BASE_URL,
        tz_offset=0,
        transport=connection.transport,
    ) as other:
        for opp_id, body in changes.items():
            await other.update_opportunity(opp_id, body)


def cells(screen: BulkProgressScreen, index: int) -> tuple[str, str]:
    """The outcome and detail shown for one row."""
    table = screen.query_one(DataTable)
    _, outcome, detail = table.get_row(str(index))
    return str(outcome), str(detail)


async def open_progress(
    pilot: Any, jobs: list[Job], results: list[BulkResult | None]
) -> BulkProgressScreen:
    app: CloseTUI = pilot.app
    screen = BulkProgressScreen(
        "Set confidence",
        jobs,
        app.client,
        history=main(app).history.history,
        schema=main(app).reference.schema,  # type: ignore[union-attr]
    )
    app.push_screen(screen, results.append)
    await pilot.pause()
    return screen


@pytest.mark.demo(60)
async def test_a_failing_row_shows_why_and_r_retries_it_without_resending_others(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    jobs = jobs_for(app, 4, 61)
    failing = jobs[1].opportunity_id
    connection.sandbox.script_faults(Fault(status=400, path=failing, methods=("PUT",)))
    results: list[BulkResult | None] = []
    screen = await open_progress(pilot, jobs, results)
    await settle(pilot)

    assert screen.result is not None
    assert [r.outcome for r in screen.result.rows] == ["ok", "failed", "ok", "ok"]
    outcome, detail = cells(screen, 1)
    assert outcome == "failed"
    assert "400" in detail
    assert cells(screen, 0)[0] == "saved"
    assert screen.query_one(ProgressBar).progress == 4
    summary = str(screen.query_one("#bulk-summary", Label).content)
    assert "3 saved, 1 failed" in summary
    assert "r retries" in summary
    assert stored(connection, failing).confidence != 61

    await pilot.press("r")
    await settle(pilot)
    assert [r.outcome for r in screen.result.rows] == ["ok"] * 4
    assert cells(screen, 1)[0] == "saved"
    assert stored(connection, failing).confidence == 61
    puts = puts_by_opportunity(connection)
    assert puts[failing] == 2  # refused once, then saved
    assert [puts[j.opportunity_id] for j in jobs if j.opportunity_id != failing] == [1, 1, 1]
    entries, _ = main(app).history.load()
    assert len(entries) == 5
    assert len({e.batch for e in entries}) == 1  # the retry stays in the batch

    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is main(app)
    (result,) = results
    assert result is not None
    assert [r.outcome for r in result.rows] == ["ok"] * 4


async def test_cancel_mid_bulk_lets_in_flight_finish_and_leaves_the_rest_not_sent() -> None:
    connection = demo(60)
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    async with running(app) as pilot:
        jobs = jobs_for(app, 10, 62)
        results: list[BulkResult | None] = []
        screen = await open_progress(pilot, jobs, results)
        await wait_until(pilot, lambda: held.waiting == screen.concurrency)
        await pilot.press("escape")  # cancel: nothing new starts
        assert screen.running
        held.gate.set()
        await settle(pilot)

        result = screen.result
        assert result is not None
        assert result.cancelled
        outcomes = [r.outcome for r in result.rows]
        assert outcomes.count("ok") == screen.concurrency
        assert outcomes.count("not_sent") == len(jobs) - screen.concurrency
        for row in result.rows:
            saved = stored(connection, row.job.opportunity_id).confidence == 62
            assert saved == (row.outcome == "ok")
            shown = cells(screen, row.index)[0]
            assert shown == ("saved" if row.outcome == "ok" else "not sent")
        assert sum(puts_by_opportunity(connection).values()) == screen.concurrency

        await pilot.press("r")  # resume: only the rows that never went out
        await settle(pilot)
        assert [r.outcome for r in screen.result.rows] == ["ok"] * len(jobs)
        puts = puts_by_opportunity(connection)
        assert [puts[j.opportunity_id] for j in jobs] == [1] * len(jobs)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is main(app)


@pytest.mark.demo(60)
async def test_unknown_rows_are_checked_with_v_before_any_retry(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    jobs = jobs_for(app, 3, 63)
    lost = jobs[2].opportunity_id
    # The change is applied but the answer is a 502, and the re-read that follows
    # fails too: nobody can tell yet whether it was saved.
    connection.sandbox.script_faults(
        Fault(path=lost, methods=("GET",)),  # the stale guard's read passes
        Fault(status=502, path=lost, methods=("PUT",), after=True),
        Fault(status=500, path=lost, methods=("GET",)),
    )
    screen = await open_progress(pilot, jobs, [])
    await settle(pilot)
    assert screen.result is not None
    assert [r.outcome for r in screen.result.rows] == ["ok", "ok", "unknown"]
    assert "checked: could not tell" in cells(screen, 2)[1]
    assert cells(screen, 2)[0] == "unknown"
    bindings = {b.binding.id for b in screen.active_bindings.values()}
    assert "bulk.verify" in bindings
    assert "bulk.retry" not in bindings  # unknown rows are never simply resent
    await pilot.press("r")
    await settle(pilot)
    assert puts_by_opportunity(connection)[lost] == 1

    await pilot.press("v")
    await settle(pilot)
    assert [r.outcome for r in screen.result.rows] == ["ok"] * 3
    assert cells(screen, 2) == ("saved", "saved (checked)")
    assert puts_by_opportunity(connection)[lost] == 1


@pytest.mark.demo(60)
async def test_rows_changed_meanwhile_are_listed_and_not_overwritten(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    jobs = jobs_for(app, 3, 64)
    moved = jobs[0].opportunity_id
    await someone_else_changes(connection, {moved: {"note": "Someone else"}})
    screen = await open_progress(pilot, jobs, [])
    await settle(pilot)
    assert screen.result is not None
    assert [r.outcome for r in screen.result.rows] == ["stale", "ok", "ok"]
    outcome, detail = cells(screen, 0)
    assert outcome == "changed by someone else"
    assert "they changed Note" in detail
    assert "not overwritten" in detail
    assert stored(connection, moved).confidence != 64
    assert stored(connection, moved).note == "Someone else"
    assert "1 changed by someone else" in str(screen.query_one("#bulk-summary", Label).content)


@pytest.mark.demo(60)
async def test_s_applies_the_edit_to_the_versions_they_saved(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    """Stale rows: ``s`` re-plans the same draft on their version and sends it (their
    change kept, the edit on top); a row their change already settled sends nothing."""
    jobs = jobs_for(app, 3, 64)
    noted, settled = jobs[0].opportunity_id, jobs[1].opportunity_id
    await someone_else_changes(
        connection, {noted: {"note": "Someone else"}, settled: {"confidence": 64}}
    )
    screen = await open_progress(pilot, jobs, [])
    await settle(pilot)
    assert screen.result is not None
    assert [r.outcome for r in screen.result.rows] == ["stale", "stale", "ok"]
    summary = screen.query_one("#bulk-summary", Label)
    assert "s applies the edit to the versions they saved" in str(summary.content)
    puts = puts_by_opportunity(connection)

    await pilot.press("s")
    await settle(pilot)
    assert [r.outcome for r in screen.result.rows] == ["ok", "ok", "ok"]
    assert stored(connection, noted).confidence == 64
    assert stored(connection, noted).note == "Someone else"  # their change is kept
    assert puts_by_opportunity(connection)[noted] == puts[noted] + 1
    assert puts_by_opportunity(connection)[settled] == puts[settled]  # nothing to send
    assert cells(screen, 1) == ("saved", "nothing left to send: their change already did it")
    in_batch = main(app).history.history.entries(batch=screen.result.batch).entries
    assert [e.opportunity_id for e in in_batch].count(noted) == 1  # one undo for all


async def test_rate_limit_pauses_are_shown_while_waiting(monkeypatch: Any) -> None:
    shown: list[str] = []
    original = BulkProgressScreen._show_pause

    def spy(self: BulkProgressScreen, seconds: float | None) -> None:
        original(self, seconds)
        label = self.query_one("#bulk-pause", Label)
        if not label.has_class("-empty"):
            shown.append(str(label.content))

    monkeypatch.setattr(BulkProgressScreen, "_show_pause", spy)
    connection = demo(60)
    app = app_for(connection)
    async with running(app) as pilot:
        jobs = jobs_for(app, 4, 65)
        connection.sandbox.set_rate_limit(3)  # 8 requests (a GET and a PUT each) > 3/s
        screen = await open_progress(pilot, jobs, [])
        await settle(pilot)
        assert screen.result is not None
        assert [r.outcome for r in screen.result.rows] == ["ok"] * 4
        assert shown
        assert shown[0].startswith("Waiting ")
        assert shown[0].endswith("s for the rate limit…")
        assert screen.query_one("#bulk-pause", Label).has_class("-empty")  # over now
        assert screen.result.rate_limited == 0  # paced: no 429 was needed


async def test_no_profile_switch_while_a_bulk_send_is_at_work() -> None:
    connection = demo(60)
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    async with running(app) as pilot:
        jobs = jobs_for(app, 2, 66)
        screen = await open_progress(pilot, jobs, [])
        await wait_until(pilot, lambda: held.waiting == 2)
        assert main(app).is_sending
        app.open_profile("@demo")
        await wait_until(pilot, lambda: any("on its way" in n for n in notifications(app)))
        assert app.screen is screen
        held.gate.set()
        await settle(pilot)
        assert [r.outcome for r in screen.result.rows] == ["ok", "ok"]  # type: ignore[union-attr]
        assert not main(app).is_sending


async def test_ctrl_q_mid_bulk_counts_the_requests_out_and_asks_again() -> None:
    connection = demo(60)
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    async with running(app) as pilot:
        jobs = jobs_for(app, 8, 67)
        screen = await open_progress(pilot, jobs, [])
        await wait_until(pilot, lambda: held.waiting == screen.concurrency)
        assert app.client.writes_in_flight == screen.concurrency
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        assert app.screen is screen  # the progress stays; the warning is a notification
        said = f"{screen.concurrency} requests are on their way; ^q again"
        assert any(said in n and "they may or may not be saved" in n for n in notifications(app))

        held.gate.set()
        await settle(pilot)
        assert [r.outcome for r in screen.result.rows] == ["ok"] * 8  # type: ignore[union-attr]
        assert all(stored(connection, j.opportunity_id).confidence == 67 for j in jobs)
        assert app.client.writes_in_flight == 0
        assert main(app).requests_on_their_way == 0


@pytest.mark.demo(60)
async def test_the_review_screen_lists_changes_bodies_and_skipped_rows(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    schema = main(app).reference.schema  # type: ignore[union-attr]
    products = next(
        f["id"] for f in connection.sandbox.custom_fields.values() if f["name"] == "Products"
    )
    key = f"custom.{products}"
    opps = [stored_full(app, r.id) for _, r in listing(app).cache.loaded()][:5]
    bad = opps[4].id

    def draft_for(opp: Opportunity) -> Draft | FieldProblem:
        if opp.id == bad:
            return FieldProblem("Value: not for this one")
        return Draft().with_added(key, "API Access").with_set("confidence", 7)

    plan = plan_bulk(opps, draft_for, schema)
    assert plan.invalid
    answers: list[bool | None] = []
    review = ReviewScreen(
        "Bulk: 4 requests",
        plan.jobs,
        schema,
        app.client,
        skipped=plan_skipped(plan),
        notes=[plan.summary()],
    )
    app.push_screen(review, answers.append)
    await settle(pilot)
    job = plan.jobs[0]
    rows = {c.label: c for c in review.changes_for(0)}
    assert "API Access" in rows["Products"].new
    assert "API Access" not in rows["Products"].old
    assert rows["Confidence"].new == "7%"
    assert review.view_for(0).json_body() == dict(job.body)
    notes = str(review.query_one("#review-notes-text", Static).content)
    assert plan.summary() in notes
    assert "not valid — Value: not for this one" in notes
    await pilot.press("k", "j")
    assert review.selected == 1
    await pilot.press("escape")
    await settle(pilot)
    assert answers == [False]

    app.push_screen(ReviewScreen("again", plan.jobs, schema, app.client), answers.append)
    await settle(pilot)
    app.screen.query_one("#review-confirm", Button).focus()
    await pilot.press("enter")
    await settle(pilot)
    assert answers == [False, True]
    assert not [r for r in connection.sandbox.requests if r.method == "PUT"]
