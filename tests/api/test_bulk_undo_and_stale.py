"""Undoing a bulk change from history, the stale-edit guard, and no credential on disk."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import httpx

from closetui.api import CloseClient, Credential
from closetui.api.models import Opportunity
from closetui.bulk import (
    check_stale,
    plan_bulk,
    plan_revert,
    rebase,
    replan,
    retry_failed,
    send_bulk,
)
from closetui.edits import Draft, OrgSchema, Value, current_value, same
from closetui.reference import load_reference
from closetui.sandbox import USER_API_KEY, Fault, Sandbox, SandboxConfig, create_app
from closetui.sandbox.app import SandboxApp
from closetui.state import DraftStore, History, revert_entries
from tests.api.conftest import IN_PROCESS_URL


def files_at_home() -> list[Path]:
    """Every file in the isolated home of this test (see tests/conftest.py)."""
    return [p for p in Path(os.environ["HOME"]).rglob("*") if p.is_file()]


def read_all(paths: list[Path]) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in paths]


def someone_else(app: SandboxApp) -> CloseClient:
    """A second user of the same org, with their own key."""
    return CloseClient(
        Credential.api_key(USER_API_KEY),
        base_url=IN_PROCESS_URL,
        tz_offset=0,
        transport=httpx.ASGITransport(app=app),
    )


def editable_state(opp: Opportunity, schema: OrgSchema) -> dict[str, Value | None]:
    return {spec.key: current_value(opp, spec) for spec in schema.editable_specs()}


def assert_same_fields(a: Opportunity, b: Opportunity, schema: OrgSchema) -> None:
    left, right = editable_state(a, schema), editable_state(b, schema)
    differing = [k for k in left if not same(left[k], right[k])]
    assert differing == []


async def test_a_bulk_change_is_undone_row_by_row_from_history(
    client: CloseClient, sandbox: Sandbox
) -> None:
    schema = (await load_reference(client)).schema
    won = sandbox.status_id("Sales", "Won")
    products = next(f["id"] for f in sandbox.custom_fields.values() if f["name"] == "Products")
    seats = next(f["id"] for f in sandbox.custom_fields.values() if f["name"] == "Seats")
    opps = (await client.list_opportunities(limit=12)).data
    draft = (
        Draft()
        .with_set("status_id", won)
        .with_set("value", 424200)
        .with_added(f"custom.{products}", "API Access")
        .with_set(f"custom.{seats}", 99)
    )
    plan = plan_bulk(opps, draft, schema)
    assert len(plan.jobs) >= 10
    history = History("test")
    result = await send_bulk(client, plan.jobs, history=history)
    assert [r.outcome for r in result.rows] == ["ok"] * len(plan.jobs)
    for job in plan.jobs:
        now = Opportunity.model_validate(sandbox.opportunities[job.opportunity_id])
        assert now.status_id == won
        assert now.value == 424200

    reverts = revert_entries(history.batch(result.batch), schema)
    assert len(reverts) == len(plan.jobs)
    undo = await send_bulk(
        client, plan_revert(reverts), history=history, reverts=result.batch, guard_stale=True
    )
    assert [r.outcome for r in undo.rows] == ["ok"] * len(plan.jobs)
    for job in plan.jobs:
        assert job.before is not None
        now = Opportunity.model_validate(sandbox.opportunities[job.opportunity_id])
        assert_same_fields(now, job.before, schema)
    undo_entries = history.batch(undo.batch)
    assert {e.reverts for e in undo_entries} == {result.batch}
    assert len(history.entries().entries) == 2 * len(plan.jobs)


async def test_the_stale_check_names_what_someone_else_changed(
    client: CloseClient, app: SandboxApp
) -> None:
    schema = (await load_reference(client)).schema
    before, untouched = (await client.list_opportunities(limit=2)).data
    async with someone_else(app) as other:
        await other.update_opportunity(before.id, {"value": 777, "note": "Theirs"})
    assert await check_stale(client, untouched.id, untouched, schema) is None
    stale = await check_stale(client, before.id, before, schema)
    assert stale is not None
    assert stale.changed_fields == ("value", "note")
    assert stale.current.value == 777
    assert stale.based_on == before.date_updated
    by_date = await check_stale(client, before.id, before.date_updated)
    assert by_date is not None
    assert by_date.changed_fields == ()

    draft = Draft().with_set("value", 5).with_set("confidence", (before.confidence + 1) % 100)
    assert stale.conflicts(draft) == ("value",)
    rebased = rebase(draft, before, stale.current, schema)
    assert (rebased.overwrites, rebased.dropped, dict(rebased.problems)) == (("value",), (), {})
    sent = await client.update_opportunity(
        before.id, plan_bulk([stale.current], rebased.draft, schema).jobs[0].body
    )
    assert (sent.value, sent.note) == (5, "Theirs")  # their note kept, our value on top


async def test_the_bulk_guard_holds_back_rows_changed_meanwhile(
    client: CloseClient, app: SandboxApp, sandbox: Sandbox
) -> None:
    schema = (await load_reference(client)).schema
    opps = [o for o in (await client.list_opportunities(limit=6)).data if o.confidence != 71]
    jobs = plan_bulk(opps, Draft().with_set("confidence", 71), schema).jobs
    changed = jobs[2].opportunity_id
    async with someone_else(app) as other:
        await other.update_opportunity(changed, {"note": "Moved on"})
    result = await send_bulk(client, jobs, guard_stale=True, schema=schema)
    assert [r.outcome for r in result.rows].count("ok") == len(jobs) - 1
    (stale,) = result.stale
    assert stale.job.opportunity_id == changed
    assert stale.stale is not None
    assert stale.stale.changed_fields == ("note",)
    assert sandbox.opportunities[changed]["confidence"] != 71  # not sent
    assert "1 changed by someone else" in result.summary()

    fresh = {changed: stale.stale.current}
    again = await send_bulk(client, replan([stale.job], fresh, schema).jobs)
    assert [r.outcome for r in again.rows] == ["ok"]
    assert sandbox.opportunities[changed]["confidence"] == 71
    assert sandbox.opportunities[changed]["note"] == "Moved on"


async def test_no_credential_is_written_by_drafts_or_history() -> None:
    marker = "sk_MARKER_0123456789_never_on_disk"
    app = create_app(SandboxConfig(opportunities=10, api_key=marker))
    history = History("marker")
    drafts = DraftStore("marker")
    async with CloseClient(
        Credential.api_key(marker),
        base_url=IN_PROCESS_URL,
        tz_offset=0,
        transport=httpx.ASGITransport(app=app),
    ) as close:
        schema = (await load_reference(close)).schema
        opps = (await close.list_opportunities(limit=5)).data
        draft = Draft().with_set("note", "Marker test")
        drafts.save(opps[0].id, draft, opps[0])
        result = await send_bulk(close, plan_bulk(opps, draft, schema).jobs, history=history)
    assert result.ok
    files = files_at_home()
    assert any("history" in p.parts for p in files)
    assert any("drafts" in p.parts for p in files)
    secret_forms = [marker.encode(), base64.b64encode(f"{marker}:".encode())]
    for path, data in read_all(files):
        assert not any(form in data for form in secret_forms), path


async def test_a_row_that_cannot_be_re_read_is_not_sent(
    client: CloseClient, sandbox: Sandbox
) -> None:
    schema = (await load_reference(client)).schema
    opps = [o for o in (await client.list_opportunities(limit=3)).data if o.confidence != 72]
    jobs = plan_bulk(opps, Draft().with_set("confidence", 72), schema).jobs
    gone = jobs[0].opportunity_id
    sandbox.script_faults(Fault(status=404, path=gone, methods=("GET",)))
    result = await send_bulk(client, jobs, guard_stale=True, schema=schema)
    assert [r.outcome for r in result.rows] == ["failed"] + ["ok"] * (len(jobs) - 1)
    assert result.rows[0].message.startswith("not sent: could not re-read it first")
    assert not [r for r in sandbox.requests if r.method == "PUT" and gone in r.path]
    again = await retry_failed(client, result, guard_stale=True, schema=schema)
    assert [r.outcome for r in again.rows] == ["ok"] * len(jobs)
