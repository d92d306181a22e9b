"""Reading Close's rate-limit headers and deciding how long to wait."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_PAIR = re.compile(r"\s*([a-zA-Z_-]+)\s*=\s*([0-9.]+)\s*")


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """What the last response said about the limit the caller is closest to."""

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    """Seconds until the window resets."""


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


def parse_ratelimit(headers: Mapping[str, str]) -> RateLimitState | None:
    """Parse ``RateLimit: limit=.., remaining=.., reset=..`` (``,`` or ``;`` separated).

    Falls back to the ``RateLimit-Limit/-Remaining/-Reset`` trio; None when absent.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    combined = lower.get("ratelimit")
    values: dict[str, float] = {}
    if combined:
        for part in re.split(r"[,;]", combined):
            match = _PAIR.fullmatch(part)
            if match and (num := _number(match.group(2))) is not None:
                values.setdefault(match.group(1).lower(), num)
    for key in ("limit", "remaining", "reset"):
        if key not in values and (num := _number(lower.get(f"ratelimit-{key}"))) is not None:
            values[key] = num
    if not values:
        return None
    limit, remaining = values.get("limit"), values.get("remaining")
    return RateLimitState(
        limit=int(limit) if limit is not None else None,
        remaining=int(remaining) if remaining is not None else None,
        reset=values.get("reset"),
    )


def retry_delay(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait after a 429: ``RateLimit`` reset, else ``Retry-After``, else
    ``RateLimit-Reset``; None when the answer gives no hint."""
    lower = {k.lower(): v for k, v in headers.items()}
    combined = lower.get("ratelimit")
    if combined:
        state = parse_ratelimit({"ratelimit": combined})
        if state is not None and state.reset is not None:
            return state.reset
    for name in ("retry-after", "ratelimit-reset"):
        if (num := _number(lower.get(name))) is not None:
            return num
    return None
