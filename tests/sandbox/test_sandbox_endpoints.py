"""Auth and the shape of every endpoint, compared with recorded real Close answers."""

from __future__ import annotations

import base64
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from closetui.sandbox import DEMO_API_KEY, OAUTH_TOKEN, USER_API_KEY, Sandbox, SandboxApp

from .helpers import make_client, recorded

MAPPINGS = {"count_by_value_period"}
"""Objects whose keys are data (value periods), not a fixed shape."""


def assert_same_shape(ours: Any, theirs: Any, where: str = "$") -> None:
    """Same keys at every level and the same JSON types where both sides are non-null."""
    if isinstance(theirs, dict) and where.rsplit(".", 1)[-1] in MAPPINGS:
        assert isinstance(ours, dict), where
        assert all(isinstance(v, int) for v in ours.values()), where
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict), where
        ours_keys = {k for k in ours if not k.startswith("custom.")}
        assert ours_keys == set(theirs), f"{where}: {ours_keys ^ set(theirs)}"
        for key, value in theirs.items():
            assert_same_shape(ours[key], value, f"{where}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list), where
        if ours and theirs:
            assert_same_shape(ours[0], theirs[0], f"{where}[0]")
    elif theirs is not None and ours is not None:
        assert type(ours) is type(theirs), f"{where}: {type(ours)} != {type(theirs)}"


def basic(key: str, password: str = "") -> dict[str, str]:
    token = base64.b64encode(f"{key}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# -- auth ---------------------------------------------------------------------------------


async def test_basic_auth_identifies_the_demo_admin(client: httpx.AsyncClient, sb: Sandbox) -> None:
    me = (await client.get("me/")).json()
    assert me["id"] == sb.keys[DEMO_API_KEY]
    assert me["memberships"][0]["role"] == "admin"


async def test_second_key_is_a_non_admin_user(user_client: httpx.AsyncClient, sb: Sandbox) -> None:
    me = (await user_client.get("me/")).json()
    assert me["id"] == sb.keys[USER_API_KEY] != sb.keys[DEMO_API_KEY]
    assert me["memberships"][0]["role"] == me["memberships"][0]["role_id"] == "user"


async def test_bearer_token_identifies_its_user(
    bearer_client: httpx.AsyncClient, sb: Sandbox
) -> None:
    me = (await bearer_client.get("me/")).json()
    assert me["id"] == sb.tokens[OAUTH_TOKEN]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("wrong_key"),
        basic(DEMO_API_KEY, "a-password"),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": f"Basic {base64.b64encode(DEMO_API_KEY.encode()).decode()}"},
        {"Authorization": "Bearer wrong_token"},
        {"Authorization": f"Bearer {DEMO_API_KEY}"},
        {"Authorization": f"Token {DEMO_API_KEY}"},
    ],
    ids=[
        "none",
        "wrong-key",
        "password",
        "garbage",
        "no-colon",
        "bad-token",
        "key-as-token",
        "scheme",
    ],
)
async def test_bad_credentials_get_401_json(
    anon: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await anon.get("me/", headers=headers)
    assert response.status_code == 401
    assert "error" in response.json()


async def test_401_on_writes_changes_nothing(anon: httpx.AsyncClient, sb: Sandbox) -> None:
    opp_id = next(iter(sb.opportunities))
    before = dict(sb.opportunities[opp_id])
    response = await anon.put(f"opportunity/{opp_id}/", json={"confidence": 1})
    assert response.status_code == 401
    assert sb.opportunities[opp_id] == before


# -- shapes -------------------------------------------------------------------------------


async def test_me_has_the_recorded_shape(client: httpx.AsyncClient, sb: Sandbox) -> None:
    me = (await client.get("me/")).json()
    assert_same_shape(me, recorded("get-me"))
    org = me["organizations"][0]
    assert org["id"] == sb.organization_id
    assert [p["name"] for p in org["pipelines"]] == ["Sales", "Renewals"]
    assert "manage_others_opportunities" in me["memberships"][0]["permissions_granted"]


async def test_me_fields(client: httpx.AsyncClient) -> None:
    me = (await client.get("me/", params={"_fields": "id,first_name,organizations"})).json()
    assert set(me) == {"id", "first_name", "organizations"}


async def test_users(client: httpx.AsyncClient, sb: Sandbox) -> None:
    listed = (await client.get("user/")).json()
    assert_same_shape(listed, recorded("list-users"))
    assert len(listed["data"]) == len(sb.users) >= 6
    assert listed["has_more"] is False
    one = (await client.get(f"user/{listed['data'][1]['id']}/")).json()
    assert_same_shape(one, recorded("get-user"))
    assert (await client.get("user/user_nope/")).status_code == 404
    ordered = (await client.get("user/", params={"_order_by": "last_name,first_name"})).json()
    names = [u["last_name"] for u in ordered["data"]]
    assert names == sorted(names)
    page = (await client.get("user/", params={"_limit": 2, "_skip": 1})).json()
    assert [u["id"] for u in page["data"]] == [u["id"] for u in listed["data"][1:3]]
    assert page["has_more"] is True


async def test_pipelines(client: httpx.AsyncClient) -> None:
    body = (await client.get("pipeline/")).json()
    assert_same_shape(body, recorded("pipelines"))
    sales, renewals = body["data"]
    assert {s["type"] for s in sales["statuses"]} == {"active", "won", "lost"}
    assert {s["type"] for s in renewals["statuses"]} == {"active", "won", "lost"}
    won_labels = [s["label"] for p in body["data"] for s in p["statuses"] if s["type"] == "won"]
    assert won_labels == ["Won", "Won"]  # the same label in both pipelines


async def test_statuses(client: httpx.AsyncClient, sb: Sandbox) -> None:
    body = (await client.get("status/opportunity/")).json()
    assert body["has_more"] is False
    pipeline_ids = {p["id"] for p in sb.pipelines}
    for item in body["data"]:
        assert {"id", "label", "type", "pipeline_id"} <= set(item)
        assert item["pipeline_id"] in pipeline_ids
        assert item["id"].startswith("stat_")


async def test_custom_fields_and_schema(client: httpx.AsyncClient, sb: Sandbox) -> None:
    regular = (await client.get("custom_field/opportunity/")).json()["data"]
    shared = (await client.get("custom_field/shared/")).json()["data"]
    schema = (await client.get("custom_field_schema/opportunity/")).json()
    assert set(schema) == {"fields"}
    assert {f["id"] for f in schema["fields"]} == {f["id"] for f in regular + shared}
    assert schema["fields"][1]["is_shared"] is True  # UI order interleaves the shared one
    assert all(not f["is_shared"] for f in regular)
    (region,) = shared
    assert "opportunity" in {a["object_type"] for a in region["associations"]}
    types = {(f["type"], f["accepts_multiple_values"]) for f in regular}
    for kind in ("text", "textarea", "number", "date", "datetime", "contact", "hidden"):
        assert (kind, False) in types
    assert {("choices", False), ("choices", True), ("user", False), ("user", True)} <= types
    assert any(f["editable_with_roles"] == ["admin"] for f in regular)
    products = next(f for f in regular if f["name"] == "Products")
    assert products["choices"]
    assert products["id"].startswith("cf_")


async def test_get_opportunity_has_the_recorded_shape(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    for opp_id in list(sb.opportunities)[:20]:
        body = (await client.get(f"opportunity/{opp_id}/")).json()
        assert_same_shape(body, recorded("get-opportunity"))


async def test_list_has_the_recorded_shape(client: httpx.AsyncClient) -> None:
    body = (await client.get("opportunity/", params={"_limit": 200})).json()
    assert_same_shape(body, recorded("list-opportunities"))


async def test_get_fields(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp = next(o for o in sb.opportunities.values() if any(k.startswith("custom.") for k in o))
    custom_key = next(k for k in opp if k.startswith("custom."))
    params = {"_fields": f"id,status_id,{custom_key}"}
    body = (await client.get(f"opportunity/{opp['id']}/", params=params)).json()
    assert body == {"id": opp["id"], "status_id": opp["status_id"], custom_key: opp[custom_key]}
    body = (await client.get(f"opportunity/{opp['id']}/", params={"_fields": "id,custom"})).json()
    assert body == {k: v for k, v in opp.items() if k == "id" or k.startswith("custom.")}


async def test_create_answers_200_with_the_full_object(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    lead = next(iter(sb.leads.values()))
    status_id = sb.status_id("Sales", "Demo Completed")
    request = {
        "lead_id": lead["id"],
        "contact_id": lead["contact_ids"][0],
        "note": "Test opportunity",
        "status_id": status_id,
        "value": 50000,
        "value_period": "one_time",
    }
    response = await client.post("opportunity/", json=request)
    assert response.status_code == 200
    body = response.json()
    assert_same_shape(body, recorded("create-opportunity"))
    assert body["confidence"] == 50  # Close's observed default
    assert body["user_id"] == body["created_by"] == sb.keys[DEMO_API_KEY]
    assert body["expected_value"] == 25000
    assert body["value_formatted"] == "$500"
    assert body["note_html"] == "<body><p>Test opportunity</p></body>"
    assert body["lead_name"] == lead["display_name"]
    assert body["contact_name"] == sb.contacts[lead["contact_ids"][0]]["name"]
    assert sb.opportunities[body["id"]] == body
    assert body["id"].startswith("oppo_")
    assert len(body["id"]) == 48


async def test_create_defaults_and_pipeline(client: httpx.AsyncClient, sb: Sandbox) -> None:
    lead_id = next(iter(sb.leads))
    body = (await client.post("opportunity/", json={"lead_id": lead_id})).json()
    assert body["status_id"] == sb.pipelines[0]["statuses"][0]["id"]
    renewals = sb.pipelines[1]
    body = (
        await client.post("opportunity/", json={"lead_id": lead_id, "pipeline_id": renewals["id"]})
    ).json()
    assert body["status_id"] == renewals["statuses"][0]["id"]
    assert body["pipeline_name"] == "Renewals"
    mismatch = {
        "lead_id": lead_id,
        "pipeline_id": renewals["id"],
        "status_id": sb.status_id("Sales", "Won"),
    }
    response = await client.post("opportunity/", json=mismatch)
    assert response.status_code == 400
    assert response.json()["errors"] == ["Status does not belong to the given pipeline."]
    untitled = (await client.post("opportunity/", json={})).json()
    assert untitled["lead_name"] == "Untitled"
    assert (await client.post("opportunity/", json={"lead_id": "lead_nope"})).status_code == 400


async def test_create_into_won_sets_date_won(client: httpx.AsyncClient, sb: Sandbox) -> None:
    lead_id = next(iter(sb.leads))
    body = {"lead_id": lead_id, "status_id": sb.status_id("Sales", "Won")}
    created = (await client.post("opportunity/", json=body)).json()
    assert created["date_won"] == "2026-06-15"


async def test_delete(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp_id = next(iter(sb.opportunities))
    response = await client.delete(f"opportunity/{opp_id}/")
    assert response.status_code == 200
    assert response.json() == recorded("delete-opportunity") == {}
    assert opp_id not in sb.opportunities
    assert (await client.get(f"opportunity/{opp_id}/")).status_code == 404
    assert (await client.delete(f"opportunity/{opp_id}/")).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_unknown_opportunity_is_404(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, "opportunity/oppo_doesnotexist/", json={})
    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}


async def test_routing_edges(client: httpx.AsyncClient, app: SandboxApp) -> None:
    assert (await client.get("nothing_here/")).status_code == 404
    response = await client.patch("opportunity/")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}
    assert response.headers["allow"] == "GET, HEAD, POST"
    # A repeated query parameter counts with its last value.
    response = await client.get("opportunity/", params=[("_limit", "500"), ("_limit", "2")])
    assert len(response.json()["data"]) == 2
    # Close answers without the trailing slash too; the log keeps what was sent.
    assert (await client.get("me")).status_code == 200
    sandbox: Sandbox = app.state.sandbox
    assert sandbox.requests_seen[-1] == ("GET", "/api/v1/me")
    async with make_client(app, auth=(DEMO_API_KEY, "")) as other:
        assert (await other.get("http://sandbox/elsewhere/")).status_code == 404


async def test_malformed_json_body_is_400(client: httpx.AsyncClient, sb: Sandbox) -> None:
    opp_id = next(iter(sb.opportunities))
    for content in (b"{not json", b"[1, 2]", b"\xff"):
        response = await client.put(
            f"opportunity/{opp_id}/", content=content, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["errors"]


async def test_the_app_answers_a_servers_lifespan_messages(app: SandboxApp) -> None:
    """A server started with lifespan on (uvicorn's default) gets its start-up and shutdown."""
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return inbox.pop(0)

    async def send(message: MutableMapping[str, object]) -> None:
        sent.append(dict(message))

    await app({"type": "lifespan"}, receive, send)
    assert sent == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
