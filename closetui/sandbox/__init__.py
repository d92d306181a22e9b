"""A Close-compatible API server with seeded data, faults and rate limits, for tests and demos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closetui.sandbox.app import SandboxApp, create_app
from closetui.sandbox.config import (
    DEMO_API_KEY,
    OAUTH_TOKEN,
    USER_API_KEY,
    SandboxConfig,
)
from closetui.sandbox.errors import DroppedConnection
from closetui.sandbox.org import field_id
from closetui.sandbox.store import RecordedRequest, Sandbox

if TYPE_CHECKING:
    from closetui.sandbox.faults import Fault
    from closetui.sandbox.server import ServerThread, serve

_SERVER = frozenset({"ServerThread", "serve"})
"""Loaded on first use: the loopback server pulls in uvicorn (and click), which the
in-process demo never needs."""

__all__ = [
    "DEMO_API_KEY",
    "OAUTH_TOKEN",
    "USER_API_KEY",
    "DroppedConnection",
    "Fault",
    "RecordedRequest",
    "Sandbox",
    "SandboxApp",
    "SandboxConfig",
    "ServerThread",
    "create_app",
    "field_id",
    "serve",
]


def __getattr__(name: str) -> Any:
    if name == "Fault":  # loaded when a fault is first scripted: the demo never does
        from closetui.sandbox.faults import Fault

        return Fault
    if name in _SERVER:
        from closetui.sandbox import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
