"""A Close-compatible API server with seeded data, faults and rate limits, for tests and demos."""

from closetui.sandbox.app import create_app
from closetui.sandbox.config import (
    DEMO_API_KEY,
    OAUTH_TOKEN,
    USER_API_KEY,
    Fault,
    SandboxConfig,
)
from closetui.sandbox.errors import DroppedConnection
from closetui.sandbox.org import field_id
from closetui.sandbox.server import ServerThread, serve
from closetui.sandbox.store import RecordedRequest, Sandbox

__all__ = [
    "DEMO_API_KEY",
    "OAUTH_TOKEN",
    "USER_API_KEY",
    "DroppedConnection",
    "Fault",
    "RecordedRequest",
    "Sandbox",
    "SandboxConfig",
    "ServerThread",
    "create_app",
    "field_id",
    "serve",
]
