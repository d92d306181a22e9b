"""The real hand-over: the app on a pseudo-terminal suspends for $EDITOR and comes back."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

termios = pytest.importorskip("termios")  # the pseudo-terminal needs a Unix

ENTER, TAB, CTRL_G, CTRL_Q = b"\r", b"\t", b"\x07", b"\x11"
TABS_TO_NOTE = 7
"""From the status picker (focused on opening) to the note: the demo's field order."""
WAIT = 60.0
"""Seconds any one step may take before the test gives up (a hung app, not a timing)."""

EDITOR = """\
import pathlib, sys, termios
target = pathlib.Path(sys.argv[-1])
cooked = bool(termios.tcgetattr(sys.stdin.fileno())[3] & termios.ICANON)
pathlib.Path({log!r}).write_text(f"{{sys.stdin.isatty()}} {{cooked}}\\n" + target.read_text())
target.write_text("Written in the real editor\\n")
"""


class PtyApp:
    """``closetui --demo`` on a pseudo-terminal; its output is read and kept."""

    def __init__(self, env: dict[str, str]) -> None:
        import fcntl
        import struct

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "closetui", "--demo"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        os.set_blocking(self.master, False)
        self.output = b""

    def drain(self) -> None:
        """Take what the app wrote (it must never block on a full terminal)."""
        import select

        while select.select([self.master], [], [], 0.05)[0]:
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def until(self, done: Callable[[], bool], what: str) -> None:
        """Read on until ``done()`` holds; fail (naming ``what``) after :data:`WAIT`."""
        deadline = time.monotonic() + WAIT
        while not done():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"never: {what}\n{self.output[-2000:]!r}")
            self.drain()

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        os.close(self.master)


def test_ctrl_g_suspends_the_app_for_the_editor_and_the_note_comes_back(tmp_path: Path) -> None:
    log = tmp_path / "editor.log"
    script = tmp_path / "editor.py"
    script.write_text(EDITOR.format(log=str(log)))
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "TEXTUAL", "CLOSETUI_LOG")}
    env.update(
        TERM="xterm-256color",
        EDITOR=f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}",
        CLOSETUI_CONFIG=str(tmp_path / "config.toml"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    drafts = tmp_path / "state" / "closetui" / "drafts"
    app = PtyApp(env)
    try:
        app.until(lambda: b"opportunities" in app.output, "the list loaded")
        app.type(ENTER)
        app.until(lambda: b"Nothing to send" in app.output, "the first row opened")
        app.type(TAB * TABS_TO_NOTE + CTRL_G)
        app.until(log.exists, "the editor ran")
        # A terminal, back in the mode it had before the app: the app had stepped aside.
        assert log.read_text().splitlines()[0] == "True True"
        app.until(
            lambda: any(
                "Written in the real editor" in p.read_text() for p in drafts.rglob("*.json")
            ),
            "the editor's note saved in the draft",
        )
        assert app.proc.poll() is None  # the app came back and carries on
        app.type(CTRL_Q)
        app.until(lambda: app.proc.poll() is not None, "the app quit")
        assert app.proc.returncode == 0
    finally:
        app.close()
