"""SVG snapshots of the main screen in every built-in theme, and of the setup screen (80x24).

Same conditions as test_snapshots.py: the demo sandbox, "today" frozen, blink off.
"""

from __future__ import annotations

from typing import Any

import pytest

from closetui.theme_files import builtin_themes
from closetui.ui.app import make_app
from tests.ui.helpers import SandboxConnector, app_for, clock, demo, settle

DESCRIPTIONS = {
    "closetui-ansi": "only ANSI colours: the terminal's default background and text, a blue "
    "cursor row, green won and red lost rows, cyan footer keys",
    "closetui-dark": "the default: exactly like test_main_screen[80x24] (Textual's dark "
    "palette), pale green won and pale red lost rows",
    "closetui-high-contrast": "white on pure black, a yellow cursor row with black text, "
    "bright green won and bright red lost rows, yellow footer keys, no grey text",
    "closetui-light": "dark text on near-white, a blue cursor row, dark green won and dark "
    "red lost rows, the DEMO badge in orange",
}


@pytest.mark.parametrize("name", sorted(builtin_themes()))
def test_main_screen_in_each_built_in_theme(snap_compare: Any, name: str) -> None:
    """The demo's list at 80x24 as in test_main_screen, in each built-in theme; what each
    must show is in DESCRIPTIONS (header, list with ✓/✗ status colours, status line, footer)."""
    assert name in DESCRIPTIONS
    app = app_for(demo().replace(theme=name))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_setup_screen(snap_compare: Any) -> None:
    """No profile yet: header "closetui  set up"; the intro naming
    ~/config/closetui/config.toml and the demo; Profile name (focused, placeholder
    "e.g. work"), Base URL prefilled with Close's, Key from with "environment variable"
    selected, Variable "CLOSE_API_KEY", UTC offset with its hint, the Read-only checkbox,
    the "Save and connect (f5)" and "Open the demo (f6)" buttons; the footer lists
    ^r Save and connect, f6 Open the demo, Quit, Help, Profile."""
    app = make_app(None, now=clock, connector=SandboxConnector())
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
