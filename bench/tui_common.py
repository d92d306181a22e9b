"""Helpers shared by the bench scripts: apps run on a pseudo-terminal and read through pyte."""

from __future__ import annotations

import fcntl
import math
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SANDBOX_KEY = "sandbox_demo_key"
"""The sandbox's demo API key (``closetui.sandbox.DEMO_API_KEY``, without importing it)."""

HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("Hello, world!")

Hello().run()
"""
"""A Textual hello world: the baseline for start-up and idle output."""

MIRROR = """
from textual.app import App
from textual.widgets import Input, Static

class Mirror(App):
    def compose(self):
        yield Input(placeholder="type here")
        yield Static("mirror: (empty)", id="mirror")

    def on_input_changed(self, event):
        self.query_one("#mirror", Static).update(f'mirror: "{event.value}"')

Mirror().run()
"""
"""A bare Input app that shows its value, in quotes, in a Static: the keystroke baseline."""

ENTER, TAB, CTRL_Q = b"\r", b"\t", b"\x11"
SYNC_QUERY, SYNC_SUPPORTED = b"\x1b[?2026$p", b"\x1b[?2026;2$y"
"""Does the terminal know synchronized output (mode 2026)? Yes, it is off (2)."""
SYNC_START, SYNC_END = b"\x1b[?2026h", b"\x1b[?2026l"
"""The marks around a frame in synchronized output."""


def precompile() -> None:
    """Compile closetui's modules to ``.pyc``, as pip does when it installs a package.

    With ``PYTHONDONTWRITEBYTECODE`` set (as on the development machines) every start
    would compile closetui from source while Textual loads from its ``.pyc`` files.
    """
    import compileall
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "closetui"
    if not compileall.compile_dir(package, quiet=1):
        raise RuntimeError(f"could not compile {package}")


def isolated_env(tmp: str, **extra: str) -> dict[str, str]:
    """The environment for a child app: no real config, profile or state is read."""
    env = dict(os.environ)
    env.pop("TEXTUAL", None)  # no devtools or debug features
    env.update(
        TERM="xterm-256color",
        CLOSETUI_CONFIG=os.path.join(tmp, "config.toml"),
        XDG_CONFIG_HOME=os.path.join(tmp, "config"),
        XDG_STATE_HOME=os.path.join(tmp, "state"),
        XDG_DATA_HOME=os.path.join(tmp, "data"),
        XDG_CACHE_HOME=os.path.join(tmp, "cache"),
        **extra,
    )
    return env


@contextmanager
def sandbox_process(opportunities: int, *options: str, timeout: float = 120.0) -> Iterator[str]:
    """``closetui sandbox [options]`` in its own process (so it does not share our GIL);
    yields its base URL once it serves."""
    cmd = [sys.executable, "-m", "closetui", "sandbox", "--port", "0"]
    with serving([*cmd, "--opportunities", str(opportunities), *options], timeout) as url:
        yield url


@contextmanager
def serving(cmd: list[str], timeout: float) -> Iterator[str]:
    """Run ``cmd`` (a sandbox server) until the block ends; yields the base URL it prints."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + timeout
        for line in proc.stdout:
            if "base URL:" in line:
                yield line.split("base URL:")[1].strip()
                return
            if time.monotonic() > deadline:
                break
        raise RuntimeError("the sandbox did not start")
    finally:
        proc.terminate()
        proc.wait(10)


