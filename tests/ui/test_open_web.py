"""Open in Close (w, and the palette): a browser where there is one, else the URL copied."""

from __future__ import annotations

from typing import Any

import pytest

from closetui.ui.flows.open_web import system_browser
from tests.ui.helpers import (
    app_for,
    demo,
    listing,
    main,
    open_row,
    palette_commands,
    running,
    settle,
    status,
    type_text,
)


def _lead_of_row(app: Any, index: int) -> tuple[str, str]:
    row = listing(app).cache.row(index)
    assert row is not None
    lead = main(app).connection.sandbox.opportunities[row.id]["lead_id"]
    return row.id, f"https://app.close.com/lead/{lead}/"


async def test_w_opens_the_highlighted_rows_lead_in_the_browser() -> None:
    opened: list[str] = []
    app = app_for(demo(30))
    async with running(app) as pilot:
        main(app).open_browser = lambda url: opened.append(url) or True
        await pilot.press("j", "j", "w")
        await settle(pilot)
        _, url = _lead_of_row(app, 2)
        assert opened == [url]
        assert f"Opened in the browser: {url}" in status(app).message
        assert "demo" in status(app).message  # the demo's lead is not on app.close.com


async def test_without_a_browser_the_url_is_shown_and_copied() -> None:
    app = app_for(demo(30))
    async with running(app) as pilot:
        main(app).open_browser = None
        await open_row(pilot, 4)  # the open opportunity knows its lead: no extra read
        await pilot.press("escape", "w")
        await settle(pilot)
        _, url = _lead_of_row(app, 4)
        assert app.clipboard == url
        assert f"No browser here; copied: {url}" in status(app).message


async def test_a_browser_that_does_not_open_falls_back_to_copying() -> None:
    app = app_for(demo(30))
    async with running(app) as pilot:
        main(app).open_browser = lambda url: False
        await pilot.press("w")
        await settle(pilot)
        _, url = _lead_of_row(app, 0)
        assert app.clipboard == url
        assert "did not open" in status(app).message


async def test_the_palette_offers_it_and_runs_it() -> None:
    opened: list[str] = []
    app = app_for(demo(30))
    async with running(app) as pilot:
        main(app).open_browser = lambda url: opened.append(url) or True
        assert "Open in Close" in await palette_commands(pilot, "open in close")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "open in close")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert opened == [_lead_of_row(app, 0)[1]]


async def test_a_profiles_web_url_is_used() -> None:
    app = app_for(demo(30).replace(web_url="http://127.0.0.1:9/"))
    async with running(app) as pilot:
        main(app).open_browser = None
        await pilot.press("w")
        await settle(pilot)
        assert app.clipboard.startswith("http://127.0.0.1:9/lead/lead_")


@pytest.mark.parametrize(
    ("env", "platform", "has_one"),
    [
        ({}, "linux", False),  # a console: webbrowser would start lynx in our terminal
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"SSH_CONNECTION": "1 2 3 4"}, "linux", False),
        ({"SSH_CONNECTION": "1 2 3 4", "DISPLAY": "localhost:10.0"}, "linux", True),  # ssh -X
        ({}, "darwin", True),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", False),
        ({}, "win32", True),
    ],
)
def test_a_browser_is_only_used_where_the_user_can_see_it(
    env: dict[str, str], platform: str, has_one: bool
) -> None:
    assert (system_browser(env, platform) is not None) is has_one


async def test_w_on_the_board_opens_the_card_under_the_cursor() -> None:
    from tests.ui.test_board_keys import shown_board

    opened: list[str] = []
    app = app_for(demo(30))
    async with app.run_test(size=(120, 40)) as pilot:
        main(app).open_browser = lambda url: opened.append(url) or True
        board = await shown_board(pilot)
        await pilot.press("l")
        await settle(pilot)
        card = board.highlighted
        assert card is not None
        assert card.id != listing(app).highlighted.id  # type: ignore[union-attr]
        await pilot.press("w")
        await settle(pilot)
        lead = main(app).connection.sandbox.opportunities[card.id]["lead_id"]
        assert opened == [f"https://app.close.com/lead/{lead}/"]
