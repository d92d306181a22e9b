"""The list's ``/`` filter over the loaded rows, and marks (space, V, *, x) by id."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
from textual import events
from textual.message import Message
from textual.pilot import Pilot

from closetui.api.models import CUSTOM_PREFIX
from closetui.connect import Connection
from closetui.ui.app import CloseTUI
from closetui.ui.list.canvas import ListCanvas
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.main_screen.screen import MainScreen
from closetui.ui.screens.help import HelpScreen
from tests.ui.helpers import app_for, demo, listing, main, running, settle, type_text, wait_until

LETTERS = re.compile(r"[a-z]{4,}")


def record_text(connection: Connection, opportunity_id: str) -> str:
    """What a user could look for in one opportunity, from the sandbox's own record:
    lead name, status label, owner and every custom value."""
    record = connection.sandbox.opportunities[opportunity_id]
    parts = [record.get("lead_name"), record.get("status_label"), record.get("user_name")]
    for key, value in record.items():
        if key.startswith(CUSTOM_PREFIX):
            parts += value if isinstance(value, list) else [value]
    return " ".join(str(p) for p in parts if p is not None).lower()


def expected_ids(app: CloseTUI, *words: str) -> list[str]:
    """The loaded rows (in list order) whose record holds every word."""
    connection = main(app).connection
    return [
        row.id
        for _, row in listing(app).cache.loaded()
        if all(w in record_text(connection, row.id) for w in words)
    ]


def shown_ids(rows: OpportunityList) -> list[str]:
    """The ids of the rows the list shows, top to bottom."""
    found = [rows.model.row_at(p) for p in range(rows.shown or 0)]
    return [row.id for row in found if row is not None]


def line_text(app: CloseTUI, y: int) -> str:
    """One rendered line of the list."""
    return "".join(segment.text for segment in listing(app).render_line(y))


def bar_text(app: CloseTUI) -> str:
    """The list's bar (its last line)."""
    rows = listing(app)
    assert rows.bar_shown
    return line_text(app, rows.scrollable_content_region.height - 1)


def lead_word(app: CloseTUI, index: int) -> str:
    """A word of four letters or more from the lead name of loaded row ``index``."""
    row = listing(app).cache.row(index)
    assert row is not None
    words = LETTERS.findall(row.lead_name.lower())
    assert words, row.lead_name
    return words[0]


