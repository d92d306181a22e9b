"""Every command in README.md's ```sh blocks runs as written, and says what the README says.

- ``closetui …`` lines run as subprocesses against the demo (``--demo``) or the sandbox
  the README starts on loopback, with README.md's ```toml blocks as the config file and
  ``EDITOR=true``. A comment ``# -> 3 rows`` / ``1+ rows`` counts the rows (table or
  JSON), ``# -> "text"`` wants the text in the output, ``# -> exit 2: text`` marks a line
  that fails on purpose (that code, that text). A ```json block after a ```sh block is
  what the block's last command prints.
- ``closetui sandbox --port N`` is started (on a free port, which the block's later lines
  use instead of N), waited for until it prints its URL, and stopped with Ctrl-C after
  the block's other lines: it must exit 0.
- A line that opens the app (the parser's own test: :func:`closetui.cli.main.app_args`)
  starts on a pty, must draw its header, and must quit with exit 0 on ``ctrl+q``.
- ``eval "$(closetui completion SHELL)"`` runs the inner command and checks the script
  with ``SHELL -n``; ``> FILE`` is dropped (the output must not be empty).
- ``make …`` lines are skipped: they install the venv and run the whole suite.
"""

from __future__ import annotations

import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from closetui.cli.args import join_dash_values
from closetui.cli.main import app_args
from tests.conftest import ROOT

README = ROOT / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXPECT = re.compile(r"->\s*(.*)$")
SKIPPED = ("make",)
"""Commands the test does not run: ``make demo`` and ``make test`` build the venv and run
everything (this test included)."""


@dataclass
class Line:
    """One command of an ```sh block."""

    text: str
    words: list[str]
    env: dict[str, str] = field(default_factory=dict)
    expect: str = ""
    """What the comment after ``->`` says the command does."""
    redirected: bool = False
    evaluated: bool = False


@dataclass
class Block:
    """An ```sh block, and the ```json block that shows its last command's output."""

    lines: list[Line]
    shown: str | None = None


def _split(text: str) -> Line | None:
    command, _, comment = text.partition(" #")  # no README command quotes a " #"
    words = shlex.split(command)
    if not words or words[0] in SKIPPED:
        return None
    env: dict[str, str] = {}
    while "=" in words[0] and not words[0].startswith("-"):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    line = Line(text=text, words=words, env=env)
    found = _EXPECT.search(comment)
    line.expect = found.group(1).strip() if found else ""
    if words[0] == "eval":
        inner = re.fullmatch(r"\$\((.*)\)", words[1])
        assert inner, f'README: only eval "$(closetui ...)" is understood: {text}'
        line.words, line.evaluated = shlex.split(inner.group(1)), True
    if ">" in line.words:
        line.words, line.redirected = line.words[: line.words.index(">")], True
    assert line.words[0] == "closetui", f"README: not a closetui command: {text}"
    return line


def readme_blocks() -> list[Block]:
    """The ```sh blocks of README.md, continuation lines joined."""
    blocks: list[Block] = []
    previous = ""
    for fence in _FENCE.finditer(README.read_text(encoding="utf-8")):
        kind, body = fence.groups()
        if kind == "sh":
            joined = re.sub(r"\\\n\s*", " ", body)
            lines = [line for text in joined.splitlines() if (line := _split(text.strip()))]
            blocks.append(Block(lines))
        elif kind == "json" and previous == "sh":
            blocks[-1].shown = body
        previous = kind
    return blocks


