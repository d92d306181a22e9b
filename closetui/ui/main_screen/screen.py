"""The main screen: the opportunity list, the edit pane and the live request preview."""

from __future__ import annotations

import asyncio
from importlib import import_module
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical

from closetui.api.errors import CloseError
from closetui.filters import NO_FILTER
from closetui.session.connection_drafts import ConnectionDrafts, connection_key
from closetui.session.connection_history import ConnectionHistory
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.list.rows import LIST_FIELDS, RowPage
from closetui.ui.main_screen.board_actions import BoardActions
from closetui.ui.main_screen.editing import Pane
from closetui.ui.main_screen.live import LiveList, act_on_their_change
from closetui.ui.widgets.header import AppHeader
from closetui.ui.widgets.key_bar import KeyBar
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.widget import Widget

    from closetui.api.models import Opportunity
    from closetui.connect import Connection
    from closetui.display.sending import SendRecord
    from closetui.filters import ActiveFilter
    from closetui.session.edit_state import EditState, Reference
    from closetui.ui.widgets.edit_pane import EditPane
    from closetui.ui.widgets.request_preview import RequestPreview
    from closetui.ui.widgets.their_change import TheirChange

AFTER_FIRST_FRAME = (
    "closetui.api.models",
    "closetui.session.edit_state",
    "closetui.ui.widgets.edit_pane",
    "closetui.ui.widgets.request_preview",
    "closetui.ui.widgets.multi_row",  # with the field rows: the editor's, prepared at idle
    "rich.syntax",  # the preview's colours (its ANSI themes) and pygments: ~40 ms
)
"""What opening an opportunity needs and the list does not: loaded on a thread once the
first rows are on screen (not with the first request shown, a card's first move)."""


ORG_FAILED = "Could not load the organisation"


def _system_browser() -> Callable[[str], bool] | None:
    from closetui.ui.flows.open_web import system_browser  # with the screen, not at import

    return system_browser()


def _load_modules(names: tuple[str, ...]) -> None:
    for name in names:
        import_module(name)


