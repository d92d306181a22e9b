"""Where to connect: the in-process demo sandbox, a base URL + key, or (later) a profile."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from closetui.api.client import DEFAULT_BASE_URL, CloseClient, local_tz_offset
from closetui.api.credentials import Credential

DEMO_BASE_URL = "http://sandbox.demo/api/v1/"
"""Shown for the in-process sandbox; no request ever leaves the process."""


class ConnectError(Exception):
    """The connection settings are incomplete or wrong; the message says how to fix it."""


@dataclass
class Connection:
    """Everything needed to open a client: the app and the CLI share this."""

    name: str
    """What the header shows: a profile name, "demo" or the host."""
    credential: Credential
    base_url: str = DEFAULT_BASE_URL
    tz_offset: float = field(default_factory=local_tz_offset)
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)
    demo: bool = False
    read_only: bool = False
    sandbox: Any = field(default=None, repr=False)
    """The live in-process sandbox for the demo (tests read what it stored)."""

    def client(self, **options: Any) -> CloseClient:
        """A new client for this connection (the caller closes it)."""
        return CloseClient(
            self.credential,
            base_url=self.base_url,
            tz_offset=self.tz_offset,
            transport=self.transport,
            **options,
        )


def demo_connection(
    *,
    opportunities: int = 300,
    now: Callable[[], datetime] | None = None,
    tz_offset: float | None = None,
) -> Connection:
    """The built-in sandbox, in process: no account and no network."""
    from closetui.sandbox import DEMO_API_KEY, SandboxConfig, create_app

    app = create_app(SandboxConfig(opportunities=opportunities, now=now))
    return Connection(
        name="demo",
        credential=Credential.api_key(DEMO_API_KEY),
        base_url=DEMO_BASE_URL,
        tz_offset=local_tz_offset() if tz_offset is None else tz_offset,
        transport=httpx.ASGITransport(app=app),
        demo=True,
        sandbox=app.state.sandbox,
    )


def url_connection(base_url: str, *, env: str = "CLOSE_API_KEY") -> Connection:
    """Any Close-compatible server, with the API key taken from ``env``."""
    key = os.environ.get(env, "").strip()
    if not key:
        raise ConnectError(f"--base-url needs an API key in the {env} environment variable")
    host = httpx.URL(base_url).host or base_url
    return Connection(name=host, credential=Credential.api_key(key), base_url=base_url)
