"""Theme files: one TOML file per theme, read with tomllib only (no textual, no pydantic).

Built-in themes ship in the top-level ``themes/`` directory (inside the wheel as
``closetui/_themes``); a user's ``<config dir>/themes/*.toml`` add to them or replace
them by name. A bad file never stops anything: it becomes a :class:`ThemeProblem`
naming the file and the key. The UI turns each :class:`ThemeSpec` into a Textual
``Theme`` (``closetui.ui.themes``) and checks the colour names Textual knows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from closetui.text_files import load_toml, read_problem, read_small_text

DEFAULT_THEME = "closetui-dark"
"""The theme used when neither the config nor ``--theme`` names one."""

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "success",
    "warning",
    "error",
)
"""Keys holding a colour, as Textual's ``Theme`` names them (``primary`` is required)."""
THEME_KEYS = ("name", "dark", "ansi", *COLOUR_KEYS, "variables")
"""Every key a theme file may have."""

APP_VARIABLES: dict[str, str] = {
    "status-won": "rows and labels of won opportunities",
    "status-lost": "rows and labels of lost opportunities",
    "status-active": "the status of active opportunities",
    "diff-added": "values added by an edit (multi-value items, the response diff)",
    "diff-removed": "values removed by an edit",
    "badge-demo-background": "the header's DEMO badge",
    "badge-demo-foreground": "the text of the DEMO badge",
    "badge-read-only-background": "the header's READ-ONLY badge",
    "badge-read-only-foreground": "the text of the READ-ONLY badge",
}
"""closetui's own colour variables (``[variables]``), with what each one colours.

A theme that leaves one out gets a colour derived from its own palette.
"""

ANSI_COLOURS = frozenset(
    ["ansi_default"]
    + [
        f"ansi_{bright}{name}"
        for bright in ("", "bright_")
        for name in ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
    ]
)
"""The 16 ANSI colour names (plus the terminal's default) a theme may use."""

# Patterns for re.fullmatch (compiled by re's cache on first use): only user theme files are
# checked, so a start without any compiles none of them.
_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
_VARIABLE = r"[a-z][a-z0-9-]*"
_HEX = r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
_FUNCTION = r"(?:rgba?|hsla?)\([0-9.,%\s]+\)"
_WORD = r"[a-z][a-z_]*"
_ALPHA = r"(?:100|[0-9]{1,2}(?:\.[0-9]+)?)%"
_STYLE_WORDS = frozenset((
    "none", "not", "bold", "b", "dim", "d", "italic", "i", "underline", "u",
    "underline2", "uu", "reverse", "r", "strike", "s", "blink",
))  # fmt: skip
COLOUR_EXPECTED = 'expected a colour like "#0178D4", "ansi_blue" or "rgb(1, 120, 212)"'


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    """One theme as its file describes it: Textual's ``Theme`` fields plus variables."""

    name: str
    primary: str
    secondary: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    boost: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    dark: bool = True
    """A dark theme (light text on a dark background)."""
    ansi: bool = False
    """Made of the 16 ANSI colours: written as ANSI codes, never turned into RGB."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """CSS variables: closetui's (:data:`APP_VARIABLES`) and any of Textual's."""
    source: str = ""
    """Where it was read from, as messages show it."""

    def colours(self) -> dict[str, str]:
        """The colour keys this theme sets, with their values."""
        return {key: value for key in COLOUR_KEYS if isinstance(value := getattr(self, key), str)}


@dataclass(frozen=True, slots=True)
class ThemeProblem:
    """One thing wrong in a theme file."""

    file: str
    """The file, as messages show it."""
    key: str
    """The key at fault (``variables.status-won``), empty for the whole file."""
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"theme {where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ThemeCatalog:
    """The themes found, by name, and what was wrong with the files that were skipped."""

    themes: dict[str, ThemeSpec]
    problems: tuple[ThemeProblem, ...] = ()


def shown_path(path: Path) -> str:
    """A path as messages show it, with the home directory as ``~``."""
    try:
        return "~/" + path.absolute().relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def builtin_theme_dir() -> Path:
    """The built-in themes: ``closetui/_themes`` in a wheel, else the checkout's ``themes/``."""
    packaged = Path(__file__).parent / "_themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "themes"


def user_theme_dir(config_file: Path) -> Path:
    """A user's themes: ``themes/`` beside the config file in use."""
    return config_file.parent / "themes"


def builtin_themes() -> dict[str, ThemeSpec]:
    """The themes that ship with closetui, by name."""
    themes, _ = _read_builtin_themes()
    return themes


def load_themes(user_dir: Path | None = None) -> ThemeCatalog:
    """The built-in themes, then the user's files (which win by name)."""
    themes, problems = _read_builtin_themes()
    if user_dir is not None:
        mine, bad = read_theme_dir(user_dir)
        themes.update(mine)
        problems += bad
    return ThemeCatalog(themes, tuple(problems))


def _read_builtin_themes() -> tuple[dict[str, ThemeSpec], list[ThemeProblem]]:
    # Not checked: they ship with the app, and a test checks every one (tests/unit/test_themes.py).
    return read_theme_dir(builtin_theme_dir(), label="built-in", check=False)


