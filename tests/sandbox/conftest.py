"""Fixtures for the sandbox tests: a small seeded org with a frozen clock, and clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from closetui.sandbox import (
    DEMO_API_KEY,
    OAUTH_TOKEN,
    USER_API_KEY,
    Sandbox,
    SandboxConfig,
    create_app,
)
from closetui.sandbox.app import SandboxApp

from .helpers import FROZEN, Clock, make_client


@pytest.fixture
def clock() -> Clock:
    return Clock(FROZEN)


@pytest.fixture
def config(clock: Clock) -> SandboxConfig:
    return SandboxConfig(opportunities=120, seed=7, now=clock)


@pytest.fixture
def app(config: SandboxConfig) -> SandboxApp:
    return create_app(config)


@pytest.fixture
def sb(app: SandboxApp) -> Sandbox:
    sandbox: Sandbox = app.state.sandbox
    return sandbox


@pytest.fixture
async def client(app: SandboxApp) -> AsyncIterator[httpx.AsyncClient]:
    """Authenticated as the demo admin (API key)."""
    async with make_client(app, auth=(DEMO_API_KEY, "")) as c:
        yield c


@pytest.fixture
async def user_client(app: SandboxApp) -> AsyncIterator[httpx.AsyncClient]:
    """Authenticated as the non-admin user (API key)."""
    async with make_client(app, auth=(USER_API_KEY, "")) as c:
        yield c


@pytest.fixture
async def bearer_client(app: SandboxApp) -> AsyncIterator[httpx.AsyncClient]:
    """Authenticated with the OAuth token."""
    async with make_client(app, headers={"Authorization": f"Bearer {OAUTH_TOKEN}"}) as c:
        yield c


@pytest.fixture
async def anon(app: SandboxApp) -> AsyncIterator[httpx.AsyncClient]:
    """No credentials."""
    async with make_client(app) as c:
        yield c
