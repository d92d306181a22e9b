"""Settings of a sandbox run (the scripted faults are in :mod:`closetui.sandbox.faults`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

SEED_ANCHOR = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
"""The fixed anchor of tests, snapshots and benches: seeded timestamps fall in the two
years before it, so the same seed gives the same data on any day."""

DEMO_API_KEY = "sandbox_demo_key"
"""API key of the main demo user (role ``admin``)."""

USER_API_KEY = "sandbox_user_key"
"""API key of a second, non-admin user (role ``user``)."""

OAUTH_TOKEN = "sandbox_oauth_token"
"""OAuth bearer token of a third user (role ``user``)."""


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """How a sandbox is seeded and how badly it behaves."""

    opportunities: int = 300
    """Number of seeded opportunities."""
    seed: int = 0
    """Seed of the data generator; the same seed gives byte-identical data."""
    rate_limit: float | None = None
    """Requests per second allowed per credential; None turns rate limiting off."""
    rate_limit_separator: str = ","
    """Separator inside the ``RateLimit`` header: ``","`` or ``";"``."""
    latency: float = 0.0
    """Seconds added to every API request."""
    error_rate: float = 0.0
    """Share (0..1) of API requests answered with a 503."""
    drop_rate: float = 0.0
    """Share (0..1) of API requests whose connection is dropped mid-response."""
    api_key: str = DEMO_API_KEY
    """API key of the main demo user (admin)."""
    now: Callable[[], datetime] | None = None
    """Zero-argument callable returning an aware UTC datetime; None means real time."""
    anchor: datetime = SEED_ANCHOR
    """The aware moment seeded timestamps end at (the demo passes the start of today)."""
    pipelines: Mapping[str, Sequence[tuple[str, str]]] | None = None
    """Pipeline name -> its ``(label, type)`` statuses in order (None: the demo's two).
    Each needs an active, a won and a lost status; the first pipeline gets most of the
    opportunities (all of them when it is the only one)."""

    def __post_init__(self) -> None:
        if self.rate_limit_separator not in (",", ";"):
            raise ValueError("rate_limit_separator must be ',' or ';'")
        if self.opportunities < 0:
            raise ValueError("opportunities must be >= 0")
        for name, statuses in (self.pipelines or {}).items():
            if {kind for _, kind in statuses} != {"active", "won", "lost"}:
                raise ValueError(f"pipeline {name!r} needs active, won and lost statuses")
        for name, share in (("error_rate", self.error_rate), ("drop_rate", self.drop_rate)):
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")


def day_anchor(moment: datetime | None = None) -> datetime:
    """The start of ``moment``'s UTC day (default: today's): the demo's data ends there, so
    "won in the last month" lists something on any day, and is the same all day."""
    day = (moment or datetime.now(UTC)).astimezone(UTC).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
