"""Fixtures for the edit-layer tests: a small org (two pipelines, users, every field type)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from closetui.api.models import CustomField, Opportunity, Pipeline, User
from closetui.edits import OrgSchema

EDITS_NOW = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
"""The frozen clock of the edit tests: 20:00 UTC, so +5.5 is already the 28th."""

EDITS_PIPELINES: list[dict[str, Any]] = [
    {
        "id": "pipe_sales",
        "name": "Sales",
        "statuses": [
            {"id": "stat_s_lead", "label": "Lead", "type": "active"},
            {"id": "stat_s_prop", "label": "Proposal", "type": "active"},
            {"id": "stat_s_won", "label": "Won", "type": "won"},
            {"id": "stat_s_lost", "label": "Lost", "type": "lost"},
        ],
    },
    {
        "id": "pipe_renew",
        "name": "Renewals",
        "statuses": [
            {"id": "stat_r_open", "label": "Open", "type": "active"},
            {"id": "stat_r_won", "label": "Won", "type": "won"},
            {"id": "stat_r_lost", "label": "Lost", "type": "lost"},
            {"id": "stat_r_churn", "label": "Churned", "type": "lost"},
        ],
    },
]

EDITS_USERS: list[dict[str, Any]] = [
    {"id": "user_ann", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.com"},
    {"id": "user_bob", "first_name": "Bob", "last_name": "Stone", "email": "bob@example.com"},
    {"id": "user_ann2", "first_name": "Ann", "last_name": "Lee", "email": "ann.lee@other.test"},
    {"id": "user_cy", "first_name": "Cy", "last_name": "Young", "email": "cy@example.com"},
]

EDITS_FIELDS: list[dict[str, Any]] = [
    {"id": "cf_source", "name": "Deal Source", "type": "choices",
     "choices": ["Inbound", "Outbound", "Partner"]},
    {"id": "cf_tags", "name": "Tags", "type": "choices", "accepts_multiple_values": True,
     "choices": ["Alpha", "Beta", "Gamma", "Delta"]},
    {"id": "cf_project", "name": "Project", "type": "text"},
    {"id": "cf_details", "name": "Details", "type": "textarea"},
    {"id": "cf_seats", "name": "Seats", "type": "number"},
    {"id": "cf_start", "name": "Start Date", "type": "date"},
    {"id": "cf_demo", "name": "Demo At", "type": "datetime"},
    {"id": "cf_champion", "name": "Champion", "type": "user"},
    {"id": "cf_reviewers", "name": "Reviewers", "type": "user", "accepts_multiple_values": True},
    {"id": "cf_signer", "name": "Signer", "type": "contact"},
    {"id": "cf_people", "name": "Stakeholders", "type": "contact",
     "accepts_multiple_values": True},
    {"id": "cf_hidden", "name": "Internal Score", "type": "hidden"},
    {"id": "cf_discount", "name": "Discount Approved", "type": "choices",
     "choices": ["Yes", "No"], "editable_with_roles": ["admin"]},
    {"id": "cf_region", "name": "Region", "type": "text", "is_shared": True,
     "associations": [
         {"object_type": "lead", "editable_with_roles": []},
         {"object_type": "opportunity", "editable_with_roles": ["admin", "manager"]},
     ]},
    {"id": "cf_segment", "name": "Segment", "type": "text", "is_shared": True,
     "associations": [{"object_type": "opportunity", "editable_with_roles": []}]},
]  # fmt: skip

EDITS_OPPORTUNITY: dict[str, Any] = {
    "id": "oppo_1",
    "organization_id": "orga_1",
    "lead_id": "lead_1",
    "lead_name": "Globex",
    "contact_id": None,
    "user_id": "user_ann",
    "user_name": "Ann Lee",
    "status_id": "stat_s_prop",
    "status_label": "Proposal",
    "status_type": "active",
    "pipeline_id": "pipe_sales",
    "pipeline_name": "Sales",
    "value": 50000,
    "value_period": "annual",
    "confidence": 50,
    "date_won": None,
    "date_created": "2026-06-19T11:04:54.421000+00:00",
    "date_updated": "2026-06-19T11:04:54.421000+00:00",
    "note": "Logistics",
    "custom.cf_source": "Inbound",
    "custom.cf_tags": ["Alpha", "Beta"],
    "custom.cf_project": "Falcon",
    "custom.cf_seats": 10,
    "custom.cf_start": "2026-01-15",
    "custom.cf_demo": "2026-11-20T09:00:00+00:00",
    "custom.cf_reviewers": ["user_bob"],
    "custom.cf_hidden": 42,
    "custom.cf_discount": "No",
    "custom.cf_region": "EMEA",
}
"""An active Sales opportunity with most custom fields set."""


def make_edits_schema(
    *, now: datetime = EDITS_NOW, tz_offset: float = 0.0, role: str | None = "member"
) -> OrgSchema:
    """The test org seen by a user with ``role`` at ``now`` in ``tz_offset``."""
    return OrgSchema.at(
        now,
        pipelines=[Pipeline.model_validate(p) for p in EDITS_PIPELINES],
        custom_fields=[CustomField.model_validate(f) for f in EDITS_FIELDS],
        users=[User.model_validate(u) for u in EDITS_USERS],
        role=role,
        tz_offset=tz_offset,
    )


def make_edits_opportunity(**changes: Any) -> Opportunity:
    """The test opportunity with some keys replaced (``custom__cf_x`` for ``custom.cf_x``)."""
    data = dict(EDITS_OPPORTUNITY)
    for key, value in changes.items():
        data[key.replace("custom__", "custom.")] = value
    return Opportunity.model_validate(data)


@pytest.fixture(scope="session")
def edits_schema() -> OrgSchema:
    """The test org for a ``member`` at UTC+0 on 2026-11-27."""
    return make_edits_schema()


@pytest.fixture(scope="session")
def edits_schema_factory() -> Callable[..., OrgSchema]:
    """Build the test org with another clock, offset or role."""
    return make_edits_schema


@pytest.fixture(scope="session")
def edits_opp() -> Opportunity:
    """The test opportunity (active, Sales/Proposal, no date_won)."""
    return make_edits_opportunity()


@pytest.fixture(scope="session")
def edits_opp_factory() -> Callable[..., Opportunity]:
    """Build the test opportunity with some fields replaced."""
    return make_edits_opportunity
