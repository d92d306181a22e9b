"""A cursor move (``j``) in the list at 100,000 opportunities vs at 1,000, on a pseudo-terminal.

``closetui --base-url URL`` runs on a pty whose output a pyte screen shows
(``tui_common.Terminal``), on a ``closetui sandbox`` of N opportunities in its own
process. Once the first rows are shown, ``j`` is pressed ``--moves`` times, each timed
from writing it to the pty to reading the output that shows the cursor's highlight on
another row (the row below, or the next row scrolled into the same place). The moves
cross page boundaries, so the pages scrolled into view are fetched as in real use. The
next move is sent once nothing has been written for ``--quiet`` seconds (the pages
have arrived, and no paint of the last move delays the next one's: Textual paints at
most once a frame).

Each size runs in its own fresh process (and sandbox), alternating, for ``--rounds``
rounds. Budget (issue 16): the median at 100,000 rows <= 1.1x the median at 1,000.

    .venv/bin/python bench/tui_cursor.py [--moves 200] [--rounds 3] [--quiet 0.05]
                                         [--small 1000] [--large 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile

from tui_common import (
    SANDBOX_KEY,
    Terminal,
    closetui,
    isolated_env,
    ms,
    percentile,
    sandbox_process,
    terminal,
    verdict,
)

SIZE = (120, 40)
FIRST_ROW = 2
"""The screen row of the list's first opportunity (below the header and column titles)."""
RATIO_BUDGET = 1.1


def highlighted(term: Terminal, background: str) -> tuple[int, str]:
    """The list row with the cursor's background: (screen row, its text)."""
    lines = term.lines()
    for y in range(FIRST_ROW, len(lines)):
        if term.background(3, y) == background:
            return y, lines[y][:60]
    return -1, ""


def measure(size: int, moves: int, quiet: float, tmp: str) -> list[float]:
    """Seconds per move on a sandbox of ``size`` opportunities."""
    with sandbox_process(size) as url:
        env = isolated_env(tempfile.mkdtemp(dir=tmp), CLOSE_API_KEY=SANDBOX_KEY)
        with terminal(closetui("--base-url", url), env, *SIZE) as term:
            term.wait(lambda: f"{size:,} opportunities" in term.lines()[0])
            term.settle(0.5)
            cursor = term.background(3, FIRST_ROW)  # the cursor starts on the first row
            assert cursor != term.background(3, FIRST_ROW + 1), term.tail()
            times = []
            for _ in range(moves):
                before = highlighted(term, cursor)

                def moved(before: tuple[int, str] = before) -> bool:
                    return highlighted(term, cursor) not in (before, (-1, ""))

                times.append(term.press(b"j", moved))
                term.settle(quiet, limit=5)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quiet", type=float, default=0.05, help="quiet seconds before a move")
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()

    sizes = (args.small, args.large)
    times: dict[int, list[float]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for size in sizes:
                times[size] += measure(size, args.moves, args.quiet, tmp)
    small, large = (statistics.median(times[size]) for size in sizes)
    ratio = large / small
    print(
        f"({args.moves} moves per process, {args.rounds} processes per size, "
        f"each sent after {args.quiet * 1000:.0f} ms of quiet; pty + pyte, {SIZE[0]}x{SIZE[1]})"
    )
    print(
        f"cursor move p99: {args.large:,} rows {ms(percentile(times[args.large], 0.99))}, "
        f"{args.small:,} rows {ms(percentile(times[args.small], 0.99))}"
    )
    print(
        f"cursor move median: {args.large:,} rows {ms(large)}, {args.small:,} rows {ms(small)}, "
        f"ratio {ratio:.2f} (budget <= {RATIO_BUDGET}: {verdict(ratio, RATIO_BUDGET)})"
    )


if __name__ == "__main__":
    main()
