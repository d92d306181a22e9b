"""The API key is a secret end to end: a scripted session, ending in a crash, never shows it.

The session types a literal key into the setup screen, connects with it, edits, previews,
copies the request as curl, sends, inspects, switches theme, opens the pickers and help,
then crashes inside a handler (a bug in the body encoder, forced here). The key must not
appear in any screen capture, anything copied, any file written outside config.toml, the
log, stdout/stderr, or Textual's crash report, which prints every frame's local variables.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path
from typing import Any, NoReturn

import pytest
from rich.console import Console
from rich.traceback import Traceback
from textual.widgets import Input

import closetui.api.client as client_module
import closetui.config.edit as edit_module
from closetui.config import config_path
from closetui.ui.app import CloseTUI, make_app
from tests.ui.helpers import (
    SandboxConnector,
    clock,
    first_matching,
    listing,
    open_row,
    replace_text,
    sandbox_app,
    settle,
    type_text,
)

MARKER = "api_7dSECRETMARKER1e9c3b5a"
"""The literal key of the session's profile (the sandbox accepts it)."""
FORMS = (MARKER, base64.b64encode(f"{MARKER}:".encode()).decode(), MARKER[4:20])
"""The key as typed, as the Basic-auth header carries it, and a long piece of it."""
URL = "http://127.0.0.1:8010/api/v1/"


def assert_no_key(text: str, where: str) -> None:
    for form in FORMS:
        assert form not in text, f"the key ({form!r}) is in {where}"


def boom(*args: Any) -> NoReturn:
    raise RuntimeError("forced crash: a bug deep down")


async def session(app: CloseTUI, seen: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Set up a profile with the literal key, use the app, then crash it."""

    def capture(name: str) -> None:
        seen[f"screen: {name}"] = app.export_screenshot()

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        for key, text in (("name", "work"), ("base-url", URL)):
            control = screen.query_one(f"#setup-{key}", Input)
            control.focus()
            control.value = ""
            await type_text(pilot, text)
        screen.query_one("#source-literal").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        screen.query_one("#setup-secret", Input).focus()
        await type_text(pilot, MARKER)
        capture("setup, key typed")
        await pilot.press("f5")
        await settle(pilot)
        assert listing(app).total == 40  # the key works
        capture("list")

        opened = first_matching(app, lambda o: o.status_type == "active")
        await open_row(pilot, opened)
        await replace_text(pilot, "confidence", "95")
        await pilot.press("f2")
        await settle(pilot)
        capture("preview")
        await pilot.press("f7")
        seen["clipboard: curl from the preview"] = app.clipboard
        assert "$CLOSE_API_KEY" in app.clipboard
        await pilot.press("f2", "ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        capture("inspector")
        await pilot.press("y")
        seen["clipboard: curl from the inspector"] = app.clipboard
        await pilot.press("c")
        seen["clipboard: response body"] = app.clipboard
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+p")
        await type_text(pilot, "Switch theme: closetui-light")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        capture("profile picker")
        await pilot.press("escape", "f1")
        await settle(pilot)
        capture("help")
        await pilot.press("escape")
        await settle(pilot)

        # A bug deep in building a request (opening another opportunity builds the one
        # its preview describes): every frame's locals go in the report.
        monkeypatch.setattr(client_module, "encode_body", boom)
        await open_row(pilot, opened + 1)


async def test_a_scripted_session_and_its_crash_never_show_the_key(
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    connector = SandboxConnector(sandboxes={URL: sandbox_app(40, api_key=MARKER)})
    app = make_app(None, now=clock, connector=connector)
    seen: dict[str, str] = {}
    with pytest.raises(RuntimeError, match="forced crash") as crashed:
        await session(app, seen, monkeypatch)

    out, err = capfd.readouterr()
    assert "forced crash" in err
    assert "build_request" in err  # the frame that builds the Authorization header...
    assert "locals" in err  # ...shown with its local variables
    seen["stdout"], seen["stderr"], seen["log"] = out, err, caplog.text
    report = Console(record=True, width=200, file=io.StringIO())
    report.print(
        Traceback.from_exception(crashed.type, crashed.value, crashed.tb, show_locals=True)
    )
    seen["full traceback with locals"] = report.export_text()
    for where, text in seen.items():
        assert_no_key(text, where)

    config = config_path()
    assert MARKER in config.read_text()  # a literal key source lives in the config file only
    written = [p for p in (tmp_path / "home").rglob("*") if p.is_file() and p != config]
    for path in written:
        assert_no_key(path.read_bytes().decode("utf-8", "replace"), str(path))


async def save_a_typed_key(app: CloseTUI) -> None:
    """Type the key into the setup screen and save (which crashes)."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#setup-name", Input).value = "work"
        app.screen.query_one("#source-literal").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        app.screen.query_one("#setup-secret", Input).focus()
        await type_text(pilot, MARKER)
        await pilot.press("f5")
        await settle(pilot)


async def test_a_crash_while_saving_the_typed_key_does_not_show_it(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document being written holds the key: the frames below the config helpers
    lose their locals when anything goes wrong there."""
    monkeypatch.setattr(edit_module, "write_atomic", boom)
    app = make_app(None, now=clock, connector=SandboxConnector())
    with pytest.raises(RuntimeError, match="forced crash") as crashed:
        await save_a_typed_key(app)
    err = capfd.readouterr().err
    assert "forced crash" in err
    assert "add_profile" in err
    assert "locals" in err
    report = Console(record=True, width=200, file=io.StringIO())
    report.print(
        Traceback.from_exception(crashed.type, crashed.value, crashed.tb, show_locals=True)
    )
    for where, text in (("stderr", err), ("full traceback", report.export_text())):
        assert_no_key(text, where)
    assert not config_path().exists()
