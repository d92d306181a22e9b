"""Scripted faults: what a sandbox does wrong, and to which requests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, applied to the next ``count`` matching API requests.

    With ``status`` set the request is answered with that status (and the body/headers
    below) instead of reaching the API; with ``drop`` the connection is cut mid-response;
    ``latency`` alone only delays the request, which then proceeds normally. With ``after``
    the request reaches the API first and only its answer is delayed, dropped or replaced.
    """

    status: int | None = None
    """Status to answer with (e.g. 503, 502, 429); None = no canned answer."""
    count: int | None = 1
    """How many matching requests this fault applies to; None = every one until cleared."""
    methods: tuple[str, ...] | None = None
    """HTTP methods it matches (upper case); None = any."""
    path: str | None = None
    """Substring the request path must contain (e.g. ``"/opportunity/"``); None = any."""
    retry_after: int | None = None
    """Value of a ``Retry-After`` header, in seconds."""
    ratelimit_reset: int | None = None
    """``reset`` of a ``RateLimit`` header (sent with ``remaining=0``)."""
    body: str | None = None
    """Raw body to send instead of the default JSON error."""
    content_type: str = "application/json"
    """Content type of ``body``."""
    drop: bool = False
    """Drop the connection after sending part of a response."""
    latency: float = 0.0
    """Seconds to wait before acting."""
    after: bool = False
    """Let the request take effect first, then delay/drop/replace its answer (a write that
    succeeded although the client saw a timeout, a reset or a 502)."""

    def __post_init__(self) -> None:
        if self.methods is not None:
            object.__setattr__(self, "methods", tuple(m.upper() for m in self.methods))
        if self.count is not None and self.count < 1:
            raise ValueError("count must be >= 1 or None")

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.methods is not None and method.upper() not in self.methods:
            return False
        return self.path is None or self.path in path

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """Build a fault from a JSON object with the same field names."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        values = dict(data)
        if values.get("methods") is not None:
            methods = values["methods"]
            values["methods"] = (methods,) if isinstance(methods, str) else tuple(methods)
        return cls(**values)
