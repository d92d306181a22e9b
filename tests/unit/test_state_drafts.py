"""Drafts that survive: typed JSON round trips, atomic 0600 files, bad files moved aside."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closetui.api.models import Opportunity
from closetui.edits import Change, Cleared, Draft, MultiEdit, Scalar, SetTo
from closetui.state import DraftStore, SavedDraft, StateProblem, decode_draft, encode_draft
from closetui.state import files as state_files
from closetui.state.codec import CodecError, decode_change, encode_change
from closetui.state.drafts import drafts_root
from tests.unit.conftest import make_edits_opportunity

STAMP = datetime(2026, 6, 19, 11, 4, 54, 421000, tzinfo=UTC)
IST = timezone(timedelta(hours=5, minutes=30))

SCALARS: list[Scalar] = [
    "text",
    "",
    "ünïcødé ✓",
    0,
    -7,
    2**60,
    1.5,
    5.0,
    -0.0,
    date(2026, 2, 28),
    datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    datetime(2026, 11, 20, 9, 0, 0, 123456, tzinfo=IST),
    datetime(2026, 11, 20, 9, 0),  # naive stays naive
]

CHANGES: list[Change] = [
    *(SetTo(v) for v in SCALARS),
    SetTo(tuple(SCALARS)),
    SetTo(()),
    Cleared(),
    MultiEdit(),
    MultiEdit(("Alpha", 3, date(2026, 1, 1)), ("Beta", 2.5)),
    MultiEdit((), (datetime(2026, 1, 1, tzinfo=UTC),)),
]


def home() -> Path:
    """The isolated home of this test (see tests/conftest.py)."""
    return Path(os.environ["HOME"])


def _typed_equal(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (5 != 5.0 here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_typed_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, SetTo) and isinstance(b, SetTo):
        return _typed_equal(a.value, b.value)
    if isinstance(a, MultiEdit) and isinstance(b, MultiEdit):
        return _typed_equal(a.added, b.added) and _typed_equal(a.removed, b.removed)
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return a == b


@pytest.mark.parametrize("change", CHANGES, ids=repr)
def test_every_change_round_trips_with_its_types(change: Change) -> None:
    raw = json.loads(json.dumps(encode_change(change)))
    assert _typed_equal(decode_change(raw), change)


scalars = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, IST, None])),
)
changes = st.one_of(
    scalars.map(SetTo),
    st.lists(scalars, max_size=4).map(lambda items: SetTo(tuple(items))),
    st.just(Cleared()),
    st.builds(
        MultiEdit,
        st.lists(scalars, max_size=3).map(tuple),
        st.lists(scalars, max_size=3).map(tuple),
    ),
)


@given(st.dictionaries(st.text(min_size=1), changes, max_size=5))
def test_drafts_round_trip(changes_by_key: dict[str, Change]) -> None:
    draft = Draft(changes_by_key)
    back = decode_draft(json.loads(json.dumps(encode_draft(draft))))
    assert back.keys() == draft.keys()
    for key in draft.changes:
        assert _typed_equal(back.change(key), draft.change(key))


def test_non_finite_floats_round_trip() -> None:
    raw = json.loads(json.dumps(encode_change(SetTo(float("inf")))))
    assert decode_change(raw) == SetTo(float("inf"))


@pytest.mark.parametrize(
    "raw",
    [None, [], {"set": {"date": "31/01/2026"}}, {"set": {"int": "7"}}, {"cleared": False},
     {"add": "x", "remove": []}, {"set": {"str": "a", "int": 1}}, {"set": {"bytes": "x"}}],
)  # fmt: skip
def test_malformed_changes_are_codec_errors(raw: object) -> None:
    with pytest.raises(CodecError):
        decode_change(raw)


def _draft() -> Draft:
    return (
        Draft()
        .with_set("status_id", "stat_s_won")
        .with_set("date_won", date(2026, 11, 27))
        .with_set("value", 125000)
        .with_cleared("custom.cf_project")
        .with_added("custom.cf_tags", "Gamma")
        .with_set("custom.cf_demo", datetime(2026, 12, 1, 15, 30, tzinfo=IST))
    )


def test_save_and_load_all_round_trip() -> None:
    store = DraftStore("work")
    opp = make_edits_opportunity()
    saved = store.save(opp.id, _draft(), opp)
    assert saved is not None
    store.save("oppo_2", Draft().with_set("confidence", 80), STAMP, lead_name="Initech")
    drafts, problems = DraftStore("work").load_all()
    assert problems == []
    assert set(drafts) == {opp.id, "oppo_2"}
    one = drafts[opp.id]
    assert one.draft == _draft()
    assert one.draft.keys() == _draft().keys()
    assert one.based_on == opp.date_updated
    assert one.lead_name == "Globex"
    assert isinstance(one.base, Opportunity)
    assert one.base.custom_value("cf_tags") == ["Alpha", "Beta"]
    two = drafts["oppo_2"]
    assert (two.based_on, two.lead_name, two.base) == (STAMP, "Initech", None)


def test_files_live_under_the_state_dir_per_profile() -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    path = store.path_for("oppo_1")
    assert path.is_file()
    assert path.is_relative_to(home() / "state")
    assert path.parent == drafts_root() / "work"
    assert DraftStore("home").load_all().drafts == {}


def test_files_are_0600_and_folders_0700() -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    assert stat.S_IMODE(store.path_for("oppo_1").stat().st_mode) == 0o600
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700
    store.save("oppo_1", Draft().with_set("confidence", 2), STAMP)  # an overwrite too
    assert stat.S_IMODE(store.path_for("oppo_1").stat().st_mode) == 0o600


def test_empty_draft_and_discard_remove_the_file() -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    assert store.save("oppo_1", Draft(), STAMP) is None
    assert not store.path_for("oppo_1").exists()
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    assert store.discard("oppo_1") is True
    assert store.discard("oppo_1") is False
    assert store.load("oppo_1") is None


def test_a_failed_write_leaves_the_previous_draft_and_no_temp_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(state_files.os, "replace", crash)
    with pytest.raises(OSError, match="No space"):
        store.save("oppo_1", Draft().with_set("confidence", 2), STAMP)
    monkeypatch.undo()
    assert sorted(p.name for p in store.folder.iterdir()) == ["oppo_1.json"]
    loaded = store.load("oppo_1")
    assert isinstance(loaded, SavedDraft)
    assert loaded.draft == Draft().with_set("confidence", 1)


def test_writes_go_through_fsync_and_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(state_files.os, "fsync", lambda fd: calls.append("fsync") or real_fsync(fd))
    monkeypatch.setattr(
        state_files.os, "replace", lambda a, b: calls.append("replace") or real_replace(a, b)
    )
    DraftStore("work").save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    assert calls == ["fsync", "replace"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'{"version": 1, "profile": "work"}', "not a closetui draft"),
        (b'{"version": 1, "profile": "work", "opportunity_id": "oppo_9", "based_on": null,'
         b' "saved_at": "2026-01-01T00:00:00+00:00", "changes": {"value": {"set": 5}}}',
         "not a closetui draft"),
        (b"[1, 2]", "not a closetui draft"),
    ],
)  # fmt: skip
def test_corrupt_files_are_reported_and_moved_aside(content: bytes, reason: str) -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    bad = store.folder / "oppo_9.json"
    bad.write_bytes(content)
    drafts, problems = store.load_all()
    assert list(drafts) == ["oppo_1"]
    (problem,) = problems
    assert isinstance(problem, StateProblem)
    assert problem.path == bad
    assert reason in problem.message
    assert not bad.exists()
    assert problem.moved_to is not None
    assert problem.moved_to.read_bytes() == content
    assert reason in str(problem)
    assert store.load_all().problems == []  # moved aside once, not reported again


def test_a_file_for_another_opportunity_is_moved_aside() -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    os.replace(store.path_for("oppo_1"), store.folder / "oppo_2.json")
    drafts, problems = store.load_all()
    assert drafts == {}
    assert "another profile or opportunity" in problems[0].message


def test_a_newer_format_is_moved_aside_never_overwritten() -> None:
    store = DraftStore("work")
    store.folder.mkdir(parents=True)
    newer = store.folder / "oppo_1.json"
    newer.write_text('{"version": 99}')
    drafts, problems = store.load_all()
    assert drafts == {}
    assert "newer closetui" in problems[0].message
    assert problems[0].moved_to is not None
    assert problems[0].moved_to.read_text() == '{"version": 99}'
    assert str(problems[0].moved_to) in str(problems[0])  # the notice says where
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)  # a new draft: own file
    assert problems[0].moved_to.read_text() == '{"version": 99}'


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file")
def test_a_file_that_cannot_be_opened_is_moved_aside() -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    locked = store.path_for("oppo_1")
    locked.chmod(0)
    drafts, problems = store.load_all()
    assert drafts == {}
    assert "cannot read it" in problems[0].message
    assert problems[0].moved_to is not None
    assert not locked.exists()


def test_a_file_that_cannot_be_read_nor_moved_is_never_written_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = DraftStore("work")
    store.folder.mkdir(parents=True)
    newer = store.path_for("oppo_1")
    newer.write_text('{"version": 2}')

    def refused(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(state_files.os, "replace", refused)  # a read-only folder
    drafts, problems = store.load_all()
    assert drafts == {}
    assert problems[0].moved_to is None
    assert "left where it is" in str(problems[0])
    assert store.is_untouchable("oppo_1")
    with pytest.raises(ValueError, match="left untouched"):
        store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    assert store.discard("oppo_1") is False
    assert newer.read_text() == '{"version": 2}'


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        (b'{"changes": ' * 70 + b"1" + b"}" * 70, "nested more than"),
        (b'{"version": 1, "x": "' + b"a" * (1024 * 1024) + b'"}', "larger than 1 MB"),
    ],
    ids=["brackets", "objects", "large"],
)
def test_a_deep_or_large_file_is_moved_aside_without_a_crash(content: bytes, reason: str) -> None:
    store = DraftStore("work")
    store.folder.mkdir(parents=True)
    bad = store.folder / "oppo_1.json"
    bad.write_bytes(content)
    drafts, problems = store.load_all()
    assert drafts == {}
    assert reason in problems[0].message
    assert problems[0].moved_to is not None
    assert problems[0].moved_to.stat().st_size == len(content)


def test_a_symlink_to_a_device_is_not_read() -> None:
    store = DraftStore("work")
    store.folder.mkdir(parents=True)
    (store.folder / "oppo_1.json").symlink_to("/dev/zero")
    drafts, problems = store.load_all()
    assert drafts == {}
    assert "not a regular file" in problems[0].message


def test_a_draft_too_large_to_read_back_is_not_written() -> None:
    store = DraftStore("work")
    huge = Draft().with_set("description", "x" * (1024 * 1024))
    with pytest.raises(ValueError, match="larger than"):
        store.save("oppo_1", huge, STAMP)
    assert not store.path_for("oppo_1").exists()


def test_leftover_temp_files_are_ignored_and_old_ones_removed() -> None:
    store = DraftStore("work")
    store.save("oppo_1", Draft().with_set("confidence", 1), STAMP)
    old = store.folder / ".oppo_2.json.abc.tmp"
    old.write_text("{half")
    os.utime(old, (0, 0))
    fresh = store.folder / ".oppo_3.json.def.tmp"
    fresh.write_text("{half")
    drafts, problems = store.load_all()
    assert (list(drafts), problems) == (["oppo_1"], [])
    assert not old.exists()
    assert fresh.exists()  # may be another process's write in progress


@pytest.mark.parametrize("name", ["../evil", "a/b", ".hidden", "x" * 200, "work.tmp", ""])
def test_odd_names_stay_inside_the_folder(name: str) -> None:
    store = DraftStore(name)
    store.save(name or "oppo", Draft().with_set("confidence", 1), STAMP)
    assert store.folder.parent == drafts_root()
    assert store.path_for(name).parent == store.folder
    assert list(store.load_all().drafts) == [name or "oppo"]


def test_no_credential_reaches_the_files() -> None:
    marker = "sk_MARKER_drafts_never_hold_keys"
    os.environ["CLOSE_API_KEY"] = marker  # the key is around, as in a real session
    try:
        store = DraftStore("work")
        opp = make_edits_opportunity()
        store.save(opp.id, _draft(), opp)
    finally:
        del os.environ["CLOSE_API_KEY"]
    for path in home().rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes()
