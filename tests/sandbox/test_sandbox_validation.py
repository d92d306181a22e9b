"""Every 400 of the update rules answers Close's error shape and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from closetui.sandbox import Sandbox, field_id

JSON = dict[str, Any]


def cf(name: str, suffix: str = "") -> str:
    return f"custom.{field_id(name)}{suffix}"


OTHER_LEADS_CONTACT = "other-leads-contact"
"""Placeholder replaced by a contact id that belongs to a different lead."""

CASES: list[tuple[str, JSON, str]] = [
    ("unknown status id", {"status_id": "stat_nope"}, "status_id"),
    ("unknown status label", {"status": "Nope"}, "status"),
    ("unknown pipeline", {"pipeline_id": "pipe_nope"}, "pipeline_id"),
    ("malformed date_won", {"date_won": "31/12/2026"}, "date_won"),
    ("impossible date_won", {"date_won": "2026-02-30"}, "date_won"),
    ("date_won not a string", {"date_won": 20260101}, "date_won"),
    ("value as string", {"value": "2500"}, "value"),
    ("value as float", {"value": 2500.5}, "value"),
    ("value negative", {"value": -1}, "value"),
    ("value bool", {"value": True}, "value"),
    ("unknown value_period", {"value_period": "weekly"}, "value_period"),
    ("value_period null", {"value_period": None}, "value_period"),
    ("confidence over 100", {"confidence": 101}, "confidence"),
    ("confidence negative", {"confidence": -1}, "confidence"),
    ("confidence float", {"confidence": 50.5}, "confidence"),
    ("confidence string", {"confidence": "50"}, "confidence"),
    ("unknown user", {"user_id": "user_nope"}, "user_id"),
    ("null user", {"user_id": None}, "user_id"),
    ("contact of another lead", {"contact_id": OTHER_LEADS_CONTACT}, "contact_id"),
    ("note not a string", {"note": 5}, "note"),
    ("unknown custom field", {"custom.cf_doesnotexist": "x"}, "custom.cf_doesnotexist"),
    ("text gets a number", {cf("Project Code"): 5}, cf("Project Code")),
    ("textarea gets a list", {cf("Next Steps"): ["a"]}, cf("Next Steps")),
    ("number gets a string", {cf("Seats"): "12"}, cf("Seats")),
    ("number gets a bool", {cf("Seats"): True}, cf("Seats")),
    (
        "date gets a datetime",
        {cf("Expected Go-Live"): "2026-09-01T10:00:00+00:00"},
        cf("Expected Go-Live"),
    ),
    ("date malformed", {cf("Expected Go-Live"): "09/01/2026"}, cf("Expected Go-Live")),
    ("datetime without offset", {cf("Last Demo At"): "2026-06-01T09:00:00"}, cf("Last Demo At")),
    ("datetime malformed", {cf("Last Demo At"): "yesterday"}, cf("Last Demo At")),
    ("choice not offered", {cf("Deal Source"): "Billboard"}, cf("Deal Source")),
    ("list to single choice", {cf("Deal Source"): ["Partner"]}, cf("Deal Source")),
    ("multi choice not offered", {cf("Products"): ["SMS", "Fax"]}, cf("Products")),
    ("shared field choice", {cf("Region"): "MARS"}, cf("Region")),
    ("unknown user in user field", {cf("Sales Engineer"): "user_nope"}, cf("Sales Engineer")),
    ("unknown user in multi user", {cf("Collaborators"): ["user_nope"]}, cf("Collaborators")),
    ("contact field other lead", {cf("Champion"): OTHER_LEADS_CONTACT}, cf("Champion")),
    ("contact field not a cont_ id", {cf("Champion"): "lead_x"}, cf("Champion")),
    ("add on single-value", {cf("Deal Source", ".add"): "Partner"}, cf("Deal Source")),
    ("remove on single-value", {cf("Deal Source", ".remove"): "Partner"}, cf("Deal Source")),
    ("add a list", {cf("Products", ".add"): ["SMS"]}, cf("Products")),
    ("add a choice not offered", {cf("Products", ".add"): "Fax"}, cf("Products")),
    ("add to unknown field", {"custom.cf_nope.add": "x"}, "custom.cf_nope"),
    ("read-only type", {cf("Legacy Score"): 5}, cf("Legacy Score")),
    ("read-only type unset", {cf("Legacy Score"): None}, cf("Legacy Score")),
]


@pytest.mark.parametrize(("body", "error_key"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_invalid_update_is_400_and_changes_nothing(
    client: httpx.AsyncClient, sb: Sandbox, body: JSON, error_key: str
) -> None:
    opp = next(o for o in sb.opportunities.values() if o["status_type"] == "active")
    other = next(lead for lead in sb.leads.values() if lead["id"] != opp["lead_id"])
    body = {k: other["contact_ids"][0] if v == OTHER_LEADS_CONTACT else v for k, v in body.items()}
    # a valid change alongside must not be applied either
    body = {"confidence": 77, **body} if "confidence" not in body else body
    before = dict(opp)
    response = await client.put(f"opportunity/{opp['id']}/", json=body)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert set(payload) == {"errors", "field-errors"}
    assert isinstance(payload["errors"], list)
    assert error_key in payload["field-errors"], payload
    assert all(isinstance(m, str) and m for m in payload["field-errors"].values())
    assert sb.opportunities[opp["id"]] == before


async def test_several_errors_are_reported_together(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(iter(sb.opportunities.values()))
    body = {"confidence": 500, "value": "x", "status_id": "stat_nope", cf("Seats"): "many"}
    errors = (await client.put(f"opportunity/{opp['id']}/", json=body)).json()["field-errors"]
    assert set(errors) == {"confidence", "value", "status_id", cf("Seats")}


async def test_status_outside_the_given_pipeline(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(iter(sb.opportunities.values()))
    body = {"pipeline_id": sb.pipelines[1]["id"], "status_id": sb.status_id("Sales", "Won")}
    response = await client.put(f"opportunity/{opp['id']}/", json=body)
    assert response.status_code == 400
    assert response.json()["errors"] == ["Status does not belong to the given pipeline."]


async def test_deprecated_custom_dict_is_rejected(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(iter(sb.opportunities.values()))
    response = await client.put(
        f"opportunity/{opp['id']}/", json={"custom": {"Deal Source": "Event"}}
    )
    assert response.status_code == 400
    assert response.json()["errors"]
