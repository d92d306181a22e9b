"""The edit layer stays pure: no UI or HTTP imports, no clock or file access of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import closetui.edits

SOURCES = sorted(Path(closetui.edits.__file__).parent.glob("*.py"))

FORBIDDEN = {
    "UI or HTTP import": re.compile(r"^\s*(from|import)\s+(textual|rich|httpx)\b", re.MULTILINE),
    "clock read": re.compile(r"\b(datetime|date)\.(now|today|utcnow)\(|\btime\.time\("),
    "file or network I/O": re.compile(r"\bopen\(|\bPath\(|\bsocket\b|\burllib\b"),
}


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_sources_are_pure(path: Path) -> None:
    text = path.read_text()
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{path.name}: {found}"


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_modules_are_small_and_documented(path: Path) -> None:
    text = path.read_text()
    assert len(text.splitlines()) < 400
    first = text.splitlines()[0]
    assert first.startswith('"""')
    assert first.endswith('"""')


def test_statuses_by_label(edits_schema: closetui.edits.OrgSchema) -> None:
    assert [s.id for s in edits_schema.statuses_by_label(" won")] == ["stat_s_won", "stat_r_won"]
    assert edits_schema.statuses_by_label("nope") == ()
