"""PUT semantics: partial updates, the won-date rule, notes, custom fields and derived fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from closetui.sandbox import DEMO_API_KEY, USER_API_KEY, Sandbox, field_id

from .helpers import Clock

JSON = dict[str, Any]
PRODUCTS = f"custom.{field_id('Products')}"
COLLABORATORS = f"custom.{field_id('Collaborators')}"
DEAL_SOURCE = f"custom.{field_id('Deal Source')}"
DISCOUNT = f"custom.{field_id('Approved Discount')}"


def pick(sb: Sandbox, **wanted: Any) -> JSON:
    """A seeded opportunity with these key values (None = must be null)."""
    for opp in sb.opportunities.values():
        if all(opp.get(k) == v for k, v in wanted.items()):
            return opp
    raise AssertionError(f"no seeded opportunity with {wanted}")


async def put(client: httpx.AsyncClient, opp: JSON, body: JSON, **headers: str) -> httpx.Response:
    return await client.put(f"opportunity/{opp['id']}/", json=body, headers=headers)


async def test_only_sent_keys_change(
    client: httpx.AsyncClient, user_client: httpx.AsyncClient, sb: Sandbox
) -> None:
    opp = pick(sb, status_type="active", value_period="annual")
    before = dict(opp)
    response = await put(user_client, opp, {"confidence": 80})
    assert response.status_code == 200
    after = response.json()
    assert after == sb.opportunities[opp["id"]]
    changed = {k for k in after if after[k] != before.get(k)} | (set(before) - set(after))
    allowed = {
        "confidence",
        "expected_value",
        "annualized_expected_value",
        "date_updated",
        "updated_by",
        "updated_by_name",
    }
    assert changed <= allowed
    assert after["confidence"] == 80
    assert after["expected_value"] == (before["value"] or 0) * 80 // 100 or before["value"] is None
    assert after["updated_by"] == sb.keys[USER_API_KEY]
    assert after["updated_by_name"] == "Blake Chen"
    assert after["date_updated"] == "2026-06-15T23:30:00.000000+00:00"


async def test_get_after_put_shows_the_change(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    await put(client, opp, {"note": "Changed"})
    assert (await client.get(f"opportunity/{opp['id']}/")).json()["note"] == "Changed"


@pytest.mark.parametrize(
    ("now", "offset", "expected"),
    [
        (datetime(2026, 6, 15, 23, 30, tzinfo=UTC), None, "2026-06-15"),
        (datetime(2026, 6, 15, 23, 30, tzinfo=UTC), "0", "2026-06-15"),
        (datetime(2026, 6, 15, 23, 30, tzinfo=UTC), "5.5", "2026-06-16"),
        (datetime(2026, 6, 15, 23, 30, tzinfo=UTC), "0.5", "2026-06-16"),
        (datetime(2026, 6, 15, 23, 30, tzinfo=UTC), "-2.5", "2026-06-15"),
        (datetime(2026, 6, 15, 23, 30, tzinfo=UTC), "-5", "2026-06-15"),
        (datetime(2026, 6, 16, 1, 0, tzinfo=UTC), "-2.5", "2026-06-15"),
        (datetime(2026, 6, 16, 1, 0, tzinfo=UTC), "-5.0", "2026-06-15"),
        (datetime(2026, 6, 16, 1, 0, tzinfo=UTC), "-0.5", "2026-06-16"),
        (datetime(2026, 6, 16, 1, 0, tzinfo=UTC), "5.5", "2026-06-16"),
        (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), "5.5", "2027-01-01"),
    ],
)
async def test_moving_into_won_sets_today_in_the_callers_offset(
    client: httpx.AsyncClient,
    sb: Sandbox,
    clock: Clock,
    now: datetime,
    offset: str | None,
    expected: str,
) -> None:
    clock.moment = now
    opp = pick(sb, status_type="active", date_won=None, pipeline_name="Sales")
    headers = {} if offset is None else {"X-TZ-Offset": offset}
    response = await put(client, opp, {"status_id": sb.status_id("Sales", "Won")}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["date_won"] == expected
    assert body["status_type"] == "won"
    assert body["status_label"] == body["status_display_name"] == "Won"


async def test_won_keeps_an_existing_date_won(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active", date_won=None, pipeline_name="Sales")
    await put(client, opp, {"date_won": "2026-01-02"})
    body = (
        await put(
            client, opp, {"status_id": sb.status_id("Sales", "Won")}, **{"X-TZ-Offset": "5.5"}
        )
    ).json()
    assert body["date_won"] == "2026-01-02"


async def test_won_with_a_date_in_the_request_uses_it(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    opp = pick(sb, status_type="active", date_won=None, pipeline_name="Sales")
    body = {"status_id": sb.status_id("Sales", "Won"), "date_won": "2026-03-31"}
    assert (await put(client, opp, body)).json()["date_won"] == "2026-03-31"


async def test_won_with_date_won_null_in_the_request_stays_null(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    """Guessed rule: a ``date_won`` key in the request (even null) disables the automatic date."""
    opp = pick(sb, status_type="active", date_won=None, pipeline_name="Sales")
    body = {"status_id": sb.status_id("Sales", "Won"), "date_won": None}
    assert (await put(client, opp, body)).json()["date_won"] is None


async def test_moving_out_of_won_keeps_date_won(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="won", pipeline_name="Sales")
    date_won = opp["date_won"]
    assert date_won
    for label in ("Proposal Sent", "Lost"):
        body = (await put(client, opp, {"status_id": sb.status_id("Sales", label)})).json()
        assert body["date_won"] == date_won
        assert body["status_label"] == label
    assert body["date_lost"] is not None


async def test_date_won_formats_and_clearing(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="won")
    assert (await put(client, opp, {"date_won": "2026-02-03T22:15:00-05:00"})).json()[
        "date_won"
    ] == "2026-02-03"
    assert (await put(client, opp, {"date_won": "2026-02-04"})).json()["date_won"] == "2026-02-04"
    assert (await put(client, opp, {"date_won": None})).json()["date_won"] is None


@pytest.mark.parametrize("offset", ["+02:00", "abc", "nan", "99", "5,5"])
async def test_invalid_tz_offset_is_400(
    client: httpx.AsyncClient, sb: Sandbox, offset: str
) -> None:
    opp = pick(sb, status_type="active", date_won=None, pipeline_name="Sales")
    before = dict(opp)
    response = await put(
        client, opp, {"status_id": sb.status_id("Sales", "Won")}, **{"X-TZ-Offset": offset}
    )
    assert response.status_code == 400
    assert response.json()["errors"]
    assert sb.opportunities[opp["id"]] == before


async def test_status_change_across_pipelines(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, pipeline_name="Sales", status_type="active")
    body = (
        await put(client, opp, {"status_id": sb.status_id("Renewals", "Renewal Negotiation")})
    ).json()
    assert body["pipeline_id"] == sb.pipelines[1]["id"]
    assert body["pipeline_name"] == "Renewals"
    assert body["status_type"] == "active"


async def test_deprecated_status_label(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sales = pick(sb, pipeline_name="Sales", status_type="active")
    renewal = pick(sb, pipeline_name="Renewals", status_type="active")
    body = (await put(client, sales, {"status": "Proposal Sent"})).json()
    assert body["status_id"] == sb.status_id("Sales", "Proposal Sent")
    # "Won" exists in both pipelines: the opportunity's own pipeline decides
    assert (await put(client, sales, {"status": "Won"})).json()["status_id"] == sb.status_id(
        "Sales", "Won"
    )
    assert (await put(client, renewal, {"status": "Won"})).json()["status_id"] == sb.status_id(
        "Renewals", "Won"
    )
    response = await put(client, sales, {"status": "Nope"})
    assert response.status_code == 400
    assert "status" in response.json()["field-errors"]


async def test_value_and_derived_fields(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    body = (
        await put(client, opp, {"value": 4000, "value_period": "monthly", "confidence": 25})
    ).json()
    assert body["value_formatted"] == "$40 monthly"
    assert body["expected_value"] == 1000
    assert body["annualized_value"] == 48000
    assert body["annualized_expected_value"] == 12000
    body = (await put(client, opp, {"value": 125050, "value_period": "one_time"})).json()
    assert body["value_formatted"] == "$1,250.50"
    assert body["annualized_value"] == 125050
    body = (
        await put(client, opp, {"value": 50000, "value_period": "annual", "confidence": 80})
    ).json()
    assert body["value_formatted"] == "$500 annual"
    assert body["expected_value"] == body["annualized_expected_value"] == 40000
    body = (await put(client, opp, {"value": None})).json()
    assert body["value"] is body["value_formatted"] is body["expected_value"] is None
    assert body["value_currency"] == "USD"


async def test_owner_and_contact(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    blake = sb.user_id_by_name("Blake")
    body = (await put(client, opp, {"user_id": blake})).json()
    assert body["user_name"] == "Blake Chen"
    contact_id = sb.leads[opp["lead_id"]]["contact_ids"][-1]
    body = (await put(client, opp, {"contact_id": contact_id})).json()
    assert body["contact_name"] == sb.contacts[contact_id]["name"]
    body = (await put(client, opp, {"contact_id": None})).json()
    assert body["contact_id"] is body["contact_name"] is None


async def test_notes(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    body = (await put(client, opp, {"note": "Line one\nA & B"})).json()
    assert body["note_html"] == "<body><p>Line one</p><p>A &amp; B</p></body>"
    body = (
        await put(client, opp, {"note_html": "<body><p>Rich <b>text</b></p><p>two</p></body>"})
    ).json()
    assert body["note"] == "Rich text\ntwo"
    body = (await put(client, opp, {"note": "ignored", "note_html": "<p>wins</p>"})).json()
    assert (body["note"], body["note_html"]) == ("wins", "<p>wins</p>")
    body = (await put(client, opp, {"note_html": None})).json()
    assert body["note"] is body["note_html"] is None


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("Project Code", "PRJ-1", "PRJ-1"),
        ("Next Steps", "one\ntwo", "one\ntwo"),
        ("Seats", 12, 12),
        ("Seats", 12.5, 12.5),
        ("Expected Go-Live", "2026-09-01", "2026-09-01"),
        ("Last Demo At", "2026-06-01T09:00:00-03:00", "2026-06-01T12:00:00.000000+00:00"),
        ("Last Demo At", "2026-06-01T12:00:00Z", "2026-06-01T12:00:00.000000+00:00"),
        ("Deal Source", "Partner", "Partner"),
        ("Region", "EMEA", "EMEA"),
        ("Products", ["SMS", "Email", "SMS"], ["SMS", "Email"]),
        ("Products", "SMS", ["SMS"]),
    ],
)
async def test_set_custom_fields(
    client: httpx.AsyncClient, sb: Sandbox, name: str, value: Any, stored: Any
) -> None:
    opp = pick(sb, status_type="active")
    key = f"custom.{field_id(name)}"
    body = (await put(client, opp, {key: value})).json()
    assert body[key] == stored


async def test_user_and_contact_custom_fields(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    users = list(sb.users)
    key = f"custom.{field_id('Sales Engineer')}"
    assert (await put(client, opp, {key: users[3]})).json()[key] == users[3]
    assert (await put(client, opp, {COLLABORATORS: users[1:3]})).json()[COLLABORATORS] == users[1:3]
    champion = f"custom.{field_id('Champion')}"
    contact_id = sb.leads[opp["lead_id"]]["contact_ids"][0]
    assert (await put(client, opp, {champion: contact_id})).json()[champion] == contact_id


async def test_null_unsets_a_custom_field(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(o for o in sb.opportunities.values() if DEAL_SOURCE in o)
    body = (await put(client, opp, {DEAL_SOURCE: None})).json()
    assert DEAL_SOURCE not in body
    assert DEAL_SOURCE not in sb.opportunities[opp["id"]]
    body = (await put(client, opp, {DEAL_SOURCE: None})).json()  # unsetting twice is fine
    assert DEAL_SOURCE not in body


async def test_add_and_remove(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    await put(client, opp, {PRODUCTS: ["Email"]})
    body = (await put(client, opp, {f"{PRODUCTS}.add": "SMS"})).json()
    assert body[PRODUCTS] == ["Email", "SMS"]
    body = (await put(client, opp, {f"{PRODUCTS}.add": "SMS"})).json()  # already there: no-op
    assert body[PRODUCTS] == ["Email", "SMS"]
    body = (await put(client, opp, {f"{PRODUCTS}.remove": "Calling"})).json()  # absent: no-op
    assert body[PRODUCTS] == ["Email", "SMS"]
    body = (await put(client, opp, {f"{PRODUCTS}.remove": "Email"})).json()
    assert body[PRODUCTS] == ["SMS"]
    body = (await put(client, opp, {f"{PRODUCTS}.remove": "SMS"})).json()  # last one: unset
    assert PRODUCTS not in body
    body = (await put(client, opp, {f"{PRODUCTS}.add": "API Access"})).json()  # onto an unset field
    assert body[PRODUCTS] == ["API Access"]
    user_id = sb.user_id_by_name("Devon")
    body = (await put(client, opp, {COLLABORATORS: None, f"{COLLABORATORS}.add": user_id})).json()
    assert body[COLLABORATORS] == [user_id]


async def test_role_limited_field(
    client: httpx.AsyncClient, user_client: httpx.AsyncClient, sb: Sandbox
) -> None:
    opp = pick(sb, status_type="active")
    assert (await put(client, opp, {DISCOUNT: 15})).json()[DISCOUNT] == 15
    before = dict(sb.opportunities[opp["id"]])
    for value in (20, None):
        response = await put(user_client, opp, {DISCOUNT: value})
        assert response.status_code == 400
        assert response.json()["field-errors"] == {
            DISCOUNT: "You don't have permission to edit this field."
        }
    assert sb.opportunities[opp["id"]] == before
    assert (await put(user_client, opp, {DEAL_SOURCE: "Event"})).status_code == 200


async def test_read_only_keys_are_ignored(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    before = dict(opp)
    body = {
        "id": "oppo_other",
        "status_label": "Won",
        "status_type": "won",
        "expected_value": 1,
        "value_formatted": "$1",
        "date_created": "2020-01-01T00:00:00+00:00",
        "lead_name": "Renamed",
        "lead_id": "lead_other",
        "something_unknown": 1,
    }
    after = (await put(client, opp, body)).json()
    for key in before:
        if key not in ("date_updated", "updated_by", "updated_by_name"):
            assert after[key] == before[key], key


async def test_every_change_recomputes_derived_fields(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    """After any PUT the stored record equals a fresh derivation of its writable fields."""
    from closetui.sandbox.seed import refresh

    opp = pick(sb, status_type="active")
    await put(
        client,
        opp,
        {"status_id": sb.status_id("Renewals", "Churned"), "value": 999, "confidence": 33},
    )
    stored = sb.opportunities[opp["id"]]
    fresh = dict(stored)
    refresh(fresh, sb.org, sb.data)
    assert fresh == stored
    assert stored["expected_value"] == 999 * 33 // 100


async def test_admin_and_user_keys_both_write(user_client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = pick(sb, status_type="active")
    body = (await put(user_client, opp, {"confidence": 5})).json()
    assert body["updated_by"] != sb.keys[DEMO_API_KEY]
