"""docs/config.md against the pydantic models: every key, its default, valid examples."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from closetui.config import CONFIG_ENV, validate_config
from closetui.config.model import Config, Profile, View
from closetui.theme_files import APP_VARIABLES, THEME_KEYS

DOC = Path(__file__).parents[2] / "docs" / "config.md"
SECTIONS = {"Top level": Config, "`[profiles.NAME]`": Profile, "`[views.": View}
"""The doc's section (its heading's start) that lists each model's keys."""


def _sections() -> dict[str, str]:
    parts = re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {part.partition("\n")[0]: part for part in parts[1:]}


def _section(start: str) -> str:
    return next(text for heading, text in _sections().items() if heading.startswith(start))


def _rows(section: str) -> dict[str, list[str]]:
    """Table rows by their first cell's keys (a cell may list several)."""
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `"):
            for key in re.findall(r"`([^`]+)`", cells[0]):
                rows[key] = cells
    return rows


def _shown(default: object) -> str:
    """A default as the doc writes it."""
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, str):
        return f'`"{default}"`'
    if isinstance(default, int | float):
        return f"`{default:g}`"
    if default in ({}, ()):
        return "empty"
    raise AssertionError(f"no rule to show {default!r}")


@pytest.mark.parametrize(("start", "model"), SECTIONS.items())
def test_every_model_key_is_listed_with_its_default(start: str, model: type[BaseModel]) -> None:
    rows = _rows(_section(start))
    missing = [name for name in model.model_fields if name not in rows]
    assert not missing, f"docs/config.md, section {start}: add {missing}"
    extra = [key for key in rows if key not in model.model_fields]
    assert not extra, f"docs/config.md, section {start}: no such key {extra}"
    for name, field in model.model_fields.items():
        default = field.get_default(call_default_factory=True)
        assert rows[name][2] == _shown(default), f"{start} {name}: default"


def test_every_theme_key_and_variable_is_listed() -> None:
    themes = _section("Themes")
    rows = _rows(themes)
    assert [key for key in THEME_KEYS if key not in rows] == []
    assert [name for name in APP_VARIABLES if f"`{name}`" not in themes] == []


def test_the_examples_load_as_the_app_loads_them() -> None:
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= 4
    # One file, as the examples build on each other (a view for the profile above).
    config = validate_config(tomllib.loads("".join(blocks)), DOC)  # ConfigError names the key
    assert config.default_profile in config.profiles


def test_where_the_file_lives_is_said() -> None:
    where = _section("Where it is")
    assert f"`${CONFIG_ENV}`" in where
    assert "`--config PATH`" in where
    assert "closetui config path" in where
