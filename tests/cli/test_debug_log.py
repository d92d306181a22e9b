"""--debug / CLOSETUI_LOG: a private, bounded log of requests, waits and events, never a key."""

from __future__ import annotations

import base64
import logging
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from closetui.api.client import CloseClient
from closetui.api.credentials import Credential
from closetui.debug_log import (
    MAX_BYTES,
    Redactor,
    active_log_path,
    default_log_path,
    log_target,
    start_logging,
    stop_logging,
)
from closetui.sandbox import DEMO_API_KEY, SandboxConfig, ServerThread
from tests.cli.helpers import run_closetui

REAL_LOOKING_KEY = "api_7Hq2ZkR9vXw4LmN8pT3sYb6Uc1Fd5Ge0"
"""A key shaped like Close's, given only through the environment."""


def key_shapes(key: str) -> list[str]:
    """``key`` and the ways it could leak: its Basic header value and a long piece."""
    return [key, base64.b64encode(f"{key}:".encode()).decode(), key[4:20]]


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CLOSE_API_KEY", "CLOSETUI_LOG")}
    env.update(
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    return env


@pytest.fixture
def stopped() -> Iterator[None]:
    """Logging started in this process is stopped after the test."""
    yield
    stop_logging()


def test_debug_logs_the_demos_requests_to_the_log_dir_and_says_where(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    done = run_closetui(("--debug", "list", "--demo", "--limit", "3"), env)
    assert done.code == 0, done.err
    log = tmp_path / "state" / "closetui" / "log" / "closetui.log"
    assert f"closetui: debug log: {log}" in done.err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    text = log.read_text()
    assert re.search(r"INFO closetui.cli: closetui \S+ on Python 3\.\d+\.\d+ .*: list", text)
    assert re.search(r"GET http://sandbox\.demo/api/v1/opportunity/\S* -> 200 in \d+ ms", text)
    for leak in key_shapes(DEMO_API_KEY):
        assert leak not in text


def test_without_debug_nothing_is_logged_and_nothing_said(tmp_path: Path) -> None:
    done = run_closetui(("list", "--demo", "--limit", "1"), base_env(tmp_path))
    assert done.code == 0, done.err
    assert "debug log" not in done.err
    assert not (tmp_path / "state" / "closetui" / "log").exists()


def test_closetui_log_path_over_loopback_with_a_real_looking_key_never_writes_it(
    tmp_path: Path,
) -> None:
    log = tmp_path / "elsewhere" / "run.log"
    env = {**base_env(tmp_path), "CLOSETUI_LOG": str(log), "CLOSE_API_KEY": REAL_LOOKING_KEY}
    with ServerThread(SandboxConfig(opportunities=5, api_key=REAL_LOOKING_KEY)) as url:
        listed = run_closetui(("list", "--base-url", url, "--json", "--limit", "5"), env)
        assert listed.code == 0, listed.err
        first = re.search(r'"id": "(oppo_\w+)"', listed.out)
        assert first is not None
        update = ("update", first.group(1), "--base-url", url, "--note", "from the log test")
        sent = run_closetui(update, env)
        assert sent.code == 0, sent.err
        refused = run_closetui(
            ("list", "--base-url", url), {**env, "CLOSE_API_KEY": "api_wrong1234"}
        )
        assert refused.code != 0
    assert f"debug log: {log}" in sent.err
    text = log.read_text()
    assert re.search(r"PUT http://127\.0\.0\.1:\d+/api/v1/opportunity/oppo_\w+/ -> 200", text)
    assert " -> 401 in " in text
    for leak in [*key_shapes(REAL_LOOKING_KEY), "api_wrong1234", "Authorization", "Basic "]:
        assert leak not in text


async def test_retry_waits_and_failed_attempts_are_logged(tmp_path: Path, stopped: None) -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json={"ok": True})])
    transport = httpx.MockTransport(lambda request: next(answers))
    log = start_logging(tmp_path / "retry.log")
    async with CloseClient(
        Credential.api_key(REAL_LOOKING_KEY),
        base_url="http://127.0.0.1:9/api/v1/",
        transport=transport,
        backoff=0.0,
    ) as close:
        assert await close.send(close.build_request("GET", "me/")) == {"ok": True}
    lines = log.read_text().splitlines()
    assert any(
        "GET http://127.0.0.1:9/api/v1/me/ -> 503" in line and "attempt 1" in line for line in lines
    )
    assert any("waiting 0.0 s (unavailable) before attempt 2 of GET" in line for line in lines)
    assert any(" -> 200 " in line and "attempt 2" in line for line in lines)
    assert REAL_LOOKING_KEY not in log.read_text()


def test_the_log_is_bounded_and_rotated(tmp_path: Path, stopped: None) -> None:
    log = start_logging(tmp_path / "big.log")
    line = "x" * 1000
    for _ in range(MAX_BYTES // 1000 * 5):
        logging.getLogger("closetui.test").debug(line)
    files = sorted(p.name for p in tmp_path.glob("big.log*"))
    assert files == ["big.log", "big.log.1", "big.log.2", "big.log.3"]
    for name in files:
        assert (tmp_path / name).stat().st_size <= MAX_BYTES + 2000
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert active_log_path() == log


def test_the_redactor_takes_out_known_keys_headers_and_key_shapes() -> None:
    record = logging.LogRecord(
        "closetui",
        logging.INFO,
        __file__,
        1,
        "sent %s with Authorization: Basic %s and Bearer tok.en-123456 and %s",
        ("sk_live_secret_value", "YXBpX3h5ejo6", "api_Abc123XYZ789"),
        None,
    )
    assert Redactor(["sk_live_secret_value"]).filter(record)
    text = record.getMessage()
    for leak in ("sk_live_secret_value", "YXBpX3h5ejo6", "tok.en-123456", "Abc123XYZ789"):
        assert leak not in text
    assert "Authorization: Basic ***" in text


def test_where_the_log_goes() -> None:
    default = default_log_path()
    assert log_target(False, {}) is None
    assert log_target(True, {}) == default
    assert log_target(False, {"CLOSETUI_LOG": "1"}) == default
    assert log_target(True, {"CLOSETUI_LOG": "0"}) == default  # --debug wins over "off"
    assert log_target(False, {"CLOSETUI_LOG": "~/x.log"}) == Path("~/x.log").expanduser()


CRASH = """
import sys
from textual.app import App
from closetui.cli.main import main

def handler_with_a_bug():
    raise RuntimeError("forced crash in a handler")

async def crash(pilot):
    await pilot.pause()
    pilot.app.call_later(handler_with_a_bug)

run = App.run
App.run = lambda self, **options: run(self, headless=True, size=(100, 30), auto_pilot=crash)
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_with_debug_names_the_log_in_its_report(tmp_path: Path) -> None:
    env = {**base_env(tmp_path), "CLOSETUI_CONFIG": str(tmp_path / "config.toml")}
    done = subprocess.run(
        [sys.executable, "-c", CRASH, "--debug", "--demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    log = tmp_path / "state" / "closetui" / "log" / "closetui.log"
    assert done.stderr.strip().splitlines()[-1] == f"closetui: the debug log of this run is {log}"
    (report,) = (tmp_path / "state" / "closetui").glob("crash-*.txt")
    assert f"debug log: {log}" in report.read_text()
    text = log.read_text()
    assert "connecting to demo at http://sandbox.demo/api/v1/" in text
    assert f"the app crashed; report in {report}" in text
    assert DEMO_API_KEY not in text