class Terminal:
    """A command on a pseudo-terminal of ``cols`` x ``rows``; what it writes is fed to a
    pyte screen (``self.screen``), as a terminal emulator would show it."""

    def __init__(self, cmd: list[str], env: dict[str, str], cols: int, rows: int) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        os.set_blocking(self.master, False)
        import pyte  # here: the benches that use no terminal do without it

        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.received = 0  # bytes the app wrote
        self.pending = b""
        self.frames = 0  # whole frames (in synchronized output marks) shown

    def read(self, timeout: float) -> float | None:
        """Wait up to ``timeout`` seconds for output and take all there is; the time it
        was read (``perf_counter``), or None if nothing came.

        The screen is fed whole frames: Textual brackets each frame in synchronized
        output marks once the terminal says it knows them (this one does, as most do
        now), and a frame still arriving waits for its end. Parsing it at once keeps
        pyte's own time out of the transfer that is timed.
        """
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return None
        while True:
            try:
                chunk = os.read(self.master, 1 << 16)
            except BlockingIOError:
                break
            except OSError:  # the child has gone and closed the terminal
                raise EOFError(self.tail()) from None
            if not chunk:
                break
            self.pending += chunk
            self.received += len(chunk)
        at = time.perf_counter()
        if SYNC_QUERY in self.pending:
            self.send(SYNC_SUPPORTED)
            self.pending = self.pending.replace(SYNC_QUERY, b"")
        start, end = self.pending.rfind(SYNC_START), self.pending.rfind(SYNC_END)
        if start > end:  # a frame is still arriving: show what came before it
            done, self.pending = self.pending[:start], self.pending[start:]
        else:
            done, self.pending = self.pending, b""
        self.frames += done.count(SYNC_END)
        if done:
            self.stream.feed(done)
        return at

    def wait(self, condition: Callable[[], bool], limit: float = 60.0) -> float:
        """Read until ``condition()`` holds; when the output that made it hold was read."""
        deadline = time.perf_counter() + limit
        while (left := deadline - time.perf_counter()) > 0:
            at = self.read(left)
            if at is not None and condition():
                return at
        raise TimeoutError(f"the screen never showed what was awaited:\n{self.tail()}")

    def settle(self, quiet: float = 0.3, limit: float = 30.0) -> None:
        """Read until nothing has come for ``quiet`` seconds."""
        deadline = time.perf_counter() + limit
        while self.read(quiet) is not None and time.perf_counter() < deadline:
            pass

    def drain(self, seconds: float) -> None:
        """Keep reading (and showing) the output for ``seconds``."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self.read(left)

    def press(self, keys: bytes, shown: Callable[[], bool], limit: float = 10.0) -> float:
        """Write ``keys``; seconds until the screen shows what ``shown()`` checks."""
        start = time.perf_counter()
        os.write(self.master, keys)
        return self.wait(shown, limit) - start

    def send(self, keys: bytes) -> None:
        """Write ``keys`` as typed, without waiting."""
        os.write(self.master, keys)

    def lines(self) -> list[str]:
        """The screen's text, one string per row."""
        return self.screen.display

    def text(self) -> str:
        """The screen's text."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def background(self, x: int, y: int) -> str:
        """The background colour of one cell (a hex string or ``default``)."""
        return str(self.screen.buffer[y][x].bg)

    def tail(self) -> str:
        """The screen as text, for error messages."""
        return self.text()[-3000:]

    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) the child has used so far (Linux ``/proc``)."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        """Quit with ctrl+q (kill if that does not work)."""
        try:
            if self.proc.poll() is None:
                self.send(CTRL_Q)
                deadline = time.perf_counter() + 10
                while self.proc.poll() is None and time.perf_counter() < deadline:
                    try:
                        self.read(0.1)
                    except EOFError:
                        break
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            os.close(self.master)


@contextmanager
def terminal(cmd: list[str], env: dict[str, str], cols: int, rows: int) -> Iterator[Terminal]:
    """A :class:`Terminal`, closed (the app quit) on the way out."""
    term = Terminal(cmd, env, cols, rows)
    try:
        yield term
    finally:
        term.close()


def closetui(*args: str) -> list[str]:
    """The command line that starts closetui with these arguments."""
    return [sys.executable, "-m", "closetui", *args]


def python_source(source: str) -> list[str]:
    """The command line that runs this Python source."""
    return [sys.executable, "-c", source]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0-1) percentile, nearest rank: p99 of 200 values is the 198th."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    """Seconds as milliseconds, for the printed lines."""
    return f"{seconds * 1000:.1f} ms"


def verdict(value: float, budget: float) -> str:
    """``PASS`` / ``FAIL`` for a figure that must be at most ``budget``."""
    return "PASS" if value <= budget else "FAIL"
