"""Theme files (pure loader): built-ins, user overrides, bad files by name and key, set_theme."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from closetui import theme_files
from closetui.config import ConfigError, set_theme
from closetui.theme_files import (
    APP_VARIABLES,
    DEFAULT_THEME,
    ThemeSpec,
    builtin_theme_dir,
    builtin_themes,
    load_themes,
    parse_theme,
    read_theme,
    user_theme_dir,
)
from tests.conftest import ROOT

CORE = ["status-won", "status-lost", "status-active", "diff-added", "diff-removed"]
"""The variables every built-in theme sets itself (the badges may be derived)."""
BUILT_INS = ["closetui-ansi", "closetui-dark", "closetui-high-contrast", "closetui-light"]


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


def test_every_built_in_theme_loads_with_closetui_variables() -> None:
    assert set(CORE) <= set(APP_VARIABLES)
    assert builtin_theme_dir() == ROOT / "themes"
    catalog = load_themes()
    assert catalog.problems == ()
    assert sorted(catalog.themes) == BUILT_INS
    assert DEFAULT_THEME in catalog.themes
    for name, spec in catalog.themes.items():
        assert spec.name == name
        assert spec.source == f"built-in {name}.toml"
        assert set(CORE) <= set(spec.variables), name
    assert not catalog.themes["closetui-light"].dark
    assert catalog.themes["closetui-ansi"].ansi
    ansi = catalog.themes["closetui-ansi"]
    assert all(value.startswith("ansi_") for value in ansi.colours().values())
    assert all(v.startswith("ansi_") for v in ansi.variables.values())


@pytest.mark.parametrize("name", BUILT_INS)
def test_every_built_in_file_passes_the_checks_it_skips_at_start(name: str) -> None:
    path = builtin_theme_dir() / f"{name}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    checked = parse_theme(data, f"built-in {path.name}", default_name=path.stem)
    assert isinstance(checked, ThemeSpec), checked  # else: the problems with the file
    assert read_theme(path, label="built-in", check=False) == checked


def test_built_ins_are_read_unchecked_and_no_pattern_is_compiled_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert sorted(p.stem for p in builtin_theme_dir().glob("*.toml")) == BUILT_INS
    assert not [v for v in vars(theme_files).values() if isinstance(v, re.Pattern)]

    def checked(*args: object, **kwargs: object) -> object:
        raise AssertionError("a built-in theme was checked at start")

    monkeypatch.setattr(theme_files, "parse_theme", checked)
    assert sorted(load_themes().themes) == BUILT_INS
    assert sorted(builtin_themes()) == BUILT_INS


def test_a_user_theme_overrides_a_built_in_and_adds_new_ones(tmp_path: Path) -> None:
    mine = tmp_path / "themes"
    write(mine, "dark.toml", 'name = "closetui-dark"\nprimary = "#FF00FF"\n')
    write(
        mine,
        "ocean.toml",
        'primary = "ansi_cyan"\ndark = false\n[variables]\nstatus-won = "#00FF00 80%"\n',
    )
    catalog = load_themes(mine)
    assert catalog.problems == ()
    assert catalog.themes["closetui-dark"].primary == "#FF00FF"
    assert catalog.themes["closetui-dark"].source.endswith("themes/dark.toml")
    ocean = catalog.themes["ocean"]  # the name defaults to the file's stem
    assert (ocean.primary, ocean.dark, dict(ocean.variables)) == (
        "ansi_cyan",
        False,
        {"status-won": "#00FF00 80%"},
    )
    assert sorted(builtin_themes()) == BUILT_INS  # the built-ins themselves are untouched


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('primary = "#0178D4"\nprimery = "#000000"\n', "primery", "unknown key"),
        ('name = "x"\n', "primary", "missing"),
        ('primary = "#01"\n', "primary", "expected a colour"),
        ('primary = "ansi_purple"\n', "primary", "unknown ANSI colour 'ansi_purple'"),
        ("primary = 12\n", "primary", "expected a colour"),
        ('primary = "#fff"\ndark = "yes"\n', "dark", "expected true or false"),
        ('primary = "#fff"\nname = "no spaces"\n', "name", "expected a name"),
        ('primary = "#fff"\n[variables]\nstatus-won = "#fff #000"\n', "variables.status-won", ""),
        ('primary = "#fff"\n[variables]\nBad_Name = "#fff"\n', "variables.Bad_Name", "lower-case"),
        ('primary = "#fff"\n[variables]\nblock-cursor-text-style = "loud"\n', "", "'loud'"),
        ('primary = "#fff"\nvariables = 3\n', "variables", "expected a [variables] table"),
        ('primary = "#fff\n', "", "not valid TOML"),
    ],
)
def test_a_bad_file_is_reported_by_name_and_key(
    tmp_path: Path, text: str, key: str, message: str
) -> None:
    mine = tmp_path / "themes"
    write(mine, "broken.toml", text)
    catalog = load_themes(mine)
    assert sorted(catalog.themes) == BUILT_INS  # the others still load
    assert len(catalog.problems) == 1, catalog.problems
    problem = catalog.problems[0]
    assert problem.file.endswith("themes/broken.toml")
    if key:
        assert problem.key == key
    assert message in problem.message
    assert str(problem).startswith(f"theme {problem.file}")


def test_unreadable_files_and_a_missing_directory(tmp_path: Path) -> None:
    assert load_themes(tmp_path / "nowhere").problems == ()
    bad = write(tmp_path, "latin1.toml", "")
    bad.write_bytes(b'primary = "\xff"\n')
    got = read_theme(bad)
    assert isinstance(got, list)
    assert "expected UTF-8 text" in str(got[0])


def test_two_user_files_with_one_name(tmp_path: Path) -> None:
    mine = tmp_path / "themes"
    write(mine, "a.toml", 'name = "same"\nprimary = "#111111"\n')
    write(mine, "b.toml", 'name = "same"\nprimary = "#222222"\n')
    catalog = load_themes(mine)
    assert catalog.themes["same"].primary == "#222222"  # files are read in name order
    assert [p.key for p in catalog.problems] == ["name"]
    assert "a.toml" in catalog.problems[0].message


def test_user_themes_live_beside_the_config_file(tmp_path: Path) -> None:
    assert user_theme_dir(tmp_path / "closetui" / "config.toml") == tmp_path / "closetui" / "themes"


def test_the_loader_needs_neither_textual_nor_pydantic() -> None:
    code = (
        "import json, sys; from closetui.theme_files import builtin_themes; builtin_themes(); "
        "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None)))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    loaded = {m.split(".")[0] for m in json.loads(done.stdout)}
    assert not loaded & {"textual", "rich", "pydantic", "platformdirs", "tomlkit", "httpx"}


def test_colours_lists_only_the_keys_set() -> None:
    spec = ThemeSpec(name="x", primary="#000000", error="ansi_red")
    assert spec.colours() == {"primary": "#000000", "error": "ansi_red"}


HAND_WRITTEN = """\
# My settings
default_profile = "acme"  # work

# Rebindings
[keymap]
"main.send" = "f5"

[profiles.acme]
# production
api_key_env = "ACME_KEY"

[profiles.beta]
api_key_env = "BETA_KEY"
theme = "nord"  # beta's own
"""


def test_set_theme_keeps_comments_and_order(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN)
    set_theme(path, "closetui-light")
    set_theme(path, "closetui-ansi", profile="beta")
    text = path.read_text()
    assert text == HAND_WRITTEN.replace(
        'default_profile = "acme"  # work\n',
        'default_profile = "acme"  # work\ntheme = "closetui-light"\n',
    ).replace('theme = "nord"  # beta\'s own', 'theme = "closetui-ansi"  # beta\'s own')
    set_theme(path, "closetui-dark")
    assert 'theme = "closetui-dark"\n' in path.read_text()
    assert path.read_text().count("theme = ") == 2
    with pytest.raises(ConfigError, match="no profile 'gamma'"):
        set_theme(path, "x", profile="gamma")
