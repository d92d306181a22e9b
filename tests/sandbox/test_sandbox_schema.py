"""Every opportunity the sandbox serves validates against Close's published OpenAPI schema."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from closetui.sandbox import Sandbox, SandboxConfig, field_id
from tests.conftest import OPENAPI

from .helpers import recorded

DOC_URI = "urn:close-openapi"


@pytest.fixture(scope="module")
def validator() -> OAS31Validator:
    """A validator for ``components.schemas.Opportunity`` that resolves ``$ref``s in the doc."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
    document = yaml.load(OPENAPI.read_text(), Loader=loader)
    assert document["openapi"].startswith("3.1")
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(DOC_URI, resource)
    schema = {"$ref": f"{DOC_URI}#/components/schemas/Opportunity"}
    return OAS31Validator(schema, registry=registry, format_checker=oas31_format_checker)


def test_validator_rejects_a_wrong_opportunity(validator: OAS31Validator) -> None:
    good = recorded("get-opportunity")
    validator.validate(good)
    assert not validator.is_valid({**good, "status_type": "maybe"})  # resolved $ref enum
    assert not validator.is_valid({**good, "date_won": "yesterday"})  # format checked
    missing = dict(good)
    del missing["date_lost"]
    assert not validator.is_valid(missing)


def test_every_seeded_opportunity_validates(validator: OAS31Validator) -> None:
    sb = Sandbox(SandboxConfig(opportunities=1000, seed=11))
    for opp in sb.opportunities.values():
        errors = list(validator.iter_errors(opp))
        assert not errors, (opp["id"], [e.message for e in errors])


async def test_get_create_and_update_responses_validate(
    validator: OAS31Validator, client: httpx.AsyncClient, sb: Sandbox
) -> None:
    opp_id = next(iter(sb.opportunities))
    validator.validate((await client.get(f"opportunity/{opp_id}/")).json())
    changes = {
        "status_id": sb.status_id("Renewals", "Won"),
        "value": None,
        "note_html": "<p>x</p>",
        "contact_id": None,
        f"custom.{field_id('Products')}.add": "SMS",
        "attachments": [{"url": "https://files.example/a.pdf", "filename": "a.pdf"}],
    }
    updated = (await client.put(f"opportunity/{opp_id}/", json=changes)).json()
    validator.validate(updated)
    lead_id = next(iter(sb.leads))
    validator.validate((await client.post("opportunity/", json={"lead_id": lead_id})).json())
    listed = (await client.get("opportunity/", params={"_limit": 200})).json()
    for item in listed["data"]:
        validator.validate(item)
