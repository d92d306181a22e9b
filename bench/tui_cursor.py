"""Cost of one cursor move (``j``) in the list at 100,000 rows vs at 1,000 rows.

In process with Pilot (``app.run_test(size=(100, 30))``) on the in-process demo sandbox
(``demo_connection(opportunities=N)``). Once the list has loaded and a few untimed moves
are done, two timed phases of ``--moves`` presses of ``j`` each:

- pilot: ``pilot.press("j")`` + ``pilot.pause()``; wall and CPU (``process_time``) per
  move. Pilot waits for the process to look idle in fixed 20 ms sleeps, so its wall time
  is mostly sleeping; the CPU time is the work the move caused.
- direct: each key is posted, the app runs until the cursor moved, and the screen is
  laid out and painted at once (``tui_common.press_until``); the phase ends when the
  page fetches and messages the moves started are done and painted. Per move = total / N.

The moves cross page boundaries, so the pages that scroll into view are fetched (from the
in-process sandbox) as in real use. Each size runs in its own fresh process (one size's
heap must not slow the other), alternating sizes for ``--rounds`` rounds; medians are
compared. Also printed: the full (generation 2) gc pauses per move in the direct phase,
which grow with every live object in the process (the in-process sandbox's too).

    .venv/bin/python bench/tui_cursor.py [--moves 300] [--rounds 3] [--small 1000]
                                         [--large 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
WARM_UP = 10


async def measure(opportunities: int, moves: int) -> dict[str, float]:
    """Seconds per ``j`` (pilot wall, pilot CPU, direct wall) on a sandbox of this size."""
    from tui_common import drain, listed, press_until

    from closetui.connect import demo_connection
    from closetui.ui.app import make_app

    app = make_app(demo_connection(opportunities=opportunities, tz_offset=0.0))
    async with app.run_test(size=(100, 30)) as pilot:
        listing = await listed(pilot, app)
        assert listing.has_focus
        for _ in range(WARM_UP):
            await pilot.press("j")
            await pilot.pause()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(moves):
            await pilot.press("j")
            await pilot.pause()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert listing.cursor == WARM_UP + moves, listing.cursor
        collecting: list[float] = []  # gc pauses during the direct phase

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                collecting.append(time.perf_counter())
            elif collecting:
                collecting[-1] = time.perf_counter() - collecting[-1]
                if info["generation"] < 2:
                    collecting.pop()  # young collections: cheap at both sizes

        gc.callbacks.append(on_gc)
        direct = time.perf_counter()
        for _ in range(moves):
            target = listing.cursor + 1
            await press_until(pilot, "j", lambda t=target: listing.cursor == t)
        await drain(pilot)
        direct = time.perf_counter() - direct
        gc.callbacks.remove(on_gc)
        assert listing.cursor == WARM_UP + 2 * moves, listing.cursor
        return {
            "pilot_wall": wall / moves,
            "pilot_cpu": cpu / moves,
            "direct": direct / moves,
            "full_gc": sum(collecting) / moves,
            "total": float(listing.total or 0),
            "pages": float(len(listing.cache.pages)),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(measure(args.child, args.moves))))
        return

    from tui_common import isolated_env, median, run_child, verdict

    sizes = (args.small, args.large)
    results: dict[int, list[dict[str, float]]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)
        for _ in range(args.rounds):
            for size in sizes:
                cmd = [sys.executable, str(HERE), "--child", str(size)]
                cmd += ["--moves", str(args.moves)]
                result = json.loads(run_child(cmd, env).strip().splitlines()[-1])
                assert result["total"] == size, result
                results[size].append(result)
    print(f"({args.moves} moves per phase, {args.rounds} rounds; per-move ms by round)")
    for key, label in (
        ("direct", "direct wall"),
        ("pilot_cpu", "pilot CPU"),
        ("pilot_wall", "pilot wall"),
        ("full_gc", "of which full gc, direct"),
    ):
        small = median([r[key] for r in results[args.small]])
        large = median([r[key] for r in results[args.large]])
        if key == "full_gc":
            print(
                f"  full (generation 2) gc pauses per move in the direct phase: "
                f"{args.small:,} rows {small * 1000:.2f} ms, {args.large:,} rows "
                f"{large * 1000:.2f} ms"
            )
            continue
        rounds = "; ".join(
            f"{size:,}: " + "/".join(f"{r[key] * 1000:.2f}" for r in results[size])
            for size in sizes
        )
        print(
            f"cursor move ({label}): {args.small:,} rows {small * 1000:.2f} ms, "
            f"{args.large:,} rows {large * 1000:.2f} ms, ratio {large / small:.2f} "
            f"(target <= 1.1: {verdict(large / small, 1.1)})   [{rounds}]"
        )


if __name__ == "__main__":
    main()
