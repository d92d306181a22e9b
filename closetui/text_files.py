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
        super().__init__(f"larger than {cap // 1_000_000} MB; is it the right file?")


class NotAFile(ValueError):
    """A FIFO or socket where a file was expected: never waited on."""

    def __init__(self) -> None:
        super().__init__("expected a regular file, found a pipe or socket")


class BadToml(ValueError):
    """The text is not TOML the parser could read; the message never quotes the text."""


def read_small_text(path: Path, cap: int = MAX_TEXT_FILE) -> str:
    """The UTF-8 text of ``path``, reading at most ``cap + 1`` bytes.

    Raises :class:`TooLarge`, :class:`NotAFile`, ``UnicodeDecodeError`` or ``OSError``
    (``FileNotFoundError`` when there is no file).
    """
    # O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            raise NotAFile
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise TooLarge(cap)
    return data.decode("utf-8")


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
    if isinstance(exc, TooLarge | NotAFile | BadToml):
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
