"""Themes in the app: theme files as Textual themes, closetui's colour variables, remembering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.style import Style
from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from closetui.config.errors import ConfigError
from closetui.config.paths import display_path
from closetui.theme_files import ThemeProblem, ThemeSpec, load_themes

# Where closetui's own variables default to, for themes that do not set them (Textual's).
_DERIVED = {
    "status-won": "text-success",
    "status-lost": "text-error",
    "status-active": "foreground",
    "diff-added": "text-success",
    "diff-removed": "text-error",
    "badge-demo-background": "accent-muted",
    "badge-demo-foreground": "text-accent",
    "badge-read-only-background": "warning-muted",
    "badge-read-only-foreground": "text-warning",
}


@dataclass(frozen=True, slots=True)
class AppThemes:
    """The themes to register, by name, and the problems to report (as sentences)."""

    themes: dict[str, Theme]
    problems: tuple[str, ...] = ()

    def names(self) -> list[str]:
        """Every theme name the app can show: Textual's own and these, sorted."""
        return sorted({*BUILTIN_THEMES, *self.themes})


def load_app_themes(user_dir: Path | None) -> AppThemes:
    """Built-in and user theme files as Textual themes; bad files become problems."""
    catalog = load_themes(user_dir)
    problems = [str(problem) for problem in catalog.problems]
    themes: dict[str, Theme] = {}
    for name, spec in catalog.themes.items():
        got = to_textual(spec)
        if isinstance(got, Theme):
            themes[name] = got
        else:
            problems += [str(problem) for problem in got]
    return AppThemes(themes, tuple(problems))


def to_textual(spec: ThemeSpec) -> Theme | list[ThemeProblem]:
    """The Textual theme for ``spec``, or the colours Textual cannot parse."""
    problems: list[ThemeProblem] = []
    for key, value in spec.colours().items():
        if not _parses(value):
            problems.append(ThemeProblem(spec.source, key, f"unknown colour {value!r}"))
    for key, value in spec.variables.items():
        first = value.split()[0]
        if not key.endswith("text-style") and first != "auto" and not _parses(first):
            problems.append(
                ThemeProblem(spec.source, f"variables.{key}", f"unknown colour {first!r}")
            )
    if problems:
        return problems
    return Theme(
        name=spec.name,
        primary=spec.primary,
        secondary=spec.secondary,
        accent=spec.accent,
        foreground=spec.foreground,
        background=spec.background,
        surface=spec.surface,
        panel=spec.panel,
        boost=spec.boost,
        success=spec.success,
        warning=spec.warning,
        error=spec.error,
        dark=spec.dark,
        ansi=spec.ansi,
        variables=dict(spec.variables),
    )


def _parses(colour: str) -> bool:
    try:
        Color.parse(colour)
    except ColorParseError:
        return False
    return True


def variable_defaults(theme: Theme) -> dict[str, str]:
    """closetui's variables for a theme that lacks them, from its own colour system.

    Also the two variables Textual's stylesheets need from ANSI themes, so a user's
    ANSI theme without them still works.
    """
    colours = theme.to_color_system().generate()
    defaults = {name: colours[source] for name, source in _DERIVED.items()}
    light, dark = ("ansi_white", "ansi_black")
    defaults["ansi-background"] = dark if theme.dark else light
    defaults["ansi-foreground"] = light if theme.dark else dark
    return defaults


def variable_style(
    app: App[object], name: str, *, bold: bool = False, strike: bool = False
) -> Style:
    """A Rich style in the colour of a theme variable, for Rich renderables."""
    value = app.theme_variables.get(name) or variable_defaults(app.current_theme)[name]
    try:
        colour = Color.parse(value.split()[0]).rich_color
    except ColorParseError:
        colour = None
    return Style(color=colour, bold=bold or None, strike=strike or None)


def remember_theme(config: Path, profile: str | None, name: str) -> str:
    """Save the chosen theme where it takes effect; returns what to tell the user.

    The profile's own ``theme`` when it has one (it would win over the top-level key),
    else the top-level ``theme``. With no config file, nothing is written: the demo
    never creates files behind the user's back.
    """
    # The loader (pydantic) and the TOML writer (tomlkit) load when needed.
    from closetui.config import load_config, set_theme

    failure = ""
    try:
        loaded = load_config(config)
        if not loaded.exists:
            return f"Theme {name} for this session (no config file to remember it in)."
        own = loaded.config.profiles.get(profile or "")
        target = profile if own is not None and own.theme is not None else None
        set_theme(config, name, profile=target)
    except ConfigError as exc:
        failure = str(exc).splitlines()[0]
    if failure:
        return f"Theme {name} for this session; not saved: {failure}"
    where = f"for profile {profile}" if target else f"in {display_path(config)}"
    return f"Theme {name} saved {where}."
