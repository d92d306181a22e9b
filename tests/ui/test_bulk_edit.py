"""The bulk-edit composer: lines of field/operation/value planned over the marked rows."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Label

from closetui.bulk import BulkPlan
from closetui.ui.screens.bulk_edit import BulkEditScreen, OpLine
from closetui.ui.widgets.picker_screen import PickerScreen
from tests.ui.helpers import app_for, demo, listing, settle, stored, type_text


async def _composer(pilot: Any, count: int) -> tuple[BulkEditScreen, list[BulkPlan | None]]:
    app = pilot.app
    await settle(pilot)
    rows = [listing(app).cache.row(i) for i in range(count)]
    opportunities = [stored(app, row.id) for row in rows if row is not None]
    assert app.main.reference is not None
    screen = BulkEditScreen(opportunities, app.main.reference.schema)
    results: list[BulkPlan | None] = []
    app.push_screen(screen, results.append)
    await settle(pilot)
    return screen, results


async def test_status_won_is_planned_in_each_rows_pipeline() -> None:
    connection = demo(60)
    sandbox = connection.sandbox
    async with app_for(connection).run_test(size=(120, 40)) as pilot:
        screen, results = await _composer(pilot, 20)
        # A line still waiting for its value is not flagged as an error yet.
        assert not any(label.display for label in screen.query(".op-problem").results(Label))
        assert "Type a value for Status" in str(screen.query_one("#bulk-summary").render())
        screen.query_one(".op-value", Input).focus()
        await type_text(pilot, "won")
        await settle(pilot)
        summary = str(screen.query_one("#bulk-summary").render())
        won_ids = {
            sandbox.status_id("Sales", "Won"),
            sandbox.status_id("Renewals", "Won"),
        }
        already = sum(1 for opp in screen.opportunities if opp.status_id in won_ids)
        assert f"{20 - already} to send" in summary
        await pilot.press("ctrl+r")
        await settle(pilot)
    assert results
    assert results[0] is not None
    plan = results[0]
    for job in plan.jobs:
        assert job.before is not None
        pipeline = job.before.pipeline_name
        assert job.body["status_id"] == sandbox.status_id(pipeline, "Won")


async def test_a_wrong_value_is_shown_on_its_line_and_blocks_review() -> None:
    connection = demo(60)
    async with app_for(connection).run_test(size=(100, 30)) as pilot:
        screen, results = await _composer(pilot, 5)
        screen.query_one(".op-value", Input).focus()
        await type_text(pilot, "wonn")
        await settle(pilot)
        problem = next(iter(screen.query(".op-problem").results(Label)))
        assert problem.display
        assert "did you mean" in str(problem.render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert results == []
        assert pilot.app.screen is screen


async def test_pick_a_multi_value_field_and_add_to_it() -> None:
    connection = demo(60)
    sandbox = connection.sandbox
    async with app_for(connection).run_test(size=(120, 40)) as pilot:
        screen, results = await _composer(pilot, 6)
        line = screen.query_one(OpLine)
        # The first line's field: pick a multi-value choices field by typing its name.
        multi = next(
            f
            for f in sandbox.custom_fields.values()
            if f.get("accepts_multiple_values") and f["type"] == "choices"
        )
        line.query("PickButton").first().focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PickerScreen)
        await type_text(pilot, multi["name"])
        await pilot.press("enter")
        await settle(pilot)
        assert screen.ops[0].key == f"custom.{multi['id']}"
        # Operation: add.
        list(line.query("PickButton"))[1].focus()
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "add")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.ops[0].kind == "add"
        choice = multi["choices"][0]
        screen.query_one(".op-value", Input).focus()
        await type_text(pilot, choice)
        await pilot.press("ctrl+r")
        await settle(pilot)
    plan = results[0]
    assert plan is not None
    key = f"custom.{multi['id']}"
    for job in plan.jobs:
        # One added item: ``.add``; an empty field gets the whole (one-item) list.
        before = sandbox.opportunities[job.opportunity_id].get(key) or []
        expected = {f"{key}.add": choice} if before else {key: [choice]}
        assert dict(job.body) == expected
    skipped = {u.opportunity.id for u in plan.unchanged}
    for opp_id in skipped:
        assert choice in (sandbox.opportunities[opp_id].get(f"custom.{multi['id']}") or [])
