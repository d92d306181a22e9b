"""The user's own programs: their editor ($VISUAL, $EDITOR) and pager ($PAGER) (stdlib only)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

EDITOR_VARIABLES = ("VISUAL", "EDITOR")
"""Looked at in this order, as git and most Unix tools do."""
FALLBACK_EDITORS = ("nano", "vi")
"""Tried on PATH when neither variable names an editor."""
FALLBACK_PAGERS = (("less", "-R"), ("more",))
"""Tried on PATH when ``$PAGER`` is not set."""
MAX_EDITED_BYTES = 1_000_000
"""Most bytes taken back from an editor (a note is a few KB; a file pasted by mistake is not)."""


class EditorMissing(Exception):
    """No editor to run: neither variable is set and no fallback is on PATH."""

    def __init__(self) -> None:
        names = ", ".join(f"${name}" for name in EDITOR_VARIABLES)
        tried = " or ".join(FALLBACK_EDITORS)
        super().__init__(f"no editor: {names} are not set and neither {tried} is on PATH")


class PagerMissing(Exception):
    """No pager to run: ``$PAGER`` is not set and neither ``less`` nor ``more`` is on PATH."""

    def __init__(self) -> None:
        super().__init__("no pager: $PAGER is not set and neither less nor more is on PATH")


def _split(value: str) -> list[str]:
    """A variable's command line (``code --wait``); an unbalanced quote is kept as one word."""
    try:
        return shlex.split(value)
    except ValueError:
        return [value.strip()]


def editor_argv(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor's command line: ``$VISUAL``, then ``$EDITOR`` (shell words), then the
    first of ``nano``, ``vi`` on PATH; raises :class:`EditorMissing`."""
    env = os.environ if environ is None else environ
    for name in EDITOR_VARIABLES:
        words = _split(env.get(name, ""))
        if words:
            return words
    for program in FALLBACK_EDITORS:
        found = shutil.which(program, path=env.get("PATH"))
        if found is not None:
            return [found]
    raise EditorMissing


def pager_argv(environ: Mapping[str, str] | None = None) -> list[str]:
    """The pager's command line: ``$PAGER`` (shell words), else ``less -R``, else ``more``;
    raises :class:`PagerMissing`."""
    env = os.environ if environ is None else environ
    words = _split(env.get("PAGER", ""))
    if words:
        return words
    for program, *options in FALLBACK_PAGERS:
        found = shutil.which(program, path=env.get("PATH"))
        if found is not None:
            return [found, *options]
    raise PagerMissing


def run_program(argv: list[str], path: Path, environ: Mapping[str, str] | None = None) -> int:
    """Run ``argv path`` in the foreground (it inherits the terminal); its exit code.

    A program that cannot be started answers 127, as a shell would.
    """
    env = dict(os.environ if environ is None else environ)
    try:
        return subprocess.run([*argv, str(path)], env=env, check=False).returncode
    except OSError:
        return 127


def run_editor(path: Path, environ: Mapping[str, str] | None = None) -> int:
    """Run the user's editor (:func:`editor_argv`) on ``path`` in the foreground (it
    inherits the terminal); the exit code. Raises :class:`EditorMissing`."""
    return run_program(editor_argv(environ), path, environ)


def run_pager(path: Path, environ: Mapping[str, str] | None = None) -> int:
    """Run the user's pager (:func:`pager_argv`) on ``path`` in the foreground; the exit
    code. Raises :class:`PagerMissing`."""
    return run_program(pager_argv(environ), path, environ)


@contextlib.contextmanager
def private_temp_file(text: str, suffix: str) -> Iterator[Path]:
    """A temporary file holding ``text`` (mode 0600, only its owner reads it), removed
    when the block ends, whatever happens in it."""
    fd, name = tempfile.mkstemp(prefix="closetui-", suffix=suffix)  # mkstemp: 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True, slots=True)
class Edited:
    """What an editor run gave back: the new text (None when it did not change) or why not."""

    text: str | None = None
    """The text as the user left it; None when nothing changed or the run failed."""
    problem: str | None = None
    """Why the text was not taken (the editor failed, the file was gone); None when fine."""


Runner = Callable[[Path], int]
"""Runs a program on a file and returns its exit code (the app suspends around it)."""


def edit_text(text: str, run: Runner, *, suffix: str = ".txt") -> Edited:
    """Let the user edit ``text`` in a private temporary file run through ``run``.

    The file gets a final newline (editors add one on save) that is taken off again, so
    text saved unchanged comes back unchanged. A non-zero exit keeps the text as it was.
    """
    with private_temp_file(text + "\n", suffix) as path:
        code = run(path)
        if code != 0:
            return Edited(problem=f"the editor exited with {code}; nothing was changed")
        try:
            with path.open("rb") as stream:
                raw = stream.read(MAX_EDITED_BYTES + 1)
        except OSError as exc:
            return Edited(problem=f"could not read the edited text back: {exc.strerror or exc}")
        if len(raw) > MAX_EDITED_BYTES:
            return Edited(problem="the edited text is larger than 1 MB; nothing was changed")
    # An editor may save Windows line ends: text that differs only there is unchanged.
    new = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").removesuffix("\n")
    return Edited(text=None if new == text.replace("\r\n", "\n") else new)