async def test_typing_after_slash_shows_only_the_matching_loaded_rows(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    rows = listing(app)
    word = lead_word(app, 3)
    await pilot.press("slash")
    assert rows.prompt is not None
    await type_text(pilot, word[:2].upper() + word[2:])  # any case
    expected = expected_ids(app, word)
    assert 0 < len(expected) < 100
    assert shown_ids(rows) == expected
    # The resize (and the scrollbar) follows a frame later.
    await wait_until(pilot, lambda: rows.virtual_size.height == len(expected) + 2)
    assert rows.virtual_size.height == len(expected) + 2  # header, matches, bar
    assert f"{len(expected)} of 100 loaded (300 in all)" in bar_text(app)
    names = {rows.model.row_at(p).lead_name for p in range(len(expected))}  # type: ignore[union-attr]
    for y in range(1, min(len(expected), 30) + 1):
        assert any(name[:10] in line_text(app, y) for name in names)
    # A second word (the owner's first name) narrows to rows holding both.
    owner = rows.model.row_at(0).user_name  # type: ignore[union-attr]
    assert owner
    first_name = owner.split()[0].lower()
    await type_text(pilot, " " + first_name)
    both = expected_ids(app, word, first_name)
    assert shown_ids(rows) == both
    assert rows.highlighted is not None
    assert rows.highlighted.id == both[0]
    # esc in the prompt clears the filter: every row again.
    await pilot.press("escape")
    await pilot.pause()
    assert rows.prompt is None
    assert not rows.model.filter.active
    assert rows.shown == 300
    assert not rows.bar_shown


async def test_custom_field_values_are_filtered_on(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    rows = listing(app)
    # A choice value some loaded row carries, not part of any lead, status or owner.
    visible = " ".join(
        f"{r.lead_name} {r.status_label} {r.user_name}" for _, r in rows.cache.loaded()
    ).lower()
    candidates = {
        word
        for _, r in rows.cache.loaded()
        for key, value in connection.sandbox.opportunities[r.id].items()
        if key.startswith(CUSTOM_PREFIX)
        and isinstance(value, str)
        and not re.match(r"[a-z]{4}_", value)  # a user / contact id: not text
        for word in LETTERS.findall(value.lower())
        if word not in visible
    }
    word = sorted(candidates)[0]
    await pilot.press("slash")
    await type_text(pilot, word)
    expected = expected_ids(app, word)
    assert expected
    assert shown_ids(rows) == expected


async def test_enter_keeps_the_filter_and_j_k_move_among_matches(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    rows = listing(app)
    word = lead_word(app, 0)
    await pilot.press("slash")
    await type_text(pilot, word)
    await pilot.press("enter")
    await pilot.pause()
    expected = expected_ids(app, word)
    assert len(expected) >= 2
    assert rows.prompt is None
    assert app.focused is rows
    assert rows.highlighted is not None
    assert rows.highlighted.id == expected[0]
    assert f'filter "{word}" · {len(expected)} of 100 loaded' in bar_text(app)
    await pilot.press("j")
    assert rows.highlighted.id == expected[1]
    await pilot.press("k")
    assert rows.highlighted.id == expected[0]
    await pilot.press("G")
    assert rows.highlighted.id == expected[-1]
    # / again edits the same filter; esc in the list clears it, the cursor stays.
    await pilot.press("slash")
    assert rows.prompt is not None
    assert rows.prompt.text == word
    await pilot.press("enter")
    await pilot.press("escape")
    await pilot.pause()
    assert not rows.model.filter.active
    assert rows.highlighted.id == expected[-1]
    assert rows.cursor == rows.cache.index_of(expected[-1])
    assert main(app).pane == "list"


class Gate(httpx.AsyncBaseTransport):
    """Passes requests while open; holds them while closed."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.open = asyncio.Event()
        self.open.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.open.wait()
        return await self.inner.handle_async_request(request)


async def test_a_page_arriving_while_filtered_is_filtered_too() -> None:
    connection = demo()
    gate = Gate(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=gate))
    async with running(app) as pilot:
        rows = listing(app)
        gate.open.clear()
        rows.go_to(150)  # page 1 is requested, and held
        await pilot.pause()
        assert 1 in rows.cache.loading
        rows.go_to(0)
        word = lead_word(app, 0)
        await pilot.press("slash")
        await type_text(pilot, word)
        before = expected_ids(app, word)
        assert shown_ids(rows) == before
        highlighted = rows.highlighted
        gate.open.set()
        await settle(pilot)
        assert 1 in rows.cache.pages
        after = expected_ids(app, word)
        assert len(after) > len(before)
        assert shown_ids(rows) == after
        assert f"{len(after)} of 200 loaded" in bar_text(app)
        assert rows.highlighted == highlighted  # the cursor stayed on its row


def marks_changed(counts: list[int]) -> Any:
    """A message hook that records every MarksChanged count."""

    seen: dict[int, Message] = {}  # holding each message keeps its id() unique

    def hook(message: Message) -> None:  # called again at each node the message bubbles to
        if isinstance(message, OpportunityList.MarksChanged) and id(message) not in seen:
            seen[id(message)] = message
            counts.append(message.count)

    return hook


async def test_space_v_star_and_x_mark_rows_by_id() -> None:
    connection = demo()
    app = app_for(connection)
    counts: list[int] = []
    async with app.run_test(size=(120, 40), message_hook=marks_changed(counts)) as pilot:
        await settle(pilot)
        rows = listing(app)
        ids = [rows.cache.row(i).id for i in range(6)]  # type: ignore[union-attr]
        await pilot.press("space")
        assert rows.cursor == 1
        assert rows.marked_ids() == (ids[0],)
        assert "1 marked" in bar_text(app)
        assert line_text(app, 1)[1] == "▌"
        assert line_text(app, 2)[1] == " "
        await pilot.press("V", "j", "j")
        assert rows.marked_ids() == tuple(ids[:4])
        await pilot.press("k")  # back: the row left the range again
        assert rows.marked_ids() == tuple(ids[:3])
        assert "range" in bar_text(app)
        await pilot.press("V", "j", "j")
        assert rows.marked_ids() == tuple(ids[:3])
        assert "3 marked" in bar_text(app)
        await pilot.pause()
        assert counts[:4] == [1, 2, 3, 4]
        assert counts[-1] == 3

        # Marks are ids: a new sort order keeps them, wherever the rows land now.
        await pilot.press("o")
        await settle(pilot)
        assert rows.order_by == "-value"
        assert set(rows.marked_ids()) == set(ids[:3])
        for index, row in rows.cache.loaded():
            if row.id in ids[:3]:
                assert line_text(app, index + 1 - int(rows.scroll_y))[1] == "▌"

        # * with a filter marks what the filter shows, and says so.
        word = lead_word(app, 10)
        await pilot.press("slash")
        await type_text(pilot, word)
        await pilot.press("enter")
        await pilot.press("asterisk")
        await pilot.pause()
        matched = expected_ids(app, word)
        assert set(rows.marked_ids()) == set(ids[:3]) | set(matched)
        assert f"*: {len(matched)} filtered" in bar_text(app)
        assert counts[-1] == len(rows.marked_ids())
        # Another filter leaves the marks alone.
        await pilot.press("slash", "ctrl+u")
        await type_text(pilot, "zzzz")
        assert rows.shown == 0
        assert "No loaded opportunity matches" in line_text(app, 1)
        assert len(rows.marked_ids()) == len(set(ids[:3]) | set(matched))
        await pilot.press("escape", "x")
        await pilot.pause()
        assert rows.marked_ids() == ()
        assert counts[-1] == 0
        assert not rows.bar_shown
        # Marking writes nothing.
        assert not [r for r in connection.sandbox.requests if r.method != "GET"]


async def test_star_without_a_filter_marks_the_loaded_rows_and_says_so(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    rows = listing(app)
    await pilot.press("asterisk")
    await pilot.pause()
    assert len(rows.marked_ids()) == 100
    assert rows.marked_ids()[:3] == tuple(rows.cache.row(i).id for i in range(3))  # type: ignore[union-attr]
    assert "*: 100 loaded, not 200 unloaded" in bar_text(app)
    rows.clear_marks()
    await pilot.pause()
    assert rows.marked_ids() == ()


async def test_esc_clears_the_filter_first_then_ends_a_range(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    rows = listing(app)
    await pilot.press("V", "j")
    assert rows.model.marks.range is not None
    await pilot.press("escape")
    assert rows.model.marks.range is None
    assert len(rows.marked_ids()) == 2  # the range's marks stay
    await pilot.press("escape")  # nothing left to cancel: the main screen's esc (none)
    assert main(app).pane == "list"
    assert len(rows.marked_ids()) == 2
    await pilot.press("V", "j", "slash", "a", "enter")
    assert rows.model.marks.range is None  # a new filter ends the range
    assert rows.model.filter.active
    await pilot.press("escape")
    assert not rows.model.filter.active
    assert len(rows.marked_ids()) == 3


async def test_new_keys_have_ids_show_in_help_and_do_not_collide(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    keys: dict[str, set[str]] = {}
    for owner in (ListCanvas, OpportunityList, MainScreen, CloseTUI):
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):  # type: ignore[union-attr]
                keys.setdefault(key, set()).add(binding.id)  # type: ignore[union-attr]
    clashes = {key: found for key, found in keys.items() if len(found) > 1}
    # esc: the list's only when a filter or a range is on, else the screen's.
    assert clashes == {"escape": {"list.clear_filter", "list.end_range", "main.back"}}
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    listed = {ident for *_, ident in app.screen.entries()}
    new = {"list.filter", "list.mark", "list.mark_range", "list.mark_all", "list.clear_marks"}
    assert new | {"list.clear_filter", "list.end_range"} <= listed


async def test_typing_a_filter_does_not_trigger_shortcuts(app: CloseTUI, pilot: Pilot[Any]) -> None:
    rows = listing(app)
    await pilot.press("slash")
    await type_text(pilot, "?o x/e")  # help, sort, clear marks, filter, edit: all text
    await pilot.pause()
    assert rows.prompt is not None
    assert rows.prompt.text == "?o x/e"
    assert not isinstance(app.screen, HelpScreen)
    assert rows.order_by == "-date_updated"
    assert main(app).edit_state is None
    await pilot.press("backspace", "backspace")
    assert rows.prompt.text == "?o x"


async def test_a_filter_typed_in_one_burst_keeps_every_key() -> None:
    """Over SSH "/acme" often arrives in one read: the keys behind the "/" are queued
    before its binding would run, so they must land in the prompt, not vanish."""
    app = app_for(demo(60))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rows = listing(app)
        order = rows.order_by
        for key, character in [("slash", "/"), ("n", "n"), ("o", "o"), ("v", "v"), ("a", "a")]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert rows.prompt is not None
        assert rows.prompt.text == "nova"
        assert rows.order_by == order  # "o" was text, not the sort key
        assert app.screen is main(app)  # "v" did not open the views picker
