"""Themes in the app: built-ins apply, bad files are reported, user files win, the choice is
remembered (comments kept), a profile's theme wins, NO_COLOR is honoured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.filter import Monochrome, NoColor

from closetui.config import config_path, load_config
from closetui.theme_files import APP_VARIABLES, DEFAULT_THEME, builtin_themes
from closetui.ui.app import make_app
from closetui.ui.themes import load_app_themes, remember_theme, to_textual
from closetui.ui.widgets.request_preview import RequestPreview, json_syntax
from tests.ui.helpers import (
    SandboxConnector,
    app_for,
    clock,
    demo,
    first_matching,
    listing,
    notifications,
    open_row,
    running,
    sandbox_app,
    settle,
    write_config,
)

COMMENTED = """\
# My closetui settings
default_profile = "acme"  # the work account

# Rebindings
[keymap]
"list.refresh" = "r,f8"

[profiles.acme]
# production, careful
base_url = "http://127.0.0.1:9/api/v1/"
api_key = "sandbox_demo_key"
"""


def themes_dir() -> Path:
    """``<config dir>/themes`` under the test's isolated XDG config dir."""
    return config_path().parent / "themes"


def write_theme(name: str, text: str) -> Path:
    directory = themes_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", sorted(builtin_themes()))
async def test_every_built_in_theme_applies(name: str) -> None:
    theme = to_textual(builtin_themes()[name])
    assert not isinstance(theme, list), theme
    app = app_for(demo(40).replace(theme=name))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == name
        assert app.current_theme.ansi == (name == "closetui-ansi")
        variables = app.get_css_variables()
        for variable in APP_VARIABLES:  # the theme's own, else derived from its palette
            assert variables[variable] == theme.variables.get(variable, variables[variable])
            assert variables[variable]
        assert not notifications(app)


