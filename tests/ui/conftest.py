"""Fixtures for the Pilot tests: every app's notifications kept for the assertions."""

from __future__ import annotations

import pytest

from tests.ui.helpers import record_notifications


@pytest.fixture(autouse=True)
def _notifications_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """``notifications(app)`` lists what the app showed (see :func:`record_notifications`)."""
    record_notifications(monkeypatch)
