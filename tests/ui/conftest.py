"""Fixtures for the Pilot tests: notifications kept, the demo, its app running, a row opened."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import (
    CloseTUI,
    Connection,
    Opportunity,
    app_for,
    demo,
    main,
    open_row,
    record_notifications,
    running,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "demo(opportunities): how many opportunities the `connection` demo seeds"
    )


@pytest.fixture(autouse=True)
def _notifications_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """``notifications(app)`` lists what the app showed (see :func:`record_notifications`)."""
    record_notifications(monkeypatch)


@pytest.fixture
def connection(request: pytest.FixtureRequest) -> Connection:
    """The demo (:func:`demo`): 300 opportunities, or as many as ``@pytest.mark.demo(n)``."""
    marker = request.node.get_closest_marker("demo")
    return demo(*marker.args) if marker else demo()


@pytest.fixture
def app(connection: Connection) -> CloseTUI:
    """The app on the demo, as the CLI makes it (see :func:`app_for`)."""
    return app_for(connection)


@pytest.fixture
async def pilot(app: CloseTUI) -> AsyncIterator[Pilot[Any]]:
    """The app running at the tests' size, its first page loaded and settled."""
    async with running(app) as pilot:
        yield pilot


@pytest.fixture
async def opened(app: CloseTUI, pilot: Pilot[Any]) -> Opportunity:
    """The first row's opportunity, opened in the editor (ready for a draft)."""
    await open_row(pilot, 0)
    opportunity = main(app).edit_state.opportunity
    assert opportunity is not None
    return opportunity
