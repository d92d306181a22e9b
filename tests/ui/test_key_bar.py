"""The footer (KeyBar): the keys that apply now, kept current, and clickable."""

from __future__ import annotations

from closetui.ui.widgets.key_bar import KeyBar
from tests.ui.helpers import app_for, count_repaints, demo, focus_control, main, open_row, settle


def bar_text(bar: KeyBar) -> str:
    return str(bar.render())


async def test_the_bar_follows_the_focus_and_shows_the_palette_key_on_the_right() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        bar = main(app).query_one(KeyBar)
        shown = bar.shown()
        assert ("⏎", "Edit") in shown
        assert shown[-1] == ("^p", "Commands")
        assert bar_text(bar).rstrip().endswith("^p Commands")
        assert len(bar_text(bar)) == 120  # the palette key sits at the right edge
        await open_row(pilot, 0)
        await settle(pilot)
        assert ("esc", "Back") in bar.shown()
        assert ("⏎", "Edit") not in bar.shown()
        assert "esc Back" in bar_text(bar)


async def test_clicking_a_key_presses_it() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        bar = main(app).query_one(KeyBar)
        bar_text(bar)
        help_key = next(item for item in bar.items if item.description == "Help")
        await pilot.click(KeyBar, offset=(help_key.start + 1, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_the_bar_repaints_only_when_it_would_read_differently() -> None:
    """tab between two text fields changes the bindings, not the keys shown: no repaint;
    leaving the editor does repaint."""
    app = app_for(demo())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        bar = main(app).query_one(KeyBar)
        await open_row(pilot, 0)
        await settle(pilot)
        await focus_control(pilot, "value")
        await settle(pilot)
        repaints = count_repaints(bar)
        before = bar.shown()
        await focus_control(pilot, "confidence")
        await settle(pilot)
        assert bar.shown() == before
        assert repaints == []
        await pilot.press("escape")
        await settle(pilot)
        assert bar.shown() != before
        assert repaints
