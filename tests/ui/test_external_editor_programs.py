"""Which editor and pager run ($VISUAL, $EDITOR, $PAGER, fallbacks) and the edit round trip."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from closetui.external_editor import (
    MAX_EDITED_BYTES,
    EditorMissing,
    PagerMissing,
    Runner,
    edit_text,
    editor_argv,
    pager_argv,
    private_temp_file,
    run_editor,
    run_program,
)


def fake_program(folder: Path, name: str) -> Path:
    """An executable called ``name`` in ``folder`` (for PATH look-ups)."""
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


def test_visual_comes_before_editor_and_is_split_as_shell_words() -> None:
    env = {"VISUAL": "code --wait", "EDITOR": "vim"}
    assert editor_argv(env) == ["code", "--wait"]
    assert editor_argv({"VISUAL": "  ", "EDITOR": "'my editor' -n"}) == ["my editor", "-n"]


def test_without_variables_nano_then_vi_on_path(tmp_path: Path) -> None:
    vi = fake_program(tmp_path, "vi")
    assert editor_argv({"PATH": str(tmp_path)}) == [str(vi)]
    nano = fake_program(tmp_path, "nano")
    assert editor_argv({"PATH": str(tmp_path)}) == [str(nano)]


def test_no_editor_names_the_variables_looked_at(tmp_path: Path) -> None:
    with pytest.raises(EditorMissing, match=r"\$VISUAL, \$EDITOR .*nano or vi"):
        editor_argv({"PATH": str(tmp_path)})
    with pytest.raises(EditorMissing):
        run_editor(tmp_path / "x.txt", {"PATH": str(tmp_path)})


def test_pager_is_the_variable_else_less_r_else_more(tmp_path: Path) -> None:
    assert pager_argv({"PAGER": "bat --plain"}) == ["bat", "--plain"]
    more = fake_program(tmp_path, "more")
    assert pager_argv({"PATH": str(tmp_path)}) == [str(more)]
    less = fake_program(tmp_path, "less")
    assert pager_argv({"PATH": str(tmp_path)}) == [str(less), "-R"]
    with pytest.raises(PagerMissing, match=r"\$PAGER"):
        pager_argv({"PATH": str(tmp_path / "none")})


def test_a_program_that_cannot_start_answers_127(tmp_path: Path) -> None:
    assert run_program([str(tmp_path / "missing")], tmp_path / "x.txt") == 127


def test_the_temp_file_is_private_and_removed_even_after_an_error() -> None:
    kept: list[Path] = []

    def fail_inside() -> None:
        with private_temp_file("secret-free text", ".txt") as path:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert path.read_text() == "secret-free text"
            kept.append(path)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_inside()
    assert kept
    assert not kept[0].exists()


def writes(text: str, code: int = 0) -> tuple[list[str], Runner]:
    """A runner that replaces the file with ``text`` and exits with ``code``."""
    seen: list[str] = []

    def run(path: Path) -> int:
        seen.append(path.read_text())
        path.write_bytes(text.encode())
        return code

    return seen, run


def test_the_editors_final_newline_and_windows_line_ends_change_nothing() -> None:
    seen, run = writes("line one\r\nline two\r\n")
    assert edit_text("line one\nline two", run).text is None
    assert seen == ["line one\nline two\n"]
    _, run = writes("line one\n")
    assert edit_text("line one", run).text is None


def test_edited_text_comes_back_without_the_final_newline_only() -> None:
    _, run = writes("new\n\n")
    assert edit_text("old", run).text == "new\n"
    _, run = writes("")
    assert edit_text("old", run).text == ""


def test_a_failed_run_keeps_the_text_and_says_why() -> None:
    _, run = writes("half", code=1)
    edited = edit_text("old", run)
    assert edited.text is None
    assert edited.problem is not None
    assert "exited with 1" in edited.problem


def test_a_removed_file_is_a_problem_not_a_crash() -> None:
    def remove(path: Path) -> int:
        os.unlink(path)
        return 0

    edited = edit_text("old", remove)
    assert edited.text is None
    assert edited.problem is not None
    assert "could not read" in edited.problem


def test_text_too_large_is_refused_and_kept_as_it_was() -> None:
    _, run = writes("x" * (MAX_EDITED_BYTES + 1))
    edited = edit_text("old", run)
    assert edited.text is None
    assert edited.problem is not None
    assert "larger than 1 MB" in edited.problem
    _, run = writes("x" * MAX_EDITED_BYTES)
    assert edit_text("old", run).text == "x" * MAX_EDITED_BYTES
