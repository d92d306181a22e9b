"""The minimal update body: only real changes, in Close's forms, in a fixed order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from closetui.api.models import Opportunity
from closetui.edits import (
    Cleared,
    Draft,
    DraftError,
    MultiEdit,
    OrgSchema,
    SetTo,
    build_update_body,
)
from closetui.edits.values import Change

PLUS_ONE = timezone(timedelta(hours=1))

CASES: list[tuple[str, dict[str, Any], dict[str, Change], dict[str, Any]]] = [
    ("empty draft", {}, {}, {}),
    ("status", {}, {"status_id": SetTo("stat_s_won")}, {"status_id": "stat_s_won"}),
    ("same status", {}, {"status_id": SetTo("stat_s_prop")}, {}),
    ("clear absent date_won", {}, {"date_won": Cleared()}, {}),
    ("clear date_won", {"date_won": "2026-03-01"}, {"date_won": Cleared()}, {"date_won": None}),
    ("set date_won", {}, {"date_won": SetTo(date(2026, 11, 1))}, {"date_won": "2026-11-01"}),
    ("same date_won", {"date_won": "2026-11-01"}, {"date_won": SetTo(date(2026, 11, 1))}, {}),
    ("money in cents", {}, {"value": SetTo(125050)}, {"value": 125050}),
    ("same money", {}, {"value": SetTo(50000)}, {}),
    ("clear money", {}, {"value": Cleared()}, {"value": None}),
    ("clear absent money", {"value": None}, {"value": Cleared()}, {}),
    ("same confidence", {}, {"confidence": SetTo(50)}, {}),
    ("period", {}, {"value_period": SetTo("monthly")}, {"value_period": "monthly"}),
    ("owner", {}, {"user_id": SetTo("user_bob")}, {"user_id": "user_bob"}),
    ("contact", {}, {"contact_id": SetTo("cont_1")}, {"contact_id": "cont_1"}),
    ("empty note is a value", {}, {"note": SetTo("")}, {"note": ""}),
    ("clear custom", {}, {"custom.cf_project": Cleared()}, {"custom.cf_project": None}),
    ("clear unset custom", {}, {"custom.cf_signer": Cleared()}, {}),
    ("same choice", {}, {"custom.cf_source": SetTo("Inbound")}, {}),
    ("choice", {}, {"custom.cf_source": SetTo("Partner")}, {"custom.cf_source": "Partner"}),
    ("one addition", {}, {"custom.cf_tags": MultiEdit(added=("Gamma",))},
     {"custom.cf_tags.add": "Gamma"}),
    ("add present", {}, {"custom.cf_tags": MultiEdit(added=("Alpha",))}, {}),
    ("remove absent", {}, {"custom.cf_tags": MultiEdit(removed=("Delta",))}, {}),
    ("one removal", {}, {"custom.cf_tags": MultiEdit(removed=("Alpha",))},
     {"custom.cf_tags.remove": "Alpha"}),
    ("add and remove", {}, {"custom.cf_tags": MultiEdit(("Gamma",), ("Alpha",))},
     {"custom.cf_tags": ["Beta", "Gamma"]}),
    ("two additions", {}, {"custom.cf_tags": MultiEdit(added=("Gamma", "Delta"))},
     {"custom.cf_tags": ["Alpha", "Beta", "Gamma", "Delta"]}),
    ("two removals", {"custom__cf_tags": ["Alpha", "Beta", "Gamma"]},
     {"custom.cf_tags": MultiEdit(removed=("Alpha", "Gamma"))}, {"custom.cf_tags": ["Beta"]}),
    ("addition of present + new", {}, {"custom.cf_tags": MultiEdit(added=("Alpha", "Delta"))},
     {"custom.cf_tags.add": "Delta"}),
    ("remove everything", {}, {"custom.cf_tags": MultiEdit(removed=("Alpha", "Beta"))},
     {"custom.cf_tags": None}),
    ("remove the last one", {}, {"custom.cf_reviewers": MultiEdit(removed=("user_bob",))},
     {"custom.cf_reviewers": None}),
    ("reorder", {}, {"custom.cf_tags": SetTo(("Beta", "Alpha"))},
     {"custom.cf_tags": ["Beta", "Alpha"]}),
    ("same list", {}, {"custom.cf_tags": SetTo(("Alpha", "Beta"))}, {}),
    ("list that adds one", {}, {"custom.cf_tags": SetTo(("Alpha", "Beta", "Gamma"))},
     {"custom.cf_tags.add": "Gamma"}),
    ("list that drops one", {}, {"custom.cf_tags": SetTo(("Beta",))},
     {"custom.cf_tags.remove": "Alpha"}),
    ("list with repeats", {}, {"custom.cf_tags": SetTo(("Delta", "Delta"))},
     {"custom.cf_tags": ["Delta"]}),
    ("scalar for multi", {}, {"custom.cf_tags": SetTo("Delta")}, {"custom.cf_tags": ["Delta"]}),
    ("empty list", {}, {"custom.cf_tags": SetTo(())}, {"custom.cf_tags": None}),
    ("clear list", {}, {"custom.cf_tags": Cleared()}, {"custom.cf_tags": None}),
    ("clear unset list", {"custom__cf_tags": None}, {"custom.cf_tags": Cleared()}, {}),
    ("clear empty list", {"custom__cf_tags": []}, {"custom.cf_tags": Cleared()}, {}),
    ("first item of unset list", {}, {"custom.cf_people": MultiEdit(added=("cont_1",))},
     {"custom.cf_people": ["cont_1"]}),
    ("scalar stored in multi field", {"custom__cf_tags": "Alpha"},
     {"custom.cf_tags": MultiEdit(added=("Beta",))}, {"custom.cf_tags.add": "Beta"}),
    ("same instant", {}, {"custom.cf_demo": SetTo(datetime(2026, 11, 20, 10, tzinfo=PLUS_ONE))},
     {}),
    ("datetime", {}, {"custom.cf_demo": SetTo(datetime(2026, 11, 28, 10, tzinfo=PLUS_ONE))},
     {"custom.cf_demo": "2026-11-28T10:00:00+01:00"}),
    ("datetime utc", {}, {"custom.cf_demo": SetTo(datetime(2026, 11, 28, 10, tzinfo=UTC))},
     {"custom.cf_demo": "2026-11-28T10:00:00+00:00"}),
    ("same number as float", {}, {"custom.cf_seats": SetTo(10.0)}, {}),
    ("number", {}, {"custom.cf_seats": SetTo(10.5)}, {"custom.cf_seats": 10.5}),
    ("custom date", {}, {"custom.cf_start": SetTo(date(2027, 1, 1))},
     {"custom.cf_start": "2027-01-01"}),
    ("user field", {}, {"custom.cf_champion": SetTo("user_cy")}, {"custom.cf_champion": "user_cy"}),
    ("read-only no-op", {}, {"custom.cf_hidden": SetTo(42), "custom.cf_region": SetTo("EMEA")},
     {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("opp_changes", "changes", "body"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_minimal_body(
    edits_schema: OrgSchema,
    edits_opp_factory: Callable[..., Opportunity],
    opp_changes: dict[str, Any],
    changes: dict[str, Change],
    body: dict[str, Any],
) -> None:
    opp = edits_opp_factory(**opp_changes)
    assert build_update_body(opp, Draft(changes), edits_schema) == body


def test_keys_come_in_a_fixed_order(edits_schema: OrgSchema, edits_opp: Opportunity) -> None:
    draft = (
        Draft()
        .with_set("custom.cf_seats", 3)
        .with_set("note", "n")
        .with_cleared("custom.cf_source")
        .with_set("contact_id", "cont_1")
        .with_set("user_id", "user_bob")
        .with_set("confidence", 90)
        .with_set("value_period", "monthly")
        .with_set("value", 1)
        .with_set("date_won", date(2026, 1, 2))
        .with_added("custom.cf_tags", "Gamma")
        .with_set("status_id", "stat_s_won")
    )
    assert list(build_update_body(edits_opp, draft, edits_schema)) == [
        "status_id",
        "date_won",
        "value",
        "value_period",
        "confidence",
        "user_id",
        "contact_id",
        "note",
        "custom.cf_source",
        "custom.cf_tags.add",
        "custom.cf_seats",
    ]


def test_invalid_draft_has_no_body(edits_schema: OrgSchema, edits_opp: Opportunity) -> None:
    draft = Draft().with_set("confidence", 120).with_set("value", 5)
    with pytest.raises(DraftError, match="Confidence must be between 0 and 100") as caught:
        build_update_body(edits_opp, draft, edits_schema)
    assert caught.value.problems == {
        "confidence": "Confidence must be between 0 and 100, not 120.",
    }


def test_body_is_json_serialisable(edits_schema: OrgSchema, edits_opp: Opportunity) -> None:
    import json

    draft = (
        Draft()
        .with_set("date_won", date(2026, 1, 2))
        .with_set("custom.cf_demo", datetime(2026, 1, 2, 3, tzinfo=UTC))
        .with_set("custom.cf_tags", ("Gamma", "Delta"))
    )
    body = build_update_body(edits_opp, draft, edits_schema)
    assert json.loads(json.dumps(body)) == body
