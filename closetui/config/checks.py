"""Checks on config values that need no pydantic: the command line and the start-up
(``--tz-offset``, ``--base-url``) use them before anything else is loaded."""

from __future__ import annotations

import ipaddress
import math
import re
from urllib.parse import urlsplit

DEFAULT_POLL_SECONDS = 15.0
"""The live list's interval when a profile does not say (the demo's too)."""
TZ_EXPECTED = "expected hours like -5 or 5.5"
TZ_RANGE = "expected hours from -12 to +14 in steps of 0.25"
URL_EXPECTED = "expected an https:// URL like https://api.close.com/api/v1/"
HTTP_REFUSED = (
    "expected https://; plain http:// is only allowed for loopback hosts "
    "(127.0.0.1, ::1, localhost)"
)


_SEPARATORS = re.compile(r"[-_.]")


def looks_like_key(text: str) -> bool:
    """True when ``text`` holds something shaped like an API key or token.

    A field meant for a name (``api_key_env``, the program of ``api_key_command``) must
    refuse such a value without showing it. Key-shaped: 20+ letters and digits (``_ . -``
    ignored) with 2+ digits and both cases, or 32+ with 2+ digits; no variable or program
    name people write looks like that.
    """
    for part in text.split("/"):
        run = _SEPARATORS.sub("", part)
        if not run.isascii() or not run.isalnum():
            continue
        digits = sum(c.isdigit() for c in run)
        upper = sum(c.isupper() for c in run)
        lower = sum(c.islower() for c in run)
        if digits >= 2 and ((len(run) >= 20 and upper >= 2 and lower >= 2) or len(run) >= 32):
            return True
    return False


def check_tz_offset(value: object) -> float:
    """Hours between -12 and +14 in steps of 0.25 as a float; else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(TZ_EXPECTED)
    hours = float(value)
    if not math.isfinite(hours) or not -12 <= hours <= 14 or hours * 4 != round(hours * 4):
        raise ValueError(TZ_RANGE)
    return hours


POLL_EXPECTED = "expected seconds, a number from 0 (0 turns polling off)"


def check_poll_seconds(value: object) -> float:
    """A finite number of seconds >= 0 as a float; else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(POLL_EXPECTED)
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(POLL_EXPECTED)
    return seconds


def parse_tz_offset(text: str) -> float:
    """An offset typed on the command line (``-5``, ``+5.5``); else ValueError."""
    try:
        hours = float(text.strip())
    except ValueError:
        raise ValueError(TZ_EXPECTED) from None
    return check_tz_offset(hours)


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """A usable API root (with a trailing slash); else ValueError saying what is expected."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(URL_EXPECTED) from None
    if parts.scheme not in ("https", "http") or not host or parts.query or parts.fragment:
        raise ValueError(URL_EXPECTED)
    if parts.username is not None or parts.password is not None:
        raise ValueError("expected no user:password@ in the URL; keys go in a key source")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ValueError(HTTP_REFUSED)
    cleaned = url.strip()
    return cleaned if cleaned.endswith("/") else cleaned + "/"
