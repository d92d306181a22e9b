"""Layer boundaries from DESIGN.md §1, checked on what really gets imported."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DOMAIN = [
    "closetui.api",
    "closetui.sandbox",
    "closetui.edits",
    "closetui.config",
    "closetui.state",
    "closetui.bulk",
]


def _modules_after_import(module: str) -> set[str]:
    code = (
        f"import json, sys, {module}; "
        "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out))


def _ui_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in ("textual", "rich")}


@pytest.mark.parametrize(
    "module", [*DOMAIN, "closetui.cli", "closetui.commands", "closetui.profile_cli"]
)
def test_domain_and_cli_never_load_textual_or_rich(module: str) -> None:
    assert not _ui_modules(_modules_after_import(module))


def test_domain_sources_never_import_textual_or_rich() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(textual|rich)\b", re.MULTILINE)
    for package in ("api", "sandbox", "edits", "config", "state", "bulk"):
        for path in (ROOT / "closetui" / package).rglob("*.py"):
            assert not pattern.search(path.read_text()), path


def test_edits_layer_is_pure() -> None:
    loaded = _modules_after_import("closetui.edits")
    assert not {m for m in loaded if m.split(".")[0] in ("httpx", "textual", "rich")}


def test_sandbox_imports_nothing_from_the_client_side() -> None:
    loaded = _modules_after_import("closetui.sandbox")
    ours = {m for m in loaded if m.startswith("closetui.")}
    assert ours
    assert all(m.startswith("closetui.sandbox") for m in ours), ours


def test_start_up_leaves_the_flows_for_later() -> None:
    """The app module (what the first frame needs) loads no bulk, undo, view or filter
    code: those load with the action that uses them (start-up time)."""
    loaded = _modules_after_import("closetui.ui.app")
    assert "closetui.ui.screens.main" in loaded
    later = {
        "closetui.bulk",
        "closetui.ui.bulk_flow",
        "closetui.ui.revert_flow",
        "closetui.ui.send_flow",
        "closetui.ui.views",
        "closetui.ui.screens.filter_bar",
        "closetui.ui.screens.review",
    }
    assert not loaded & later
