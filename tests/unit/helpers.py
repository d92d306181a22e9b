"""Config test helpers: the path as messages show it, a file written, the problem it makes."""

from __future__ import annotations

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
