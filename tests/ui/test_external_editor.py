"""The note and text fields in the user's $EDITOR (a script here): the text comes back as typed."""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from closetui.sandbox import field_id
from closetui.state import DraftStore
from closetui.ui.terminal import Program
from tests.ui.helpers import (
    CloseTUI,
    Connection,
    Opportunity,
    focus_control,
    main,
    notifications,
    preview_body,
    row,
    settle,
    stored,
)

PROJECT = "custom." + field_id("Project Code")
NEXT_STEPS = "custom." + field_id("Next Steps")

EDITOR_SCRIPT = """\
import pathlib, stat, sys
target = pathlib.Path(sys.argv[-1])
log = pathlib.Path({log!r})
mode = oct(stat.S_IMODE(target.stat().st_mode))
log.write_text(str(target) + "\\n" + mode + "\\n" + target.read_text(encoding="utf-8"))
new = {new!r}
if new is not None:
    target.write_text(new, encoding="utf-8")
sys.exit({code})
"""


def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new: str | None, code: int = 0) -> Path:
    """Make $EDITOR a script that logs what it was given (name, mode, text) and writes
    ``new`` (None: leaves the file alone), exiting with ``code``; the log's path."""
    log = tmp_path / "editor.log"
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT.format(log=str(log), new=new, code=code))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    return log


def gone(path: str) -> bool:
    """The temporary file was removed."""
    return not Path(path).exists()


def run_in_place(app: CloseTUI) -> None:
    """Pilot's headless driver cannot suspend: the program runs with the app in place
    (a script touches no terminal)."""

    def direct(_app: Any, program: Program) -> int:
        return program()

    app.hand_over = direct


async def test_a_note_from_the_editor_lands_in_the_preview_the_draft_and_the_sandbox(
    connection: Connection,
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = editor(tmp_path, monkeypatch, "Renewal agreed.\nCall back on Monday.\n")
    run_in_place(app)
    await focus_control(pilot, "note")
    await pilot.press("ctrl+g")
    await settle(pilot)

    where, mode, given = log.read_text().split("\n", 2)
    assert Path(where).name.startswith("closetui-")
    assert where.endswith(".txt")
    assert mode == oct(0o600)
    assert given == (opened.note or "") + "\n"
    assert gone(where)  # removed after
    expected = "Renewal agreed.\nCall back on Monday."
    assert row(app, "note").query_one(TextArea).text == expected
    assert preview_body(app) == {"note": expected}
    assert app.drafts.flush()
    saved = DraftStore("@demo").path_for(opened.id)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "Call back on Monday." in saved.read_text()

    await pilot.press("ctrl+r")
    await settle(pilot)
    assert stored(app, opened.id).note == expected


async def test_ctrl_z_takes_the_editors_text_back(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor(tmp_path, monkeypatch, "replaced")
    run_in_place(app)
    await focus_control(pilot, "note")
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert preview_body(app) == {"note": "replaced"}
    await pilot.press("ctrl+z")
    await settle(pilot)
    assert preview_body(app) == {}


async def test_text_saved_unchanged_changes_nothing(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor(tmp_path, monkeypatch, None)
    run_in_place(app)
    await focus_control(pilot, "note")
    await pilot.press("f10")
    await settle(pilot)
    assert preview_body(app) == {}
    assert opened.id not in main(app).drafts
    assert any("No change" in n for n in notifications(app))


async def test_an_editor_that_fails_keeps_the_draft_as_it_was(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor(tmp_path, monkeypatch, "half-written", code=3)
    run_in_place(app)
    await focus_control(pilot, "note")
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert preview_body(app) == {}
    assert row(app, "note").query_one(TextArea).text == (opened.note or "")
    assert any("exited with 3" in n and "nothing was changed" in n for n in notifications(app))


async def test_a_one_line_text_field_takes_the_text_on_one_line(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor(tmp_path, monkeypatch, "PRJ-1\nPRJ-2\n")
    run_in_place(app)
    await focus_control(pilot, PROJECT)
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert row(app, PROJECT).query_one(Input).value == "PRJ-1 PRJ-2"
    assert preview_body(app) == {PROJECT: "PRJ-1 PRJ-2"}


async def test_a_textarea_custom_field_opens_in_the_editor_too(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor(tmp_path, monkeypatch, "Send the contract.\nBook the kickoff.")
    run_in_place(app)
    await focus_control(pilot, NEXT_STEPS)
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert preview_body(app) == {NEXT_STEPS: "Send the contract.\nBook the kickoff."}


async def test_where_the_app_cannot_suspend_it_says_so_and_runs_nothing(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pilot's headless driver is such a place: the real hand-over (App.suspend) refuses."""
    log = editor(tmp_path, monkeypatch, "never")
    await focus_control(pilot, "note")
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert not log.exists()
    assert preview_body(app) == {}
    assert any("cannot hand the screen" in n for n in notifications(app))


async def test_no_editor_anywhere_is_said(
    app: CloseTUI,
    pilot: Pilot[Any],
    opened: Opportunity,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # neither nano nor vi
    run_in_place(app)
    await focus_control(pilot, "note")
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert preview_body(app) == {}
    assert any("$VISUAL, $EDITOR are not set" in n for n in notifications(app))


async def test_help_lists_the_editor_key_under_text_fields_and_the_pager_key(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    from closetui.ui.screens.help import binding_rows

    sections = {title: [ident for *_, ident in rows] for title, rows in binding_rows(app.screen)}
    assert sections["Text fields"] == ["field.editor"]  # clear and undo stay under fields
    assert "field.clear" in sections["Editing a field"]
    assert "inspector.pager" in sections["Response inspector"]
