"""The palette's "Debug info": versions, paths, profile and terminal, copied; never a key."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from closetui.config import config_path
from closetui.config.paths import display_path
from closetui.debug_log import start_logging, stop_logging
from closetui.sandbox import DEMO_API_KEY
from closetui.ui.app import CloseTUI, make_app
from closetui.ui.screens.debug_info import DebugInfoScreen
from tests.ui.helpers import (
    SandboxConnector,
    clock,
    running,
    sandbox_app,
    settle,
    type_text,
    write_config,
)

REAL_LOOKING_KEY = "api_7Hq2ZkR9vXw4LmN8pT3sYb6Uc1Fd5Ge0"
WORK_URL = "http://127.0.0.1:8011/api/v1/"


def assert_no_key(text: str, key: str) -> None:
    """Nothing of ``key`` in ``text``: not it, its Basic value, a piece of it, a key shape."""
    basic = base64.b64encode(f"{key}:".encode()).decode()
    for leak in (key, basic, key[4:16]):
        assert leak not in text
    assert not re.search(r"\bapi_[A-Za-z0-9]{8,}", text)
    assert "Basic" not in text
    assert "Bearer" not in text


async def open_debug_info(pilot: Pilot[Any]) -> DebugInfoScreen:
    """ctrl+p, "debug info", enter."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, "debug info")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DebugInfoScreen)
    return screen


async def test_the_demos_debug_info_has_versions_paths_terminal_and_copies(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    screen = await open_debug_info(pilot)
    text = screen.report
    assert re.search(r"^closetui \S+$", text, re.M)
    assert re.search(r"^python 3\.11\.\d+", text, re.M)
    for package in ("textual 8.", "rich ", "httpx ", "pydantic 2."):
        assert f"\n{package}" in text
    assert re.search(r"^os \S+", text, re.M)
    assert f"config   {display_path(config_path())}" in text
    assert "drafts   " in text
    assert "history  " in text
    assert "cache    " in text
    assert "log      off (closetui --debug, or CLOSETUI_LOG=1)" in text
    assert "profile  demo" in text
    assert "key from the demo's built-in key" in text
    assert "terminal 120x40" in text
    assert re.search(r"^colours  \S+", text, re.M)
    assert "TERM=" in text
    assert re.search(r"^over SSH (yes|no)$", text, re.M)
    assert_no_key(text, DEMO_API_KEY)
    shown = str(screen.query_one("#debug-text").render())
    assert "terminal 120x40" in shown

    await pilot.press("c")
    await settle(pilot)
    assert app.clipboard == text
    await pilot.press("escape")
    await settle(pilot)
    assert not isinstance(app.screen, DebugInfoScreen)


async def test_a_profiles_key_source_is_named_and_its_key_is_not_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WORK_CLOSE_KEY", REAL_LOOKING_KEY)
    monkeypatch.setenv("SSH_CONNECTION", "127.0.0.1 50000 127.0.0.1 22")
    write_config(
        config_path(),
        f'default_profile = "work"\n\n[profiles.work]\nbase_url = "{WORK_URL}"\n'
        'api_key_env = "WORK_CLOSE_KEY"\n',
    )
    connector = SandboxConnector(sandboxes={WORK_URL: sandbox_app(10, api_key=REAL_LOOKING_KEY)})
    log = start_logging(tmp_path / "debug.log")
    try:
        app = make_app(connector.profile("work"), now=clock, connector=connector)
        async with running(app) as pilot:
            text = (await open_debug_info(pilot)).report
    finally:
        stop_logging()
    assert "profile  work" in text
    assert f"base URL {WORK_URL}" in text
    assert "key from env WORK_CLOSE_KEY" in text
    assert f"log      {display_path(log)}" in text
    assert "over SSH yes" in text
    assert_no_key(text, REAL_LOOKING_KEY)
    logged = log.read_text()
    assert f"connecting to work at {WORK_URL}" in logged
    assert "GET http://127.0.0.1:8011/api/v1/opportunity/" in logged
    assert_no_key(logged, REAL_LOOKING_KEY)
