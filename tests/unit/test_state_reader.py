"""The one bounded reader of state files: size, file type and JSON depth checked first."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from closetui.state.reader import (
    MAX_DEPTH,
    BadStateFile,
    check_size,
    nesting_depth_over,
    parse_json,
    read_json,
)


@pytest.mark.parametrize(
    ("text", "over"),
    [
        (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, False),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), True),
        (b'{"a": ' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1), True),
        (b'["' + b"[" * 500 + b'"]', False),  # brackets in a string do not nest
        (b'["\\"' + b"[" * 500 + b'"]', False),  # nor after an escaped quote
        (b"[]" * 10_000, False),  # many, side by side
    ],
    ids=["at-limit", "over", "objects", "in-string", "escaped-quote", "flat"],
)
def test_nesting_is_measured_outside_strings(text: bytes, over: bool) -> None:
    assert nesting_depth_over(text) is over


def test_parse_json_refuses_deep_nesting_before_the_parser_recurses() -> None:
    deep = b"[" * (sys.getrecursionlimit() * 10) + b"]" * (sys.getrecursionlimit() * 10)
    with pytest.raises(BadStateFile, match="nested more than"):
        parse_json(deep)
    assert parse_json(b'{"a": ["[[[", {"b": 1}]}') == {"a": ["[[[", {"b": 1}]}


@pytest.mark.parametrize("content", [b"{oops", b"\xff\xfe[]", b""])
def test_what_does_not_parse_is_a_bad_state_file(content: bytes) -> None:
    with pytest.raises(BadStateFile, match="not valid JSON"):
        parse_json(content)


def test_reads_are_capped_in_size(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b'"' + b"a" * 2048 + b'"')
    with pytest.raises(BadStateFile, match="larger than 2 KB"):
        read_json(path, 2048)
    assert read_json(path, 4096) == "a" * 2048


def test_a_device_or_fifo_is_refused_without_reading_or_waiting(tmp_path: Path) -> None:
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(BadStateFile, match="not a regular file"):
        read_json(link, 1024)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(BadStateFile, match="not a regular file"):
        read_json(fifo, 1024)


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "nope.json", 1024)


def test_check_size_refuses_what_could_not_be_read_back() -> None:
    assert check_size(b"x" * 10, 10) == b"x" * 10
    with pytest.raises(ValueError, match="larger than"):
        check_size(b"x" * 11, 10)
