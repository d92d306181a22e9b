"""What import-linter cannot check: which modules are really loaded, and when.

The static boundaries (layers, no cycles, the sandbox apart, no textual outside the app,
a pure edit layer) are contracts in pyproject.toml, checked by ``lint-imports``.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.unit.helpers import modules_after_import, ui_modules

DOMAIN = [
    "closetui.api",
    "closetui.sandbox",
    "closetui.edits",
    "closetui.config",
    "closetui.state",
    "closetui.bulk",
    "closetui.display",
    "closetui.session",
]


@functools.cache
def _loaded_by_httpx() -> frozenset[str]:
    """What ``import httpx`` alone loads of textual and rich here: with rich, click and
    pygments installed, httpx loads its own command line, which draws with rich."""
    return frozenset(ui_modules(modules_after_import("httpx")))


CONTRACTS = [
    contract["id"]
    for contract in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
]


@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_import_contract_is_kept(contract: str, tmp_path: Path) -> None:
    """Each contract in pyproject.toml, as CI's ``lint-imports`` checks it."""
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("lint-imports")),
            "--contract",
            contract,
            "--cache-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


CLI = [
    "closetui.cli.main",
    "closetui.cli.run",
    "closetui.cli.read",
    "closetui.cli.profile",
    "closetui.cli.update",
]


@pytest.mark.parametrize("module", [*DOMAIN, *CLI])
def test_domain_and_cli_never_load_textual_or_rich(module: str) -> None:
    """At run time, whatever a third-party package loads for itself too."""
    assert not ui_modules(modules_after_import(module)) - _loaded_by_httpx()


def test_start_up_leaves_the_flows_for_later() -> None:
    """The app module (what the first frame needs) loads no bulk, undo, view or filter
    code: those load with the action that uses them (start-up time)."""
    loaded = modules_after_import("closetui.ui.app")
    assert "closetui.ui.main_screen.screen" in loaded
    later = {
        "closetui.bulk",
        "closetui.ui.flows.bulk_flow",
        "closetui.ui.flows.revert_flow",
        "closetui.ui.flows.send_flow",
        "closetui.ui.flows.views",
        "closetui.ui.screens.filter_bar",
        "closetui.ui.screens.review",
    }
    assert not loaded & later


_FIRST_ROWS = """
import asyncio, json, sys
from textual.app import App
from closetui.ui.list.opportunity_list import OpportunityList

arrived = OpportunityList.page_arrived
at_first_rows = []

def page_arrived(self, *args, **kwargs):
    if not at_first_rows:
        at_first_rows.extend(sorted(sys.modules))
    arrived(self, *args, **kwargs)

def run_headless(app, *args, **kwargs):
    async def run():
        task = asyncio.create_task(app.run_async(headless=True, size=(80, 24)))
        while app.screen_stack == [] or getattr(app.screen, "reference", None) is None:
            if task.done():
                raise SystemExit("the app ended before the organisation loaded")
            await asyncio.sleep(0.01)
        listing = app.screen.query_one(OpportunityList)
        print(json.dumps({"rows": listing.total, "modules": at_first_rows}))
        app.exit()
        await task
    asyncio.run(run())

OpportunityList.page_arrived = page_arrived
App.run = run_headless
from closetui.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("argv", [["--demo"], ["--demo", "--tz-offset", "5.5"]])
def test_the_demo_shows_its_first_rows_before_pydantic_loads(
    tmp_path: Path, argv: list[str]
) -> None:
    """pydantic and the models cost ~100 ms of imports, the edit layer ~25 ms: the list's
    first rows come as plain dicts, and the organisation (which needs the models) and the
    edit layer load once they are on screen (start-up target: 1.6x a Textual hello world)."""
    env = {
        **os.environ,
        "CLOSETUI_CONFIG": str(tmp_path / "config.toml"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_ROWS, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["rows"] > 0
    loaded = set(seen["modules"])
    assert "closetui.ui.main_screen.screen" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("pydantic", "pydantic_core")}
    assert "closetui.api.models" not in loaded
    # Nor the edit layer: it loads with the models, on their thread, after the rows.
    assert not {m for m in loaded if m.startswith("closetui.edits")}
    assert "closetui.session.edit_state" not in loaded


def test_a_base_url_connection_is_made_without_pydantic(tmp_path: Path) -> None:
    """``closetui --base-url URL`` checks the URL and builds its client before pydantic
    loads (the config file is read only when there is one)."""
    code = (
        "import json, sys\n"
        "from closetui.connect import resolve_connection\n"
        "connection = resolve_connection(base_url='http://127.0.0.1:9/api/v1/', tz_offset=2)\n"
        "connection.client()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pydantic'))))\n"
    )
    env = {
        **os.environ,
        "CLOSE_API_KEY": "api_test",
        "CLOSETUI_CONFIG": str(tmp_path / "config.toml"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
