"""Server-side filters and named views, through the filter bar, the palette and ``v``.

Every expectation is computed from what the demo sandbox holds ("today" is frozen at
2026-11-28, X-TZ-Offset 0), and every filter is checked on the rows listed, the count in
the header and the query the sandbox received.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label

from closetui.config import config_path, load_config
from closetui.connect import Connection
from closetui.ui.app import CloseTUI
from closetui.ui.screens.filter_bar import FilterBarScreen
from closetui.ui.widgets.header import AppHeader
from closetui.ui.widgets.picker_screen import PickerScreen
from tests.ui.helpers import (
    app_for,
    demo,
    listing,
    palette_commands,
    running,
    settle,
    status,
    type_text,
    write_config,
)

JSON = dict[str, Any]


def stored(connection: Connection, keep: Callable[[JSON], bool]) -> list[JSON]:
    """The sandbox's opportunities that ``keep`` accepts."""
    return [o for o in connection.sandbox.opportunities.values() if keep(o)]


def user_id(connection: Connection, name: str) -> str:
    return next(
        u["id"]
        for u in connection.sandbox.users.values()
        if f"{u['first_name']} {u['last_name']}" == name
    )


def list_queries(connection: Connection) -> list[dict[str, str]]:
    """The query of every ``GET /opportunity/`` the sandbox answered, in order."""
    return [
        {k: v[0] for k, v in parse_qs(r.query).items()}
        for r in connection.sandbox.requests
        if r.method == "GET" and urlsplit(r.path).path.rstrip("/").endswith("/opportunity")
    ]


def header(app: CloseTUI) -> AppHeader:
    return app.main.query_one(AppHeader)


def screen_line(app: CloseTUI, y: int) -> str:
    """One line of the screen as the terminal shows it: each cell drawn by the widget on
    top there."""
    screen, cells = app.screen, []
    drawn: dict[Widget, Strip] = {}
    for x in range(app.size.width):
        try:
            widget, region = screen.get_widget_at(x, y)
        except NoWidget:
            cells.append(" ")
            continue
        if widget not in drawn:
            drawn[widget] = widget.render_lines(Region(0, y - region.y, region.width, 1))[0]
        cells.append(drawn[widget].crop(x - region.x, x - region.x + 1).text)
    return "".join(cells)


def listed_ids(app: CloseTUI) -> set[str]:
    """Every row of the list (all pages must be loaded: the filters here match < 100)."""
    rows = listing(app).cache.loaded()
    assert len(rows) == listing(app).total
    return {opp.id for _, opp in rows}


async def open_bar(pilot: Pilot[Any]) -> FilterBarScreen:
    await pilot.press("f")
    await settle(pilot)
    bar = pilot.app.screen
    assert isinstance(bar, FilterBarScreen)
    return bar


async def fill(pilot: Pilot[Any], bar: FilterBarScreen, line: str, text: str) -> None:
    """Focus a line of the bar, empty it and type ``text``."""
    control = bar.query_one(f"#filter-{line}", Input)
    control.focus()
    await pilot.pause()
    control.action_end()
    await pilot.press("ctrl+u")
    await type_text(pilot, text)


def message(bar: FilterBarScreen, line: str) -> str:
    label = bar.query_one(f"#filter-{line}-message", Label)
    return str(label.content) if label.has_class("-shown") else ""


