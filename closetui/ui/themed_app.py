"""The theme side of the app: theme files registered, settings applied, picks remembered."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import App
from textual.filter import LineFilter, Monochrome, NoColor

from closetui.theme_files import DEFAULT_THEME, user_theme_dir
from closetui.ui.themes import AppThemes, load_app_themes, remember_theme, variable_defaults


class ThemedApp(App[None]):
    """An app whose themes come from theme files (built-in, then the user's) and carry
    closetui's colour variables. Themes set from settings are applied quietly; a theme the
    user picks (palette, Textual's theme picker) is remembered in the config file.

    Subclasses say where the config is (:meth:`config_file`) and which profile is open
    (:meth:`open_profile_name`).
    """

    def __init__(self, *, theme: str | None = None, themes: AppThemes | None = None) -> None:
        super().__init__()
        self.theme_option = theme
        """``--theme``: wins over the config for this run (and is not saved)."""
        self._themes = themes
        self._theme_set = ""  # the last theme set from settings (not a user's pick)
        self._remembering = False
        self._no_color_filters = (NoColor(), Monochrome())
        """NO_COLOR's filters for ANSI and for RGB themes (kept: strips cache by filter)."""
        if self.no_color:
            self.add_class("-no-color")  # the stylesheet marks the cursor without colour

    def config_file(self) -> Path:
        """The config file: user themes live beside it, picks are saved in it."""
        raise NotImplementedError

    def open_profile_name(self) -> str | None:
        """The profile in use (its own ``theme`` is where a pick is saved, if it has one)."""
        return None

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """closetui's colour variables for themes that do not set them (Textual's own)."""
        return variable_defaults(self.current_theme)

    def _register_themes(self) -> AppThemes:
        themes = self._themes or load_app_themes(user_theme_dir(self.config_file()))
        self._themes = themes
        for theme in themes.themes.values():
            self.register_theme(theme)
        return themes

    def install_themes(self) -> None:
        """Register the theme files' themes; report the files that could not be used."""
        themes = self._register_themes()
        for problem in themes.problems:
            self.notify(
                problem, title="Theme not loaded", severity="warning", timeout=20, markup=False
            )

    def prepare_theme(self, name: str | None) -> None:
        """Before the app runs: register the themes and start in the one :meth:`apply_theme`
        will pick for ``name`` at start-up (it then finds it set and changes nothing)."""
        self._register_themes()
        if name is None or name not in self.available_themes:
            name = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else self.theme
        self.theme = name

    def start_remembering(self) -> None:
        """From now on, a theme change that did not come from settings is saved."""
        self._remembering = True

    def apply_theme(self, name: str | None, *, startup: bool = False) -> None:
        """Use the theme the settings ask for, quietly (it is not saved: it came from there).

        None keeps the theme in use (at start-up: the default); an unknown name warns.
        """
        fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else self.theme
        if name is not None and name not in self.available_themes:
            using = fallback if startup else self.theme
            self.notify(f"Unknown theme {name!r}; using {using}.", severity="warning", markup=False)
            name = None
        if name is None and not startup:
            return
        self._theme_set = name or fallback
        self.theme = self._theme_set

    def watch_theme(self, name: str) -> None:
        """Remember a theme the user picked (palette or Textual's theme picker)."""
        if self._remembering and name != self._theme_set:
            self._theme_set = name
            said = remember_theme(self.config_file(), self.open_profile_name(), name)
            self.notify(said, timeout=4, markup=False)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, with the NO_COLOR one matching the theme in use.

        Textual picks it once, for the theme at start-up: greyscale for RGB themes,
        "no colour at all" for ANSI themes. Greyscale turns ANSI colours black (black on
        black), so switching to or from an ANSI theme must switch the filter too.
        """
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        wanted = self._no_color_filters[0 if self.native_ansi_color else 1]
        return [wanted if isinstance(f, NoColor | Monochrome) else f for f in filters]
