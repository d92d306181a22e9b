"""Reading the ``Authorization`` header: Basic (API key, empty password) or Bearer."""

from __future__ import annotations

import base64
import binascii


def parse_authorization(header: str | None) -> tuple[str, str] | None:
    """``("basic", key)`` or ``("bearer", token)``; None when absent or malformed.

    Basic must carry the key as the user name and an empty password
    (``base64(key + ":")``), as Close documents.
    """
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return ("bearer", value) if value else None
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, colon, password = decoded.partition(":")
    if not colon or password or not key:
        return None
    return ("basic", key)
