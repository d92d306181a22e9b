"""Shared helpers of the sandbox tests: reference files, a settable clock, clients."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx

from closetui.sandbox.app import SandboxApp
from tests.conftest import RECORDED

BASE_URL = "http://sandbox/api/v1/"
FROZEN = datetime(2026, 6, 15, 23, 30, tzinfo=UTC)
"""Default frozen "now": late evening UTC, so positive offsets are already tomorrow."""


def recorded(name: str) -> dict[str, Any]:
    """The ``response`` of a recorded real Close exchange."""
    data: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text())
    return dict(data["response"])


class Clock:
    """A settable "now" for ``SandboxConfig.now``."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def make_client(app: SandboxApp, **kwargs: Any) -> httpx.AsyncClient:
    """A plain httpx client on the in-process app."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, **kwargs)
