"""Where the config file is (no pydantic: the app's start-up asks before anything else)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

CONFIG_ENV = "CLOSETUI_CONFIG"
"""Environment variable naming another config file (``--config`` wins over it)."""


def default_config_path() -> Path:
    """``config.toml`` in the platform's config directory for closetui."""
    return platformdirs.user_config_path("closetui") / "config.toml"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config file to use: ``--config``, else ``$CLOSETUI_CONFIG``, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(CONFIG_ENV, "").strip()
    return Path(from_env).expanduser() if from_env else default_config_path()


def display_path(path: Path) -> str:
    """The path as messages show it, with the home directory as ``~``."""
    try:
        return "~/" + path.absolute().relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)
