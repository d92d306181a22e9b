"""The closetui Textual app and its factory, shared by the CLI and the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from closetui.api.client import CloseClient, Wait
from closetui.connect import Connection
from closetui.ui.commands import CloseCommands
from closetui.ui.screens.main import MainScreen
from closetui.ui.session import Clock


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CloseTUI(App[None]):
    """Browse, edit and send Close opportunities; one pooled client per run."""

    TITLE = "closetui"
    CSS_PATH = "app.tcss"
    ANIMATION_LEVEL = "none"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (App declares it without ClassVar)
        (0, "-narrow"),
        (110, "-wide"),
    ]
    COMMANDS = App.COMMANDS | {CloseCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"
        ),
    ]

    def __init__(self, connection: Connection, *, now: Clock | None = None) -> None:
        super().__init__()
        self.connection = connection
        self.now: Clock = now or _utc_now
        """The clock for "today" (frozen in tests)."""
        self._client: CloseClient | None = None
        self.animation_level = "none"

    @property
    def client(self) -> CloseClient:
        """The pooled client, opened on mount."""
        if self._client is None:
            raise RuntimeError("the client opens when the app mounts")
        return self._client

    @property
    def main(self) -> MainScreen:
        """The main screen."""
        return self.get_screen("main")  # type: ignore[return-value]

    async def on_mount(self) -> None:
        self._client = self.connection.client(on_wait=self._on_wait)
        self._apply_settings()
        self.install_screen(MainScreen(), "main")
        await self.push_screen("main")
        for warning in self.connection.warnings:
            self.notify(warning, severity="warning", timeout=15)

    def _apply_settings(self) -> None:
        """The config's keymap (binding id -> keys) and theme, when it has them."""
        if self.connection.keymap:
            self.set_keymap(dict(self.connection.keymap))
        name = self.connection.theme
        if name:
            if name in self.available_themes:
                self.theme = name
            else:
                self.notify(f"Unknown theme {name!r}; using {self.theme}.", severity="warning")

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _on_wait(self, wait: Wait) -> None:
        if self.is_screen_installed("main"):
            self.main.show_wait(wait)

    def action_help(self) -> None:
        """Show every key that works, from the live bindings."""
        from closetui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def make_app(connection: Connection, *, now: Clock | None = None) -> CloseTUI:
    """The app for ``connection``; ``now`` freezes "today" (defaults to the real clock)."""
    return CloseTUI(connection, now=now or connection.now)
