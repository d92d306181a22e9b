"""The demo's dates follow today; a fixed anchor keeps tests byte-for-byte the same."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from closetui.connect import demo_connection
from closetui.sandbox import Sandbox, SandboxConfig
from closetui.sandbox.config import SEED_ANCHOR, day_anchor


def _dump(sandbox: Sandbox) -> str:
    return json.dumps([sandbox.opportunities, sandbox.leads, sandbox.contacts])


def _newest_win(sandbox: Sandbox) -> date:
    return max(
        date.fromisoformat(o["date_won"])
        for o in sandbox.opportunities.values()
        if o["status_type"] == "won"
    )


def test_same_seed_and_anchor_give_byte_identical_data_and_the_default_is_fixed() -> None:
    later = SEED_ANCHOR + timedelta(days=40)
    first = Sandbox(SandboxConfig(opportunities=120, anchor=later))
    assert _dump(first) == _dump(Sandbox(SandboxConfig(opportunities=120, anchor=later)))
    fixed = Sandbox(SandboxConfig(opportunities=120))
    assert _dump(fixed) == _dump(Sandbox(SandboxConfig(opportunities=120, anchor=SEED_ANCHOR)))
    assert _dump(fixed) != _dump(first)
    assert list(fixed.opportunities) == list(first.opportunities)  # the same draws, moved
    moved = first.opportunities[next(iter(first.opportunities))]["date_created"]
    kept = fixed.opportunities[next(iter(fixed.opportunities))]["date_created"]
    assert datetime.fromisoformat(moved) - datetime.fromisoformat(kept) == timedelta(days=40)


def test_the_demo_ends_at_the_start_of_today_and_has_recent_wins() -> None:
    now = datetime(2031, 3, 9, 17, 45, tzinfo=UTC)
    sandbox = demo_connection(now=lambda: now).sandbox
    assert sandbox is not None
    assert sandbox.config.anchor == datetime(2031, 3, 9, tzinfo=UTC) == day_anchor(now)
    updates = [o["date_updated"] for o in sandbox.opportunities.values()]
    assert "2031-03-01" < max(updates) < "2031-03-09T00:00:00"
    newest = _newest_win(sandbox)
    assert date(2031, 2, 9) <= newest <= date(2031, 3, 9)  # "won in the last month" lists it


def test_the_demo_without_a_clock_follows_the_real_today() -> None:
    sandbox = demo_connection(opportunities=300).sandbox
    assert sandbox is not None
    today = datetime.now(UTC).date()
    assert today - timedelta(days=31) <= _newest_win(sandbox) <= today
