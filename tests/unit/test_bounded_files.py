"""Config and theme files are read with a size cap, and no parser failure escapes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from closetui.cli.exit_codes import EXIT_USAGE
from closetui.cli.main import main
from closetui.config import ConfigError, Profile, add_profile, config_path, load_config
from closetui.text_files import MAX_TEXT_FILE, TooLarge, read_small_text
from closetui.theme_files import read_theme

NESTED_HEADERS = "[" * 5000
NESTED_ARRAY = "a = " + "[" * 5000 + "]" * 5000 + "\n"
NESTED_TABLE = "a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n"

BROKEN: dict[str, Callable[[Path], None]] = {
    "a symlink to /dev/zero": lambda p: p.symlink_to("/dev/zero"),
    "over 1 MB": lambda p: p.write_text("# padding\n" * (MAX_TEXT_FILE // 10 + 1)),
    "5,000 [": lambda p: p.write_text(NESTED_HEADERS),
    "a deeply nested array": lambda p: p.write_text(NESTED_ARRAY),
    "a deeply nested inline table": lambda p: p.write_text(NESTED_TABLE),
    "not UTF-8": lambda p: p.write_bytes(b'theme = "\xff"\n'),
    "NUL bytes": lambda p: p.write_bytes(b"\0" * 100),
    "a directory": lambda p: p.mkdir(),
}
EXPECTED = {
    "a symlink to /dev/zero": "larger than 1 MB",
    "over 1 MB": "larger than 1 MB",
    "5,000 [": "not valid TOML",
    "a deeply nested array": "not valid TOML",
    "a deeply nested inline table": "not valid TOML",
    "not UTF-8": "expected UTF-8 text",
    "NUL bytes": "not valid TOML",
    "a directory": "expected a file, found a directory",
}


def _broken(kind: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    BROKEN[kind](path)
    if path.is_file() and not path.is_symlink():
        path.chmod(0o600)
    return path


def test_the_reader_stops_after_the_cap(tmp_path: Path) -> None:
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    with pytest.raises(TooLarge, match="larger than 1 MB"):
        read_small_text(zero)
    exact = tmp_path / "exact"
    exact.write_bytes(b"#" * MAX_TEXT_FILE)
    assert len(read_small_text(exact)) == MAX_TEXT_FILE


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_config_is_one_line_naming_the_file(kind: str) -> None:
    path = _broken(kind, config_path())
    with pytest.raises(ConfigError) as caught:
        load_config()
    message = str(caught.value)
    assert message.startswith("~/config/closetui/config.toml: ")
    assert EXPECTED[kind] in message
    assert "\n" not in message
    assert len(message) < 200
    # The writer refuses to build on it the same way.
    with pytest.raises(ConfigError) as caught:
        add_profile(path, "acme", Profile(api_key_env="ACME_KEY"))
    assert str(caught.value).startswith("~/config/closetui/config.toml: ")


@pytest.mark.parametrize("kind", BROKEN)
def test_the_cli_says_so_and_exits_2(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    _broken(kind, config_path())
    assert main(["list", "--profile", "acme"]) == EXIT_USAGE
    assert main(["profile", "list"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("closetui: ~/config/closetui/config.toml: ") == 2
    assert "Traceback" not in err


@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_theme_is_a_problem_not_a_crash(kind: str, tmp_path: Path) -> None:
    path = _broken(kind, tmp_path / "themes" / "broken.toml")
    got = read_theme(path)
    assert isinstance(got, list)
    assert EXPECTED[kind] in got[0].message


def test_a_fifo_is_not_waited_on_forever(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="expected a regular file, found a pipe"):
        load_config(fifo)
