"""Revert bodies: put back every editable field of `before`, given the current `after`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from closetui.api.models import Opportunity
from closetui.edits import (
    Cleared,
    OrgSchema,
    SetTo,
    build_revert_body,
    revert_draft,
    revert_gaps,
)

CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("nothing changed", {}, {}, {}),
    ("undo a win (auto date)", {},
     {"status_id": "stat_s_won", "date_won": "2026-11-27"},
     {"status_id": "stat_s_prop", "date_won": None}),
    ("undo leaving won (date kept)",
     {"status_id": "stat_s_won", "date_won": "2026-03-01"},
     {"status_id": "stat_s_lost", "date_won": "2026-03-01"},
     {"status_id": "stat_s_won"}),
    ("undo leaving won and clearing the date",
     {"status_id": "stat_s_won", "date_won": "2026-03-01"},
     {"status_id": "stat_s_lost", "date_won": None},
     {"status_id": "stat_s_won", "date_won": "2026-03-01"}),
    ("back into won that had no date: explicit null",
     {"status_id": "stat_s_won", "date_won": None},
     {"status_id": "stat_s_prop", "date_won": None},
     {"status_id": "stat_s_won", "date_won": None}),
    ("won to won, auto date undone",
     {"status_id": "stat_s_won", "date_won": None},
     {"status_id": "stat_r_won", "date_won": "2026-11-27"},
     {"status_id": "stat_s_won", "date_won": None}),
    ("plain fields", {},
     {"value": 1, "value_period": "monthly", "confidence": 90, "user_id": "user_bob",
      "contact_id": "cont_1", "note": None},
     {"value": 50000, "value_period": "annual", "confidence": 50, "user_id": "user_ann",
      "contact_id": None, "note": "Logistics"}),
    ("unset value restored as null", {"value": None}, {"value": 7}, {"value": None}),
    ("custom set and cleared", {},
     {"custom__cf_project": None, "custom__cf_signer": "cont_1", "custom__cf_seats": 11},
     {"custom.cf_project": "Falcon", "custom.cf_seats": 10, "custom.cf_signer": None}),
    ("a tag added", {}, {"custom__cf_tags": ["Alpha", "Beta", "Gamma"]},
     {"custom.cf_tags.remove": "Gamma"}),
    ("a tag removed from the end", {}, {"custom__cf_tags": ["Alpha"]},
     {"custom.cf_tags.add": "Beta"}),
    ("a tag removed from the front keeps order", {}, {"custom__cf_tags": ["Beta"]},
     {"custom.cf_tags": ["Alpha", "Beta"]}),
    ("tags that were unset", {"custom__cf_tags": None}, {},
     {"custom.cf_tags": None}),
    ("same datetime at another offset", {},
     {"custom__cf_demo": "2026-11-20T10:00:00+01:00"}, {}),
    ("read-only fields are left alone", {},
     {"custom__cf_hidden": 43, "custom__cf_region": "APAC", "custom__cf_discount": "Yes"}, {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("before", "after", "body"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_revert_body(
    edits_schema: OrgSchema,
    edits_opp_factory: Callable[..., Opportunity],
    before: dict[str, Any],
    after: dict[str, Any],
    body: dict[str, Any],
) -> None:
    assert (
        build_revert_body(edits_opp_factory(**before), edits_opp_factory(**after), edits_schema)
        == body
    )


def test_revert_draft_and_gaps(
    edits_schema: OrgSchema, edits_opp_factory: Callable[..., Opportunity]
) -> None:
    before = edits_opp_factory()
    after = edits_opp_factory(
        custom__cf_hidden=43, custom__cf_region=None, custom__cf_project=None, value=None
    )
    assert revert_draft(before, after, edits_schema).changes == {
        "value": SetTo(50000),
        "custom.cf_project": SetTo("Falcon"),
    }
    assert revert_draft(after, before, edits_schema).changes == {
        "value": Cleared(),
        "custom.cf_project": Cleared(),
    }
    assert revert_gaps(before, after, edits_schema) == {
        "custom.cf_hidden": "Internal Score is read-only: closetui cannot edit 'hidden' fields.",
        "custom.cf_region": (
            "Region is read-only: only roles admin, manager may edit it (your role: member)."
        ),
    }


def test_admin_reverts_role_limited_fields(
    edits_schema_factory: Callable[..., OrgSchema], edits_opp_factory: Callable[..., Opportunity]
) -> None:
    before = edits_opp_factory()
    after = edits_opp_factory(custom__cf_region="APAC", custom__cf_hidden=1)
    schema = edits_schema_factory(role="admin")
    assert build_revert_body(before, after, schema) == {"custom.cf_region": "EMEA"}
    assert set(revert_gaps(before, after, schema)) == {"custom.cf_hidden"}
