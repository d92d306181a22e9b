"""Reading a state file as JSON with its size and nesting bounded, so no file can crash a start."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from closetui.text_files import NotAFile, TooLarge, read_capped

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects read; closetui's own files nest 7 deep at most.

Far below the interpreter's recursion limit, so ``json.loads`` never reaches it."""

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
"""A JSON string: brackets inside it do not nest."""
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


class BadStateFile(ValueError):
    """A state file whose content cannot be used: too large, too deep, not JSON."""


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` bytes.

    BadStateFile for anything else (a larger file, a device, a FIFO — a symlink to
    ``/dev/zero`` must not fill the memory); OSError when it cannot be opened.
    """
    try:
        return read_capped(path, max_bytes, regular_only=True)
    except (TooLarge, NotAFile) as exc:
        raise BadStateFile(str(exc)) from None


def nesting_depth_over(data: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when the arrays and objects of JSON text ``data`` nest deeper than ``limit``.

    Brackets inside strings are skipped; text that is no JSON gives some answer and then
    fails to parse anyway.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for byte in _NOT_BRACKET.sub(b"", _STRING.sub(b"", data)):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def parse_json(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``data`` as JSON (UTF-8); BadStateFile when it nests too deep or does not parse."""
    if nesting_depth_over(data, max_depth):
        raise BadStateFile(f"nested more than {max_depth} levels deep")
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError alike
        raise BadStateFile(f"not valid JSON ({exc})") from None


def read_json(path: Path, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON content of ``path``, bounded in size and depth.

    BadStateFile for content that cannot be used (the caller moves the file aside),
    OSError when the file cannot be read at all.
    """
    return parse_json(read_bounded(path, max_bytes), max_depth)


def check_size(data: bytes, max_bytes: int) -> bytes:
    """``data`` when :func:`read_bounded` can read it back; else ValueError (never write
    a file that the next start would have to move aside)."""
    if len(data) > max_bytes:
        raise ValueError(f"{_size(len(data))} is larger than the {_size(max_bytes)} a file may be")
    return data


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.3g} MB"
    return f"{max(1, count // 1024)} KB"
