"""The theme side of the app: theme files registered, settings applied, picks remembered."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.filter import Monochrome, NoColor

from closetui.themes import DEFAULT_THEME, user_theme_dir
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
        will pick for ``name`` at start-up (it then finds it set and changes nothing).

        Setting ``theme`` on a running app re-parses every stylesheet and restyles every
        widget (~30 ms before the first frame); before the run nothing is parsed yet, so
        only the CSS variables, the theme classes and the ANSI filter need the new theme.
        """
        self._register_themes()
        if name is None or name not in self.available_themes:
            name = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else self.theme
        if name == self.theme:
            return
        self.set_reactive(App.theme, name)
        # What App._watch_theme does, less the re-parse (there is nothing parsed yet).
        theme = self.current_theme
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes[f"-theme-{theme.name}"] = True
        classes["-dark-mode"] = theme.dark
        classes["-light-mode"] = not theme.dark
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())
        if self.no_color:
            self._refresh_no_color()

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
        if self.no_color:
            self._refresh_no_color()
        if self._remembering and name != self._theme_set:
            self._theme_set = name
            said = remember_theme(self.config_file(), self.open_profile_name(), name)
            self.notify(said, timeout=4, markup=False)

    def _refresh_no_color(self) -> None:
        """Match the NO_COLOR filter to the theme in use.

        Textual picks it once, for the theme at start-up: greyscale for RGB themes,
        "no colour at all" for ANSI themes. Greyscale turns ANSI colours black (black on
        black), so switching to or from an ANSI theme must switch the filter too.
        """
        wanted = NoColor if self.native_ansi_color else Monochrome
        for index, line_filter in enumerate(self._filters):
            if isinstance(line_filter, NoColor | Monochrome) and type(line_filter) is not wanted:
                self._filters[index] = wanted()
