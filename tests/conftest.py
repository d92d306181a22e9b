"""Fixtures shared by every test: isolated config/state/data dirs, the test data's paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
"""Every file the tests read that they do not make (tests/data/README.md: where from)."""
RECORDED = DATA / "close-recorded"
OPENAPI = DATA / "close-openapi-opportunity.yml"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes a real profile, draft or history file."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLOSETUI_CONFIG", raising=False)
    monkeypatch.delenv("CLOSE_API_KEY", raising=False)
    return home
