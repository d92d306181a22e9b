"""The scripting CLI run as a subprocess, with --demo and against the loopback sandbox."""

from __future__ import annotations

import json

from closetui.sandbox import DEMO_API_KEY, Fault, Sandbox
from tests.cli.helpers import Live, closetui


def _active_id(sandbox: Sandbox) -> str:
    return next(
        oid
        for oid, o in sandbox.opportunities.items()
        if o["status_type"] == "active" and o["date_won"] is None
    )


def test_demo_list_get_and_dry_run() -> None:
    listed = closetui("list", "--demo", "--status-type", "active", "--limit", "3", "--json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert len(rows) == 3
    assert {r["status_type"] for r in rows} == {"active"}
    got = closetui("get", "--demo", rows[0]["id"])
    assert got.code == 0
    assert rows[0]["id"] in got.out
    dry = closetui("update", "--demo", rows[0]["id"], "--confidence", "55", "--dry-run")
    assert dry.code == 0, dry.err
    assert json.loads(dry.out) == {"confidence": 55}


def test_usage_and_validation_errors_exit_2() -> None:
    assert closetui("list").code == 2  # nowhere to connect
    assert closetui("update", "--demo").code == 2  # argparse: OPP_ID missing
    opp = json.loads(closetui("list", "--demo", "--limit", "1", "--json").out)[0]["id"]
    bad = closetui("update", "--demo", opp, "--set", "Deal Source=Inbund")
    assert bad.code == 2
    assert "did you mean 'Inbound'" in bad.err
    assert bad.out == ""
    bad = closetui("update", "--demo", opp, "--confidence", "140")
    assert bad.code == 2
    assert "onfidence" in bad.err


def test_api_refusal_exits_3() -> None:
    missing = closetui("get", "--demo", "oppo_missing")
    assert missing.code == 3
    assert "404" in missing.err


def test_dry_run_is_byte_for_byte_what_is_sent(live: Live) -> None:
    opp_id = _active_id(live.sandbox)
    args = (
        "update",
        opp_id,
        "--status",
        "Sales/Won",
        "--set",
        "Project Code=PX-1",
        "--add",
        "Products=Reporting",
    )
    dry = live.run(*args, "--dry-run")
    assert dry.code == 0, dry.err
    assert "will set date_won" in dry.err
    before = len(live.sandbox.requests)
    assert not [r for r in live.sandbox.requests[before:] if r.method == "PUT"]
    sent = live.run(*args)
    assert sent.code == 0, sent.err
    puts = [r for r in live.sandbox.requests[before:] if r.method == "PUT"]
    assert len(puts) == 1
    assert puts[0].body.decode() + "\n" == dry.out
    assert puts[0].headers["x-tz-offset"] == "0"
    stored = live.sandbox.opportunities[opp_id]
    assert stored["status_type"] == "won"
    assert stored["date_won"] is not None
    assert "Status:" in sent.out


def test_curl_and_httpie_dry_runs_hide_the_key(live: Live) -> None:
    opp_id = _active_id(live.sandbox)
    for fmt in ("curl", "httpie", "http"):
        shown = live.run("update", opp_id, "--note", "x", "--dry-run", "--format", fmt)
        assert shown.code == 0, shown.err
        assert DEMO_API_KEY not in shown.out + shown.err
    curl = live.run("update", opp_id, "--note", "x", "--dry-run", "--format", "curl").out
    assert '"$CLOSE_API_KEY:"' in curl


def test_server_refusal_exits_3_with_field_errors(live: Live) -> None:
    opp_id = _active_id(live.sandbox)
    body = json.dumps({"errors": ["Nope."], "field-errors": {"note": "Too long."}})
    live.sandbox.script_faults(Fault(status=400, methods=("PUT",), body=body))
    refused = live.run("update", opp_id, "--note", "hello")
    assert refused.code == 3
    assert "HTTP 400" in refused.err
    assert "Nope." in refused.err
    assert "note: Too long." in refused.err


def test_wrong_key_exits_3(live: Live) -> None:
    refused = live.run("list", key="wrong-key")
    assert refused.code == 3
    assert "401" in refused.err
    assert "wrong-key" not in refused.err


def test_network_failure_exits_4() -> None:
    down = closetui("list", "--base-url", "http://127.0.0.1:9/api/v1/", key="k")
    assert down.code == 4
    assert "network error" in down.err


def test_dropped_put_exits_4_and_is_not_retried(live: Live) -> None:
    opp_id = _active_id(live.sandbox)
    live.sandbox.script_faults(Fault(drop=True, methods=("PUT",)))
    before = len(live.sandbox.requests)
    dropped = live.run("update", opp_id, "--confidence", "9")
    assert dropped.code == 4
    assert len([r for r in live.sandbox.requests[before:] if r.method == "PUT"]) == 1