async def test_the_default_theme_and_textual_themes_get_closetui_colours() -> None:
    app = app_for(demo(40).replace(theme="nord"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        system = app.current_theme.to_color_system().generate()
        assert app.get_css_variables()["status-won"] == system["text-success"]
        assert app.get_css_variables()["diff-removed"] == system["text-error"]
    app = app_for(demo(40))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME


async def test_a_bad_theme_file_is_reported_and_the_app_starts() -> None:
    write_theme("broken.toml", 'name = "broken"\nprimary = "#0178D4"\nprimery = "#FF0000"\n')
    write_theme("blurple.toml", 'primary = "blurple"\n[variables]\nstatus-won = "ansi_green"\n')
    write_theme("dim.toml", 'primary = "#123456"\n[variables]\ndiff-added = "nosuchcolour 50%"\n')
    app = app_for(demo(40))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = "\n".join(notifications(app))
        assert "Theme not loaded: theme ~/config/closetui/themes/broken.toml: primery: " in shown
        assert "unknown key" in shown
        assert "themes/blurple.toml: primary: unknown colour 'blurple'" in shown
        assert "themes/dim.toml: variables.diff-added: unknown colour 'nosuchcolour'" in shown
        assert {"broken", "blurple", "dim"}.isdisjoint(app.available_themes)
        assert app.main.query_one("#list").region.height > 10  # the app runs as usual
        assert app.theme == DEFAULT_THEME


async def test_a_user_theme_overrides_a_built_in_by_name() -> None:
    write_theme(
        "my-dark.toml",
        'name = "closetui-dark"\nprimary = "#FF00FF"\n[variables]\nstatus-won = "#00FFFF"\n',
    )
    app = app_for(demo(40))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "closetui-dark"
        assert app.current_theme.primary == "#FF00FF"
        assert app.get_css_variables()["status-won"] == "#00FFFF"
        won = app.main.query_one("#list").get_component_rich_style("opportunity-list--won")
        assert won.color is not None
        assert won.color.triplet is not None
        assert won.color.triplet.hex.upper() == "#00FFFF"


async def pick_theme(pilot: object, name: str) -> None:
    from tests.ui.helpers import type_text

    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await type_text(pilot, f"Switch theme: {name}")  # type: ignore[arg-type]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_a_theme_picked_in_the_palette_is_remembered_with_comments_kept() -> None:
    path = write_config(config_path(), COMMENTED)
    connector = SandboxConnector(sandboxes={"http://127.0.0.1:9/api/v1/": sandbox_app()})
    app = make_app(connector.profile("acme"), now=clock, connector=connector)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        await pick_theme(pilot, "closetui-high-contrast")
        assert app.theme == "closetui-high-contrast"
        assert any("saved in ~/config/closetui/config.toml" in n for n in notifications(app))
    assert path.read_text() == COMMENTED.replace(
        'default_profile = "acme"  # the work account\n',
        'default_profile = "acme"  # the work account\ntheme = "closetui-high-contrast"\n',
    )
    assert load_config(path).config.theme == "closetui-high-contrast"
    # Next start: the remembered theme.
    app = make_app(connector.profile("acme"), now=clock, connector=connector)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "closetui-high-contrast"


async def test_a_profile_theme_wins_and_a_pick_is_saved_on_that_profile() -> None:
    text = (
        COMMENTED.replace("# Rebindings", 'theme = "closetui-light"\n\n# Rebindings')
        + 'theme = "closetui-ansi"  # prod looks different\n'
    )
    path = write_config(config_path(), text)
    connector = SandboxConnector(sandboxes={"http://127.0.0.1:9/api/v1/": sandbox_app()})
    app = make_app(connector.profile("acme"), now=clock, connector=connector)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "closetui-ansi"  # the profile's, not the top-level one
        await pick_theme(pilot, "closetui-dark")
        assert any("saved for profile acme" in n for n in notifications(app))
    saved = path.read_text()
    assert 'theme = "closetui-dark"  # prod looks different\n' in saved
    assert 'theme = "closetui-light"\n' in saved  # the top-level one is left alone
    assert saved.startswith("# My closetui settings\n")


async def test_theme_option_wins_for_the_run_and_is_not_saved() -> None:
    path = write_config(config_path(), COMMENTED + 'theme = "closetui-ansi"\n')
    connector = SandboxConnector(sandboxes={"http://127.0.0.1:9/api/v1/": sandbox_app()})
    app = make_app(
        connector.profile("acme"), now=clock, connector=connector, theme="closetui-light"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "closetui-light"
        assert not notifications(app)
    assert path.read_text() == COMMENTED + 'theme = "closetui-ansi"\n'


async def test_the_demo_without_a_config_file_creates_no_file() -> None:
    app = app_for(demo(40))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pick_theme(pilot, "closetui-light")
        assert app.theme == "closetui-light"
        assert any("for this session" in n for n in notifications(app))
    assert not config_path().exists()
    assert not config_path().parent.exists()


def test_remember_theme_reports_a_broken_config(tmp_path: Path) -> None:
    path = write_config(tmp_path / "config.toml", "theme = 3\n")
    said = remember_theme(path, None, "closetui-dark")
    assert said.startswith("Theme closetui-dark for this session; not saved: ")
    assert "theme: expected a string" in said
    assert path.read_text() == "theme = 3\n"


async def test_an_unknown_theme_in_the_config_warns_and_uses_the_default() -> None:
    app = app_for(demo(40).replace(theme="no-such-theme"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert any("Unknown theme 'no-such-theme'" in n for n in notifications(app))


async def test_no_color_is_honoured_by_the_stylesheet_and_the_json_preview(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(demo(40))
    async with running(app) as pilot:
        assert app.no_color
        await open_row(pilot, first_matching(app, lambda o: o.status_type == "won"))
        preview = app.main.query_one(RequestPreview)
        syntax = json_syntax(preview, '{"a": 1, "b": "x", "c": null}')
        segments = Console(width=40, color_system="truecolor").render(syntax)
        assert {s.style.color for s in segments if s.style} == {None}  # no foreground colours
        svg = app.export_screenshot()
    chrome = {"ff5f57", "febc2e", "28c840", "c5c8c6"}  # the SVG's window buttons and title
    colours = set(re.findall(r"#([0-9a-fA-F]{6})\b", svg)) - chrome
    assert len(colours) > 3
    greys = {c for c in colours if c[0:2] == c[2:4] == c[4:6]}
    assert colours == greys, colours - greys


async def test_no_color_with_an_ansi_theme_drops_colours_instead_of_greying_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual picks greyscale for NO_COLOR when the app starts; greyscale turns ANSI
    colours black (black on black), so an ANSI theme gets "no colour at all" instead."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(demo(40).replace(theme="closetui-ansi"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        kinds = {type(f) for f in app.get_line_filters()}
        assert NoColor in kinds
        assert Monochrome not in kinds
        cursor = listing(app).get_component_rich_style("opportunity-list--cursor")
        assert cursor.underline  # the cursor row is marked without colour
        svg = app.export_screenshot()
        app.theme = "closetui-light"
        await settle(pilot)
        kinds = {type(f) for f in app.get_line_filters()}
        assert Monochrome in kinds
        assert NoColor not in kinds
    assert "Falcon Biotech" in svg.replace("&#160;", " ")


def test_load_app_themes_turns_every_built_in_into_a_textual_theme() -> None:
    themes = load_app_themes(None)
    assert themes.problems == ()
    assert sorted(themes.themes) == sorted(builtin_themes())
    assert themes.themes["closetui-ansi"].ansi
