"""Every outcome of a PUT, provoked by the sandbox: saved, refused, or unknown and then
settled by reading the opportunity again (it was saved / it was not / could not tell)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from closetui.api import CloseClient, Credential
from closetui.api.errors import CloseError, TransportError, UnreadableAnswer
from closetui.api.models import Opportunity
from closetui.api.outcome import classify_write_error
from closetui.bulk.settle import Found, compare, settle_write
from closetui.edits import Draft, OrgSchema
from closetui.reference import load_reference
from closetui.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.api.conftest import Waits

HTML = "<html><body>502 from a proxy, but 200</body></html>"
FIELD_ERRORS = json.dumps({"errors": [], "field-errors": {"confidence": "Not today."}})


@dataclass(frozen=True)
class Row:
    """One fault and what must come of a PUT that meets it."""

    faults: tuple[Fault, ...]
    verdict: str
    """``saved``, ``refused`` or ``unknown``."""
    found: Found | None = None
    """For ``unknown``: what the re-read finds."""
    applied: bool = False
    """Whether the sandbox stored the change."""
    puts: int = 1
    """PUT attempts that reached the sandbox."""
    separator: str = ","


def put(fault: Fault) -> Fault:
    return Fault(
        status=fault.status,
        count=fault.count,
        methods=("PUT",),
        retry_after=fault.retry_after,
        ratelimit_reset=fault.ratelimit_reset,
        body=fault.body,
        content_type=fault.content_type,
        drop=fault.drop,
        latency=fault.latency,
        after=fault.after,
    )


ROWS = {
    "429 RateLimit ','": Row((put(Fault(status=429, ratelimit_reset=1)),), "saved", None, True, 2),
    "429 RateLimit ';'": Row(
        (put(Fault(status=429, ratelimit_reset=1)),), "saved", None, True, 2, ";"
    ),
    "429 Retry-After": Row((put(Fault(status=429, retry_after=0)),), "saved", None, True, 2),
    "429 over max wait": Row((put(Fault(status=429, retry_after=600)),), "refused"),
    "503 then fine": Row((put(Fault(status=503)),), "saved", None, True, 2),
    "503 every time": Row((put(Fault(status=503, count=None)),), "refused", puts=3),
    "502 applied": Row((put(Fault(status=502, after=True)),), "unknown", "saved", True),
    "502 not applied": Row((put(Fault(status=502)),), "unknown", "not_saved"),
    "504 not applied": Row((put(Fault(status=504)),), "unknown", "not_saved"),
    "500 applied": Row((put(Fault(status=500, after=True)),), "unknown", "saved", True),
    "dropped mid-answer": Row((put(Fault(drop=True, after=True)),), "unknown", "saved", True),
    "reset, not applied": Row((put(Fault(drop=True)),), "unknown", "not_saved"),
    "non-JSON 200 applied": Row(
        (put(Fault(status=200, after=True, body=HTML, content_type="text/html")),),
        "unknown",
        "saved",
        True,
    ),
    "JSON 200 not an opportunity": Row(
        (put(Fault(status=200, after=True, body='{"ok": true}')),), "unknown", "saved", True
    ),
    "401": Row((put(Fault(status=401)),), "refused"),
    "404": Row((put(Fault(status=404)),), "refused"),
    "400 field errors": Row((put(Fault(status=400, body=FIELD_ERRORS)),), "refused"),
    "502 applied, re-read fails": Row(
        (put(Fault(status=502, after=True)), Fault(status=500, methods=("GET",))),
        "unknown",
        "unclear",
        True,
    ),
}


async def _target(client: CloseClient) -> tuple[OrgSchema, Opportunity, Draft]:
    schema = (await load_reference(client)).schema
    opp = (await client.list_opportunities(limit=1)).data[0]
    return schema, opp, Draft().with_set("confidence", 7 if opp.confidence != 7 else 8)


async def attempt(client: CloseClient, opp_id: str, draft: Draft) -> Opportunity | CloseError:
    """The updated opportunity, or what the PUT raised."""
    try:
        return await client.update_opportunity(opp_id, {"confidence": draft_value(draft)})
    except CloseError as exc:
        return exc


def _put_count(sandbox: Sandbox, opp_id: str) -> int:
    return sum(1 for r in sandbox.requests if r.method == "PUT" and opp_id in r.path)


@pytest.mark.parametrize("row", list(ROWS.values()), ids=list(ROWS))
async def test_a_put_is_saved_refused_or_unknown_and_an_unknown_is_settled(
    client: CloseClient, sandbox: Sandbox, waits: Waits, row: Row
) -> None:
    schema, opp, draft = await _target(client)
    sandbox.rate_limit_separator = row.separator
    sandbox.script_faults(*row.faults)
    client.max_attempts = 3
    client.max_wait = 30
    outcome = await attempt(client, opp.id, draft)
    if isinstance(outcome, Opportunity):
        assert row.verdict == "saved"
    else:
        verdict = classify_write_error(outcome)
        assert verdict.verdict == row.verdict, outcome
        assert verdict.reason
        if row.verdict == "unknown":
            settled = await settle_write(client, opp.id, draft, schema, opp)
            assert settled.found == row.found
            assert (settled.current is None) == (row.found == "unclear")
    stored = sandbox.opportunities[opp.id]["confidence"]
    assert (stored != opp.confidence) == row.applied
    assert _put_count(sandbox, opp.id) == row.puts


@pytest.mark.parametrize("separator", [",", ";"])
async def test_429_waits_for_the_reset_of_either_ratelimit_form(
    client: CloseClient, sandbox: Sandbox, waits: Waits, separator: str
) -> None:
    _, opp, _ = await _target(client)
    sandbox.rate_limit_separator = separator
    sandbox.script_faults(put(Fault(status=429, ratelimit_reset=1)))
    await client.update_opportunity(opp.id, {"confidence": 3})
    assert [(w.reason, w.seconds) for w in waits.seen] == [("rate_limited", 1)]


async def test_a_timeout_after_the_write_landed_is_unknown_then_found_saved(
    loopback: str, sandbox: Sandbox
) -> None:
    # httpx enforces timeouts in its network backend: this one needs the real socket.
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY), base_url=loopback, timeout=0.3, tz_offset=0
    ) as close:
        schema, opp, draft = await _target(close)
        sandbox.script_faults(put(Fault(after=True, latency=1.0)))
        with pytest.raises(TransportError) as caught:
            await close.update_opportunity(opp.id, {"confidence": draft_value(draft)})
        verdict = classify_write_error(caught.value)
        assert verdict.verdict == "unknown"
        assert verdict.reason.startswith("timed out after the request went out")
        settled = await settle_write(close, opp.id, draft, schema, opp)
    assert settled.found == "saved"
    assert _put_count(sandbox, opp.id) == 1


async def test_a_refused_connection_never_reached_the_server() -> None:
    async with CloseClient(
        Credential.api_key("k"), base_url="http://127.0.0.1:9/api/v1/", backoff=0.01, max_attempts=2
    ) as close:
        with pytest.raises(TransportError) as caught:
            await close.update_opportunity("oppo_x", {"confidence": 1})
    verdict = classify_write_error(caught.value)
    assert verdict.verdict == "refused"
    assert verdict.reason.startswith("could not connect")


async def test_a_non_json_2xx_is_an_error_not_a_string(
    client: CloseClient, sandbox: Sandbox
) -> None:
    sandbox.script_faults(Fault(status=200, body=HTML, content_type="text/html", methods=("GET",)))
    with pytest.raises(UnreadableAnswer) as caught:
        await client.me()
    assert caught.value.status == 200
    assert "not JSON" in str(caught.value)


async def test_compare_tells_saved_from_not_saved_from_something_else(
    client: CloseClient,
) -> None:
    schema, opp, draft = await _target(client)
    value = draft_value(draft)
    saved = opp.model_copy(update={"confidence": value, "date_updated": None})
    other = opp.model_copy(update={"confidence": 99 if value != 99 else 98, "date_updated": None})
    untouched_fields = opp.model_copy(update={"date_updated": None})
    assert compare(opp, draft, schema, opp) == "not_saved"  # nothing written since
    assert compare(saved, draft, schema, opp) == "saved"
    assert compare(untouched_fields, draft, schema, opp) == "not_saved"
    assert compare(other, draft, schema, opp) == "unclear"
    assert compare(other, None, None, None) == "unclear"


def draft_value(draft: Draft) -> int:
    change = draft.change("confidence")
    value = getattr(change, "value", None)
    assert isinstance(value, int)
    return value
