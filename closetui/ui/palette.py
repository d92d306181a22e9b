"""Command palette entries: every app action, theme switching, jump to an opportunity."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from closetui.ui.list.columns import SORT_FIELDS
from closetui.ui.list.opportunity_list import OpportunityList

if TYPE_CHECKING:
    from pathlib import Path

    from closetui.connect import Connection
    from closetui.ui.flows.views import ViewBook
    from closetui.ui.main_screen.screen import MainScreen

MAX_JUMPS = 30
"""Most "Go to" hits listed for one query."""


class PaletteHost(Protocol):
    """The app as the palette uses it (the app module imports this one, not the reverse)."""

    def action_help(self) -> None:
        """Show every key that works."""

    def action_switch_profile(self) -> None:
        """Pick a profile and reconnect to it."""

    @property
    def connection(self) -> Connection | None:
        """The open connection (None while setting up)."""

    def config_file(self) -> Path:
        """The config file in use."""


class CloseCommands(Provider):
    """Send, refresh, copy as curl, inspector, drafts, filters and views, sorting, profiles,
    themes, "go to".

    Write actions are left out on read-only connections.
    """

    _views: ViewBook | None = None
    """The config's views, read when the palette opens (None: not read)."""

    async def startup(self) -> None:
        from closetui.ui.flows.views import read_views  # with the palette, not at start-up

        main = self._main()
        if main is not None and main.is_mounted:
            self._views = read_views(main)  # once per palette: the config as it is now

    def _main(self) -> MainScreen | None:
        from closetui.ui.main_screen.screen import MainScreen

        main = getattr(self.app, "main_screen", None)  # None in an app without one
        return main if isinstance(main, MainScreen) else None

    def _commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        from closetui.ui.flows.views import ViewBook, palette_commands

        main = self._main()
        app = cast("PaletteHost", self.app)
        themed: App[object] = self.app
        if main is not None and main.is_mounted:
            listing = main.query_one(OpportunityList)
            if not main.connection.read_only:  # a read-only profile offers no write at all
                yield "Send update", main.action_send, "Send the open draft (ctrl+r / f5)"
                yield "Undo last change", main.action_undo, "Review, then put it back (u)"
                yield "Bulk edit marked…", main.action_bulk_edit, "One change, every marked row (b)"
                yield (
                    "Won today, next row",
                    partial(main.action_quick, "won"),
                    "Current row: its pipeline's won status, date_won today (W)",
                )
                yield (
                    "Lost, next row",
                    partial(main.action_quick, "lost"),
                    "Current row: its pipeline's lost status (L)",
                )
            yield "Refresh list", listing.reload, "Fetch the opportunities again (r)"
            yield (
                "Board: switch list / board",
                main.action_toggle_board,
                "A column per status of one pipeline; H/L move a card (B)",
            )
            for pipeline in main.pipelines():
                yield (
                    f"Board: pipeline {pipeline.name}",
                    partial(main.show_board, pipeline),
                    "Show this pipeline's board ([ / ] the others)",
                )
            yield (
                "Export rows…",
                partial(_export, main),
                "Marked rows, else the rows shown (all pages), to .csv / .ndjson / .json",
            )
            yield (
                "Open in Close",
                main.action_open_web,
                "The highlighted opportunity's lead in the web app; no browser: copy the URL (w)",
            )
            yield "Copy request as curl", main.action_copy_curl, "Credential stays redacted (f7)"
            yield "Open response inspector", main.action_inspect, "The last answer (ctrl+t / f6)"
            yield "History", main.action_history, "Requests sent from here; undo any (H / f8)"
            yield "Show request preview", main.action_preview, "Toggle the preview pane (f2)"
            yield "Discard draft", main.discard_draft, "Forget the open opportunity's changes"
            yield "Clear date_won", main.clear_date_won, "Set date_won to null in the draft"
            yield from palette_commands(main, self._views or ViewBook())
            for name, _ in SORT_FIELDS:
                for prefix, word in (("-", "descending"), ("", "ascending")):
                    yield (
                        f"Sort by {name} {word}",
                        partial(setattr, listing, "order_by", prefix + name),
                        "Server-side order (_order_by)",
                    )
        yield "Help: keys", app.action_help, "Every key, from the live bindings (f1)"
        yield "Switch profile…", app.action_switch_profile, "Reconnect; drafts stay (f9)"
        yield (
            "Debug info",
            partial(_debug_info, self.app),
            "Versions, paths, profile, terminal: copy it for a bug report",
        )
        for theme in sorted(themed.available_themes):
            # Setting the theme is enough: the app remembers what the user picks.
            yield (
                f"Switch theme: {theme}",
                partial(setattr, themed, "theme", theme),
                "Colour theme (remembered)",
            )

    def _jumps(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        main = self._main()
        if main is None or not main.is_mounted:
            return
        listing = main.query_one(OpportunityList)
        for index, row in listing.cache.loaded():
            name = row.lead_name
            yield (
                f"Go to {name}",
                partial(_jump, main, listing, index),
                f"{row.status_label or ''} · row {index + 1}",
            )

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
        jumps = 0
        for text, command, help_text in self._jumps():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score * 0.9, matcher.highlight(text), command, help=help_text)
                jumps += 1
                if jumps >= MAX_JUMPS:
                    return


def _export(main: MainScreen) -> None:
    from closetui.ui.flows.export_flow import start_export  # with the command, not at start-up

    start_export(main)


def _debug_info(app: App[object]) -> None:
    """Show the debug info (for a bug report) over the current screen."""
    from closetui.ui.screens.debug_info import DebugInfoScreen, debug_report

    host = cast("PaletteHost", app)
    app.push_screen(DebugInfoScreen(debug_report(app, host.connection, host.config_file())))


def _jump(main: MainScreen, listing: OpportunityList, index: int) -> None:
    """Move the list to ``index`` and open that opportunity (loaded in full by id)."""
    listing.open_row(index)