def _config_toml() -> str:
    """README.md's ```toml blocks, as one config file."""
    return "".join(
        body for kind, body in _FENCE.findall(README.read_text(encoding="utf-8")) if kind == "toml"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rows(out: str) -> int:
    text = out.strip()
    if text.startswith("["):
        return len(json.loads(text))
    lines = text.splitlines()
    header = bool(lines) and (lines[0].startswith("ID ") or lines[0].startswith("id,"))
    return len(lines) - 1 if header else len(lines)  # a table's or a CSV's header


def _check(line: Line, code: int, out: str, err: str) -> None:
    said = f"README: {line.text}\n--- stdout\n{out}\n--- stderr\n{err}"
    failing = re.fullmatch(r"exit (\d+)(?::\s*(.*))?", line.expect)
    if failing:
        assert code == int(failing.group(1)), said
        assert (failing.group(2) or "") in out + err, said
        return
    assert code == 0, said
    rows = re.fullmatch(r"(\d+)(\+?) rows?", line.expect)
    if rows:
        count, at_least = int(rows.group(1)), rows.group(2) == "+"
        assert _rows(out) >= count if at_least else _rows(out) == count, said
    quoted = re.fullmatch(r'"(.*)"', line.expect)
    if quoted:
        assert quoted.group(1) in out, said
    if line.redirected or line.evaluated:
        assert out.strip(), said


class _App:
    """A command that opens the app, on a pty (100x30)."""

    def __init__(self, words: list[str], env: dict[str, str]) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {k: v for k, v in env.items() if not k.startswith("TEXTUAL")}
        env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "closetui", *words],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.seen = b""

    def wait_for(self, needle: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            assert time.monotonic() < deadline, f"the app never showed {needle!r}"
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:  # the app ended
                    break
        assert needle in self.seen, f"the app ended before showing {needle!r}"

    def quit(self) -> int:
        os.write(self.master, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 30
        while self.process.poll() is None and time.monotonic() < deadline:
            if select.select([self.master], [], [], 0.2)[0]:
                try:
                    os.read(self.master, 65536)  # drain, or the app blocks writing
                except OSError:
                    break
        code = self.process.wait(timeout=10)
        os.close(self.master)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class _Sandbox:
    """``closetui sandbox`` as the README starts it, on a free port instead of its own."""

    def __init__(self, words: list[str], env: dict[str, str]) -> None:
        self.port = _free_port()
        self.written = words[words.index("--port") + 1]
        words = [w if w != self.written else str(self.port) for w in words]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "closetui", *words[1:]],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert self.process.stdout is not None
        for text in self.process.stdout:
            if "base URL:" in text:
                assert f"127.0.0.1:{self.port}" in text
                return
        raise AssertionError(f"the sandbox did not start: {self.process.stderr.read()}")  # type: ignore[union-attr]

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C, as the README says
        code = self.process.wait(timeout=30)
        return code


def _block_id(block: Block) -> str:
    return " / ".join(" ".join(line.words[:2]) for line in block.lines)[:60]


BLOCKS = readme_blocks()


def test_the_readme_has_commands_to_run() -> None:
    commands = {line.words[1] if len(line.words) > 1 else "" for b in BLOCKS for line in b.lines}
    assert {"list", "get", "update", "sandbox", "config", "completion"} <= commands


@pytest.mark.parametrize("block", BLOCKS, ids=_block_id)
def test_every_readme_command_works_as_written(block: Block, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(_config_toml())
    config.chmod(0o600)
    env = {**os.environ, "CLOSETUI_CONFIG": str(config), "EDITOR": "true", "VISUAL": "true"}
    sandbox: _Sandbox | None = None
    last = ""
    try:
        for line in block.lines:
            words = line.words
            if sandbox is not None:  # the README's port is the sandbox's
                words = [w.replace(f":{sandbox.written}/", f":{sandbox.port}/") for w in words]
            run_env = {**env, **line.env}
            if words[1:2] == ["sandbox"]:
                sandbox = _Sandbox(words, run_env)
                continue
            if app_args(join_dash_values(words[1:])) is not None:
                app = _App(words[1:], run_env)
                try:
                    app.wait_for(b"closetui")
                    assert app.quit() == 0, f"README: {line.text}"
                finally:
                    app.kill()
                continue
            done = subprocess.run(
                [sys.executable, "-m", "closetui", *words[1:]],
                capture_output=True, text=True, env=run_env, timeout=120,
            )  # fmt: skip
            _check(line, done.returncode, done.stdout, done.stderr)
            if line.evaluated:
                shell = words[-1]
                if shutil.which(shell):
                    subprocess.run([shell, "-n", "-c", done.stdout], check=True, timeout=60)
            last = done.stdout
        if block.shown is not None:
            assert json.loads(last) == json.loads(block.shown), "README: the shown output"
    finally:
        if sandbox is not None:
            assert sandbox.stop() == 0, "closetui sandbox did not stop cleanly on Ctrl-C"
