"""History: bounded per-profile entries (0600), never a credential, and the bodies that undo."""

from __future__ import annotations

import base64
import json
import os
import stat
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from closetui.api import Credential, Exchange, RequestView
from closetui.api.models import Opportunity
from closetui.edits import OrgSchema, build_update_body
from closetui.edits.draft import Draft
from closetui.state import History, HistoryEntry, history_root, revert_body, revert_entries
from tests.unit.conftest import make_edits_opportunity

MARKER = "sk_MARKER_history_must_never_store_this_key"
WHEN = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)


def home() -> Path:
    """The isolated home of this test (see tests/conftest.py)."""
    return Path(os.environ["HOME"])


def _exchange(
    opp_id: str = "oppo_1",
    body: dict[str, Any] | None = None,
    *,
    status: int | None = 200,
    answer: Any = None,
    credential: Credential | None = None,
    error: str | None = None,
) -> Exchange:
    cred = credential or Credential.api_key(MARKER)
    content = json.dumps(body or {"confidence": 90}).encode()
    request = httpx.Request(
        "PUT",
        f"https://api.close.com/api/v1/opportunity/{opp_id}/",
        headers={
            "Authorization": cred.header_value(),
            "X-TZ-Offset": "0",
            "Content-Type": "application/json",
            "Cookie": f"session={MARKER}",
        },
        content=content,
    )
    return Exchange(
        request=RequestView.from_httpx(request, cred),
        started_at=WHEN,
        elapsed=0.25,
        status=status,
        response_headers=(("content-type", "application/json"), ("set-cookie", MARKER)),
        response_body=json.dumps(answer).encode() if answer is not None else b"",
        error=error,
        attempt=2,
    )


def _send(
    history: History, before: Opportunity, draft: Draft, schema: OrgSchema, **kw: Any
) -> HistoryEntry:
    """Record what a send of ``draft`` would record, with the server's answer faked."""
    body = build_update_body(before, draft, schema)
    data = before.model_dump(mode="json")
    data.update({k: v for k, v in body.items() if "." not in k or k.startswith("custom.")})
    data["date_updated"] = "2026-11-27T20:00:01+00:00"
    after = Opportunity.model_validate(data)
    return history.append(
        _exchange(before.id, body, answer=data),
        opportunity_id=before.id,
        lead_name=before.lead_name,
        before=before,
        after=after,
        **kw,
    )


def test_an_entry_keeps_request_answer_and_context() -> None:
    history = History("work")
    opp = make_edits_opportunity()
    entry = history.append(
        _exchange(answer={"id": "oppo_1"}),
        opportunity_id="oppo_1",
        lead_name="Globex",
        before=opp,
        after={"id": "oppo_1"},
        batch="batch_1",
    )
    (back,) = history.entries().entries
    assert back == entry
    assert (back.method, back.url) == ("PUT", "https://api.close.com/api/v1/opportunity/oppo_1/")
    assert json.loads(back.request_body) == {"confidence": 90}
    assert (back.status, back.elapsed, back.attempts, back.time) == (200, 0.25, 2, WHEN)
    assert json.loads(back.response_body) == {"id": "oppo_1"}
    assert (back.opportunity_id, back.lead_name, back.batch) == ("oppo_1", "Globex", "batch_1")
    assert back.before_opportunity() == opp
    assert back.after == {"id": "oppo_1"}
    assert history.get(entry.id) == entry
    assert history.get("nope") is None


def test_files_are_0600_under_the_data_dir() -> None:
    history = History("work")
    entry = history.append(_exchange())
    path = history.folder / f"{entry.id}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(history.folder.stat().st_mode) == 0o700
    assert path.is_relative_to(home() / "data")
    assert history.folder == history_root() / "work"


