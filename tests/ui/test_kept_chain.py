"""The main screen keeps its binding chain while a text input has the focus, and the
kept chain is the one Textual builds: bindings, priority keys and the keymap still work."""

from __future__ import annotations

from textual.binding import BindingsMap
from textual.screen import Screen
from textual.widgets import Input

from tests.ui.helpers import app_for, demo, focus_control, main, open_row, settle, type_text


def _values(chain: list[tuple[object, BindingsMap]]) -> list[tuple[object, dict[str, list[str]]]]:
    """A chain as plain values: each node and its keys with their actions."""
    return [
        (node, {key: [b.action for b in found] for key, found in bindings.key_to_bindings.items()})
        for node, bindings in chain
    ]


def _as_textual_builds(screen: Screen[object]) -> list[tuple[object, dict[str, list[str]]]]:
    return _values(Screen._binding_chain.fget(screen))  # type: ignore[attr-defined]


def _kept(screen: Screen[object]) -> list[tuple[object, dict[str, list[str]]]]:
    return _values(screen._binding_chain)  # type: ignore[arg-type]


async def test_the_kept_chain_is_textuals_and_follows_the_focus_and_the_keymap() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        screen = main(app)
        await focus_control(pilot, "confidence")
        first = screen._binding_chain
        assert screen._binding_chain is first  # kept while the input has the focus
        assert _kept(screen) == _as_textual_builds(screen)
        assert "ctrl+r" in _kept(screen)[-2][1]  # the screen's send, a priority binding

        await focus_control(pilot, "value")  # another input: built again
        assert screen._binding_chain is not first
        assert _kept(screen) == _as_textual_builds(screen)

        app.set_keymap({"main.send": "f7"})  # a new keymap: built again, remapped
        await settle(pilot)
        assert _kept(screen) == _as_textual_builds(screen)
        assert "f7" in _kept(screen)[-2][1]

        box = app.focused
        assert isinstance(box, Input)
        box.action_end()
        await pilot.press("ctrl+u")
        await type_text(pilot, "1250")
        await settle(pilot)
        assert box.value == "1250"  # keys still reach the input, bindings still run

        screen.query_one("#list").focus()  # not an input: Textual's own, every time
        await settle(pilot)
        assert screen._binding_chain is not screen._binding_chain
