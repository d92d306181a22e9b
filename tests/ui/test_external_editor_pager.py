"""The response inspector's body in the user's $PAGER (a script here), never with a secret."""

from __future__ import annotations

import base64
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from closetui.sandbox import DEMO_API_KEY
from closetui.ui.screens.inspector import InspectorScreen
from closetui.ui.terminal import Program
from tests.ui.helpers import (
    CloseTUI,
    Opportunity,
    notifications,
    replace_text,
    settle,
)

PAGER_SCRIPT = """\
import pathlib, stat, sys
target = pathlib.Path(sys.argv[-1])
mode = oct(stat.S_IMODE(target.stat().st_mode))
pathlib.Path({log!r}).write_text(str(target) + "\\n" + mode + "\\n" + target.read_text())
sys.exit({code})
"""


def pager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int = 0) -> Path:
    """Make $PAGER a script that logs the file it was given (path, mode, text)."""
    log = tmp_path / "pager.log"
    script = tmp_path / "pager.py"
    script.write_text(PAGER_SCRIPT.format(log=str(log), code=code))
    monkeypatch.setenv("PAGER", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    return log


def gone(path: str) -> bool:
    """The temporary file was removed."""
    return not Path(path).exists()


def run_in_place(app: CloseTUI) -> None:
    """Pilot's headless driver cannot suspend: the pager script runs with the app in place."""

    def direct(_app: Any, program: Program) -> int:
        return program()

    app.hand_over = direct


async def sent_and_inspected(pilot: Pilot[Any]) -> InspectorScreen:
    """Send a change to the open opportunity and open the inspector on its answer."""
    await replace_text(pilot, "confidence", "64")
    await pilot.press("ctrl+r")
    await settle(pilot)
    await pilot.press("ctrl+t")
    await settle(pilot)
    inspector = pilot.app.screen
    assert isinstance(inspector, InspectorScreen)
    return inspector


async def test_p_shows_status_headers_and_pretty_body_in_the_pager_without_the_key(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = pager(tmp_path, monkeypatch)
    run_in_place(app)
    inspector = await sent_and_inspected(pilot)
    await pilot.press("p")
    await settle(pilot)

    where, mode, shown = log.read_text().split("\n", 2)
    assert mode == oct(0o600)
    assert gone(where)
    assert shown.startswith("HTTP 200 in ")
    assert f"PUT {inspector.exchange.request.url}" in shown
    assert "content-type: application/json" in shown.lower()
    body = json.loads(shown[shown.index("\n{") :])
    assert body["id"] == opened.id
    assert body["confidence"] == 64
    assert '\n  "confidence": 64' in shown  # pretty, as the inspector shows it
    basic = base64.b64encode(f"{DEMO_API_KEY}:".encode()).decode()
    for secret in (DEMO_API_KEY, basic, "Authorization"):
        assert secret not in shown


async def test_a_pager_that_fails_is_said_and_the_inspector_stays(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pager(tmp_path, monkeypatch, code=2)
    run_in_place(app)
    await sent_and_inspected(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(app.screen, InspectorScreen)
    assert any("pager exited with 2" in n for n in notifications(app))


async def test_without_suspend_the_pager_is_not_run(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = pager(tmp_path, monkeypatch)
    await sent_and_inspected(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert not log.exists()
    assert any("cannot hand the screen" in n for n in notifications(app))
