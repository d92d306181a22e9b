"""Unit test helpers: config files and the problems they make; what importing a module loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from closetui.config import ConfigError, load_config

SHOWN = "~/config/closetui/config.toml"
"""The default config path as messages show it (the autouse fixture's HOME/XDG dirs)."""


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def problem(path: Path, text: str) -> str:
    write(path, text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    return str(caught.value)


def modules_after_import(module: str) -> set[str]:
    """Every module a fresh interpreter has loaded after importing ``module``."""
    code = (
        f"import json, sys, {module}; "
        "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out))


def ui_modules(modules: set[str]) -> set[str]:
    """The textual and rich modules among ``modules``."""
    return {m for m in modules if m.split(".")[0] in ("textual", "rich")}
