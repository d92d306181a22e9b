"""Writing draft files on a background thread, so a keystroke never waits for the disk.

A draft is saved on every keystroke; an atomic write with ``fsync`` waits for the disk.
The caller hands over how to make the
file's content; one thread makes and writes it, files in the order given, once the
changes pause for :data:`QUIET` seconds (never later than :data:`LATEST` after the first
change waiting). Only the newest version of each file is made and written: keys that
come together (a paste, a burst over SSH, a fast typist) cost one write, not one each,
and the writer's work does not land between keys, competing with the screen for the
interpreter. A pause is far shorter than a person takes between keys, so each draft is
on disk soon after it is typed; :meth:`DraftWriter.flush` writes at once.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

from closetui.state.files import private_dir, write_atomic

Content = Callable[[], bytes]
"""Makes a file's content (called on the writer thread)."""

QUIET = 0.02
"""Seconds without a new change before the waiting files are written."""

LATEST = 0.25
"""Seconds a change waits at most, however long the changes keep coming."""

FLUSH_TIMEOUT = 10.0
"""Seconds :meth:`DraftWriter.flush` waits at most (a hung disk must not hang a quit)."""

_WRITERS: weakref.WeakSet[DraftWriter] = weakref.WeakSet()
"""Every writer there is, for :func:`flush_all`."""


def flush_all(timeout: float = FLUSH_TIMEOUT) -> bool:
    """Write what every writer has waiting, now (the process is about to end without
    running its exit handlers: a hang-up); False if the disk took over ``timeout``."""
    done = True
    for writer in list(_WRITERS):  # every one, even after one that timed out
        done = writer.flush(timeout) and done
    return done


class DraftWriter:
    """Writes (or removes) files off the caller's thread; newest content per path wins.

    ``on_failure`` is called (on the writer thread) with a message when a write fails;
    without it the message waits for :meth:`take_failure`. Pending writes are finished
    by :meth:`flush`, which also runs at interpreter exit.
    """

    def __init__(self, on_failure: Callable[[str], None] | None = None) -> None:
        self.on_failure = on_failure
        self._pending: dict[Path, Content | None] = {}
        """Path -> what makes the content to write, or None to remove it; oldest first."""
        self._first_at = 0.0
        """When the oldest change still waiting came (``time.monotonic``)."""
        self._last_at = 0.0
        """When the newest change came."""
        self._flushing = 0
        """How many :meth:`flush` calls are waiting (the writer then writes at once)."""
        self._busy = False
        self._writing: frozenset[Path] = frozenset()
        """Paths the writer is writing now (their content is not on disk yet)."""
        self._failed: set[Path] = set()
        """Paths whose newest content failed to be written (a later success clears it)."""
        self._failure: str | None = None
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        _WRITERS.add(self)

    def write(self, path: Path, content: Content) -> None:
        """Write ``content()`` to ``path`` (atomically, 0600, its folder created 0700)."""
        self._queue(path, content)

    def remove(self, path: Path) -> None:
        """Remove ``path`` (after any write to it that is still pending)."""
        self._queue(path, None)

    def _queue(self, path: Path, data: Content | None) -> None:
        with self._changed:
            self._last_at = time.monotonic()
            if not self._pending:
                self._first_at = self._last_at
            self._pending.pop(path, None)  # superseded: only the newest is written
            self._pending[path] = data
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="closetui-draft-writer", daemon=True
                )
                self._thread.start()
                atexit.register(self.flush)
            if len(self._pending) == 1:
                # Woken for the first change only: the writer then waits out the quiet
                # window by itself, not woken (and run) again by every key.
                self._changed.notify_all()

    def flush(self, timeout: float = FLUSH_TIMEOUT) -> bool:
        """Write what is waiting now and wait until it is done; False if that took over
        ``timeout``."""
        with self._changed:
            self._flushing += 1
            self._changed.notify_all()
            try:
                return self._changed.wait_for(lambda: not self._pending and not self._busy, timeout)
            finally:
                self._flushing -= 1

    def unsaved(self) -> frozenset[Path]:
        """Paths whose newest content is not on disk: waiting, being written, or failed."""
        with self._changed:
            waiting = {path for path, data in self._pending.items() if data is not None}
            return frozenset(waiting | self._writing | self._failed)

    def take_failure(self) -> str | None:
        """The last failure not yet reported (only kept when there is no ``on_failure``)."""
        with self._changed:
            failure, self._failure = self._failure, None
        return failure

    def _due(self) -> float:
        """Seconds until the waiting files are due (0 or less: now). Lock held."""
        if self._flushing:
            return 0.0
        due = min(self._last_at + QUIET, self._first_at + LATEST)
        return due - time.monotonic()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._pending))
                while (wait := self._due()) > 0:
                    self._changed.wait(wait)
                batch = list(self._pending.items())  # changes after this start a new wait
                self._pending.clear()
                self._busy = True
                self._writing = frozenset(path for path, data in batch if data is not None)
            results = [(path, data, _apply(path, data)) for path, data in batch]
            failures = [failure for _, _, failure in results if failure]
            told = self.on_failure
            if told is not None:
                for failure in failures:
                    told(failure)  # before flush() returns
            with self._changed:
                for path, data, outcome in results:
                    if data is not None and outcome:
                        self._failed.add(path)
                    else:  # written, or removed: nothing of it is left unsaved
                        self._failed.discard(path)
                self._writing = frozenset()
                self._busy = False
                if failures and told is None:
                    self._failure = failures[-1]
                self._changed.notify_all()


def _apply(path: Path, content: Content | None) -> str | None:
    """Do one write or removal; why it failed, or None."""
    try:
        if content is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        else:
            data = content()
            private_dir(path.parent)
            write_atomic(path, data)
    except ValueError as exc:  # a value JSON cannot hold
        return f"Could not save the draft ({exc}); it is kept in memory only."
    except OSError as exc:  # disk full, read-only home...
        reason = exc.strerror or exc
        if content is None:
            return f"Could not remove the saved draft ({reason})."
        return f"Could not save the draft to disk ({reason}); it is kept in memory only."
    except Exception as exc:  # a bug must not end the thread: later drafts would go unsaved
        name = type(exc).__name__
        return f"Could not save the draft ({name}: {exc}); it is kept in memory only."
    return None
