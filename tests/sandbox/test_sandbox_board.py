"""The requests the pipeline board makes, answered as Close answers them: one status per
column, its total, its sums over every match, the list's order and paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from closetui.sandbox import DEMO_API_KEY, Sandbox, SandboxConfig, create_app
from closetui.ui.list.rows import LIST_FIELDS

from .helpers import FROZEN, Clock, make_client

JSON = dict[str, Any]
TEN = [(f"Stage {n}", "active") for n in range(1, 9)] + [("Won", "won"), ("Lost", "lost")]


def column_params(status_id: str, skip: int = 0, limit: int = 50) -> dict[str, str]:
    return {
        "status_id": status_id,
        "_fields": ",".join(LIST_FIELDS),
        "_order_by": "-date_updated",
        "_skip": str(skip),
        "_limit": str(limit),
    }


async def test_each_status_column_has_its_own_total_sums_and_order(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pipeline = sb.org.pipelines[0]
    seen = 0
    for status in pipeline["statuses"]:
        matches = [o for o in sb.opportunities.values() if o["status_id"] == status["id"]]
        first = (await client.get("opportunity/", params=column_params(status["id"], 0, 5))).json()
        assert first["total_results"] == len(matches)
        assert first["total_value_annualized"] == sum(o["annualized_value"] or 0 for o in matches)
        assert first["expected_value_annualized"] == sum(
            o["annualized_expected_value"] or 0 for o in matches
        )
        ids: list[str] = []
        while True:  # the board's pages: same query, _skip on
            body = (
                await client.get("opportunity/", params=column_params(status["id"], len(ids), 5))
            ).json()
            assert all(o["status_id"] == status["id"] for o in body["data"])
            for item in body["data"]:  # only the list's fields (custom: every custom.*)
                assert {k for k in item if not k.startswith("custom.")} <= set(LIST_FIELDS)
            ids += [o["id"] for o in body["data"]]
            if not body["has_more"]:
                break
        updated = [sb.opportunities[i]["date_updated"] for i in ids]
        assert updated == sorted(updated, reverse=True)
        assert sorted(ids) == sorted(o["id"] for o in matches)
        seen += len(ids)
    assert seen == sum(1 for o in sb.opportunities.values() if o["pipeline_id"] == pipeline["id"])


async def test_a_status_with_no_opportunity_answers_zero() -> None:
    config = SandboxConfig(opportunities=0, seed=1, now=Clock(FROZEN))
    app = create_app(config)
    sb: Sandbox = app.state.sandbox
    status_id = sb.org.pipelines[0]["statuses"][0]["id"]
    async with make_client(app, auth=(DEMO_API_KEY, "")) as client:
        body = (await client.get("opportunity/", params=column_params(status_id))).json()
    assert (body["data"], body["has_more"], body["total_results"]) == ([], False, 0)
    assert (body["total_value_annualized"], body["expected_value_annualized"]) == (0, 0)


def test_a_ten_status_pipeline_holds_every_opportunity() -> None:
    config = SandboxConfig(opportunities=400, seed=3, pipelines={"Board": TEN})
    sb: Sandbox = create_app(config).state.sandbox
    (pipeline,) = sb.org.pipelines
    assert [s["label"] for s in pipeline["statuses"]] == [label for label, _ in TEN]
    used = {o["status_id"] for o in sb.opportunities.values()}
    assert used == {s["id"] for s in pipeline["statuses"]}


def test_a_pipeline_without_a_won_status_is_refused() -> None:
    with pytest.raises(ValueError, match="active, won and lost"):
        SandboxConfig(pipelines={"Odd": [("Open", "active"), ("Lost", "lost")]})
