"""The report a crash of the app leaves in the state dir, with the secrets taken out."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from closetui.private_files import write_atomic

REDACTED = "***"
_AUTHORIZATION = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{6,}")
"""An Authorization header's value."""
_API_KEY = re.compile(r"\bapi_[A-Za-z0-9]{8,}")
"""A Close API key."""
_PIECE = 12
"""A piece of a known secret this long is taken out too (a wrapped line splits it)."""


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without the ``secrets``, their pieces, API keys or Authorization values."""
    for secret in sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
        for start in range(len(secret) - _PIECE + 1):
            text = text.replace(secret[start : start + _PIECE], REDACTED)
    text = _AUTHORIZATION.sub(rf"\1 {REDACTED}", text)
    return _API_KEY.sub(f"api_{REDACTED}", text)


def crash_dir() -> Path:
    """Where crash reports go: closetui's state dir."""
    import platformdirs

    return platformdirs.user_state_path("closetui")


def write_crash_report(report: str) -> Path:
    """Write ``report`` (redacted already) to a new ``crash-<time>.txt`` (0600); its path."""
    directory = crash_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = directory / f"crash-{stamp}-{os.getpid()}.txt"
    write_atomic(path, report.encode("utf-8"), 0o600)
    return path
