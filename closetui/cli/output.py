"""What every command prints: one-line errors on stderr, JSON on stdout (stdlib only)."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_error(message: str) -> None:
    """One error line on stderr."""
    print(f"closetui: {message}", file=sys.stderr)


def dump_json(value: Any) -> None:
    """Pretty JSON on stdout."""
    print(json.dumps(value, indent=2, ensure_ascii=False))


def print_note(message: str) -> None:
    """A line for the person at the terminal (not the data) on stderr."""
    print(f"closetui: {message}", file=sys.stderr, flush=True)


def seconds_text(seconds: float) -> str:
    """``2``, ``1.4``: a wait as people read it."""
    return f"{seconds:.1f}".removesuffix(".0")
