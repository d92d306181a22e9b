"""The pipeline board on 100,000 opportunities over one 10-status pipeline, on a pty.

A sandbox (its own process, seeded before any timing) holds ``--opportunities`` in one
pipeline of ten statuses (eight active, won, lost: ``SandboxConfig.pipelines``). Each
round is a fresh ``closetui --base-url`` on a 120x40 and on an 80x24 pty read by pyte
(``tui_common.Terminal``), isolated config and state:

- list: start to the list's first row on screen (its populated frame), then ``r`` (the
  list read again) to its first row on screen again;
- board: once the organisation has loaded, ``B`` to every column on screen showing its
  count and first card (each column's first page is a request of its own: the list's
  query with ``status_id``);
- move: ``L`` then ``H`` on the first card, ``--moves`` times each, every press timed to
  the status line showing the drafted move (the card's mark, the status line and the
  preview are drawn in one frame; at 120x40 the editor beside the board too, except on a
  card's first move: its fields follow in the next frames (the rows, mounted at idle
  once the organisation loaded, take its values). At 80x24 they are a pane of their own).

All with ``TEXTUAL_FPS=1000`` (see ``bench/tui_keystroke.py``: at the default 60 fps a
paint may wait for Textual's next frame).

Budgets (issue 21): board <= 2x the list (both its start and its reload are printed;
the ratio is taken to the reload, the like-for-like case: a query read and painted);
move p99 <= 16 ms.

    .venv/bin/python bench/board.py [--opportunities 100000] [--rounds 3] [--moves 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from tui_common import (
    SANDBOX_KEY,
    Terminal,
    closetui,
    isolated_env,
    ms,
    percentile,
    precompile,
    serving,
    terminal,
    verdict,
)

SIZES = ((120, 40), (80, 24))
RATIO_BUDGET, P99_BUDGET = 2.0, 0.016
STATUSES = [(f"Stage {n}", "active") for n in range(1, 9)] + [("Won", "won"), ("Lost", "lost")]
SERVER = f"""
import sys
from closetui.sandbox import SandboxConfig
from closetui.sandbox.server import serve

config = SandboxConfig(opportunities=int(sys.argv[1]), pipelines={{"Board": {STATUSES!r}}})
serve(config, ready=lambda url: print("base URL:", url, flush=True))
"""
"""The sandbox with the bench's pipeline, served on loopback in its own process."""
FIRST_ROW = 2
"""The list's first opportunity row (below the header and the column titles)."""
BOARD_TOP = 1
"""The board's first line (below the app's header)."""
CARD_ROW = BOARD_TOP + 4
"""The first card's lead line (below a column's four header lines)."""
COLUMN_STARTS = {120: (0, 24, 48), 80: (0, 27, 54)}
"""Where the three columns on screen start: 72 cells beside the 48-cell editor at 120
wide; the whole width at 80 (the editor is a pane of its own there)."""


@contextmanager
def board_sandbox(opportunities: int, timeout: float = 300.0) -> Iterator[str]:
    """The bench's sandbox in its own process; yields its base URL once it serves."""
    with serving([sys.executable, "-c", SERVER, str(opportunities)], timeout) as url:
        yield url


def list_shown(term: Terminal) -> bool:
    """The list's first row shows an opportunity (not a loading message)."""
    row = term.lines()[FIRST_ROW][:40]
    return bool(row.strip()) and "Loading" not in row and "⋯" not in row


def board_shown(term: Terminal) -> bool:
    """Each column on screen shows its count and its first card."""
    lines = term.lines()
    title, card = lines[BOARD_TOP], lines[CARD_ROW]
    for start in COLUMN_STARTS[len(lines[0])]:
        count = title[start : start + 23].split()[-1:] or ["…"]
        lead = card[start + 1 : start + 23].strip()
        if count[0] in ("…", "") or not lead or lead[0] in "…⋯":
            return False
    return True


def status_says(term: Terminal, text: str) -> bool:
    """The status line (above the key bar) holds ``text``."""
    return text in term.lines()[-2]


def one_round(
    url: str, env: dict[str, str], moves: int, size: tuple[int, int]
) -> dict[str, list[float]]:
    """One fresh app: the list's times, the board's, and every move's."""
    times: dict[str, list[float]] = {"start": [], "reload": [], "board": [], "move": []}
    with terminal(closetui("--base-url", url), env, *size) as term:
        times["start"].append(term.wait(lambda: list_shown(term), 120) - term.started)
        term.wait(lambda: "Ready." in term.text(), 60)  # the organisation has loaded
        term.settle()
        times["reload"].append(term.press(b"r", lambda: list_shown(term), 60))
        term.settle()
        times["board"].append(term.press(b"B", lambda: board_shown(term), 60))
        term.settle(1.0)  # the first card, read in full for a move, is here
        for _ in range(moves):
            for key, label in ((b"L", "Stage 2 (draft)"), (b"H", "Stage 1 (draft)")):
                times["move"].append(term.press(key, lambda t=label: status_says(term, t)))
                term.settle(0.05)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--moves", type=int, default=50)
    args = parser.parse_args()
    precompile()
    runs = {size: {"start": [], "reload": [], "board": [], "move": []} for size in SIZES}
    with tempfile.TemporaryDirectory() as tmp, board_sandbox(args.opportunities) as url:
        env = isolated_env(tmp, CLOSE_API_KEY=SANDBOX_KEY, TEXTUAL_FPS="1000")
        one_round(url, env, 2, SIZES[0])  # warm-up: disk caches, .pyc files, the sandbox's queries
        for _ in range(args.rounds):
            for size in SIZES:
                for name, values in one_round(url, env, args.moves, size).items():
                    runs[size][name] += values
    print(
        f"({args.opportunities:,} opportunities in one 10-status pipeline; medians of "
        f"{args.rounds} fresh apps per size on a pty, TEXTUAL_FPS=1000)"
    )
    for (cols, rows), times in runs.items():
        start, reload, board = (statistics.median(times[n]) for n in ("start", "reload", "board"))
        p99 = percentile(times["move"], 0.99)
        print(
            f"{cols}x{rows} list: start to its populated frame {ms(start)}; "
            f"r to populated again {ms(reload)}"
        )
        print(
            f"{cols}x{rows} board: B to every column on screen populated {ms(board)}, ratio "
            f"{board / reload:.2f} to the list's reload (budget <= {RATIO_BUDGET}: "
            f"{verdict(board / reload, RATIO_BUDGET)}), {board / start:.2f} to its start"
        )
        print(
            f"{cols}x{rows} card move (L/H) to the drafted move on screen: median "
            f"{ms(statistics.median(times['move']))}, p99 {ms(p99)} over {len(times['move'])} "
            f"(budget <= {ms(P99_BUDGET)}: {verdict(p99, P99_BUDGET)})"
        )


if __name__ == "__main__":
    main()
