"""Fixtures: the real client against the sandbox, in process and over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from closetui.api import CloseClient, Credential, Wait
from closetui.sandbox import DEMO_API_KEY, Sandbox, SandboxConfig, create_app
from closetui.sandbox.app import SandboxApp
from closetui.sandbox.server import ServerThread

IN_PROCESS_URL = "http://sandbox.test/api/v1/"


@dataclass
class Waits:
    """Every wait the client reported, in order."""

    seen: list[Wait]

    def __call__(self, wait: Wait) -> None:
        self.seen.append(wait)

    @property
    def reasons(self) -> list[str]:
        return [w.reason for w in self.seen]


@pytest.fixture
def app() -> SandboxApp:
    return create_app(SandboxConfig(opportunities=60))


@pytest.fixture
def sandbox(app: SandboxApp) -> Sandbox:
    sb: Sandbox = app.state.sandbox
    return sb


@pytest.fixture
def waits() -> Waits:
    return Waits([])


def make_client(app: SandboxApp, waits: Waits | None = None, **options: Any) -> CloseClient:
    options.setdefault("backoff", 0.01)
    return CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=IN_PROCESS_URL,
        tz_offset=0,
        transport=httpx.ASGITransport(app=app),
        on_wait=waits,
        **options,
    )


@pytest.fixture
async def client(app: SandboxApp, waits: Waits) -> AsyncIterator[CloseClient]:
    async with make_client(app, waits) as close:
        yield close


@pytest.fixture
def loopback(app: SandboxApp) -> Iterator[str]:
    """The same sandbox app served by uvicorn on 127.0.0.1; yields the base URL."""
    with ServerThread(app=app) as base_url:
        yield base_url


@pytest.fixture
async def live_client(loopback: str, waits: Waits) -> AsyncIterator[CloseClient]:
    async with CloseClient(
        Credential.api_key(DEMO_API_KEY),
        base_url=loopback,
        tz_offset=0,
        backoff=0.01,
        on_wait=waits,
    ) as close:
        yield close
