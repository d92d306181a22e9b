"""The main screen's partial updates paint exactly what a full render of the screen shows.

Every update the screen's compositor makes is applied to a grid of cells, as a terminal
would apply it; after each step of a session the grid must equal a fresh full render.
A partial update that missed a changed cell, or drew a widget that is behind another,
leaves the grid different from the screen.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.segment import ControlType, Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input, Static

from closetui.sandbox import field_id
from closetui.ui.lean_compositor import LeanCompositor
from tests.ui.helpers import (
    app_for,
    demo,
    main,
    open_row,
    preview_body,
    replace_text,
    settle,
    type_text,
)

WIDTH, HEIGHT = 120, 40

Cell = tuple[str, Style | None]


class Grid:
    """What a terminal shows after the updates it was sent."""

    def __init__(self) -> None:
        self.cells: list[list[Cell]] = [[(" ", None)] * WIDTH for _ in range(HEIGHT)]
        self.partial_updates = 0

    def _write(self, x: int, y: int, segment: Segment) -> int:
        for char in segment.text:
            width = cell_len(char)
            if 0 <= y < HEIGHT and 0 <= x < WIDTH:
                self.cells[y][x] = (char, segment.style)
                for extra in range(1, width):  # the cells a wide character covers
                    if x + extra < WIDTH:
                        self.cells[y][x + extra] = ("", segment.style)
            x += width
        return x

    def apply(self, update: object, console: Console) -> None:
        if isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    for segment in strip:
                        x = self._write(x, y, segment)
            return
        assert isinstance(update, ChopsUpdate), update
        self.partial_updates += 1
        x = y = 0
        for segment in update.__rich_console__(console, console.options):
            if segment.control:
                for control in segment.control:
                    if control[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = int(control[1]), int(control[2])
            elif segment.text == "\n":
                x, y = 0, y + 1
            else:
                x = self._write(x, y, segment)

    def differences(self, strips: list[Strip]) -> list[str]:
        """Where the grid differs from ``strips`` (a full render), as readable lines."""
        shown = Grid()
        for y, strip in enumerate(strips):
            x = 0
            for segment in strip:
                x = shown._write(x, y, segment)
        found = []
        for y in range(HEIGHT):
            if self.cells[y] != shown.cells[y]:
                grid_text = "".join(char for char, _ in self.cells[y])
                full_text = "".join(char for char, _ in shown.cells[y])
                found.append(f"line {y}:\n  updates: {grid_text!r}\n  full:    {full_text!r}")
        return found


async def test_partial_updates_paint_what_a_full_render_shows() -> None:
    app = app_for(demo())
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await settle(pilot)
        screen = main(app)
        compositor = screen._compositor
        assert isinstance(compositor, LeanCompositor)
        grid = Grid()
        console = app.console
        grid.apply(compositor.render_full_update(), console)
        original = compositor.render_update

        def recording(*args: Any, **kwargs: Any) -> Any:
            update = original(*args, **kwargs)
            if update is not None:
                grid.apply(update, console)
            return update

        compositor.render_update = recording  # type: ignore[method-assign]

        async def check(step: str) -> None:
            await settle(pilot)
            await pilot.pause()
            problems = grid.differences(Compositor.render_strips(compositor))
            assert not problems, f"after {step}:\n" + "\n".join(problems[:6])

        await check("the list")
        await pilot.press("j", "j", "k")
        await check("moving in the list")
        await open_row(pilot, 2)
        await check("opening an opportunity")
        await replace_text(pilot, "confidence", "42")
        await check("typing a number")
        await replace_text(pilot, "value", "1,250")
        await check("typing a value")
        await replace_text(pilot, "confidence", "4x")
        await check("an invalid value (its message appears)")
        await pilot.press("tab", "tab", "shift+tab")
        await check("moving between fields")
        await type_text(pilot, "1" * 70)  # wraps the preview's body line
        await check("a long value")
        # A field far down scrolls the editor; a value too long for the preview's room
        # then lays the screen out (the layout after a scroll must repaint what moved).
        await replace_text(pilot, "custom." + field_id("Project Code"), "y " * 150)
        await check("a long value in a scrolled editor")
        await pilot.press("escape")
        await check("back to the list")
        assert grid.partial_updates > 10


async def test_typing_paints_only_the_lines_it_changes() -> None:
    app = app_for(demo())
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "1")
        screen = main(app)
        compositor = screen._compositor
        painted: list[set[int]] = []
        original = compositor.render_update

        def recording(*args: Any, **kwargs: Any) -> Any:
            update = original(*args, **kwargs)
            if isinstance(update, ChopsUpdate):
                painted.append({y for y, _, _ in update.spans})
            return update

        compositor.render_update = recording  # type: ignore[method-assign]
        await _type_one(pilot, "2")
        lines = set().union(*painted)
        # The input's line, the old -> new line and the body's line (not the whole pane).
        assert 1 <= len(lines) <= 4, lines


def arrangements(compositor: Compositor) -> list[bool]:
    """One entry for each arrangement of the screen's widgets from now on."""
    arranged: list[bool] = []
    original = compositor._arrange_root

    def counting(*args: Any, **kwargs: Any) -> Any:
        arranged.append(True)
        return original(*args, **kwargs)

    compositor._arrange_root = counting  # type: ignore[method-assign]
    return arranged


async def test_typing_past_a_fields_width_arranges_nothing() -> None:
    """Once a value is wider than its field, every key scrolls the input. That must not
    re-arrange the screen: the input's hidden scrollbar used to be moved on each scroll,
    and refreshing a widget that is not on screen re-arranges every widget."""
    app = app_for(demo())
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        key = "custom." + field_id("Project Code")
        await replace_text(pilot, key, "x" * 60)  # wider than the field: it scrolls
        control = pilot.app.focused
        assert isinstance(control, Input), control
        assert control.scroll_x > 0
        arranged = arrangements(main(app)._compositor)
        scrolled = control.scroll_x
        for char in "abcdef":
            await _type_one(pilot, char)
        assert control.scroll_x > scrolled  # it did scroll, key by key
        assert control.value.endswith("abcdef")
        assert not arranged, f"{len(arranged)} arrangements for 6 keys"


async def test_the_first_keystroke_of_an_edit_arranges_nothing() -> None:
    """The preview keeps its height when a draft starts: its notes always have a first
    line (why it cannot send, or that it is ready) and the request has all the room
    under them, so the body growing from ``{}`` to one field moves no widget."""
    app = app_for(demo())
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        key = "custom." + field_id("Project Code")
        await replace_text(pilot, key, "")
        await settle(pilot)
        notes = main(app).query_one("#preview-notes", Static)
        assert "Nothing to send" in str(notes.content), notes.content
        arranged = arrangements(main(app)._compositor)
        restyled: list[object] = []
        update_nodes = app.stylesheet.update_nodes

        def recording(nodes: Any, animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.extend(nodes)
            update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = recording  # type: ignore[method-assign]
        for char in "ab":
            await _type_one(pilot, char)
        assert "✓ Ready to send: 1 field in the body." in str(notes.content)
        assert preview_body(app) == {key: "ab"}
        assert not arranged, f"{len(arranged)} arrangements for the first keys of an edit"
        # Only the field's title and old -> new line take the changed style: not the
        # row and all it holds, nor the input (its -valid mark is there from the start).
        field = main(app).query_one("#field-" + key.replace(".", "-"))
        assert restyled == [field.query_one(".field-title"), field.query_one(".field-diff")]


async def _type_one(pilot: Pilot[Any], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)
