"""The bench scripts import, and their pty harness reads a real Textual app's screen."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

BENCH = ROOT / "bench"


@pytest.fixture(scope="module")
def bench_path() -> Iterator[None]:
    sys.path.insert(0, str(BENCH))
    yield
    sys.path.remove(str(BENCH))


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


@pytest.mark.usefixtures("bench_path")
@pytest.mark.parametrize("name", sorted(path.stem for path in BENCH.glob("*.py")))
def test_every_bench_script_imports(name: str) -> None:
    module = _module(name)
    assert module.__doc__, f"bench/{name}.py says what it measures in its docstring"


@pytest.mark.usefixtures("bench_path")
def test_the_terminal_times_a_key_to_the_screen_showing_it(tmp_path: Path) -> None:
    common = _module("tui_common")
    env = common.isolated_env(str(tmp_path))
    with common.terminal(common.python_source(common.MIRROR), env, 60, 12) as term:
        term.wait(lambda: "type here" in term.text(), limit=30)
        seconds = term.press(b"x", lambda: 'mirror: "x"' in term.text())
        assert 0 < seconds < 10
        # The app was told the terminal knows synchronized output, so frames come whole.
        assert term.frames > 0


@pytest.mark.usefixtures("bench_path")
def test_percentile_is_the_nearest_rank() -> None:
    common = _module("tui_common")
    values = [float(n) for n in range(200, 0, -1)]
    assert common.percentile(values, 0.99) == 198.0
    assert common.percentile(values, 0.5) == 100.0
    assert common.percentile([3.0], 0.99) == 3.0
