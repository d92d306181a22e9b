"""Bytes ``closetui --demo`` writes to an 80x24 pseudo-terminal while idle, and per cursor move.

Runs the real CLI on a pty (``tui_common.Terminal``) with isolated config and state
dirs. Waits for the populated list, then for ``--settle`` quiet seconds, counts the
bytes written during ``--idle`` seconds of idleness, then presses ``j`` ``--moves``
times ``--gap`` seconds apart and counts the bytes per move. A Textual hello world
(``tui_common.HELLO``) is measured the same way in the same run as the baseline.

Budget (issue 16): 0 B/s while idle.

    .venv/bin/python bench/tui_idle_output.py [--idle 10] [--moves 20] [--gap 0.5]
"""

from __future__ import annotations

import argparse
import tempfile

from tui_common import HELLO, closetui, isolated_env, python_source, terminal, verdict

SIZE = (80, 24)


def measure(
    cmd: list[str], env: dict[str, str], ready: str, args: argparse.Namespace, moves: int
) -> tuple[float, float, int]:
    """(idle bytes/s, bytes per move, bytes up to the settled first screen)."""
    with terminal(cmd, env, *SIZE) as term:
        term.wait(lambda: ready in term.text())
        term.settle(args.settle)
        first = term.received
        term.drain(args.idle)
        idle = (term.received - first) / args.idle
        before = term.received
        for _ in range(moves):
            term.send(b"j")
            term.drain(args.gap)
        per_move = (term.received - before) / moves if moves else 0.0
    return idle, per_move, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idleness counted")
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between moves")
    parser.add_argument("--settle", type=float, default=1.5, help="quiet seconds = painted")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)
        h_idle, _, h_first = measure(python_source(HELLO), env, "Hello", args, 0)
        idle, per_move, first = measure(closetui("--demo"), env, " opportunities", args, args.moves)
    print(f"({SIZE[0]}x{SIZE[1]} pty; first screen: hello {h_first:,} B, closetui {first:,} B)")
    print(f"cursor move output: {per_move:,.0f} B per j ({args.moves} moves, {args.gap:g} s apart)")
    print(
        f"idle output over {args.idle:g} s: closetui --demo {idle:.1f} B/s, hello world "
        f"{h_idle:.1f} B/s (budget 0 B/s: {verdict(idle, 0.0)})"
    )


if __name__ == "__main__":
    main()
