"""The background draft writer: files end as the last change left them, failures are told."""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from closetui.cli import tui
from closetui.state.draft_writer import LATEST, QUIET, DraftWriter


def test_writes_in_the_background_and_flush_waits_for_them(tmp_path: Path) -> None:
    writer = DraftWriter()
    target = tmp_path / "drafts" / "oppo_1.json"
    writer.write(target, lambda: b'{"a": 1}')
    assert writer.flush()
    assert target.read_bytes() == b'{"a": 1}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_the_newest_content_wins_and_superseded_versions_are_never_made(tmp_path: Path) -> None:
    writer = DraftWriter()
    target = tmp_path / "oppo_1.json"
    gate = threading.Event()
    made: list[int] = []

    def slow() -> bytes:  # holds the writer while the next versions queue up
        gate.wait(5)
        made.append(0)
        return b"0"

    version = versions(made)
    writer.write(tmp_path / "other.json", slow)
    for n in range(1, 50):
        writer.write(target, lambda n=n: version(n))  # type: ignore[misc]
    gate.set()
    assert writer.flush()
    assert target.read_bytes() == b"49"
    assert made == [0, 49]


def test_a_removal_after_a_write_leaves_no_file(tmp_path: Path) -> None:
    writer = DraftWriter()
    target = tmp_path / "oppo_1.json"
    writer.write(target, lambda: b"x")
    writer.remove(target)
    assert writer.flush()
    assert not target.exists()
    writer.remove(target)  # removing a missing file is not a failure
    assert writer.flush()
    assert writer.take_failure() is None


def test_a_failed_write_is_reported_once(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    writer = DraftWriter()
    writer.write(blocker / "oppo_1.json", lambda: b"x")
    assert writer.flush()
    failure = writer.take_failure()
    assert failure is not None
    assert "Could not save the draft" in failure
    assert writer.take_failure() is None


def test_failures_go_to_on_failure_when_given(tmp_path: Path) -> None:
    told: list[str] = []
    writer = DraftWriter(on_failure=told.append)

    def unstorable() -> bytes:
        raise ValueError("Out of range float values are not JSON compliant")

    writer.write(tmp_path / "oppo_1.json", unstorable)
    assert writer.flush()
    assert len(told) == 1
    assert "JSON" in told[0]
    assert writer.take_failure() is None


def test_an_unexpected_error_is_reported_and_later_writes_still_happen(tmp_path: Path) -> None:
    writer = DraftWriter()

    def broken() -> bytes:
        raise TypeError("Object of type set is not JSON serializable")

    writer.write(tmp_path / "oppo_1.json", broken)
    writer.write(tmp_path / "oppo_2.json", lambda: b"ok")
    assert writer.flush()
    failure = writer.take_failure()
    assert failure is not None
    assert "TypeError" in failure
    assert (tmp_path / "oppo_2.json").read_bytes() == b"ok"


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def versions(made: list[int]) -> Callable[[int], bytes]:
    """Makes version ``n`` of a file's content, noting in ``made`` that it was made."""

    def version(n: int) -> bytes:
        made.append(n)
        return str(n).encode()

    return version


def test_a_change_reaches_the_disk_by_itself_once_changes_pause(tmp_path: Path) -> None:
    writer = DraftWriter()
    target = tmp_path / "oppo_1.json"
    writer.write(target, lambda: b"1")
    assert wait_for(target.exists)  # no flush: a crash right after still finds it
    assert target.read_bytes() == b"1"
    writer.write(target, lambda: b"2")
    assert wait_for(lambda: target.read_bytes() == b"2")


def test_a_burst_of_changes_is_written_once(tmp_path: Path) -> None:
    writer = DraftWriter()
    target = tmp_path / "oppo_1.json"
    made: list[int] = []
    version = versions(made)
    for n in range(1, 50):  # far quicker than QUIET: one burst
        writer.write(target, lambda n=n: version(n))  # type: ignore[misc]
    assert wait_for(lambda: target.exists() and target.read_bytes() == b"49")
    assert writer.flush()
    assert made == [49]


def test_changes_that_keep_coming_are_still_written_along_the_way(tmp_path: Path) -> None:
    writer = DraftWriter()
    target = tmp_path / "oppo_1.json"
    made: list[int] = []
    version = versions(made)
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < 4 * LATEST:  # never QUIET for long enough
        n += 1
        writer.write(target, lambda n=n: version(n))  # type: ignore[misc]
        time.sleep(QUIET / 4)
    written_while_typing = list(made)
    assert writer.flush()
    assert target.read_bytes() == str(n).encode()
    # At least one write of an earlier version while the changes kept coming (the last
    # deadline may fall after the last change, so that write may hold it too).
    assert written_while_typing, "nothing was written until the changes stopped"
    assert min(written_while_typing) < n


def test_a_hang_up_writes_what_is_waiting_then_ends_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hang-up handler: a change still inside the quiet window is on disk before the
    process is ended by the hang-up (os.kill is the one thing replaced)."""
    writer = DraftWriter()
    target = tmp_path / "oppo_1.json"
    ended: list[tuple[int, bool]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: ended.append((sig, target.exists())))
    previous = signal.signal(signal.SIGHUP, tui.on_hang_up)
    try:
        writer.write(target, lambda: b"typed just now")
        tui.on_hang_up(signal.SIGHUP, None)
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL  # the hang-up ends it
    finally:
        signal.signal(signal.SIGHUP, previous)
    assert ended == [(signal.SIGHUP, True)]
    assert target.read_bytes() == b"typed just now"


def test_unsaved_lists_what_is_not_on_disk_until_a_later_write_lands(tmp_path: Path) -> None:
    writer = DraftWriter()
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    failing = blocked / "oppo_1.json"  # its folder cannot be made, even by root
    fine = tmp_path / "drafts" / "oppo_2.json"
    gate = threading.Event()

    def held() -> bytes:
        gate.wait(5)
        return b"2"

    writer.write(failing, lambda: b"1")
    writer.write(fine, held)
    assert writer.unsaved() >= {fine}  # waiting or being written: not on disk yet
    gate.set()
    assert writer.flush()
    assert writer.unsaved() == {failing}
    assert "kept in memory only" in (writer.take_failure() or "")
    writer.remove(failing)  # the draft was dropped: nothing of it is left to lose
    assert writer.flush()
    assert writer.unsaved() == frozenset()
