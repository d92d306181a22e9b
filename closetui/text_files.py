"""Reading the small text files a user controls (config, themes): size-capped, parsed
without ever raising anything but the errors named here (stdlib only)."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

MAX_TEXT_FILE = 1_000_000
"""Bytes a config or theme file may have: real ones are a few KB; a symlink to
/dev/zero or a log file named by mistake is refused instead of read into memory."""


class TooLarge(ValueError):
    """The file has more than the cap allows; only cap + 1 bytes were read."""

    def __init__(self, cap: int) -> None:
        size = f"{cap // 1_000_000} MB" if cap >= 1_000_000 else f"{max(1, cap // 1024)} KB"
        super().__init__(f"larger than {size}")


class NotAFile(ValueError):
    """A FIFO or socket (or, where only regular files will do, a device) where a file was
    expected: never waited on, never read."""

    def __init__(self, regular_only: bool = False) -> None:
        super().__init__(
            "not a regular file"
            if regular_only
            else "expected a regular file, found a pipe or socket"
        )


class BadToml(ValueError):
    """The text is not TOML the parser could read; the message never quotes the text."""


def read_capped(path: Path, cap: int, *, regular_only: bool = False) -> bytes:
    """The bytes of ``path``, reading at most ``cap + 1`` of them.

    Raises :class:`TooLarge` past the cap, :class:`NotAFile` for a pipe or socket (with
    ``regular_only``, for anything but a regular file), or ``OSError``
    (``FileNotFoundError`` when there is no file).
    """
    # O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait forever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if (regular_only and not stat.S_ISREG(mode)) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            raise NotAFile(regular_only)
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise TooLarge(cap)
    return data


def read_small_text(path: Path, cap: int = MAX_TEXT_FILE) -> str:
    """The UTF-8 text of ``path``, reading at most ``cap + 1`` bytes.

    Raises :class:`TooLarge`, :class:`NotAFile`, ``UnicodeDecodeError`` or ``OSError``.
    """
    return read_capped(path, cap).decode("utf-8")


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``; every failure of the parser becomes :class:`BadToml`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's messages give line and column, never the text itself.
        raise BadToml(f"not valid TOML: {exc}") from None
    except RecursionError:
        raise BadToml("not valid TOML: nested too deeply") from None
    except Exception as exc:  # any other parser failure is a bad file, never a crash
        raise BadToml(f"not valid TOML ({type(exc).__name__})") from None


def read_problem(exc: Exception) -> str:
    """What went wrong reading a file, for ``<file>: <problem>`` (never its text)."""
    if isinstance(exc, TooLarge):  # a config or theme is a few KB: probably another file
        return f"{exc}; is it the right file?"
    if isinstance(exc, NotAFile | BadToml):
        return str(exc)
    if isinstance(exc, IsADirectoryError):
        return "expected a file, found a directory"
    if isinstance(exc, PermissionError):
        return "cannot read it: permission denied"
    if isinstance(exc, UnicodeDecodeError):
        return "expected UTF-8 text"
    if isinstance(exc, OSError):
        return f"cannot read it: {exc.strerror or 'error'}"
    return f"cannot read it ({type(exc).__name__})"