async def test_a_status_type_from_the_bar_filters_on_the_server(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    assert header(app).filter_text == ""
    bar = await open_bar(pilot)
    # Keyboard only: the first line has the focus, tab moves down to "Status type".
    assert app.focused is bar.query_one("#filter-pipeline")
    await pilot.press("tab", "tab")
    assert app.focused is bar.query_one("#filter-status-type")
    await type_text(pilot, "Won")
    await pilot.press("enter")
    await settle(pilot)

    won = stored(connection, lambda o: o["status_type"] == "won")
    assert 0 < len(won) < 100
    assert not isinstance(app.screen, FilterBarScreen)
    assert header(app).filter_text == "type: won"
    assert header(app).count == f"{len(won)} opportunities"
    assert "» type: won" in str(header(app).query_one("#filter", Label).content)
    assert listing(app).total == len(won)
    assert listed_ids(app) == {o["id"] for o in won}
    assert list_queries(connection)[-1]["status_type"] == "won"

    # The sort still works, and keeps the filter.
    await pilot.press("o")
    await settle(pilot)
    last = list_queries(connection)[-1]
    assert last["status_type"] == "won"
    assert last["_order_by"] == listing(app).order_by != "-date_updated"
    assert listed_ids(app) == {o["id"] for o in won}


async def test_owner_and_a_date_won_range_in_date_words(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    bar = await open_bar(pilot)
    await fill(pilot, bar, "owner", "alex.morgan@sandbox.example")
    await fill(pilot, bar, "date-won-from", "-3m")
    await fill(pilot, bar, "date-won-to", "yesterday")
    await pilot.press("enter")
    await settle(pilot)

    start, end = "2026-08-28", "2026-11-27"  # -3m and yesterday from 2026-11-28 at UTC
    owner = user_id(connection, "Alex Morgan")
    expected = stored(
        connection,
        lambda o: o["user_id"] == owner and o["date_won"] and start <= o["date_won"] <= end,
    )
    assert expected
    assert header(app).filter_text == f"owner: Alex Morgan · won {start}…{end}"
    assert listing(app).total == len(expected)
    assert listed_ids(app) == {o["id"] for o in expected}
    query = list_queries(connection)[-1]
    assert query["user_id"] == owner
    assert (query["date_won__gte"], query["date_won__lte"]) == (start, end)


async def test_a_pipeline_becomes_its_statuses(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    bar = await open_bar(pilot)
    await pilot.press("f2")  # the pipeline line: pick from the org
    await settle(pilot)
    assert isinstance(app.screen, PickerScreen)
    await type_text(pilot, "renewals")
    await pilot.press("enter")
    await settle(pilot)
    assert bar.query_one("#filter-pipeline", Input).value == "Renewals"
    await pilot.press("enter")
    await settle(pilot)

    renewals = next(p for p in connection.sandbox.pipelines if p["name"] == "Renewals")
    expected = stored(connection, lambda o: o["pipeline_id"] == renewals["id"])
    assert header(app).filter_text == "pipeline: Renewals"
    assert listed_ids(app) == {o["id"] for o in expected}
    sent = list_queries(connection)[-1]["status_id__in"].split(",")
    assert sent == [s["id"] for s in renewals["statuses"]]


async def test_an_unknown_owner_or_bad_range_shows_a_message_and_changes_nothing(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    requests = len(list_queries(connection))
    bar = await open_bar(pilot)
    await fill(pilot, bar, "owner", "Ada Lovelace")
    await fill(pilot, bar, "date-won-from", "2026-11-10")
    await fill(pilot, bar, "date-won-to", "2026-11-01")
    await pilot.press("enter")
    await settle(pilot)

    assert app.screen is bar  # still open, nothing applied
    assert message(bar, "owner") == "'Ada Lovelace' is not a user for Owner."
    assert message(bar, "date-won-to") == ("Won to (2026-11-01) is before Won from (2026-11-10).")
    assert message(bar, "status") == ""
    assert app.focused is bar.query_one("#filter-owner")  # the first bad line
    assert len(list_queries(connection)) == requests
    assert main_filter_is_empty(app)

    await pilot.press("escape")
    await settle(pilot)
    assert main_filter_is_empty(app)
    assert listing(app).total == 300
    assert len(list_queries(connection)) == requests


def main_filter_is_empty(app: CloseTUI) -> bool:
    return app.main.active_filter.empty and header(app).filter_text == ""


async def test_save_a_view_then_apply_it_from_the_palette_and_clear(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    bar = await open_bar(pilot)
    await fill(pilot, bar, "status", "Won, Churned")
    await fill(pilot, bar, "date-won-from", "-1m")
    await fill(pilot, bar, "view-name", "Recent wins")
    await pilot.press("ctrl+r")
    await settle(pilot)

    path = config_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert '[views."Recent wins"]\nstatus = ["Won", "Churned"]\ndate_won_from = "-1m"\n' in text
    view = load_config().config.views["Recent wins"]
    assert view.status == ("Won", "Churned")
    assert "Saved view 'Recent wins'" in status(app).message
    assert header(app).filter_text.startswith("Recent wins: status: Won, Churned")

    won_ids = {
        s["id"]
        for p in connection.sandbox.pipelines
        for s in p["statuses"]
        if s["label"] in ("Won", "Churned")
    }

    def recent(o: JSON) -> bool:
        won = o["date_won"]
        return o["status_id"] in won_ids and won is not None and won >= "2026-10-28"

    expected = stored(connection, recent)
    assert listed_ids(app) == {o["id"] for o in expected}

    # Clear: the full list again.
    await pilot.press("F")
    await settle(pilot)
    assert main_filter_is_empty(app)
    assert listing(app).total == len(connection.sandbox.opportunities) == 300
    assert header(app).count == "300 opportunities"
    assert "status_id__in" not in list_queries(connection)[-1]

    # The view is in the palette, and applying it there filters again.
    assert "View: Recent wins" in await palette_commands(pilot, "view: recent")
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, "view: recent wins")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert app.main.active_filter.view == "Recent wins"
    assert listed_ids(app) == {o["id"] for o in expected}
    assert "View 'Recent wins' applied" in status(app).message


async def test_views_from_the_config_with_v_a_sort_and_a_word_that_does_not_fit() -> None:
    write_config(
        config_path(),
        '# mine\n[views."Lost, by value"]\nstatus_type = "lost"\norder_by = "-value"\n\n'
        '[views.Ada]\nowner = "Ada Lovelace"\n',
    )
    connection = demo()
    app = app_for(connection)
    async with running(app) as pilot:
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        assert [item.value for item in app.screen.items] == ["Lost, by value", "Ada"]
        await type_text(pilot, "lost")
        await pilot.press("enter")
        await settle(pilot)

        lost = stored(connection, lambda o: o["status_type"] == "lost")
        assert listing(app).order_by == "-value"
        assert listed_ids(app) == {o["id"] for o in lost}
        query = list_queries(connection)[-1]
        assert (query["status_type"], query["_order_by"]) == ("lost", "-value")
        values = [opp.value or 0 for _, opp in listing(app).cache.loaded()]
        assert values == sorted(values, reverse=True)

        # A view whose owner is not in this org: the word is named, nothing changes.
        requests = len(list_queries(connection))
        await pilot.press("v")
        await settle(pilot)
        await type_text(pilot, "ada")
        await pilot.press("enter")
        await settle(pilot)
        assert status(app).severity == "error"
        assert "'Ada Lovelace' is not a user for Owner" in status(app).message
        assert app.main.active_filter.view == "Lost, by value"
        assert len(list_queries(connection)) == requests


async def test_the_header_keeps_the_filter_readable_at_80_columns() -> None:
    connection = demo()
    app = app_for(connection)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        who = header(app).query_one("#who", Label)
        assert "Alex Morgan" in str(who.content)
        bar = await open_bar(pilot)
        await fill(pilot, bar, "status-type", "won")
        await fill(pilot, bar, "owner", "Emery Okafor")
        await fill(pilot, bar, "date-won-from", "2026-01-01")
        await pilot.press("enter")
        await settle(pilot)
        shown = header(app).query_one("#filter", Label)
        text = "type: won · owner: Emery Okafor · won ≥ 2026-01-01"
        assert header(app).filter_text == text
        expected = stored(
            connection,
            lambda o: (
                o["status_type"] == "won"
                and o["user_name"] == "Emery Okafor"
                and o["date_won"] >= "2026-01-01"
            ),
        )
        # The count stays; the signed-in user makes room; the filter fits or is cut with …
        assert str(who.content) == f"{len(expected)} opportunities"
        line = screen_line(app, 0)
        assert line.rstrip().endswith(f"{len(expected)} opportunities")
        assert "» type: won · owner: Emery" in line
        assert shown.region.right <= who.region.x
        # Back to no filter: nothing extra, the user is back.
        await pilot.press("F")
        await settle(pilot)
        assert not shown.display
        assert "Alex Morgan" in str(who.content)
        assert "»" not in screen_line(app, 0)


async def test_date_words_use_the_profile_offset() -> None:
    """At UTC+14, 15:00 UTC on the 28th is already the 29th: "today" is 2026-11-29."""
    connection = demo(tz_offset=14.0)
    app = app_for(connection)
    async with running(app) as pilot:
        bar = await open_bar(pilot)
        await fill(pilot, bar, "date-won-to", "today")
        await pilot.press("enter")
        await settle(pilot)
        assert list_queries(connection)[-1]["date_won__lte"] == date(2026, 11, 29).isoformat()


async def test_a_view_is_deleted_from_the_picker_on_a_second_press() -> None:
    write_config(
        config_path(),
        '# mine\n[views."Lost, by value"]\nstatus_type = "lost"\norder_by = "-value"\n\n'
        '[views.Ada]\nowner = "Ada Lovelace"\n',
    )
    app = app_for(demo())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        hint = picker.query_one("#picker-hint", Label)
        assert "deletes" in str(hint.content)
        await type_text(pilot, "ada")
        await pilot.press("f3")
        await pilot.pause()
        assert "again deletes view 'Ada'" in str(hint.content)
        assert "[views.Ada]" in config_path().read_text()  # nothing deleted yet
        await pilot.press("f3")
        await pilot.pause()
        assert "Deleted view 'Ada'" in str(hint.content)
        assert [item.value for item in picker.items] == ["Lost, by value"]
        text = config_path().read_text()
        assert "Ada" not in text
        assert '# mine\n[views."Lost, by value"]' in text
        # Moving elsewhere disarms: one press on the other view only asks.
        await pilot.press("ctrl+u", "f3")
        await pilot.pause()
        assert "again deletes view 'Lost, by value'" in str(hint.content)
        await pilot.press("escape")
        await settle(pilot)
        assert "Lost, by value" in config_path().read_text()
