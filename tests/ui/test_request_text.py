"""The preview's JSON colouring and in-place updates: the same screen as Rich's Syntax,
without layout passes on keystrokes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.lexers import JsonLexer
from pygments.token import Error, Keyword, Name, Number, Punctuation, String, Whitespace
from rich.console import Group
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from closetui.ui.widgets.in_place import update_in_place
from closetui.ui.widgets.inputs import FixedInput
from closetui.ui.widgets.line_static import LineStatic
from closetui.ui.widgets.request_text import (
    RequestText,
    json_content,
    json_tokens,
    request_text,
)
from tests.ui.helpers import Layouts, app_for, demo, first_matching, open_row, settle

_PYGMENTS = {
    Whitespace: "space",
    String.Double: "string",
    Name.Tag: "key",
    Number.Integer: "number",
    Number.Float: "number",
    Keyword.Constant: "constant",
    Punctuation: "punctuation",
    Error: "other",
}

finite = st.floats(allow_nan=False, allow_infinity=False)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | finite | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_json_tokens_are_the_tokens_pygments_finds(body: dict[str, Any]) -> None:
    """Character by character, the scanner's kinds are pygments' JsonLexer token types
    (the ones Syntax colours): keys, strings, numbers, constants, punctuation, spaces.

    Bodies are real JSON: the edits layer refuses NaN and infinities."""
    text = json.dumps(body, indent=2, ensure_ascii=False)
    ours = [""] * len(text)
    for start, end, kind in json_tokens(text):
        ours[start:end] = [kind] * (end - start)
    theirs: list[str] = []
    for _, token, value in JsonLexer().get_tokens_unprocessed(text):
        theirs += [_PYGMENTS.get(token, str(token))] * len(value)
    assert ours == theirs


BODIES = [
    {"status_id": "stat_1", "value": 2500, "custom.cf_x": None},
    {"a": [1, 2.5, True, False, None], "n": -3e-5, "s": 'he said "hi" \\ ok', "u": "ünï ✓"},
    {"note": "a long long long long long text with spaces and " + "very" * 15 + " end"},
    {},
]


class _Both(App[None]):
    CSS = "VerticalScroll { background: $surface; padding: 0 1; } Static { width: 1fr; }"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="rich")
            yield Static(id="content")


def _cells(widget: Static) -> list[list[tuple[str, Any, Any, bool]]]:
    """Every cell: its character, background, and (for visible characters) colour and
    boldness; the colour of a blank is invisible, so it is left out."""
    rows = []
    for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
        row = []
        for segment in strip:
            style = segment.style
            assert style is not None
            for char in segment.text:
                visible = not char.isspace()
                colour = style.color.triplet if visible and style.color else None
                rows_bg = style.bgcolor.triplet if style.bgcolor else None
                row.append((char, rows_bg, colour, visible and bool(style.bold)))
        rows.append(row)
    return rows


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_preview_text_looks_exactly_as_rich_renders_the_syntax(theme: str) -> None:
    """The Content Textual draws and the Group (head Text + JSON Syntax) that the preview
    used to render show the same characters, wrapped the same, in the same colours."""
    app = _Both()
    async with app.run_test(size=(60, 60)) as pilot:
        app.theme = theme
        await pilot.pause()
        rich, content = app.query_one("#rich", Static), app.query_one("#content", Static)
        head = [("PUT", "bold"), (" http://sandbox.demo/api/v1/opportunity/oppo_1/\n", "")]
        head += [("x-tz-offset: ", "bold"), ("0\n", "")]
        for body in BODIES:
            text = json.dumps(body, indent=2, ensure_ascii=False)
            request = request_text(content, head, text, word_wrap=True)
            rich.update(Group(*request.renderables))  # a plain Group: rendered by Rich
            content.update(request)  # drawn from the ready-made Content
            await pilot.pause()
            assert isinstance(request, RequestText)
            assert request.renderables[1].code == text  # what tests and exports read
            assert rich.size == content.size
            assert _cells(content) == _cells(rich), body


class _Labels(Screen[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield FixedInput(id="fixed")
            yield Label("one line", id="label")
            yield Static(id="pad")


class _LabelsApp(App[None]):
    CSS = "#label { width: 1fr; } FixedInput { height: 1; border: none; }"

    def on_mount(self) -> None:
        self.push_screen(_Labels())


async def test_in_place_updates_lay_out_only_when_the_height_changes() -> None:
    app = _LabelsApp()
    layouts = Layouts()
    async with app.run_test(size=(40, 10), message_hook=layouts) as pilot:
        await pilot.pause()
        label = app.screen.query_one("#label", Label)
        layouts.asked.clear()
        update_in_place(label, "another line")
        await pilot.pause()
        assert layouts.asked == []
        assert str(label.content) == "another line"
        update_in_place(label, "a line\nand a second")
        await pilot.pause()
        assert layouts.asked
        assert label.size.height == 2


async def test_typing_in_a_fixed_input_lays_nothing_out_and_still_scrolls() -> None:
    app = _LabelsApp()
    layouts = Layouts()
    async with app.run_test(size=(20, 10), message_hook=layouts) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#fixed", Input)
        box.focus()
        await pilot.pause()
        layouts.asked.clear()
        await pilot.press(*"a long line of text, longer than the box")
        await pilot.pause()
        assert layouts.asked == []
        assert box.value == "a long line of text, longer than the box"
        assert box.scroll_x > 0  # the cursor stays in view


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_keystroke_in_the_editor_lays_out_nothing(size: tuple[int, int]) -> None:
    """Typing into a field updates the row's diff and the preview without one layout
    pass of the screen (which arranges every widget of the editor), also when the
    single-pane flow hides the preview."""
    app = app_for(demo(40))
    layouts = Layouts()
    async with app.run_test(size=size, message_hook=layouts) as pilot:
        await settle(pilot)
        await open_row(pilot, first_matching(app, lambda o: o.status_type == "active"))
        box = app.main.query_one("#control-confidence", Input)
        box.focus()
        box.value = ""
        await settle(pilot)
        await pilot.press("4")  # the row's diff and the body's key appear: a layout
        await settle(pilot)
        layouts.asked.clear()
        await pilot.press("2")
        await settle(pilot)
        assert layouts.asked == []
        state = app.main.edit_state
        assert state is not None
        assert state.body == {"confidence": 42}
        preview = app.main.query_one("#preview-request", Static)
        assert '"confidence": 42' in str(preview.content.renderables[1].code)


class _Twins(App[None]):
    CSS = """
    .twin { width: 36; }
    .twin.-cut { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield LineStatic(id="ours", classes="twin")
            yield Static(id="theirs", classes="twin", markup=False)


def _typed(value: str) -> Content:
    """A request as it looks with ``value`` typed into one of its body's strings."""
    head = Content.assemble(("PUT", "bold"), " http://sandbox.demo/api/v1/opportunity/o_1/")
    body = json.dumps({"note": value, "界": ["✓", 1.5, None], "value": 2500}, indent=2)
    lines = [head, Content(""), *json_content(body, dark=True).split("\n", allow_blank=True)]
    return Content("\n").join(lines)


@pytest.mark.parametrize("cut", [False, True])
async def test_the_line_by_line_preview_draws_what_a_static_draws(cut: bool) -> None:
    """The preview keeps each line's drawing and repaints only the lines that change; what
    it shows must stay what a plain Static shows for the same text (size, characters,
    colours, wrapping or the ellipsis of a cut line, and the place of each piece that
    text selection reads), keystroke after keystroke, in both themes."""
    app = _Twins()
    async with app.run_test(size=(40, 60)) as pilot:
        ours, theirs = app.query_one("#ours", LineStatic), app.query_one("#theirs", Static)
        for widget in (ours, theirs):
            widget.set_class(cut, "-cut")
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            value = ""
            for char in "a value typed past the width ✓ 界 and on, past it again":
                value += char
                ours.update(_typed(value))
                theirs.update(_typed(value))
                await pilot.pause()
                assert ours.size == theirs.size
                region = Region(0, 0, *theirs.size)
                drawn = [list(strip) for strip in ours.render_lines(region)]
                assert drawn == [list(strip) for strip in theirs.render_lines(region)], value


async def test_text_selected_in_the_preview_is_the_text_under_the_mouse() -> None:
    """Each line is drawn on its own, but carries its place in the whole text: a drag
    over the third line selects that line (not the text from the top)."""
    app = _Twins()
    async with app.run_test(size=(40, 20)) as pilot:
        ours = app.query_one("#ours", LineStatic)
        ours.update(Content("line zero\nline one\nline two, the third"))
        await pilot.pause()
        await pilot.mouse_down(ours, offset=(0, 2))
        await pilot.hover(ours, offset=(7, 2))
        await pilot.mouse_up(ours, offset=(7, 2))
        await pilot.pause()
        assert app.screen.get_selected_text() == "line two"


async def test_a_request_that_shrank_keeps_its_height_until_another_opens() -> None:
    """A request grown past the preview's room and back (a value set and reverted, a
    card moved on and back) lays the screen out once, not on every step; another
    opportunity's request starts from the room again."""
    from closetui.sandbox import field_id
    from closetui.ui.widgets.request_lines import RequestLines

    app = app_for(demo(40))
    layouts = Layouts()
    async with app.run_test(size=(120, 40), message_hook=layouts) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        request = app.main.query_one("#preview-request", RequestLines)
        room = request.size.height
        box = app.main.query_one(f"#control-custom-{field_id('Project Code')}", Input)
        original = box.value
        long = " ".join(f"word{n}" for n in range(40 * room))  # wraps past the room
        box.value = long
        await settle(pilot)
        grown = request.size.height
        assert grown > room  # past the room: laid out once, taller
        layouts.asked.clear()
        box.value = original  # back: the height is kept, nothing is laid out
        await settle(pilot)
        assert request.size.height == grown
        box.value = long
        await settle(pilot)
        assert request.size.height == grown
        assert layouts.asked == []
        await open_row(pilot, 1)  # another request: from the room again
        assert request.size.height == room
