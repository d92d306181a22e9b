"""Bytes ``closetui --demo`` writes to an 80x24 pseudo-terminal while idle, and per cursor move.

Runs the real CLI (``python -m closetui --demo``) on a pty (``TERM=xterm-256color``, size
set with ``TIOCSWINSZ``), with config and state dirs isolated. Waits for the first paint to
finish (the header shows the count of opportunities, then ``--settle`` quiet seconds),
counts the bytes written during ``--idle`` seconds of idleness, then presses ``j``
``--moves`` times ``--gap`` seconds apart and counts the bytes per move. Quits with
ctrl+q. The baseline printed beside it is a Textual hello world (one Static) measured the
same way in the same run.

    .venv/bin/python bench/tui_idle_output.py [--idle 10] [--moves 20] [--gap 0.5]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

HELLO = """
from textual.app import App, ComposeResult
from textual.widgets import Static

class Hello(App):
    def compose(self) -> ComposeResult:
        yield Static("Hello, world! (ready)")

Hello().run()
"""


class Terminal:
    """A child process on a pty of a given size; reads everything it writes."""

    def __init__(self, cmd: list[str], env: dict[str, str], cols: int, rows: int) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.output = bytearray()

    def read_for(self, seconds: float) -> int:
        """Collect output for ``seconds``; the number of bytes that came."""
        deadline = time.monotonic() + seconds
        count = 0
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child is gone
                    break
                count += len(chunk)
                self.output += chunk
        return count

    def wait_for(self, needle: bytes, limit: float = 60.0) -> None:
        """Read until ``needle`` appears in the output."""
        deadline = time.monotonic() + limit
        while needle not in self.output:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                tail = bytes(self.output[-300:])
                raise RuntimeError(f"never saw {needle!r}; last output: {tail!r}")
            self.read_for(0.05)

    def settle(self, quiet: float, limit: float = 30.0) -> None:
        """Read until nothing has come for ``quiet`` seconds."""
        deadline = time.monotonic() + limit
        while self.read_for(quiet) and time.monotonic() < deadline:
            pass

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> int:
        """Quit with ctrl+q (kill if that does not work); the exit code."""
        self.send(b"\x11")
        deadline = time.monotonic() + 10
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.read_for(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait()
        os.close(self.master)
        return code


def measure(
    cmd: list[str], env: dict[str, str], ready: bytes, args: argparse.Namespace, moves: int
) -> tuple[float, float, int]:
    """(idle bytes/s, bytes per move, bytes of the first paint)."""
    term = Terminal(cmd, env, 80, 24)
    try:
        term.wait_for(ready)
        term.settle(args.settle)
        first_paint = len(term.output)
        idle = term.read_for(args.idle) / args.idle
        moved = 0
        for _ in range(moves):
            term.send(b"j")
            moved += term.read_for(args.gap)
        per_move = moved / moves if moves else 0.0
    finally:
        term.close()
    return idle, per_move, first_paint


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idleness counted")
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between moves")
    parser.add_argument("--settle", type=float, default=1.5, help="quiet seconds = painted")
    args = parser.parse_args()

    from tui_common import isolated_env

    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp, TERM="xterm-256color", COLUMNS="80", LINES="24")
        env.pop("TEXTUAL", None)
        hello_cmd = [sys.executable, "-c", HELLO]
        app_cmd = [sys.executable, "-m", "closetui", "--demo"]
        h_idle, _, h_paint = measure(hello_cmd, env, b"(ready)", args, 0)
        idle, per_move, paint = measure(app_cmd, env, b"opportunities", args, args.moves)
    print(
        f"(80x24 pty, TERM=xterm-256color; first paint: hello {h_paint:,} B, closetui {paint:,} B)"
    )
    print(
        f"idle output: hello {h_idle:.1f} B/s, closetui --demo {idle:.1f} B/s over {args.idle:g} s "
        f"(target <= 50 B/s: {'met' if idle <= 50 else 'MISSED'})"
    )
    print(f"cursor move output: {per_move:,.0f} B per j ({args.moves} moves, {args.gap:g} s apart)")


if __name__ == "__main__":
    main()
