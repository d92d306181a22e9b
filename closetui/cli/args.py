"""The command line's door: argument types and argv checks, each refusal naming its option."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence


def opportunity_id_option(text: str) -> str:
    """``OPP_ID``: ``oppo_`` and Close's id alphabet, nothing that could change the URL."""
    from closetui.api.ids import is_close_id

    if not is_close_id(text, "oppo_"):
        raise argparse.ArgumentTypeError(
            f"not an opportunity id (oppo_ then ASCII letters and digits), got {text!r:.80}"
        )
    return text


def hours_option(text: str) -> float:
    """``--tz-offset``: decimal hours from -12 to +14 in steps of 0.25."""
    from closetui.config import parse_tz_offset
    from closetui.config.checks import looks_like_key

    try:
        return parse_tz_offset(text)
    except ValueError as exc:
        shown = "" if looks_like_key(text) else f", got {text!r}"  # a key pasted here
        raise argparse.ArgumentTypeError(f"{exc}{shown}") from None


def number_option(kind: type[int] | type[float], low: float, high: float) -> Callable[[str], float]:
    """An argparse type: an int (or finite float) from ``low`` to ``high``, ASCII digits."""

    def parse(text: str) -> float:
        word = text.strip()
        try:
            if not word.isascii():
                raise ValueError
            number = kind(word)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r:.40}") from None
        if not low <= number <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"expected {low:g} to {high:g}, got {text!r:.40}")
        return number

    return parse


def nonempty_option(text: str) -> str:
    """A name, URL or path: empty would silently mean "not given"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty value")
    return text


def set_value_option(text: str) -> str:
    """A value an option sets: never empty (emptying a field is ``--clear FIELD``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty value; to empty the field use --clear FIELD")
    return text


NOT_TEXT = "\ufffd"
"""What an argument's bytes that were not UTF-8 become before parsing."""
_SHOWN_AS = {
    "opportunity_id": "OPP_ID",
    "name": "NAME",
    "new_base_url": "--base-url",
    "new_tz_offset": "--tz-offset",
}


def as_text(word: str) -> str:
    """``word`` with the surrogates Python keeps for bytes that were not UTF-8 replaced:
    no output, file or request can carry them."""
    return "".join(NOT_TEXT if "\ud800" <= ch <= "\udfff" else ch for ch in word)


def not_text(args: argparse.Namespace) -> str:
    """The option whose value held bytes that were not UTF-8."""
    for dest, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and NOT_TEXT in item for item in values):
            return _SHOWN_AS.get(dest, "--" + dest.replace("_", "-"))
    return "an argument"


def double_dash(argv: Sequence[str]) -> str | None:
    """A refusal for ``--`` as an argument or an option's value, naming the option.

    argparse (3.11) turns ``--opt --`` and ``--opt=--`` into an empty list that skips the
    option's type check; no closetui argument needs ``--`` (no id, name or value that
    must follow it starts with ``-``).
    """
    for index, word in enumerate(argv):
        option, sep, value = word.partition("=")
        if sep and word.startswith("--") and value == "--":
            return f"{option}: '--' cannot be a value"
        if word == "--":
            before = argv[index - 1] if index else ""
            after = f" after {before}" if before.startswith("-") else ""
            return f"'--'{after}: closetui takes no '--' (no value can be '--')"
    return None


_DATE_SHIFT = re.compile(r"-\s*\d+\s*[A-Za-z]*")
"""A date word that starts with ``-`` (``-1w``, ``-3 days``); parse_date judges the rest."""
_DESCENDING = re.compile(r"-[A-Za-z_]{2,}")
"""A descending sort (``-date_updated``); check_order_by judges the field."""
DASH_VALUES = {
    "--won-after": _DATE_SHIFT,
    "--won-before": _DATE_SHIFT,
    "--date-won": _DATE_SHIFT,
    "--order-by": _DESCENDING,
}
"""Options whose value may start with ``-``, and the shape such a value has."""


def join_dash_values(argv: Sequence[str]) -> list[str]:
    """``argv`` with ``--won-after -1m`` written as ``--won-after=-1m``.

    argparse takes a word starting with ``-`` for an option, so it refuses such a value
    after a space; only the options of :data:`DASH_VALUES` followed by a value of their
    shape are joined, so ``--order-by --json`` still says the value is missing.
    """
    joined: list[str] = []
    index = 0
    while index < len(argv):
        word = argv[index]
        shape = DASH_VALUES.get(word)
        following = argv[index + 1] if index + 1 < len(argv) else None
        if shape is not None and following is not None and shape.fullmatch(following):
            joined.append(f"{word}={following}")
            index += 2
        else:
            joined.append(word)
            index += 1
    return joined
