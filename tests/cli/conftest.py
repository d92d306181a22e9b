"""Fixtures for the CLI tests: a loopback sandbox shared by a module's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from closetui.sandbox import SandboxConfig, ServerThread
from tests.cli.helpers import Live


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    """The sandbox (40 opportunities) on loopback in a thread, and a way to run against it."""
    server = ServerThread(SandboxConfig(opportunities=40))
    with server as url:
        yield Live(url, server.sandbox)
