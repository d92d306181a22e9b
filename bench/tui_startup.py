"""Start-up: ``closetui --demo`` to its populated list vs a Textual hello world to "Hello".

Each run is a fresh process on a pty whose output a pyte screen shows
(``tui_common.Terminal``), with isolated config and state dirs. What is timed is from
just before the process is started to reading the output that shows: for the hello world
(``tui_common.HELLO``), "Hello"; for closetui, the list's first opportunity row. Runs are
interleaved (hello, demo[, url], hello, ...) after one untimed warm-up of each; medians
are compared. closetui is compiled to ``.pyc`` first, as an install does.

With ``--opportunities N``, ``closetui --base-url`` on a ``closetui sandbox`` of N
opportunities (its own process, started and seeded before any timing) is timed too.

Budget (issue 16): ``--demo`` <= 2.0x the hello world.

    .venv/bin/python bench/tui_startup.py [--runs 9] [--opportunities 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from contextlib import ExitStack

from tui_common import (
    HELLO,
    SANDBOX_KEY,
    Terminal,
    closetui,
    isolated_env,
    ms,
    precompile,
    python_source,
    sandbox_process,
    terminal,
    verdict,
)

SIZE = (120, 40)
FIRST_ROW = 2
"""The screen row of the list's first opportunity (below the header and column titles)."""
RATIO_BUDGET = 2.0


def first_row_shown(term: Terminal) -> bool:
    """True once the list's first row shows an opportunity (not a loading message)."""
    row = term.lines()[FIRST_ROW][:40]
    return bool(row.strip()) and "Loading" not in row and "⋯" not in row


def hello_shown(term: Terminal) -> bool:
    """True once the hello world's text is on screen."""
    return "Hello" in term.text()


def timed(cmd: list[str], env: dict[str, str], shown: object) -> float:
    """Seconds from starting ``cmd`` on a pty to the screen showing what ``shown`` checks."""
    assert callable(shown)
    with terminal(cmd, env, *SIZE) as term:
        return term.wait(lambda: shown(term)) - term.started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--opportunities", type=int, default=0, help="also --base-url (0: no)")
    args = parser.parse_args()
    precompile()

    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        env = isolated_env(tmp, CLOSE_API_KEY=SANDBOX_KEY)
        apps = {
            "hello": (python_source(HELLO), hello_shown),
            "demo": (closetui("--demo"), first_row_shown),
        }
        if args.opportunities:
            url = stack.enter_context(sandbox_process(args.opportunities))
            apps["url"] = (closetui("--base-url", url), first_row_shown)
        for cmd, shown in apps.values():  # warm-up: disk caches, .pyc files
            timed(cmd, env, shown)
        runs: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(args.runs):
            for name, (cmd, shown) in apps.items():
                runs[name].append(timed(cmd, env, shown))

    hello, demo = (statistics.median(runs[name]) for name in ("hello", "demo"))
    print(f"(medians of {args.runs} interleaved fresh processes on a {SIZE[0]}x{SIZE[1]} pty)")
    if "url" in runs:
        url_time = statistics.median(runs["url"])
        print(
            f"start-up to the populated list, --base-url ({args.opportunities:,} in the "
            f"sandbox): {ms(url_time)}, ratio {url_time / hello:.2f} to the hello world"
        )
    print(
        f'start-up: closetui --demo to its populated list {ms(demo)}, hello world to "Hello" '
        f"{ms(hello)}, ratio {demo / hello:.2f} "
        f"(budget <= {RATIO_BUDGET}: {verdict(demo / hello, RATIO_BUDGET)})"
    )


if __name__ == "__main__":
    main()
