"""Property tests of the edits layer against the sandbox (an independent oracle).

For random drafts over the seeded org, typed as a user would type them: either local
parsing/validation rejects the draft with a message, or the sandbox accepts the body;
and sending the revert body afterwards restores every editable field.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from closetui.api import CloseClient, Credential, ValidationError
from closetui.api.models import Opportunity
from closetui.edits import (
    Draft,
    FieldProblem,
    FieldSpec,
    OrgSchema,
    build_revert_body,
    build_update_body,
    current_value,
    format_input,
    same,
    validate,
)
from closetui.reference import load_reference
from closetui.sandbox import DEMO_API_KEY, Sandbox, SandboxConfig, create_app
from tests.strategies import values

NOW = datetime(2026, 11, 28, 22, 30, tzinfo=UTC)


@dataclass
class Org:
    transport: httpx.ASGITransport
    sandbox: Sandbox
    schema: OrgSchema
    ids: list[str]

    def client(self) -> CloseClient:
        return CloseClient(
            Credential.api_key(DEMO_API_KEY),
            base_url="http://sandbox.test/api/v1/",
            tz_offset=5.5,
            transport=self.transport,
        )

    def contacts_of(self, opp: Opportunity) -> list[str]:
        lead = self.sandbox.leads.get(opp.lead_id) or {}
        return list(lead.get("contact_ids") or [])


@pytest.fixture(scope="module")
def org() -> Org:
    app = create_app(SandboxConfig(opportunities=40, now=lambda: NOW))
    transport = httpx.ASGITransport(app=app)
    org = Org(transport, app.state.sandbox, OrgSchema.at(NOW), [])

    async def load() -> OrgSchema:
        async with org.client() as close:
            return (await load_reference(close, lambda: NOW)).schema

    org.schema = asyncio.run(load())
    org.ids = sorted(app.state.sandbox.opportunities)
    return org


def _typed(
    schema: OrgSchema, spec: FieldSpec, org: Org, opp: Opportunity, junk_too: bool
) -> st.SearchStrategy[str]:
    """What a user might type: a valid value in its display form, or (maybe) junk."""
    if spec.kind == "contact":
        good: st.SearchStrategy[Any] = st.sampled_from(org.contacts_of(opp) or ["cont_none"])
    else:
        good = values(schema, spec)
    shown = good.map(lambda v: format_input(schema, spec, v))
    junk = st.text(max_size=8) | st.sampled_from(["150", "-5", "1.234", "yesterday", "+3d", ""])
    return st.one_of(shown, shown, shown, junk) if junk_too else shown


@st.composite
def typed_drafts(draw: st.DrawFn, org: Org, opp: Opportunity) -> Draft | FieldProblem:
    """A draft built through the same text entry points the TUI and CLI use."""
    schema = org.schema
    draft = Draft()
    junk_too = draw(st.booleans())
    specs = draw(
        st.lists(st.sampled_from(schema.specs()), min_size=1, max_size=4, unique_by=lambda s: s.key)
    )
    for spec in specs:
        moves = ["set", "set", "clear", "add", "add", "remove"] if spec.multi else ["set", "clear"]
        move = draw(st.sampled_from(moves))
        if move == "clear":
            draft = draft.with_cleared(spec.key)
            continue
        text = draw(_typed(schema, spec, org, opp, junk_too))
        if move == "add":
            result = draft.add_text(schema, spec.key, text)
        elif move == "remove":
            result = draft.remove_text(schema, spec.key, text)
        else:
            result = draft.set_text(schema, spec.key, text, opportunity=opp)
        if isinstance(result, FieldProblem):
            return result
        draft = result
    return draft


def _editable(opp: Opportunity, schema: OrgSchema) -> dict[str, Any]:
    return {s.key: current_value(opp, s) for s in schema.editable_specs()}


def _differences(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {k: (a[k], b[k]) for k in a if not same(a[k], b[k])}


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_sandbox_accepts_what_local_validation_passes_and_revert_restores(
    org: Org, data: st.DataObject
) -> None:
    opp_id = data.draw(st.sampled_from(org.ids))

    async def scenario() -> None:
        async with org.client() as close:
            before = await close.get_opportunity(opp_id)
            draft = data.draw(typed_drafts(org, before))
            if isinstance(draft, FieldProblem):
                event("rejected while parsing")
                assert draft.message.strip()
                return
            problems = validate(before, draft, org.schema)
            if problems:
                event("rejected by validation")
                assert all(m.strip() for m in problems.values())
                return
            body = build_update_body(before, draft, org.schema)
            if not body:
                event("nothing to send")
                return
            event("sent and reverted")
            try:
                after = await close.update_opportunity(opp_id, body)
            except ValidationError as exc:  # the property: this must never happen
                pytest.fail(f"sandbox refused a locally valid body {body}: {exc}")
            revert = build_revert_body(before, after, org.schema)
            if revert:
                await close.update_opportunity(opp_id, revert)
            restored = await close.get_opportunity(opp_id)
            diff = _differences(_editable(before, org.schema), _editable(restored, org.schema))
            assert not diff, f"body {body}, revert {revert}"

    asyncio.run(scenario())
