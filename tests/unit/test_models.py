"""The API models parse every recorded Close response without loss."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from closetui.api.models import (
    CustomField,
    Me,
    Opportunity,
    OpportunityPage,
    Page,
    Pipeline,
    User,
)
from tests.conftest import RECORDED

MODEL_FOR: dict[str, type[BaseModel]] = {
    "create-opportunity.json": Opportunity,
    "get-opportunity.json": Opportunity,
    "update-opportunity.json": Opportunity,
    "get-me.json": Me,
    "get-user.json": User,
    "list-users.json": Page[User],
    "list-opportunities.json": OpportunityPage,
    "pipelines.json": Page[Pipeline],
}


def _recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())["response"]


def _same(original: Any, dumped: Any) -> bool:
    """Equal, reading ISO datetimes as instants (a naive one is UTC)."""
    if isinstance(original, dict) and isinstance(dumped, dict):
        return original.keys() <= dumped.keys() and all(
            _same(v, dumped[k]) for k, v in original.items()
        )
    if isinstance(original, list) and isinstance(dumped, list):
        return len(original) == len(dumped) and all(map(_same, original, dumped))
    if isinstance(original, str) and isinstance(dumped, str) and "T" in original:
        try:
            a, b = datetime.fromisoformat(original), datetime.fromisoformat(dumped)
        except ValueError:
            return original == dumped
        return a.replace(tzinfo=a.tzinfo or UTC) == b
    return bool(original == dumped)


def test_every_recorded_response_has_a_model() -> None:
    names = sorted(p.name for p in Path(RECORDED).glob("*.json"))
    assert set(names) - set(MODEL_FOR) == {"delete-opportunity.json"}


@pytest.mark.parametrize("name", sorted(MODEL_FOR))
def test_recorded_response_parses_without_loss(name: str) -> None:
    raw = _recorded(name)
    model = MODEL_FOR[name].model_validate(raw)
    dumped = model.model_dump(mode="json", by_alias=True)
    assert _same(raw, dumped), name
    assert MODEL_FOR[name].model_validate(dumped) == model


def test_opportunity_types() -> None:
    opp = Opportunity.model_validate(_recorded("get-opportunity.json"))
    assert opp.value == 25000
    assert opp.value_period == "one_time"
    assert opp.status_type == "active"
    assert opp.date_created.tzinfo is not None
    assert opp.date_won is None
    assert opp.integration_links == []


def test_fields_close_adds_later_are_kept() -> None:
    raw = _recorded("get-opportunity.json") | {"brand_new_field": {"x": 1}}
    opp = Opportunity.model_validate(raw)
    assert opp.model_dump(mode="json")["brand_new_field"] == {"x": 1}


def test_custom_values_through_one_accessor() -> None:
    raw = _recorded("get-opportunity.json") | {
        "date_won": "2026-06-20",
        "custom.cf_single": "Inbound",
        "custom.cf_multi": ["A", "B"],
    }
    opp = Opportunity.model_validate(raw)
    assert opp.date_won == date(2026, 6, 20)
    assert opp.custom_value("cf_single") == "Inbound"
    assert opp.custom_value("cf_multi") == ["A", "B"]
    assert opp.custom_value("cf_absent") is None
    assert opp.custom == {"cf_single": "Inbound", "cf_multi": ["A", "B"]}


def test_naive_pipeline_timestamps_are_utc() -> None:
    page = Page[Pipeline].model_validate(_recorded("pipelines.json"))
    created = page.data[0].date_created
    assert created is not None
    assert created.utcoffset() is not None
    assert [s.type for s in page.data[0].statuses] == ["active", "active", "active", "won", "lost"]


def test_me_role_and_pipelines() -> None:
    me = Me.model_validate(_recorded("get-me.json"))
    org = me.organizations[0]
    assert me.role_in(org.id) == "admin"
    assert org.pipelines[0].name == "Sales"
    assert me.full_name == "Nango Developer"


@pytest.mark.parametrize(
    ("field", "role", "editable"),
    [
        ({"type": "text"}, "user", True),
        ({"type": "hidden"}, "admin", False),
        ({"type": "text", "editable_with_roles": ["admin"]}, "user", False),
        ({"type": "text", "editable_with_roles": ["admin"]}, "admin", True),
        ({"type": "custom_object", "referenced_custom_type_id": "cstm_1"}, "admin", False),
        (
            {
                "type": "choices",
                "is_shared": True,
                "editable_with_roles": [],
                "associations": [
                    {"object_type": "lead", "editable_with_roles": []},
                    {"object_type": "opportunity", "editable_with_roles": ["admin"]},
                ],
            },
            "user",
            False,
        ),
    ],
)
def test_custom_field_editability(field: dict[str, Any], role: str, editable: bool) -> None:
    cf = CustomField.model_validate({"id": "cf_x", "name": "X", **field})
    assert cf.editable_by(role) is editable
    assert cf.key == "custom.cf_x"
