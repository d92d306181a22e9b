"""Validation: one clear message per field, naming the field and the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from closetui.api.models import Opportunity
from closetui.edits import Cleared, Draft, MultiEdit, OrgSchema, SetTo, validate
from closetui.edits.values import Change

VALID: list[tuple[str, Change]] = [
    ("status_id", SetTo("stat_r_won")),
    ("date_won", SetTo(date(2026, 11, 1))),
    ("date_won", Cleared()),
    ("value", SetTo(0)),
    ("value", SetTo(125050)),
    ("value", Cleared()),
    ("value_period", SetTo("monthly")),
    ("confidence", SetTo(0)),
    ("confidence", SetTo(100)),
    ("user_id", SetTo("user_cy")),
    ("contact_id", SetTo("cont_abc")),
    ("contact_id", Cleared()),
    ("note", SetTo("")),
    ("note", Cleared()),
    ("custom.cf_source", SetTo("Partner")),
    ("custom.cf_source", Cleared()),
    ("custom.cf_tags", SetTo(("Delta", "Alpha"))),
    ("custom.cf_tags", SetTo("Delta")),
    ("custom.cf_tags", SetTo(())),
    ("custom.cf_tags", MultiEdit(("Gamma",), ("Alpha",))),
    ("custom.cf_tags", MultiEdit(removed=("NotThere",))),
    ("custom.cf_tags", Cleared()),
    ("custom.cf_project", SetTo("Hawk")),
    ("custom.cf_details", SetTo("a\nb")),
    ("custom.cf_seats", SetTo(-2.5)),
    ("custom.cf_seats", SetTo(7)),
    ("custom.cf_start", SetTo(date(2027, 1, 1))),
    ("custom.cf_demo", SetTo(datetime(2026, 12, 1, 9, tzinfo=UTC))),
    ("custom.cf_champion", SetTo("user_ann2")),
    ("custom.cf_reviewers", MultiEdit(added=("user_cy",))),
    ("custom.cf_signer", SetTo("cont_1")),
    ("custom.cf_people", SetTo(("cont_1", "cont_2"))),
    ("custom.cf_segment", SetTo("SMB")),
    # Read-only fields may be "changed" to the value they already have: that is no change.
    ("custom.cf_hidden", SetTo(42)),
    ("custom.cf_discount", SetTo("No")),
    ("custom.cf_region", SetTo("EMEA")),
    ("custom.cf_project", Cleared()),
    ("custom.cf_signer", Cleared()),
]


@pytest.mark.parametrize(("key", "change"), VALID)
def test_valid_changes(
    edits_schema: OrgSchema, edits_opp: Opportunity, key: str, change: Change
) -> None:
    assert validate(edits_opp, Draft({key: change}), edits_schema) == {}


INVALID: list[tuple[str, Any, str]] = [
    ("nope", SetTo(1), "Unknown field 'nope'; did you mean 'note'?"),
    ("cf_source", SetTo("Partner"),
     "Unknown field key 'cf_source'; Deal Source has the key 'custom.cf_source'."),
    ("Deal Source", SetTo("Partner"),
     "Unknown field key 'Deal Source'; Deal Source has the key 'custom.cf_source'."),
    ("status_id", Cleared(), "Status cannot be cleared."),
    ("value_period", Cleared(), "Value period cannot be cleared."),
    ("confidence", Cleared(), "Confidence cannot be cleared."),
    ("user_id", Cleared(), "Owner cannot be cleared."),
    ("status_id", SetTo("stat_gone"), "Status: 'stat_gone' is not a status of this organisation."),
    ("status_id", SetTo("Won"), "Status: 'Won' is not a status of this organisation."),
    ("date_won", SetTo("2026-11-01"), "Date won needs a date, not '2026-11-01'."),
    ("date_won", SetTo(datetime(2026, 11, 1, tzinfo=UTC)),
     "Date won needs a date, not '2026-11-01T00:00:00+00:00'."),
    ("value", SetTo(-1), "Value cannot be negative."),
    ("value", SetTo(12.5), "Value must be a whole number of cents, not 12.5."),
    ("value", SetTo("12"), "Value needs a number, not '12'."),
    ("value", SetTo(True), "Value needs a number, not True."),
    ("value_period", SetTo("weekly"), "Value period: 'weekly' is not a value period."),
    ("confidence", SetTo(101), "Confidence must be between 0 and 100, not 101."),
    ("confidence", SetTo(-1), "Confidence must be between 0 and 100, not -1."),
    ("confidence", SetTo(50.5), "Confidence must be a whole number of percent, not 50.5."),
    ("user_id", SetTo("user_ghost"), "Owner: 'user_ghost' is not a user of this organisation."),
    ("contact_id", SetTo("lead_1"), "Contact: 'lead_1' is not a contact id (cont_...)."),
    ("note", SetTo(5), "Note needs text, not 5."),
    ("note", MultiEdit(added=("x",)),
     "Note holds one value; only multi-value fields add or remove."),
    ("custom.cf_source", SetTo("Inbund"),
     "'Inbund' is not a choice for Deal Source; did you mean 'Inbound'?"),
    ("custom.cf_source", SetTo(("Inbound", "Partner")), "Deal Source holds one value, not a list."),
    ("custom.cf_source", MultiEdit(added=("Partner",)),
     "Deal Source holds one value; only multi-value fields add or remove."),
    ("custom.cf_tags", MultiEdit(added=("Omega",)), "'Omega' is not a choice for Tags."),
    ("custom.cf_tags", SetTo(("Alpha", "alpha")),
     "'alpha' is not a choice for Tags; did you mean 'Alpha'?"),
    ("custom.cf_seats", SetTo(float("nan")), "Seats must be a finite number."),
    ("custom.cf_seats", SetTo(2**63), "Seats is larger than Close can store."),
    ("custom.cf_seats", SetTo(-1e30), "Seats is larger than Close can store."),
    ("value", SetTo(10**34), "Value is larger than Close can store."),
    ("value", SetTo(2**62), "Value is larger than Close can store."),
    ("custom.cf_seats", SetTo("ten"), "Seats needs a number, not 'ten'."),
    ("custom.cf_start", SetTo("tomorrow"), "Start Date needs a date, not 'tomorrow'."),
    ("custom.cf_demo", SetTo(datetime(2026, 12, 1, 9)), "Demo At needs a UTC offset."),
    ("custom.cf_demo", SetTo(date(2026, 12, 1)),
     "Demo At needs a date and time, not '2026-12-01'."),
    ("custom.cf_champion", SetTo("Ann Lee"),
     "Champion: 'Ann Lee' is not a user of this organisation."),
    ("custom.cf_reviewers", MultiEdit(added=("user_ghost",)),
     "Reviewers: 'user_ghost' is not a user of this organisation."),
    ("custom.cf_people", SetTo((("cont_1",),)),  # type: ignore[arg-type]
     "Stakeholders: a list cannot be an item of a list."),
    ("custom.cf_hidden", SetTo(43),
     "Internal Score is read-only: closetui cannot edit 'hidden' fields."),
    ("custom.cf_hidden", Cleared(),
     "Internal Score is read-only: closetui cannot edit 'hidden' fields."),
    ("custom.cf_discount", SetTo("Yes"),
     "Discount Approved is read-only: only roles admin may edit it (your role: member)."),
    ("custom.cf_region", Cleared(),
     "Region is read-only: only roles admin, manager may edit it (your role: member)."),
    ("value", "not a change", "Value: 'not a change' is not a change."),
]  # fmt: skip


@pytest.mark.parametrize(("key", "change", "message"), INVALID)
def test_invalid_changes(
    edits_schema: OrgSchema, edits_opp: Opportunity, key: str, change: Change, message: str
) -> None:
    assert validate(edits_opp, Draft({key: change}), edits_schema) == {key: message}


def test_one_message_per_field_and_all_fields_reported(
    edits_schema: OrgSchema, edits_opp: Opportunity
) -> None:
    draft = (
        Draft()
        .with_set("confidence", 300)
        .with_set("value", -5)
        .with_set("custom.cf_project", "ok")
        .with_added("custom.cf_source", "Partner")
    )
    assert validate(edits_opp, draft, edits_schema) == {
        "confidence": "Confidence must be between 0 and 100, not 300.",
        "value": "Value cannot be negative.",
        "custom.cf_source": "Deal Source holds one value; only multi-value fields add or remove.",
    }


def test_role_decides_read_only(
    edits_schema_factory: Callable[..., OrgSchema], edits_opp: Opportunity
) -> None:
    draft = Draft().with_set("custom.cf_discount", "Yes").with_cleared("custom.cf_region")
    assert validate(edits_opp, draft, edits_schema_factory(role="admin")) == {}
    assert set(validate(edits_opp, draft, edits_schema_factory(role="member"))) == {
        "custom.cf_discount",
        "custom.cf_region",
    }
    manager = validate(edits_opp, draft, edits_schema_factory(role="manager"))
    assert set(manager) == {"custom.cf_discount"}


def test_users_unknown_to_an_empty_user_list_need_the_id_form(
    edits_schema: OrgSchema, edits_opp: Opportunity
) -> None:
    schema = OrgSchema(
        edits_schema.pipelines, edits_schema.custom_fields, [], "member", 0.0, edits_schema.today
    )
    assert validate(edits_opp, Draft().with_set("user_id", "user_new"), schema) == {}
    assert validate(edits_opp, Draft().with_set("user_id", "Bob"), schema) == {
        "user_id": "Owner: 'Bob' is not a user of this organisation."
    }
