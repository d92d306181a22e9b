"""Cost of one keystroke of the list's ``/`` filter with 100,000 rows loaded vs 1,000.

In process with Pilot (``app.run_test(size=(100, 30))``) on the in-process demo sandbox
(``demo_connection(opportunities=N)``). Once the first page is shown, every other page is
handed to the list as if it had just been fetched (``OpportunityList.page_arrived`` with
the sandbox's own ``_fields`` page), so all N rows are loaded and indexed. Then ``/`` opens
the prompt and ``--text`` (5 characters) is typed ``--repeats`` times (``esc`` clears it in
between). Each key is posted, the app runs until the prompt holds the new text, and the
screen is laid out and painted at once (``tui_common.press_until``): keypress to
repainted list. Also timed: the filter alone (``RowFilter.set_text``) for the same texts.

Each size runs in its own fresh process, alternating sizes for ``--rounds`` rounds;
medians are compared, and the absolute time per keystroke is set against a 16.7 ms frame.

    .venv/bin/python bench/tui_filter.py [--text capit] [--repeats 20] [--rounds 3]
                                         [--small 1000] [--large 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
FRAME = 1 / 60
"""One frame at 60 Hz, in seconds."""


async def load_everything(app: Any, listing: Any) -> float:
    """Hand the list every page the sandbox has (as its fetches would); seconds taken."""
    from closetui.api.pages import DictPage
    from closetui.ui.list_rows import LIST_FIELDS, RowPage

    sandbox = app.connection.sandbox
    cache = listing.cache
    started = time.perf_counter()
    for number in range(1, -(-cache.total // cache.page_size)):
        params = {
            "_order_by": listing.order_by,
            "_skip": str(number * cache.page_size),
            "_limit": str(cache.page_size),
            "_fields": ",".join(LIST_FIELDS),
        }
        raw = sandbox.list_opportunities(params, 0.0)
        page = RowPage.from_page(DictPage.from_json(raw))
        listing.page_arrived(number, page, cache.generation, first=False)
    return time.perf_counter() - started


async def measure(opportunities: int, text: str, repeats: int) -> dict[str, Any]:
    """Per-keystroke seconds (by position in ``text``) and the filter's own time."""
    from tui_common import drain, listed, press_until

    from closetui.connect import demo_connection
    from closetui.ui.app import make_app

    app = make_app(demo_connection(opportunities=opportunities, tz_offset=0.0))
    async with app.run_test(size=(100, 30)) as pilot:
        listing = await listed(pilot, app)
        assert listing.has_focus
        load_seconds = await load_everything(app, listing)
        await drain(pilot)
        rows = listing.model.filter
        assert rows.loaded == opportunities, (rows.loaded, opportunities)
        gc.collect()
        keys: list[list[float]] = [[] for _ in text]
        hits: list[int] = []
        for _ in range(repeats):
            await pilot.press("slash")
            await pilot.pause()
            for position, char in enumerate(text):
                typed = text[: position + 1]
                seconds = await press_until(pilot, char, lambda t=typed: listing.prompt.text == t)
                keys[position].append(seconds)
            hits = [len(rows.hits)]
            await drain(pilot)
            await pilot.press("escape")
            await drain(pilot)
            assert not rows.active
        pure: list[list[float]] = [[] for _ in text]
        counts: list[int] = []
        for _ in range(repeats):
            counts = []
            for position in range(len(text)):
                started = time.perf_counter()
                rows.set_text(text[: position + 1])
                pure[position].append(time.perf_counter() - started)
                counts.append(len(rows.hits))
            rows.set_text("")
        return {
            "keys": [statistics.median(k) for k in keys],
            "pure": [statistics.median(p) for p in pure],
            "hits": counts or hits,
            "loaded": rows.loaded,
            "load_seconds": load_seconds,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--text", default="capit", help="the filter typed, key by key")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(measure(args.child, args.text, args.repeats))))
        return

    from tui_common import isolated_env, median, run_child, verdict

    sizes = (args.small, args.large)
    results: dict[int, list[dict[str, Any]]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)
        for _ in range(args.rounds):
            for size in sizes:
                cmd = [sys.executable, str(HERE), "--child", str(size), "--text", args.text]
                cmd += ["--repeats", str(args.repeats)]
                result = json.loads(run_child(cmd, env).strip().splitlines()[-1])
                assert result["loaded"] == size, result
                results[size].append(result)
    print(
        f'(filter "{args.text}" typed {args.repeats} times per round, {args.rounds} rounds; '
        f"all rows loaded first: {args.large:,} in "
        f"{median([r['load_seconds'] for r in results[args.large]]):.1f} s)"
    )
    for size in sizes:
        hits = results[size][-1]["hits"]
        print(f"  matches after each key at {size:,} rows: {', '.join(f'{h:,}' for h in hits)}")
    for key, label in (("keys", "keypress to repainted list"), ("pure", "filter alone")):
        small = [median([r[key][i] for r in results[args.small]]) for i in range(len(args.text))]
        large = [median([r[key][i] for r in results[args.large]]) for i in range(len(args.text))]
        per_key = "; ".join(
            f"{args.text[: i + 1]!r} {s * 1000:.2f}/{g * 1000:.2f}"
            for i, (s, g) in enumerate(zip(small, large, strict=True))
        )
        mean_small, mean_large = statistics.fmean(small), statistics.fmean(large)
        worst = max(large)
        print(
            f"filter keystroke ({label}): {args.small:,} rows {mean_small * 1000:.2f} ms, "
            f"{args.large:,} rows {mean_large * 1000:.2f} ms, ratio {mean_large / mean_small:.2f}; "
            f"slowest key at {args.large:,}: {worst * 1000:.2f} ms of a {FRAME * 1000:.1f} ms "
            f"frame ({verdict(worst / FRAME, 1.0)})"
        )
        print(f"    per key, ms at {args.small:,}/{args.large:,}: {per_key}")


if __name__ == "__main__":
    main()
