"""A crash of the app: a non-zero exit and a report on disk without the keys."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from closetui.cli.crash_report import redact

KEY = "sk_CrashTestKey_9f8e7d6c5b4a3f2e1d0c"
"""The key of the profile the app starts with (no api_ prefix: only its value gives it away)."""

CRASH = """
import sys
from textual.app import App
from closetui.cli.main import main

def handler_with_a_bug(api_key=sys.argv[1], other="api_ZZLeakedKeyLooksLikeThis0042"):
    raise RuntimeError("forced crash in a handler")

async def crash(pilot):
    await pilot.pause()
    pilot.app.call_later(handler_with_a_bug)

run = App.run
App.run = lambda self, **options: run(self, headless=True, size=(100, 30), auto_pilot=crash)
sys.exit(main(sys.argv[2:]))
"""


def run_app(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CLOSETUI_CONFIG": str(tmp_path / "config.toml"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "CRASH_TEST_KEY": KEY,
    }
    return subprocess.run(
        [sys.executable, "-c", CRASH, KEY, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_crash_exits_non_zero_and_leaves_a_redacted_report(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'default_profile = "work"\n\n[profiles.work]\n'
        'base_url = "http://127.0.0.1:9/api/v1/"\napi_key_env = "CRASH_TEST_KEY"\n'
    )
    config.chmod(0o600)
    done = run_app(tmp_path)
    assert done.returncode == 1, done.stderr
    assert "forced crash in a handler" in done.stderr  # Textual's report, shown...
    assert "handler_with_a_bug" in done.stderr
    assert KEY not in done.stderr  # ...redacted
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("closetui: the app crashed; this report (secrets taken out) is in ")
    (report,) = (tmp_path / "state" / "closetui").glob("crash-*.txt")
    assert last.endswith(report.name)
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    text = report.read_text()
    assert "RuntimeError" in text
    assert "forced crash in a handler" in text
    assert "handler_with_a_bug" in text  # the frame, with its locals...
    assert "api_key" in text
    assert KEY not in text  # ...but not the key's value
    assert KEY[3:15] not in text
    assert "ZZLeakedKey" not in text  # nor anything shaped like a Close API key


def test_a_clean_quit_leaves_no_report(tmp_path: Path) -> None:
    quit_code = CRASH.replace("pilot.app.call_later(handler_with_a_bug)", "pilot.app.exit()")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    env["CLOSETUI_CONFIG"] = str(tmp_path / "config.toml")
    done = subprocess.run(
        [sys.executable, "-c", quit_code, KEY, "--demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert not (tmp_path / "state" / "closetui").exists() or not list(
        (tmp_path / "state" / "closetui").glob("crash-*")
    )


def test_redaction_takes_out_secrets_their_pieces_and_key_shapes() -> None:
    secret = "0123456789abcdefghijKLMNOP"
    wrapped = f"│ key = '{secret[:14]}│\n│ {secret[14:]}' │"
    text = redact(
        f"{secret} {wrapped} Authorization: Basic YXBpX3h5ejo= Bearer tok.en-123 api_Abc123XYZ789",
        [secret],
    )
    assert secret[:12] not in text
    assert "YXBpX3h5ejo" not in text
    assert "tok.en-123" not in text
    assert "Abc123XYZ789" not in text
    assert "Authorization: Basic ***" in text
