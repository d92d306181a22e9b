"""Close's formatting rules: ids, timestamps, money strings and note/HTML conversion."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from typing import Any

# ``html`` is imported where it is used: it loads a 2,000-entry entity table that nothing
# else on the way to the demo's first paint needs.

BASE62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" * 4 + b"01234567"
"""``bytes.translate`` table mapping every byte to a base62 character (byte % 62; slightly
biased, good enough for ids)."""

ID_LENGTH = 43
"""Characters after the prefix in Close ids (``oppo_`` + 43)."""

ID_BITS = ID_LENGTH * 8
"""Random bits behind one id: ``rng.getrandbits(ID_BITS).to_bytes(ID_LENGTH, "little")``
is exactly ``rng.randbytes(ID_LENGTH)``."""

PERIOD_SUFFIX = {"one_time": "", "monthly": " monthly", "annual": " annual"}
"""What ``value_formatted`` appends to the amount for each value period."""


def base62(raw: bytes) -> str:
    """Turn random bytes into as many base62 characters."""
    return raw.translate(BASE62).decode("ascii")


def stable_id(prefix: str, name: str, length: int = ID_LENGTH) -> str:
    """An id that depends only on ``name`` (used for the fixed organization objects)."""
    digest = hashlib.blake2b(name.encode(), digest_size=length).digest()
    return prefix + base62(digest)


def iso(moment: datetime) -> str:
    """Close's timestamp form: UTC, microseconds, ``+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def money(cents: int) -> str:
    """``25000`` -> ``"$250"``, ``125050`` -> ``"$1,250.50"``."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    if rest:
        return f"{sign}${dollars:,}.{rest:02d}"
    return f"{sign}${dollars:,}"


def money_or_none(cents: int) -> str | None:
    """Aggregate form: ``None`` for zero totals (as Close answers), else :func:`money`."""
    return money(cents) if cents else None


def value_formatted(value: int | None, period: str) -> str | None:
    """``"$250"``, ``"$500 annual"``, ``"$40 monthly"``; None without a value."""
    if value is None:
        return None
    return money(value) + PERIOD_SUFFIX.get(period, "")


def note_to_html(note: str) -> str:
    """Derive ``note_html`` from a plain note: one paragraph per line."""
    if not note:
        return ""
    # ``html.escape(text, quote=False)``, without importing ``html``:
    text = note.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<body><p>" + text.replace("\n", "</p><p>") + "</p></body>"


def html_to_note(note_html: str) -> str:
    """Derive the plain ``note`` from ``note_html``: paragraphs become lines."""
    import html

    # ``re`` compiles and caches these on first use (not at import).
    text = re.sub(r"</p\s*>|<br\s*/?>", "\n", note_html, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]*>", "", text)).rstrip("\n")


DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
"""A ``YYYY-MM-DD`` date (compiled and cached by ``re`` on first use)."""


def parse_date(value: Any) -> date | None:
    """``YYYY-MM-DD`` or an ISO datetime (its own date); None when malformed."""
    if not isinstance(value, str):
        return None
    try:
        if re.fullmatch(DATE_PATTERN, value):
            return date.fromisoformat(value)
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None