@pytest.mark.parametrize("kind", ["api_key", "oauth"])
def test_no_credential_in_any_file(kind: str) -> None:
    cred = Credential.api_key(MARKER) if kind == "api_key" else Credential.oauth(MARKER)
    history = History("work")
    history.append(_exchange(credential=cred, answer={"ok": True}), before=make_edits_opportunity())
    history.append(_exchange(credential=cred, status=None, error="ReadTimeout"))
    encoded = base64.b64encode(f"{MARKER}:".encode())
    files = [p for p in home().rglob("*") if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert MARKER.encode() not in data
        assert encoded not in data
    headers = dict(history.entries().entries[0].request_headers)
    assert headers["Authorization"] in ("Basic ***", "Bearer ***")
    assert headers["Cookie"] == "***"


def test_newest_first_and_limits() -> None:
    history = History("work")
    ids = [history.append(_exchange(f"oppo_{i}")).id for i in range(5)]
    assert [e.id for e in history.entries().entries] == ids[::-1]
    assert [e.id for e in history.entries(2).entries] == ids[:2:-1]


def test_bounded_by_entries_oldest_dropped() -> None:
    history = History("work", max_entries=3)
    ids = [history.append(_exchange(f"oppo_{i}")).id for i in range(7)]
    assert [e.id for e in history.entries().entries] == ids[:3:-1]
    assert len(list(history.folder.iterdir())) == 3


def test_bounded_by_bytes_but_keeps_the_newest() -> None:
    probe = History("probe")
    size = (probe.folder / f"{probe.append(_exchange()).id}.json").stat().st_size
    history = History("work", max_bytes=size * 2 + size // 2)
    ids = [history.append(_exchange()).id for _ in range(6)]
    assert [e.id for e in history.entries().entries] == ids[:3:-1]
    tiny = History("tiny", max_bytes=10)
    last = tiny.append(_exchange()).id
    assert [e.id for e in tiny.entries().entries] == [last]


def test_profiles_are_separate() -> None:
    History("work").append(_exchange())
    assert History("home").entries().entries == []


def test_batches_come_back_in_send_order() -> None:
    history = History("work")
    first = history.append(_exchange("oppo_1"), batch="batch_a")
    history.append(_exchange("oppo_2"), batch="batch_b")
    third = history.append(_exchange("oppo_3"), batch="batch_a")
    assert [e.id for e in history.batch("batch_a")] == [first.id, third.id]


def test_corrupt_entries_are_reported_and_moved_aside() -> None:
    history = History("work")
    good = history.append(_exchange())
    bad = history.folder / "00000000000000000001-aaaaaa.json"
    bad.write_text("{oops")
    worse = history.folder / "00000000000000000002-bbbbbb.json"
    worse.write_text('{"id": 1}')
    entries, problems = history.entries()
    assert [e.id for e in entries] == [good.id]
    assert sorted(p.path.name for p in problems) == [bad.name, worse.name]
    assert all(p.moved_to is not None and p.moved_to.exists() for p in problems)
    assert history.entries().problems == []
    assert history.get("00000000000000000001-aaaaaa") is None


def test_revert_body_undoes_one_entry(edits_schema: OrgSchema) -> None:
    history = History("work")
    before = make_edits_opportunity()
    draft = Draft().with_set("confidence", 90).with_set("custom.cf_project", "Osprey")
    entry = _send(history, before, draft, edits_schema)
    assert revert_body(entry, edits_schema) == {"confidence": 50, "custom.cf_project": "Falcon"}


def test_revert_body_is_none_without_before_after_or_success(edits_schema: OrgSchema) -> None:
    history = History("work")
    failed = history.append(
        _exchange(status=400), before=make_edits_opportunity(), after=make_edits_opportunity()
    )
    unknown = history.append(_exchange(), before=make_edits_opportunity())
    assert revert_body(failed, edits_schema) is None
    assert revert_body(unknown, edits_schema) is None


def test_revert_entries_one_per_row_from_first_before_to_last_after(
    edits_schema: OrgSchema,
) -> None:
    history = History("work")
    one = make_edits_opportunity()
    two = make_edits_opportunity(id="oppo_2", lead_name="Initech", confidence=20)
    first = _send(history, one, Draft().with_set("confidence", 90), edits_schema, batch="b")
    _send(history, two, Draft().with_set("confidence", 90), edits_schema, batch="b")
    again = _send(
        history, first.after_opportunity() or one, Draft().with_set("value", 7), edits_schema
    )
    history.append(_exchange("oppo_3", status=400), batch="b", opportunity_id="oppo_3")
    reverts = revert_entries(history.batch("b"), edits_schema)
    assert [(r.opportunity_id, r.body) for r in reverts] == [
        ("oppo_1", {"confidence": 50}),
        ("oppo_2", {"confidence": 20}),
    ]
    assert reverts[1].lead_name == "Initech"
    both = revert_entries([first, again], edits_schema)
    assert [r.body for r in both] == [{"value": 50000, "confidence": 50}]
    assert both[0].entry_ids == (first.id, again.id)


def _stored(history: History, entry: HistoryEntry) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((history.folder / f"{entry.id}.json").read_text())
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "200"),
        ("status", True),
        ("request_headers", [["only-a-name"]]),
        ("response_headers", {"a": "b"}),
        ("before", [1, 2]),
        ("time", 5),
        ("elapsed", None),
        ("method", ["PUT"]),
    ],
)
def test_an_entry_of_the_wrong_shape_is_moved_aside(field: str, value: Any) -> None:
    history = History("work")
    good = history.append(_exchange())
    bad = history.append(_exchange("oppo_2"))
    data = _stored(history, bad)
    data[field] = value
    (history.folder / f"{bad.id}.json").write_text(json.dumps(data))
    entries, problems = history.entries()
    assert [e.id for e in entries] == [good.id]
    assert field in problems[0].message
    assert problems[0].moved_to is not None


def test_a_deeply_nested_entry_is_moved_aside_not_a_crash() -> None:
    history = History("work")
    good = history.append(_exchange())
    deep = history.folder / "00000000000000000001-aaaaaa.json"
    deep.write_text('{"before": ' + "[" * 50_000 + "]" * 50_000 + "}")
    entries, problems = history.entries()
    assert [e.id for e in entries] == [good.id]
    assert "nested more than" in problems[0].message
    assert not deep.exists()


def test_an_entry_whose_before_is_no_opportunity_is_not_undone(edits_schema: OrgSchema) -> None:
    history = History("work")
    before = make_edits_opportunity()
    entry = _send(history, before, Draft().with_set("confidence", 90), edits_schema)
    data = _stored(history, entry)
    data["before"] = {"id": 5}  # an object, but no opportunity
    (history.folder / f"{entry.id}.json").write_text(json.dumps(data))
    (back,) = history.entries().entries
    assert revert_body(back, edits_schema) is None
    assert revert_entries([back], edits_schema) == []


def test_a_huge_answer_is_cut_so_the_entry_reads_back() -> None:
    history = History("work")
    exchange = _exchange()
    page = "<html>" + "x" * (5 * 1024 * 1024)
    entry = history.append(replace(exchange, response_body=page.encode()))
    (back,) = history.entries().entries
    assert back.id == entry.id
    assert back.response_body.startswith("<html>xxx")
    assert "more characters not kept" in back.response_body
