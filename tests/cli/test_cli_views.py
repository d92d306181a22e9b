"""``closetui list --view`` / ``--pipeline``: the filter bar's resolution, on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import Live


def test_a_view_from_the_config_lists_what_the_sandbox_holds(live: Live, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[views."Renewals won"]\npipeline = "Renewals"\nstatus_type = "won"\n'
        'order_by = "-value"\n\n[views.Ada]\nowner = "Ada Lovelace"\n'
    )
    config.chmod(0o600)
    renewals = next(p for p in live.sandbox.pipelines if p["name"] == "Renewals")
    expected = {
        oid
        for oid, o in live.sandbox.opportunities.items()
        if o["pipeline_id"] == renewals["id"] and o["status_type"] == "won"
    }
    assert expected
    done = live.run("list", "--config", str(config), "--view", "Renewals won", "--json")
    assert done.code == 0, done.err
    rows = json.loads(done.out)
    assert {r["id"] for r in rows} == expected
    values = [r["value"] or 0 for r in rows]
    assert values == sorted(values, reverse=True)  # the view's order_by

    # An option on the command line wins over the view's word.
    lost = live.run("list", "--config", str(config), "--view", "Renewals won", "--json",
                    "--status-type", "lost")  # fmt: skip
    assert {r["status_type"] for r in json.loads(lost.out)} <= {"lost"}
    assert {r["pipeline_id"] for r in json.loads(lost.out)} <= {renewals["id"]}

    bad = live.run("list", "--config", str(config), "--view", "Ada")
    assert bad.code == 2
    assert bad.err.strip() == "closetui: --view Ada: 'Ada Lovelace' is not a user for Owner."
    missing = live.run("list", "--config", str(config), "--view", "Nope")
    assert "no such view" in missing.err
    assert "views: Renewals won, Ada" in missing.err


def test_pipeline_option_and_shared_labels(live: Live) -> None:
    won = {
        oid
        for oid, o in live.sandbox.opportunities.items()
        if o["status_label"] == "Won"  # the label of both pipelines' won status
    }
    done = live.run("list", "--status", "won", "--json")
    assert {r["id"] for r in json.loads(done.out)} == won
    sales = live.run("list", "--pipeline", "sales", "--status", "Won", "--json")
    assert {r["pipeline_name"] for r in json.loads(sales.out)} <= {"Sales"}
    assert {r["id"] for r in json.loads(sales.out)} < won
    typo = live.run("list", "--pipeline", "Sails")
    assert (
        typo.err.strip() == "closetui: --pipeline: 'Sails' is not a pipeline; did you mean 'Sales'?"
    )
