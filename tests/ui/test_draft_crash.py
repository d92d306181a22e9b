"""The real app in a pseudo-terminal: an edit survives ``kill -9`` and comes back on restart."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from closetui.state import DraftStore
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

TIMEOUT = 30.0
"""Seconds to wait for any one thing (generous: a loaded 2-core machine)."""
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: title, clipboard
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"  # charsets, keypad, save/restore
)
"""Terminal control sequences, removed to read the text on screen."""


class Terminal:
    """``python -m closetui --demo`` on a 100x30 pty; everything it prints is collected."""

    def __init__(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
        env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")  # XDG_*: the fixture's
        self.process = subprocess.Popen(
            [sys.executable, "-m", "closetui", "--demo"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._raw = bytearray()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Always drain the pty, or the app blocks writing to a full buffer.
        while not self._done.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._raw += chunk

    @property
    def text(self) -> str:
        """Everything printed so far, without escape sequences."""
        with self._lock:
            raw = bytes(self._raw)
        return ESCAPES.sub("", raw.decode("utf-8", errors="replace"))

    def mark(self) -> int:
        """Where the output is now (wait for text printed after it)."""
        return len(self.text)

    def wait_for(self, needle: str, since: int = 0) -> None:
        wait_until(lambda: needle in self.text[since:], f"{needle!r} on screen", self)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        if self._done.is_set():
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT)
        self._done.set()
        self._reader.join(timeout=5)
        os.close(self.master)


def wait_until(condition: Callable[[], bool], what: str, terminal: Terminal) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        if terminal.process.poll() is not None:
            break
        time.sleep(0.1)
    if condition():
        return
    tail = terminal.text[-2000:]
    raise AssertionError(f"no {what} within {TIMEOUT}s; exit {terminal.process.poll()}\n{tail}")


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for terminal in started:
        terminal.kill()


def draft_files() -> list[Path]:
    folder = DraftStore("@demo").folder
    return sorted(folder.glob("oppo_*.json")) if folder.is_dir() else []


def test_an_edit_survives_kill_9_and_is_restored_on_the_next_start(
    terminals: list[Terminal],
) -> None:
    assert os.environ["XDG_STATE_HOME"]  # the autouse fixture's temp dir, inherited
    first = Terminal()
    terminals.append(first)
    first.wait_for("Ready.")
    since = first.mark()
    first.send("\r")  # open the first opportunity
    first.wait_for("Confidence", since)
    first.wait_for("Pick", since)  # the footer once the editor's status field has focus
    time.sleep(0.3)
    first.send("\t\t")  # status -> date won -> value
    time.sleep(0.5)
    first.send("\x15")  # ctrl+u: empty the field (the cursor is at its end)
    time.sleep(0.2)
    first.send("4242")
    wait_until(lambda: bool(draft_files()), "draft file on disk", first)
    wait_until(lambda: "4242" in draft_files()[0].read_text(), "typed value saved", first)
    saved = draft_files()
    first.kill()  # no quit, no cleanup: as a crash or a dropped SSH session

    assert draft_files() == saved
    second = Terminal()
    terminals.append(second)
    second.wait_for("Restored 1")
    second.wait_for("Ready.")
    since = second.mark()
    second.send("\r")
    second.wait_for("Restored unsent draft", since)
    second.wait_for("4,242", since)  # the restored value, in the editor
    second.kill()
    assert draft_files() == saved  # still unsent: still on disk


def test_a_hang_up_ends_the_app_with_the_typed_value_on_disk(
    terminals: list[Terminal],
) -> None:
    """A dropped SSH session hangs the terminal up: the app ends as a hang-up ends a
    process, and the draft typed just before is on disk."""
    first = Terminal()
    terminals.append(first)
    first.wait_for("Ready.")
    since = first.mark()
    first.send("\r")
    first.wait_for("Pick", since)
    time.sleep(0.3)
    first.send("\t\t")  # status -> date won -> value
    time.sleep(0.5)
    since = first.mark()
    first.send("\x155151")  # ctrl+u, then the value
    first.wait_for("→ $5,151", since)  # the field's old -> new: the app has the draft
    os.kill(first.process.pid, signal.SIGHUP)
    assert first.process.wait(timeout=TIMEOUT) == -signal.SIGHUP
    files = draft_files()
    assert len(files) == 1
    assert "5151" in files[0].read_text()