class MainScreen(BoardActions):
    """List on the left, editor and preview on the right; one pane at a time when narrow.

    Opening an opportunity and editing its draft are in
    :class:`~closetui.ui.main_screen.editing.EditActions`; every action that sends (the single
    send, undo, bulk edit, quick actions), the history, the inspector and copy as curl are in
    :class:`~closetui.ui.main_screen.send.SendActions`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r,f5", "send", "Send", priority=True, id="main.send"),
        Binding("ctrl+t,f6", "inspect", "Response", priority=True, id="main.inspect"),
        Binding("f7", "copy_curl", "Copy curl", show=False, priority=True, id="main.copy_curl"),
        Binding("f2", "preview", "Preview", id="main.preview"),
        Binding("u", "undo", "Undo last", show=False, id="main.undo"),
        Binding("H,f8", "history", "History", show=False, id="main.history"),
        Binding("escape", "back", "Back", id="main.back"),
        Binding("f", "filter_bar", "Filter", show=False, id="main.filter_bar"),
        Binding("F", "clear_filters", "Clear filters", show=False, id="main.clear_filters"),
        Binding("v", "views", "Views", show=False, id="main.views"),
        Binding("b", "bulk_edit", "Bulk edit", show=False, id="main.bulk_edit"),
        Binding("W", "quick('won')", "Won today, next", show=False, id="main.quick_won"),
        Binding("L", "quick('lost')", "Lost, next", show=False, id="main.quick_lost"),
        Binding("w", "open_web", "Open in Close", show=False, id="main.open_web"),
        Binding("f12", "their_change", "Their change", id="main.their_change"),
    ]

    def __init__(self, connection: Connection, drafts: ConnectionDrafts | None = None) -> None:
        # No id: the old and new screens overlap while switching. The pane's class is
        # there from the start (added at mount it would restyle every widget again).
        super().__init__(classes="-pane-list")
        self.connection = connection
        """Where this screen's opportunities come from (the app swaps screens to switch)."""
        self.reference: Reference | None = None
        self.drafts = ConnectionDrafts(connection_key(connection)) if drafts is None else drafts
        """Unsent drafts by opportunity id: the session's drafts of this connection, changed
        in place and written through to disk (they survive a switch, a quit or a crash)."""
        self.history = ConnectionHistory(connection_key(connection))
        """Every request sent from this connection (data dir, 0600, no credential)."""
        self.edit_state: EditState | None = None
        self.last_send: SendRecord | None = None
        self._pending_open: Opportunity | None = None
        self._open_ticket = 0
        """The key gate's hold for the opportunity being opened (0: none): the keys typed
        behind enter go to the editor once it shows it."""
        self.active_filter: ActiveFilter = NO_FILTER
        """The server-side filter of the list (set with :meth:`set_filter`)."""
        self._reference_started = False
        self._reference_failed = False
        self._editor: EditPane | None = None
        self._preview: RequestPreview | None = None
        self._editor_focus: Widget | None = None
        """The editor's focused widget when the editor pane was left."""
        self.open_browser: Callable[[str], bool] | None = _system_browser()
        """Opens the web app's pages (None: no browser here, the URL is copied instead)."""
        self.live = LiveList(self, connection.poll_seconds)
        """Polls for others' changes and shows them (the profile's ``poll_seconds``)."""

    def compose(self) -> ComposeResult:
        conn = self.connection
        yield AppHeader(conn.name, demo=conn.demo, read_only=conn.read_only)
        # Kept (as are the side panes): a keystroke reaches them, and a query walks the
        # screen's ~140 widgets.
        self._listing = OpportunityList(id="list")
        with Horizontal(id="body"):
            yield self._listing
            yield Vertical(id="side")  # the editor and the preview: see _mount_side
        yield StatusLine(id="status")
        yield KeyBar()

    @property
    def editor(self) -> EditPane:
        """The edit pane (mounted on first use, if the first rows have not come yet)."""
        if self._editor is None:
            self._mount_side()
        assert self._editor is not None
        return self._editor

    @property
    def preview(self) -> RequestPreview:
        """The request preview (mounted with the edit pane)."""
        if self._preview is None:
            self._mount_side()
        assert self._preview is not None
        return self._preview

    def _mount_side(self) -> None:
        """Mount the edit pane and the preview. Nothing can be edited before the
        organisation has loaded, so they are made then, after the list shows; anything
        that needs them sooner mounts them at once."""
        if self._editor is not None:
            return
        from closetui.ui.widgets.edit_pane import EditPane
        from closetui.ui.widgets.request_preview import RequestPreview

        self._editor = EditPane(id="editor")
        self._preview = RequestPreview(id="preview")
        self._preview.read_only = self.connection.read_only
        self.query_one("#side", Vertical).mount(self._editor, self._preview)
        self.mount_board()

    def on_mount(self) -> None:
        listing = self.query_one(OpportunityList)
        listing.source = self._fetch_page
        listing.set_drafted(self.drafts.ids())
        listing.reload()
        listing.focus()
        self.query_one(StatusLine).show("Loading…")
        # The organisation loads once the first rows are shown (or failed to load): its
        # models (pydantic) must not hold up the list, and nothing
        # can be opened before there is a row to open.

    def _start_reference(self) -> None:
        if not self._reference_started and self.is_attached:
            self._reference_started = True
            self._reference_failed = False
            self._load_reference()

    async def _fetch_page(self, order_by: str, skip: int, limit: int) -> RowPage:
        query = self.active_filter.for_page(order_by)
        client = self.tui.client
        fields = list(LIST_FIELDS)  # only what a row shows: the full record loads on open
        return RowPage.from_page(
            await client.list_opportunity_fields(fields, query, skip=skip, limit=limit)
        )

    async def _remember_names(self, reference: Reference) -> None:
        """Keep the org's names for shell completion (``closetui completion``), on a
        thread: the files are written and synced while the list keeps taking keys."""
        from closetui.completion_names import remember_connection

        await asyncio.to_thread(
            remember_connection,
            reference.schema,
            profile=self.connection.profile,
            demo=self.connection.demo,
            config_file=self.tui.config_file(),
        )

    def action_open_web(self) -> None:
        """Open the highlighted opportunity's lead in the Close web app (w), or copy its URL."""
        self._open_web()

    @work(exclusive=True, group="open-web", exit_on_error=False)
    async def _open_web(self) -> None:
        from closetui.ui.flows.open_web import open_in_close

        await open_in_close(self, self.open_browser, self.rows_view())

    @work(exclusive=True, group="reference", exit_on_error=False)
    async def _load_reference(self) -> None:
        try:
            # On a thread: the list is on screen and keeps taking keys while the models
            # (pydantic) and the edit layer load.
            await asyncio.to_thread(_load_modules, AFTER_FIRST_FRAME)
            self._mount_side()  # now, not with the first key that needs them
            from closetui.session.edit_state import load_reference

            reference = await load_reference(self.tui.client, self.tui.now)
        except Exception as exc:  # a failure, or an answer the models refuse: never spin on
            why = str(exc) if isinstance(exc, CloseError) else f"{type(exc).__name__}: {exc}"
            self._reference_started = False  # the list's next load (r) tries again
            self._reference_failed = True
            self._drop_typed_ahead()
            self.query_one(StatusLine).show(
                f"{ORG_FAILED}: {why.splitlines()[0]} · r tries again", "error"
            )
            return
        self.reference = reference
        org = reference.me.organizations[0].name if reference.me.organizations else ""
        self.query_one(AppHeader).who = " @ ".join(p for p in (reference.me.full_name, org) if p)
        status = self.query_one(StatusLine)
        if status.message == "Loading…" or status.message.startswith(ORG_FAILED):
            status.show("Ready. enter edits · o sorts · ctrl+p for commands · f1 for help")
        if self._pending_open is not None:
            self.open(self._pending_open)
        else:
            # The field rows, hidden, mounted a few at a time: the first open fills them.
            self.run_worker(
                self.prepare_editor(reference.schema), group="prepare-editor", exit_on_error=False
            )
        await self._remember_names(reference)

    # -- panes -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that do nothing here (the footer shows what applies now)."""
        if action == "back":
            return self.pane != "list"
        if action in ("preview", "copy_curl"):
            return self.edit_state is not None
        if action == "their_change":
            return self._editor is not None and self._editor.notice is not None
        if action in ("bulk_edit", "quick"):
            if self.connection.read_only:
                return False
            return action == "bulk_edit" or isinstance(self.focused, OpportunityList)
        if action in ("board_pipeline",):
            return self.board_shown
        if action in ("send", "undo"):
            if self.connection.read_only:
                return False  # no write action is offered at all: not in keys, footer or help
            return True if self.edit_state is not None or action == "undo" else None
        return True

    @property
    def absent_binding_ids(self) -> frozenset[str]:
        """Bindings that do not exist on this connection (help leaves them out)."""
        writes = frozenset(
            {"main.send", "main.undo", "main.bulk_edit", "main.quick_won", "main.quick_lost"}
            | {"board.move_left", "board.move_right"}
        )
        return writes if self.connection.read_only else frozenset()

    def watch_pane(self, old: Pane, new: Pane) -> None:
        self.refresh_bindings()
        self.remove_class(f"-pane-{old}")
        self.add_class(f"-pane-{new}")
        target = {
            "list": self.rows_view(),
            "editor": self.editor,
            "preview": self.preview,
        }[new]
        focused = self.focused
        if old == "editor" and focused is not None and self._editor in focused.ancestors:
            self._editor_focus = focused  # the field to come back to (f2 f2, esc)
        if new == "editor":
            self.call_after_refresh(self._focus_editor)
        else:
            self.call_after_refresh(target.focus)

    def _focus_editor(self) -> None:
        """Back in the editor: the field last typed in, while it is there, else the first."""
        kept, self._editor_focus = self._editor_focus, None
        editor = self.editor
        if kept is not None and kept.is_attached and editor in kept.ancestors:
            kept.focus(scroll_visible=False)
        else:
            editor.focus_first()

    def action_back(self) -> None:
        """Editor -> list, preview -> editor."""
        if self.pane == "preview":
            self.pane = "editor" if self.edit_state is not None else "list"
        elif self.pane == "editor":
            self.pane = "list"
            self.rows_view().focus()

    def action_preview(self) -> None:
        """Show the request preview (toggles back to the editor)."""
        if self.pane == "preview":
            self.pane = "editor" if self.edit_state is not None else "list"
        else:
            self.pane = "preview"

    # -- server-side filters and views (closetui.ui.flows.views) -------------------------------

    def set_filter(self, active: ActiveFilter, notice: str | None = None) -> None:
        """Filter the list on the server: the header says so and the list loads again."""
        self.active_filter = active
        header = self.query_one(AppHeader)
        header.filter_text = active.summary()
        header.count = ""
        listing = self.query_one(OpportunityList)
        listing.go_to(0)
        if active.order_by and active.order_by != listing.order_by:
            listing.order_by = active.order_by  # a new sort reloads the list by itself
        else:
            listing.reload()
        self.filter_changed()
        default = (
            "Filters cleared." if active.empty else "Filter applied · f changes it · F clears it"
        )
        self.query_one(StatusLine).show(notice or default)

    def action_filter_bar(self) -> None:
        """Open the filter bar (pipeline, status, type, owner, date_won range, query)."""
        from closetui.ui.flows import views

        views.open_filter_bar(self)

    def action_clear_filters(self) -> None:
        """List every opportunity again."""
        if self.active_filter.empty:
            self.query_one(StatusLine).show("No filter to clear.")
        else:
            self.set_filter(NO_FILTER)

    def action_views(self) -> None:
        """Pick a saved view and apply it."""
        from closetui.ui.flows import views

        views.pick_view(self)

    def apply_view(self, name: str) -> None:
        """Apply the named view from the config (nothing changes when a word fails)."""
        from closetui.ui.flows import views

        views.apply_view(self, name)

    # -- list -> editor ----------------------------------------------------------------

    @on(OpportunityList.Loaded)
    def _loaded(self, event: OpportunityList.Loaded) -> None:
        noun = "opportunity" if event.total == 1 else "opportunities"
        self.query_one(AppHeader).count = f"{event.total:,} {noun}"
        # Once the rows are on the terminal: a thread importing earlier would slow down
        # the paints Textual still holds back until every screen has mounted (GIL).
        self.app.call_after_refresh(self._start_reference)
        self.live.list_loaded()

    @on(OpportunityList.OpportunityHighlighted)
    def _highlighted(self, event: OpportunityList.OpportunityHighlighted) -> None:
        listing = self.query_one(OpportunityList)
        who = listing.changed_by.get(event.row.id)
        if who is not None and self.focused is listing:  # not over what the editor says
            self.query_one(StatusLine).show(f"↻ {event.row.lead_name}: changed by {who}")

    def action_their_change(self) -> None:
        """Go to the notice of their change (k / t / l choose there)."""
        if self._editor is not None and self._editor.notice is not None:
            if self.pane != "editor":
                self.pane = "editor"
            self.call_after_refresh(self._focus_notice)

    def _focus_notice(self) -> None:
        if self._editor is not None and self._editor.notice is not None:
            self._editor.notice.focus()

    def on_their_change_chosen(self, event: TheirChange.Chosen) -> None:
        """k / t / l in the notice of their change (by name: the notice loads with it)."""
        act_on_their_change(self, event)

    @on(OpportunityList.LoadFailed)
    def _load_failed(self, event: OpportunityList.LoadFailed) -> None:
        self.query_one(StatusLine).show(f"Could not load opportunities: {event.message}", "error")
        self._start_reference()
