"""Private files for local state: atomic 0600 writes, safe names, moving bad files aside."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from closetui import private_files

FILE_MODE = 0o600
"""Every state file: readable and writable by its owner only."""
DIR_MODE = 0o700
"""Every state directory: private to its owner."""
TEMP_SUFFIX = private_files.TEMP_SUFFIX
"""Suffix of half-written files (left only by a crash; ignored and removed on load)."""
CORRUPT_MARK = ".corrupt-"
"""Infix of files moved aside because they could not be read."""

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


@dataclass(frozen=True, slots=True)
class StateProblem:
    """A state file that could not be used, and where it was moved (for the user)."""

    path: Path
    """The file as it was found."""
    message: str
    """Why it was not used."""
    moved_to: Path | None = None
    """Where it now is (None when it could not be moved)."""

    def __str__(self) -> str:
        where = f"; moved aside to {self.moved_to}" if self.moved_to else "; left where it is"
        return f"{self.path.name}: {self.message}{where}"


def safe_name(text: str) -> str:
    """A file name for ``text``: itself when plain (``oppo_1``, ``work``), else a hash.

    Profile names and ids are plain in practice; anything with a separator, a leading
    dot or unusual characters gets ``x-`` plus a digest, so it can never escape the folder.
    """
    if _SAFE.fullmatch(text) and not text.endswith(TEMP_SUFFIX) and CORRUPT_MARK not in text:
        return text
    return "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) as a 0700 directory if missing; return it."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return path


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically as a 0600 file (:mod:`closetui.private_files`)."""
    private_files.write_atomic(target, data, FILE_MODE)


def move_aside(path: Path, message: str) -> StateProblem:
    """Rename an unreadable file to ``NAME.corrupt-STAMP`` and describe it; never raises."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    moved = path.with_name(f"{path.name}{CORRUPT_MARK}{stamp}")
    try:
        os.replace(path, moved)
    except OSError:
        return StateProblem(path, message)
    return StateProblem(path, message, moved)


def is_temporary(path: Path) -> bool:
    """True for a half-written file or one already moved aside."""
    return is_temporary_name(path.name)


def is_temporary_name(name: str) -> bool:
    """:func:`is_temporary` for a bare file name."""
    return name.endswith(TEMP_SUFFIX) or CORRUPT_MARK in name


def remove_stale_temporaries(folder: Path, older_than: float = 60.0) -> None:
    """Delete temp files a crash left behind (old enough not to be another writer's)."""
    now = datetime.now(UTC).timestamp()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime > older_than:
                        os.unlink(entry.path)
