"""Debug info: versions, paths, profile and terminal, to paste into a bug report (never a key)."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from closetui import version

if TYPE_CHECKING:
    from closetui.connect import Connection

PACKAGES = ("textual", "rich", "httpx", "pydantic")
"""The libraries whose versions a bug report needs."""
SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
"""Set by sshd in the session's environment."""


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def key_source(connection: Connection | None, config_path: Path) -> str:
    """Where the open connection's key comes from (never the key): the demo's, an
    environment variable, a command, the keyring or the config file."""
    if connection is None:
        return "— (no connection yet)"
    if connection.demo:
        return "the demo's built-in key"
    if connection.profile is None:
        return "env CLOSE_API_KEY (--base-url)"
    from closetui.config import ConfigError, describe_source, load_config

    try:
        profile = load_config(config_path).config.profiles[connection.profile]
    except (ConfigError, KeyError):
        return "unknown (the config file cannot be read now)"
    return describe_source(profile)


def debug_report(app: App[Any], connection: Connection | None, config_path: Path) -> str:
    """The plain text the screen shows and copies."""
    import platformdirs

    from closetui.config.paths import display_path
    from closetui.debug_log import active_log_path
    from closetui.state import drafts_root, history_root

    log = active_log_path()
    env = os.environ
    over_ssh = any(env.get(name) for name in SSH_VARIABLES)
    lines = [
        f"closetui {version()}",
        f"python {platform.python_version()} ({platform.python_implementation()})",
        *(f"{name} {_package(name)}" for name in PACKAGES),
        f"os {platform.platform()}",
        "",
        f"config   {display_path(config_path)}",
        f"drafts   {display_path(drafts_root())}",
        f"history  {display_path(history_root())}",
        f"crashes  {display_path(platformdirs.user_state_path('closetui'))}",
        f"cache    {display_path(platformdirs.user_cache_path('closetui'))}",
        "log      " + (display_path(log) if log else "off (closetui --debug, or CLOSETUI_LOG=1)"),
        "",
    ]
    if connection is not None:
        lines += [
            f"profile  {connection.profile or connection.name}"
            + (" (read-only)" if connection.read_only else ""),
            f"base URL {connection.base_url}",
            f"key from {key_source(connection, config_path)}",
        ]
    else:
        lines.append("profile  — (setting up)")
    lines += [
        "",
        f"terminal {app.size.width}x{app.size.height}",
        f"colours  {app.console.color_system or 'none'}",
        f"TERM={env.get('TERM', '')} COLORTERM={env.get('COLORTERM', '')}",
        f"over SSH {'yes' if over_ssh else 'no'}",
    ]
    return "\n".join(lines)


class DebugInfoScreen(ModalScreen[None]):
    """Shows :func:`debug_report`; ``c`` copies it (OSC 52) for a bug report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="debug.close"),
        Binding("c,y", "copy", "Copy", id="debug.copy"),
    ]

    DEFAULT_CSS = """
    DebugInfoScreen { align: center middle; }
    DebugInfoScreen > Vertical {
        width: 90%; max-width: 100; height: 90%; border: round $primary;
        background: $surface; padding: 0 1;
    }
    DebugInfoScreen #debug-text { width: 1fr; }
    DebugInfoScreen #debug-hint { color: $text-muted; }
    """

    def __init__(self, report: str) -> None:
        super().__init__(id="debug-info")
        self.report = report
        """The text shown and copied."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Debug info"
            with VerticalScroll():
                yield Static(self.report, id="debug-text", markup=False)
            yield Label("c copies it for a bug report · esc closes", id="debug-hint")

    def action_copy(self) -> None:
        """Copy the report (OSC 52: works over SSH where the terminal allows it)."""
        self.app.copy_to_clipboard(self.report)
        self.notify("Copied the debug info (no key in it).", timeout=3, markup=False)

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)
