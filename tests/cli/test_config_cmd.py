"""``closetui config path`` and ``config edit``, with a script as the editor."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from closetui.cli.config_cmd import key_line

VALID = '[profiles.acme]\napi_key_env = "CLOSE_KEY"\ntz_offset = 2\n'
INVALID = '[profiles.acme]\napi_key_env = "CLOSE_KEY"\ntz_offset = 99\n'


def _editor(tmp_path: Path, *versions: str) -> Path:
    """A script editor writing ``versions`` in turn, one per run (the last one repeats)."""
    for number, text in enumerate(versions):
        (tmp_path / f"v{number}").write_text(text)
    script = tmp_path / "editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'dir="{tmp_path}"\n'
        'n=$(cat "$dir/count" 2>/dev/null || echo 0)\n'
        f'[ -f "$dir/v$n" ] || n={len(versions) - 1}\n'
        'cp "$dir/v$n" "$1"\n'
        'echo $((n + 1)) > "$dir/count"\n'
        'echo "$1" >> "$dir/edited"\n'
    )
    script.chmod(0o700)
    return script


def _config(
    tmp_path: Path, editor: Path | None, *args: str, answer: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VISUAL", "EDITOR")}
    env["CLOSETUI_CONFIG"] = str(tmp_path / "conf" / "config.toml")
    if editor is not None:
        env["EDITOR"] = str(editor)
    return subprocess.run(
        [sys.executable, "-m", "closetui", "config", *args],
        input=answer, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


def test_path_prints_the_file_and_whether_it_exists(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    missing = _config(tmp_path, None, "path")
    assert missing.returncode == 0
    assert missing.stdout == f"{target}\n"
    assert "does not exist yet" in missing.stderr
    target.parent.mkdir()
    target.write_text(VALID)
    there = _config(tmp_path, None, "path")
    assert there.stdout == f"{target}\n"
    assert "(exists" in there.stderr


def test_a_valid_edit_replaces_the_file_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    target.parent.mkdir()
    target.write_text("# mine\n")
    target.chmod(0o640)
    done = _config(tmp_path, _editor(tmp_path, "# mine\n" + VALID), "edit")
    assert done.returncode == 0, done.stderr
    assert target.read_text() == "# mine\n" + VALID
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    edited = Path((tmp_path / "edited").read_text().strip())
    assert edited != target
    assert edited.name == "config.toml"
    assert not edited.exists()  # and removed afterwards


def test_a_new_file_is_created_private(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    done = _config(tmp_path, _editor(tmp_path, VALID), "edit")
    assert done.returncode == 0, done.stderr
    assert target.read_text() == VALID
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_invalid_edit_says_file_line_and_key_and_keeps_the_file(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    target.parent.mkdir()
    target.write_text(VALID)
    refused = _config(tmp_path, _editor(tmp_path, INVALID), "edit", answer="n\n")
    assert refused.returncode == 2
    assert "config.toml, line 3: profiles.acme.tz_offset: expected hours" in refused.stderr
    assert "Edit again?" in refused.stderr
    assert target.read_text() == VALID
    no_terminal = _config(tmp_path, _editor(tmp_path, "[profiles\n"), "edit")
    assert no_terminal.returncode == 2
    assert "not valid TOML" in no_terminal.stderr
    assert "line 1" in no_terminal.stderr
    assert target.read_text() == VALID


def test_editing_again_after_a_mistake_saves_the_fixed_copy(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    done = _config(tmp_path, _editor(tmp_path, INVALID, VALID), "edit", answer="y\n")
    assert done.returncode == 0, done.stderr
    assert "tz_offset" in done.stderr  # the first round's problem was shown
    assert target.read_text() == VALID
    assert (tmp_path / "count").read_text().strip() == "2"


def test_a_failing_editor_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "config.toml"
    target.parent.mkdir()
    target.write_text(VALID)
    failing = tmp_path / "fail.sh"
    failing.write_text('#!/bin/sh\necho garbage > "$1"\nexit 3\n')
    failing.chmod(0o700)
    done = _config(tmp_path, failing, "edit")
    assert done.returncode == 2
    assert "the editor exited with 3" in done.stderr
    assert target.read_text() == VALID


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("profiles.acme.tz_offset", 4),
        ("profiles.acme", 2),
        ('views."Won x".status_type', 6),
        ("theme", 1),
        ("profiles.other.base_url", None),
    ],
)
def test_key_line_finds_a_key_or_its_table(key: str, line: int | None) -> None:
    text = 'theme = "x"\n' + VALID + '[views."Won x"]\nstatus_type = "wonn"\n'
    assert key_line(text, key) == line
