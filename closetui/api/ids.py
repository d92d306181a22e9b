"""Close object ids: the shape an id must have before it goes into a URL path."""

from __future__ import annotations

import re

from closetui.api.errors import CloseError

# Close ids are a four-letter type prefix, ``_`` and base62 (43 characters in every
# recorded id; shorter ones are allowed, the sandbox and tests use ``oppo_1``).
_ID = re.compile(r"[a-z]{4}_[A-Za-z0-9]{1,64}")


class InvalidId(CloseError, ValueError):
    """An id that is not ``prefix`` + Close's id alphabet: never put into a URL."""


def is_close_id(text: str, prefix: str) -> bool:
    """True when ``text`` is ``prefix`` (e.g. ``oppo_``) followed by 1-64 ASCII letters/digits."""
    return text.startswith(prefix) and _ID.fullmatch(text) is not None


def path_id(text: str, prefix: str) -> str:
    """``text`` unchanged when it is a Close id with ``prefix``; else :class:`InvalidId`.

    The last line of defence where an id enters a URL path: ``../user/X`` must never
    become a request for another endpoint.
    """
    if not is_close_id(text, prefix):
        raise InvalidId(f"not a Close id ({prefix}…, letters and digits): {text!r:.80}")
    return text


def opportunity_path(opportunity_id: str) -> str:
    """``opportunity/{id}/`` for a checked opportunity id (:class:`InvalidId` otherwise)."""
    return f"opportunity/{path_id(opportunity_id, 'oppo_')}/"
