"""Settings of a sandbox run (the scripted faults are in :mod:`closetui.sandbox.faults`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

DEMO_API_KEY = "sandbox_demo_key"
"""API key of the main demo user (role ``admin``)."""

USER_API_KEY = "sandbox_user_key"
"""API key of a second, non-admin user (role ``user``)."""

OAUTH_TOKEN = "sandbox_oauth_token"
"""OAuth bearer token of a third user (role ``user``)."""


class SandboxConfig:
    """How a sandbox is seeded and how badly it behaves.

    A plain class, not a dataclass (~1 ms to define): the demo makes one on the way to
    its first frame.
    """

    def __init__(
        self,
        opportunities: int = 300,
        seed: int = 0,
        rate_limit: float | None = None,
        rate_limit_separator: str = ",",
        latency: float = 0.0,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        api_key: str = DEMO_API_KEY,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        if rate_limit_separator not in (",", ";"):
            raise ValueError("rate_limit_separator must be ',' or ';'")
        if opportunities < 0:
            raise ValueError("opportunities must be >= 0")
        for name, share in (("error_rate", error_rate), ("drop_rate", drop_rate)):
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        self.opportunities = opportunities
        """Number of seeded opportunities."""
        self.seed = seed
        """Seed of the data generator; the same seed gives byte-identical data."""
        self.rate_limit = rate_limit
        """Requests per second allowed per credential; None turns rate limiting off."""
        self.rate_limit_separator = rate_limit_separator
        """Separator inside the ``RateLimit`` header: ``","`` or ``";"``."""
        self.latency = latency
        """Seconds added to every API request."""
        self.error_rate = error_rate
        """Share (0..1) of API requests answered with a 503."""
        self.drop_rate = drop_rate
        """Share (0..1) of API requests whose connection is dropped mid-response."""
        self.api_key = api_key
        """API key of the main demo user (admin)."""
        self.now = now
        """Zero-argument callable returning an aware UTC datetime; None means real time."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"SandboxConfig({shown})"
