"""Bulk edit operations: per-row drafts, checks before planning, and counted notes."""

from __future__ import annotations

import pytest

from closetui.bulk import plan_bulk
from closetui.bulk.ops import BulkOp, bulk_notes, bulk_specs, check_ops, draft_for, kinds_for
from closetui.edits import Cleared, MultiEdit, OrgSchema, SetTo
from tests.unit.conftest import make_edits_opportunity

SALES = make_edits_opportunity()
RENEWAL = make_edits_opportunity(
    id="oppo_2",
    lead_name="Initech",
    status_id="stat_r_open",
    status_label="Open",
    pipeline_id="pipe_renew",
    pipeline_name="Renewals",
    custom__cf_tags=["Gamma"],
    custom__cf_source=None,
)


def test_won_resolves_to_each_rows_own_pipeline(edits_schema: OrgSchema) -> None:
    build = draft_for([BulkOp("status_id", "set", "won")], edits_schema)
    sales, renewal = build(SALES), build(RENEWAL)
    assert not isinstance(sales, Exception)
    assert not isinstance(renewal, Exception)
    assert sales.change("status_id") == SetTo("stat_s_won")
    assert renewal.change("status_id") == SetTo("stat_r_won")


def test_add_and_remove_are_relative_to_each_row(edits_schema: OrgSchema) -> None:
    ops = [BulkOp("custom.cf_tags", "add", "delta"), BulkOp("custom.cf_source", "clear")]
    plan = plan_bulk([SALES, RENEWAL], draft_for(ops, edits_schema), edits_schema)
    bodies = {job.opportunity_id: dict(job.body) for job in plan.jobs}
    assert bodies["oppo_1"] == {"custom.cf_tags.add": "Delta", "custom.cf_source": None}
    # RENEWAL has no Deal Source: clearing it changes nothing there.
    assert bodies["oppo_2"] == {"custom.cf_tags.add": "Delta"}


def test_remove_of_an_absent_value_leaves_the_row_unchanged(edits_schema: OrgSchema) -> None:
    plan = plan_bulk(
        [SALES, RENEWAL],
        draft_for([BulkOp("custom.cf_tags", "remove", "Alpha")], edits_schema),
        edits_schema,
    )
    assert [job.opportunity_id for job in plan.jobs] == ["oppo_1"]
    assert [u.opportunity.id for u in plan.unchanged] == ["oppo_2"]
    assert plan.jobs[0].draft is not None
    assert plan.jobs[0].draft.change("custom.cf_tags") == MultiEdit((), ("Alpha",))


def test_a_value_wrong_on_every_row_is_reported_before_planning(
    edits_schema: OrgSchema,
) -> None:
    ops = [
        BulkOp("custom.cf_tags", "add", "Omega"),
        BulkOp("user_id", "set", "nobody@example.com"),
        BulkOp("date_won", "set", ""),
        BulkOp("confidence", "clear"),
        BulkOp("custom.cf_source", "set", "inbound"),
        BulkOp("custom.cf_source", "clear"),
    ]
    problems = check_ops(ops, edits_schema, [SALES, RENEWAL])
    assert "Omega" in problems[0]
    assert "not a user" in problems[1]
    assert "type a value" in problems[2]
    assert "cannot be changed with 'clear'" in problems[3]
    assert 4 not in problems
    assert "already has an operation" in problems[5]


def test_a_status_label_only_some_pipelines_have_is_a_per_row_problem(
    edits_schema: OrgSchema,
) -> None:
    ops = [BulkOp("status_id", "set", "Churned")]
    assert check_ops(ops, edits_schema, [SALES, RENEWAL]) == {}
    plan = plan_bulk([SALES, RENEWAL], draft_for(ops, edits_schema), edits_schema)
    # "Churned" exists only in Renewals: the Sales row would move pipelines, which is
    # allowed; the label is unique, so both rows resolve to it.
    assert {job.body["status_id"] for job in plan.jobs} == {"stat_r_churn"}


def test_notes_are_counted_over_rows(edits_schema: OrgSchema) -> None:
    won_already = make_edits_opportunity(id="oppo_3", date_won="2026-11-01")
    lines = bulk_notes(
        [SALES, RENEWAL, won_already], [BulkOp("status_id", "set", "Won")], edits_schema
    )
    sets_date = [line for line in lines if "will set date_won" in line]
    assert sets_date == ["2 of 3: The server will set date_won to 2026-11-27 (today at UTC+0)."]


@pytest.mark.parametrize(
    ("key", "kinds"),
    [
        ("status_id", ("set",)),
        ("date_won", ("set", "clear")),
        ("custom.cf_tags", ("set", "add", "remove", "clear")),
    ],
)
def test_kinds_follow_the_field(edits_schema: OrgSchema, key: str, kinds: tuple[str, ...]) -> None:
    spec = edits_schema.spec_for_key(key)
    assert spec is not None
    assert kinds_for(spec) == kinds


def test_bulk_fields_are_the_editable_ones_without_the_note(edits_schema: OrgSchema) -> None:
    keys = [s.key for s in bulk_specs(edits_schema)]
    assert "note" not in keys
    assert "custom.cf_hidden" not in keys
    assert {"status_id", "date_won", "user_id", "custom.cf_tags"} <= set(keys)


def test_clear_goes_into_the_draft(edits_schema: OrgSchema) -> None:
    draft = draft_for([BulkOp("date_won", "clear")], edits_schema)(SALES)
    assert not isinstance(draft, Exception)
    assert draft.change("date_won") == Cleared()


def test_quick_won_uses_the_rows_pipeline_and_today(edits_schema: OrgSchema) -> None:
    from closetui.bulk.quick import quick_drafts

    plan = plan_bulk([SALES, RENEWAL], quick_drafts("won", edits_schema), edits_schema)
    bodies = {job.opportunity_id: dict(job.body) for job in plan.jobs}
    assert bodies == {
        "oppo_1": {"status_id": "stat_s_won", "date_won": "2026-11-27"},
        "oppo_2": {"status_id": "stat_r_won", "date_won": "2026-11-27"},
    }


def test_quick_lost_keeps_date_won_and_skips_rows_already_lost(edits_schema: OrgSchema) -> None:
    from closetui.bulk.quick import quick_drafts

    lost = make_edits_opportunity(id="oppo_9", status_id="stat_s_lost", date_won="2026-01-02")
    plan = plan_bulk([SALES, lost], quick_drafts("lost", edits_schema), edits_schema)
    assert [dict(job.body) for job in plan.jobs] == [{"status_id": "stat_s_lost"}]
    assert [u.opportunity.id for u in plan.unchanged] == ["oppo_9"]
