"""The user's editor: ``$VISUAL``, then ``$EDITOR``, then nano or vi (stdlib only)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path


class EditorMissing(Exception):
    """No editor to run: neither variable is set and no fallback is on PATH."""

    def __init__(self) -> None:
        super().__init__(
            "no editor: $VISUAL, $EDITOR are not set and neither nano or vi is on PATH"
        )


def editor_argv(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor's command line: ``$VISUAL``, then ``$EDITOR`` (shell words), then the
    first of ``nano``, ``vi`` on PATH; raises :class:`EditorMissing`."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "")
        try:
            words = shlex.split(value)
        except ValueError:  # an unbalanced quote: the whole value is the program
            words = [value.strip()]
        if words:
            return words
    for program in ("nano", "vi"):
        found = shutil.which(program, path=env.get("PATH"))
        if found is not None:
            return [found]
    raise EditorMissing


def run_editor(path: Path, environ: Mapping[str, str] | None = None) -> int:
    """Run the editor on ``path`` in the foreground (it inherits the terminal); its exit
    code (127 when it cannot be started). Raises :class:`EditorMissing`."""
    argv = editor_argv(environ)
    env = dict(os.environ if environ is None else environ)
    try:
        return subprocess.run([*argv, str(path)], env=env, check=False).returncode
    except OSError:
        return 127
