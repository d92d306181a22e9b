"""What a failed write means: refused (not applied) or unknown (it may have been applied)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from closetui.api.errors import ApiError, TransportError, UnreadableAnswer

Verdict = Literal["refused", "unknown"]
"""``refused``: the server did not apply it (safe to send again); ``unknown``: it may
have been applied (read it again before saying anything, never resend blindly)."""

NOT_APPLIED_5XX = frozenset({503})
"""5xx answers that mean "not applied": the official client retries 503 for any method."""


@dataclass(frozen=True, slots=True)
class WriteFailure:
    """A write that did not end in a readable 2xx: its verdict and one line saying why."""

    verdict: Verdict
    reason: str
    """What happened, for the user (``HTTP 502: bad gateway``, ``no answer: ReadTimeout``)."""
    status: int | None = None
    """The HTTP status, when there was an answer."""

    @property
    def unknown(self) -> bool:
        """True when the write may have landed."""
        return self.verdict == "unknown"


def classify_write_error(exc: BaseException) -> WriteFailure:
    """The verdict on an exception raised by a write (PUT), whatever raised it."""
    if isinstance(exc, TransportError):
        if exc.connect:  # no connection was made: the server never saw the request
            return WriteFailure("refused", f"could not connect ({exc})")
        kind = "timed out" if exc.timeout else "connection dropped"
        return WriteFailure("unknown", f"{kind} after the request went out ({exc})")
    if isinstance(exc, UnreadableAnswer):
        return WriteFailure("unknown", str(exc), exc.status)
    if isinstance(exc, ApiError):
        if exc.status < 500 or exc.status in NOT_APPLIED_5XX:
            return WriteFailure("refused", str(exc), exc.status)
        # 500/502/504…: the server, or the one behind a gateway, may have applied it.
        return WriteFailure("unknown", str(exc), exc.status)
    # Anything else (a bug on our side mid-send): never claim it was not applied.
    return WriteFailure("unknown", f"{type(exc).__name__}: {exc}")