def read_theme_dir(
    directory: Path, *, label: str | None = None, check: bool = True
) -> tuple[dict[str, ThemeSpec], list[ThemeProblem]]:
    """Every ``*.toml`` in ``directory`` (none when it does not exist), sorted by file name.

    ``check=False`` trusts the files' keys and values (see :func:`read_theme`).
    """
    themes: dict[str, ThemeSpec] = {}
    problems: list[ThemeProblem] = []
    try:
        paths = sorted(directory.glob("*.toml"))
    except OSError:
        paths = []
    for path in paths:
        got = read_theme(path, label=label, check=check)
        if isinstance(got, ThemeSpec):
            if got.name in themes:
                problems.append(
                    ThemeProblem(
                        got.source, "name", f"{got.name!r} is also {themes[got.name].source}"
                    )
                )
            themes[got.name] = got
        else:
            problems += got
    return themes, problems


def read_theme(
    path: Path, *, label: str | None = None, check: bool = True
) -> ThemeSpec | list[ThemeProblem]:
    """One theme file, or the problems that stop it from being used.

    ``check=False`` skips :func:`parse_theme`'s checks (for the built-in themes, which are
    checked by the tests instead); the file must still be readable TOML.
    """
    shown = f"{label} {path.name}" if label else shown_path(path)
    try:
        data = load_toml(read_small_text(path))
    except (OSError, ValueError) as exc:
        return [ThemeProblem(shown, "", read_problem(exc))]
    if not check:
        return theme_spec(data, shown, default_name=path.stem)
    return parse_theme(data, shown, default_name=path.stem)


def parse_theme(
    data: dict[str, Any], shown: str, *, default_name: str
) -> ThemeSpec | list[ThemeProblem]:
    """A theme from parsed TOML; the name defaults to the file's stem."""
    problems = [ThemeProblem(shown, key, _unknown(key)) for key in data if key not in THEME_KEYS]
    name = data.get("name", default_name)
    if not isinstance(name, str) or not re.fullmatch(_NAME, name):
        problems.append(ThemeProblem(shown, "name", "expected a name of letters, digits, - and _"))
    for key in ("dark", "ansi"):
        if key in data and not isinstance(data[key], bool):
            problems.append(ThemeProblem(shown, key, "expected true or false"))
    if "primary" not in data:
        problems.append(
            ThemeProblem(shown, "primary", "missing: every theme needs a primary colour")
        )
    for key in COLOUR_KEYS:
        if key in data and (problem := colour_problem(data[key])):
            problems.append(ThemeProblem(shown, key, problem))
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        problems.append(ThemeProblem(shown, "variables", "expected a [variables] table"))
        variables = {}
    for key, value in variables.items():
        if problem := variable_problem(key, value):
            problems.append(ThemeProblem(shown, f"variables.{key}", problem))
    if problems:
        return problems
    return theme_spec(data, shown, default_name=default_name)


def theme_spec(data: dict[str, Any], shown: str, *, default_name: str) -> ThemeSpec:
    """The theme ``data`` describes, taken as it is (:func:`parse_theme` checks it first)."""
    return ThemeSpec(
        name=data.get("name", default_name),
        **{key: data[key] for key in COLOUR_KEYS if key in data},
        dark=data.get("dark", True),
        ansi=data.get("ansi", False),
        variables=dict(data.get("variables", {})),
        source=shown,
    )


def colour_problem(value: object) -> str | None:
    """Why ``value`` is not a colour (syntax only; the UI checks colour names), or None."""
    if not isinstance(value, str):
        return COLOUR_EXPECTED
    text = value.strip()
    if text.startswith("ansi_"):
        return (
            None
            if text in ANSI_COLOURS
            else f"unknown ANSI colour {text!r}; "
            + ("expected ansi_red, ansi_bright_blue, ansi_default, …")
        )
    if any(re.fullmatch(pattern, text) for pattern in (_HEX, _FUNCTION, _WORD)):
        return None
    return f"{COLOUR_EXPECTED}, got {value!r}"


def variable_problem(name: object, value: object) -> str | None:
    """Why a ``[variables]`` entry is unusable, or None.

    Colour variables take a colour with an optional opacity (``"#0178D4 50%"``);
    ``*-text-style`` variables take style words (``"bold reverse"``).
    """
    if not isinstance(name, str) or not re.fullmatch(_VARIABLE, name):
        return "expected a variable name of lower-case letters, digits and -"
    if not isinstance(value, str) or not value.strip():
        return "expected a string in quotes"
    words = value.split()
    if name.endswith("text-style"):
        bad = [word for word in words if word not in _STYLE_WORDS]
        return f"expected style words like bold, reverse or none, got {bad[0]!r}" if bad else None
    if len(words) == 2 and re.fullmatch(_ALPHA, words[1]):
        words = words[:1]
    if len(words) == 1 and words[0] == "auto":
        return None
    if len(words) != 1:
        return f"{COLOUR_EXPECTED} (optionally with an opacity like 50%), got {value!r}"
    return colour_problem(words[0])


def _unknown(key: str) -> str:
    return "unknown key, expected one of " + ", ".join(THEME_KEYS)
