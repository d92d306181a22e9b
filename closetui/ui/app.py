"""The closetui Textual app and its factory, shared by the CLI and the tests."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType

from closetui.config import ConfigError
from closetui.connect import ConnectError, Connector
from closetui.session.connection_drafts import SessionDrafts, connection_key
from closetui.ui.bound_keys import KeptKeymap, first_key
from closetui.ui.flows.quit_guard import QuitGuard
from closetui.ui.key_gate import GatedKeys
from closetui.ui.main_screen.screen import MainScreen
from closetui.ui.palette import CloseCommands
from closetui.ui.terminal import HandsOver
from closetui.ui.themed_app import ThemedApp
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:  # the setup and picker screens load when first shown, not before
    from textual.screen import Screen

    from closetui.api.client import CloseClient, Wait
    from closetui.config import LoadedConfig
    from closetui.connect import Connection
    from closetui.session.edit_state import Clock
    from closetui.ui.screens.setup import SetupScreen  # the first frame
    from closetui.ui.themes import AppThemes


_log = logging.getLogger("closetui.ui")
"""App events for the debug log (info and below only: nothing reaches the terminal)."""

QUIT_FLUSH_TIMEOUT = 2.0
"""Seconds ctrl+q waits for the last draft to reach the disk before it asks instead."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CloseTUI(GatedKeys, KeptKeymap, HandsOver, ThemedApp):
    """Browse, edit and send Close opportunities; one pooled client per connection."""

    TITLE = "closetui"
    CSS_PATH = "app.tcss"
    ANIMATION_LEVEL = "none"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (App declares it without ClassVar)
        (0, "-narrow"),
        (110, "-wide"),
    ]
    COMMANDS = ThemedApp.COMMANDS | {CloseCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("f9", "switch_profile", "Profile", id="app.switch_profile"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"
        ),
    ]

    def __init__(
        self,
        connection: Connection | None,
        *,
        now: Clock | None = None,
        connector: Connector | None = None,
        theme: str | None = None,
        themes: AppThemes | None = None,
    ) -> None:
        super().__init__(theme=theme, themes=themes)
        self.connection = connection
        """The open connection; None while the setup screen asks for a profile."""
        self.connector = connector or Connector()
        """Opens profiles by name (switching, setup) and knows the config file."""
        self.drafts = SessionDrafts()
        """Every connection's unsent drafts, kept across profile switches."""
        self.now: Clock = now or _utc_now
        """The clock for "today" (frozen in tests)."""
        self._client: CloseClient | None = None
        self._main: MainScreen | None = None
        self.quit_guard = QuitGuard()
        """Asks for a second ctrl+q while requests are on their way."""
        self.animation_level = "none"
        if connection is not None:
            self.prepare_theme(theme or connection.theme)

    @property
    def client(self) -> CloseClient:
        """The pooled client of the open connection."""
        if self._client is None:
            raise RuntimeError("the client opens with a connection")
        return self._client

    @property
    def main(self) -> MainScreen:
        """The main screen of the open connection."""
        if self._main is None:
            raise RuntimeError("no connection is open yet")
        return self._main

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen, or None while setting up."""
        return self._main

    async def on_mount(self) -> None:
        self.watch_screens()
        loop = asyncio.get_running_loop()

        # Draft files are written on a thread: a failure is shown here, in the UI's loop.
        def not_saved(message: str) -> None:
            loop.call_soon_threadsafe(self._draft_not_saved, message)

        self.drafts.writer.on_failure = not_saved
        self.install_themes()
        if self.connection is None:
            from closetui.ui.screens.setup import SetupScreen

            self.apply_theme(self.theme_option or self._config_theme(), startup=True)
            await self.push_screen(SetupScreen(self.connector.path))
        else:
            await self.use_connection(self.connection, startup=True)
        self.start_remembering()

    def config_file(self) -> Path:
        """The config file in use (profiles, user themes, remembered theme)."""
        return self.connector.path

    def open_profile_name(self) -> str | None:
        """The open connection's profile (None for the demo and ``--base-url``)."""
        return self.connection.profile if self.connection else None

    def _config_theme(self) -> str | None:
        try:
            return self.connector.load().config.theme
        except ConfigError:
            return None

    async def use_connection(self, connection: Connection, *, startup: bool = False) -> None:
        """Open ``connection``: a new client and a fresh main screen (list and reference
        data load again); then the old client is closed. Drafts stay in :attr:`drafts`."""
        old = self._client
        _log.info("connecting to %s at %s", connection.name, connection.base_url)
        self._client = connection.client(on_wait=self._on_wait)
        self.connection = connection
        if connection.keymap:
            self.set_keymap(dict(connection.keymap))
        self.apply_theme(self.theme_option or connection.theme, startup=startup)
        main = MainScreen(connection, self.drafts.drafts_for(connection))
        main.set_class(True, self._width_class())  # styled once, not again on its resize
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if len(self.screen_stack) > 1:
            await self.switch_screen(main)
        else:
            await self.push_screen(main)
        self._main = main
        if old is not None:
            await old.aclose()
        for warning in connection.warnings:
            self.notify(warning, severity="warning", timeout=15, markup=False)
        self._announce_drafts(main)

    def _announce_drafts(self, main: MainScreen) -> None:
        """Say which drafts came back from disk, and which draft files were unusable."""
        for problem in main.drafts.take_problems():
            self.notify(problem, title="Drafts", severity="warning", timeout=20, markup=False)
        notice = main.drafts.restore_notice()
        if notice is not None:
            self.notify(notice, title="Drafts", timeout=20, markup=False)

    def _width_class(self) -> str:
        """The HORIZONTAL_BREAKPOINTS class a screen of the app's width gets on resize."""
        width = self.size.width
        return [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least][-1]

    async def on_unmount(self) -> None:
        self.drafts.flush()  # the last keystroke's draft is on disk before the app ends
        if self._client is not None:
            await self._client.aclose()

    def _draft_not_saved(self, message: str) -> None:
        _log.info("draft not saved: %s", message)
        if self._main is not None and self._main.is_attached:
            self._main.query_one(StatusLine).show(message, "error")

    def _on_wait(self, wait: Wait) -> None:
        if self._main is not None:
            self._main.show_wait(wait)

    def is_home_screen(self, screen: Screen[Any]) -> bool:
        """The main screen (list and editor) is home: its keys move and edit in place."""
        return isinstance(screen, MainScreen)

    async def action_quit(self) -> None:
        """Quit; while requests are on their way or a draft is not on disk, warn first and
        quit on a second ctrl+q."""
        sending = self._main.requests_on_their_way if self._main is not None else 0
        # The last keys' draft is written first: only a draft the disk refused (or a disk
        # too slow to answer) holds the quit up. On a thread: a hung disk must not hang
        # the screen.
        await asyncio.to_thread(self.drafts.flush, QUIT_FLUSH_TIMEOUT)
        unsaved = self.drafts.unsaved()
        key = first_key(self, self.BINDINGS, "app.quit")
        warning = self.quit_guard.check(sending, key, unsaved)
        if warning is None:
            self.exit()
            return
        timeout = self.quit_guard.within
        title = "Still sending" if sending else "Unsaved drafts"
        self.notify(warning, title=title, severity="warning", timeout=timeout, markup=False)
        if self._main is not None:
            self._main.query_one(StatusLine).show(warning, "warning")

    def action_help(self) -> None:
        """Show every key that works, from the live bindings."""
        from closetui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_switch_profile(self) -> None:
        """Pick a profile (or the demo) from a list and reconnect to it."""
        from closetui.ui.profiles import profile_choices
        from closetui.ui.widgets.picker_screen import PickerScreen

        loaded: LoadedConfig | None = None
        try:
            loaded = self.connector.load()
        except ConfigError as exc:
            self.notify(
                str(exc).splitlines()[0], title="Profiles", severity="warning", markup=False
            )
        current = connection_key(self.connection) if self.connection else None
        items = profile_choices(loaded, current, self.drafts.counts())
        self.push_screen(PickerScreen("Switch profile", items, current), self._profile_picked)

    def _profile_picked(self, choice: str | None) -> None:
        current = connection_key(self.connection) if self.connection else None
        if choice is not None and choice != current:
            # The keys typed behind the pick wait for the new connection's screen.
            ticket = self.key_gate.hold_for_load(self._cancel_switch)
            self.open_profile(choice, typed_ahead=ticket)

    def _cancel_switch(self) -> None:
        """Escape while connecting: stay on this connection."""
        self.workers.cancel_group(self, "connect")
        self.notify("Not switched.", timeout=4, markup=False)

    def on_setup_screen_profile_added(self, event: SetupScreen.ProfileAdded) -> None:
        self.open_profile(event.name)

    def on_setup_screen_demo_chosen(self) -> None:
        from closetui.ui.profiles import DEMO_CHOICE

        self.open_profile(DEMO_CHOICE)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def open_profile(self, choice: str, *, typed_ahead: int = 0) -> None:
        """Connect to a profile by name (or the demo: ``closetui.ui.profiles.DEMO_CHOICE``)
        in its place; the keys held as ``typed_ahead`` go to its screen (or nowhere)."""
        try:
            await self._open_profile(choice)
        finally:
            if typed_ahead:
                self.key_gate.drop(typed_ahead)  # no new screen came: they go nowhere

    async def _open_profile(self, choice: str) -> None:
        if self._main is not None and self._main.is_sending:
            self.notify(
                "An update is on its way; switch once it has answered.",
                severity="warning",
                markup=False,
            )
            return
        connection: Connection | None = None
        failure = ""
        try:
            # A key command may take a while (pass, gpg): never on the UI's thread.
            connection = await asyncio.to_thread(self._connect, choice)
        except ConnectError as exc:
            failure = str(exc)
        if connection is None:
            _log.info("could not connect to %s: %s", choice, failure)
            self.notify(
                failure, title="Could not connect", severity="error", timeout=15, markup=False
            )
            from closetui.ui.screens.setup import SetupScreen

            if isinstance(self.screen, SetupScreen):
                self.screen.show_problem(failure)
            return
        kept = len(self.drafts.drafts_for(connection))
        await self.use_connection(connection)
        drafts = f" · {kept} unsent draft{'s' if kept != 1 else ''}" if kept else ""
        self.notify(f"Connected to {connection.name}{drafts}.", timeout=4, markup=False)

    def _connect(self, choice: str) -> Connection:
        from closetui.ui.profiles import DEMO_CHOICE

        return self.connector.demo() if choice == DEMO_CHOICE else self.connector.profile(choice)


def make_app(
    connection: Connection | None,
    *,
    now: Clock | None = None,
    connector: Connector | None = None,
    theme: str | None = None,
    themes: AppThemes | None = None,
) -> CloseTUI:
    """The app for ``connection`` (None: the setup screen first).

    ``now`` freezes "today" (defaults to the connection's clock, else the real one);
    ``connector`` opens other profiles (default: the config file's); ``theme`` is
    ``--theme``; ``themes`` are the loaded theme files (default: read them at mount).
    """
    clock = now or (connection.now if connection is not None else None)
    return CloseTUI(connection, now=clock, connector=connector, theme=theme, themes=themes)
