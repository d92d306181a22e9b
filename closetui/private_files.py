"""Writing private files atomically (stdlib only; config and state both use it)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"
"""Suffix of the temporary file beside the target while it is being written."""


def write_atomic(target: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``target`` so a reader sees the old or the new file, never half.

    Temp file in the same folder (created 0600 by mkstemp, so never readable by others,
    even briefly), fsync, chmod to ``mode``, then ``os.replace``.
    """
    fd, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX
    )
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
