"""Cost of the local state a bulk edit leaves: a draft save (on every keystroke), a history
append (per sent row), listing history, loading drafts. In a temp dir, on this disk.

Each figure is the median of many runs; fsync dominates, so the disk decides. Usage:

    .venv/bin/python bench/bulk_state_io.py [--runs 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from closetui.api import Credential, Exchange, RequestView
from closetui.api.models import Opportunity
from closetui.edits import Draft
from closetui.sandbox import SandboxConfig, create_app
from closetui.state import DraftStore, History


def median_ms(action: Callable[[int], object], runs: int) -> float:
    """Median milliseconds of ``action(i)`` over ``runs`` calls."""
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def typical() -> tuple[Opportunity, Draft]:
    """A seeded sandbox opportunity and a five-field draft, as a user would make."""
    sandbox = create_app(SandboxConfig(opportunities=1)).state.sandbox
    opp = Opportunity.model_validate(next(iter(sandbox.opportunities.values())))
    draft = (
        Draft()
        .with_set("status_id", opp.status_id)
        .with_set("value", 125000)
        .with_set("date_won", date(2026, 11, 27))
        .with_set("note", "Call back after the board meeting; they want the annual plan.")
        .with_set("confidence", 80)
    )
    return opp, draft


def exchange_for(opp: Opportunity) -> Exchange:
    """What a PUT of one field and its 200 answer look like to the history."""
    cred = Credential.api_key("bench")
    request = httpx.Request(
        "PUT",
        f"https://api.close.com/api/v1/opportunity/{opp.id}/",
        headers={"Authorization": cred.header_value(), "Content-Type": "application/json"},
        content=b'{"confidence": 80}',
    )
    return Exchange(
        request=RequestView.from_httpx(request, cred),
        started_at=datetime.now(UTC),
        elapsed=0.05,
        status=200,
        response_headers=(("content-type", "application/json"),),
        response_body=json.dumps(opp.model_dump(mode="json")).encode(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    opp, draft = typical()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = DraftStore("bench", root / "drafts")
        with_base = median_ms(lambda i: store.save(opp.id, draft, opp), args.runs)
        size = os.path.getsize(store.path_for(opp.id))
        stamp_only = median_ms(lambda i: store.save(opp.id, draft, opp.date_updated), args.runs)
        for i in range(50):
            store.save(f"oppo_{i}", draft, opp)
        load = median_ms(lambda i: store.load_all(), max(5, args.runs // 20))
        history = History("bench", root / "history", max_entries=1000)
        exchange = exchange_for(opp)
        for _ in range(1000):
            history.append(exchange, opportunity_id=opp.id, before=opp, after=opp)
        append = median_ms(
            lambda i: history.append(exchange, opportunity_id=opp.id, before=opp, after=opp),
            args.runs,
        )
        listing = median_ms(lambda i: history.entries(50), max(5, args.runs // 20))
        entry_size = statistics.median(p.stat().st_size for p in history.folder.iterdir())
    print(f"draft save, with base opportunity ({size} B file): {with_base:6.2f} ms")
    print(f"draft save, date_updated only:                  {stamp_only:6.2f} ms")
    print(f"draft load_all, 50 drafts:                      {load:6.2f} ms")
    print(f"history append at the 1000-entry bound ({entry_size:.0f} B):  {append:6.2f} ms")
    print(f"history entries(50) of 1000:                    {listing:6.2f} ms")


if __name__ == "__main__":
    main()
