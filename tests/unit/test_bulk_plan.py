"""Planning bulk changes, stale reports and rebasing a draft (pure, no server)."""

from __future__ import annotations

from datetime import timedelta

from closetui.api.models import Opportunity
from closetui.bulk import (
    Invalid,
    Job,
    Unchanged,
    changed_fields,
    plan_bulk,
    plan_revert,
    rebase,
    replan,
    stale_change,
)
from closetui.edits import Draft, FieldProblem, MultiEdit, OrgSchema, SetTo
from closetui.state import Revert
from tests.unit.conftest import make_edits_opportunity


def _opps() -> list[Opportunity]:
    return [
        make_edits_opportunity(id="oppo_1", confidence=10),
        make_edits_opportunity(id="oppo_2", status_id="stat_s_won", date_won="2026-01-01"),
        make_edits_opportunity(id="oppo_3", status_id="stat_r_open", pipeline_id="pipe_renew"),
    ]


def test_one_draft_over_many_rows(edits_schema: OrgSchema) -> None:
    draft = Draft().with_set("status_id", "stat_s_won").with_set("confidence", 100)
    plan = plan_bulk(_opps(), draft, edits_schema)
    assert [type(r) for r in plan.rows] == [Job, Job, Job]
    first, second, _ = plan.jobs
    assert dict(first.body) == {"status_id": "stat_s_won", "confidence": 100}
    assert dict(second.body) == {"confidence": 100}  # already won: only what changes
    assert (first.lead_name, first.draft, first.before) == ("Globex", draft, _opps()[0])
    assert first.based_on == _opps()[0].date_updated


def test_unchanged_rows_are_skipped_and_invalid_rows_reported(edits_schema: OrgSchema) -> None:
    draft = Draft().with_set("confidence", 10).with_added("custom.cf_tags", "Zeta")
    plan = plan_bulk(_opps(), Draft().with_set("confidence", 10), edits_schema)
    assert [type(r) for r in plan.rows] == [Unchanged, Job, Job]
    assert plan.summary() == "2 to send, 1 unchanged"
    bad = plan_bulk(_opps()[:1], draft, edits_schema)
    (invalid,) = bad.invalid
    assert isinstance(invalid, Invalid)
    assert "custom.cf_tags" in invalid.problems
    assert "Zeta" in invalid.message
    assert bad.summary() == "0 to send, 1 invalid"


def test_a_draft_per_row(edits_schema: OrgSchema) -> None:
    def raise_value(opp: Opportunity) -> Draft | FieldProblem:
        if opp.id == "oppo_3":
            return FieldProblem("Renewals are priced elsewhere.")
        return Draft().with_set("value", (opp.value or 0) + 100)

    plan = plan_bulk(_opps(), raise_value, edits_schema)
    assert [dict(j.body) for j in plan.jobs] == [{"value": 50100}, {"value": 50100}]
    assert plan.invalid[0].message == "Renewals are priced elsewhere."


def test_replan_against_fresh_rows(edits_schema: OrgSchema) -> None:
    draft = Draft().with_set("confidence", 70)
    jobs = plan_bulk(_opps(), draft, edits_schema).jobs
    fresh = {"oppo_1": make_edits_opportunity(id="oppo_1", confidence=70)}
    again = replan([*jobs, Job("oppo_9", {"value": 1})], fresh, edits_schema)
    assert [type(r) for r in again.rows] == [Unchanged, Job, Job, Job]
    assert again.rows[1] == jobs[1]


def test_plan_revert_keeps_rows_with_something_to_undo() -> None:
    after = make_edits_opportunity()
    reverts = [
        Revert("oppo_1", "Globex", {"confidence": 50}, after, {}, ("e1",)),
        Revert("oppo_2", None, {}, after, {}, ("e2",)),
    ]
    (job,) = plan_revert(reverts)
    assert (job.opportunity_id, dict(job.body), job.before) == ("oppo_1", {"confidence": 50}, after)


def test_changed_fields_with_and_without_schema(edits_schema: OrgSchema) -> None:
    old = make_edits_opportunity()
    new = make_edits_opportunity(
        value=1, custom__cf_tags=["Beta", "Alpha"], date_updated="2026-07-01T00:00:00+00:00"
    )
    assert changed_fields(old, new, edits_schema) == ("value", "custom.cf_tags")
    assert changed_fields(old, new) == ("custom.cf_tags", "value")
    assert changed_fields(old, old, edits_schema) == ()


def test_stale_change(edits_schema: OrgSchema) -> None:
    old = make_edits_opportunity()
    assert stale_change(old, old, edits_schema) is None
    assert stale_change(None, old) is None
    later = old.date_updated + timedelta(seconds=5)
    new = make_edits_opportunity(confidence=75, date_updated=later.isoformat())
    stale = stale_change(old, new, edits_schema)
    assert stale is not None
    assert (stale.current, stale.changed_fields, stale.based_on) == (
        new,
        ("confidence",),
        old.date_updated,
    )
    assert stale.conflicts(Draft().with_set("confidence", 5).with_set("value", 1)) == (
        "confidence",
    )
    by_date = stale_change(old.date_updated, new)
    assert by_date is not None
    assert by_date.changed_fields == ()


def test_rebase_keeps_changes_on_top_and_drops_no_ops(edits_schema: OrgSchema) -> None:
    old = make_edits_opportunity()
    new = make_edits_opportunity(confidence=90, value=7, custom__cf_tags=["Alpha", "Beta", "Gamma"])
    draft = (
        Draft()
        .with_set("confidence", 90)  # someone made the same edit
        .with_set("value", 100)  # someone set another value: ours replaces it
        .with_added("custom.cf_tags", "Delta")  # adds to their list
        .with_set("note", "Call back")
    )
    rebased = rebase(draft, old, new, edits_schema)
    assert rebased.dropped == ("confidence",)
    assert rebased.overwrites == ("value",)
    assert rebased.problems == {}
    assert rebased.draft.changes == {
        "value": SetTo(100),
        "custom.cf_tags": MultiEdit(("Delta",)),
        "note": SetTo("Call back"),
    }
    assert rebase(draft, None, new, edits_schema).overwrites == ()


def test_rebase_revalidates_against_the_new_state(edits_schema: OrgSchema) -> None:
    old = make_edits_opportunity()
    new = make_edits_opportunity(status_id="stat_r_open", pipeline_id="pipe_renew")
    draft = Draft().with_set("custom.cf_tags", ("Alpha", "Nope"))
    rebased = rebase(draft, old, new, edits_schema)
    assert "custom.cf_tags" in rebased.problems
