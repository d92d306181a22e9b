"""What the flows ask of the screen that runs them, so that they never import that screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity
    from closetui.api.query import OpportunityQuery
    from closetui.bulk import StaleChange
    from closetui.connect import Connection, Connector
    from closetui.edits import Draft
    from closetui.filters import ActiveFilter
    from closetui.reference import Clock, Reference
    from closetui.session.connection_drafts import ConnectionDrafts
    from closetui.session.connection_history import ConnectionHistory
    from closetui.session.edit_state import EditState
    from closetui.ui.list.rows import ListRow


class AppServices(Protocol):
    """The app as the flows and the main screen use it: the client, config and clock."""

    connector: Connector
    now: Clock

    @property
    def client(self) -> CloseClient:
        """The pooled client of the open connection."""
        ...

    def config_file(self) -> Path:
        """The config file in use."""
        ...


class FlowHost(Screen[None]):
    """The main screen as the flows see it: the connection and its state, what the flows
    call back, and the app's services. :class:`~closetui.ui.main_screen.screen.MainScreen`
    is the one subclass; it owns the state declared here."""

    connection: Connection
    reference: Reference | None
    drafts: ConnectionDrafts
    history: ConnectionHistory
    edit_state: EditState | None
    active_filter: ActiveFilter

    if TYPE_CHECKING:

        @property
        def is_sending(self) -> bool: ...

        def _send(self, state: EditState, overwrite: StaleChange | None = None) -> object: ...

        def show_newer(
            self, opportunity: Opportunity, *, draft: Draft | None = None, new_base: bool = False
        ) -> None: ...

        def set_filter(self, active: ActiveFilter, notice: str | None = None) -> None: ...

        def action_filter_bar(self) -> None: ...

        def action_clear_filters(self) -> None: ...

        def action_views(self) -> None: ...

        def cards_changed(self, rows: Sequence[ListRow], dropped: Iterable[str]) -> None: ...

        def column_query(self, status_id: str) -> OpportunityQuery | None: ...

    @property
    def tui(self) -> AppServices:
        """The app, typed by what is asked of it (the app module imports this one)."""
        return cast("AppServices", self.app)
