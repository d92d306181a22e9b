"""The one-line app header: app name, connection, badges, the active filter, who is signed in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from closetui.ui.widgets.in_place import update_in_place


class AppHeader(Horizontal):
    """App name, connection name, badges, and (once known) the user and the row count."""

    DEFAULT_CSS = """
    AppHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    AppHeader > Label { padding: 0 1; }
    AppHeader > #app-name { color: $text-primary; text-style: bold; }
    AppHeader > .badge { text-style: bold; margin-right: 1; }
    AppHeader > .badge.-demo {
        background: $badge-demo-background;
        color: $badge-demo-foreground;
    }
    AppHeader > .badge.-read-only {
        background: $badge-read-only-background;
        color: $badge-read-only-foreground;
    }
    AppHeader > #who { width: 1fr; content-align: right middle; color: $text-muted; }
    AppHeader > #filter {
        display: none;
        width: 1fr;
        color: $text-accent;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    AppHeader.-filtered > #filter { display: block; }
    AppHeader.-filtered > #who { width: auto; }
    """

    WHO_ROOM = 40
    """Cells the filter keeps for itself before the signed-in user is left out."""

    who: reactive[str] = reactive("")
    """The signed-in user and organization, once ``/me/`` answered."""
    count: reactive[str] = reactive("")
    """How many opportunities match, once the first page arrived."""
    filter_text: reactive[str] = reactive("")
    """The server-side filter in force (``status: Won · owner: Ann Lee``); empty for none."""

    def __init__(self, connection_name: str, *, demo: bool, read_only: bool) -> None:
        super().__init__(id="app-header")
        self.connection_name = connection_name
        self.demo = demo
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        yield Label("closetui", id="app-name")
        yield Label(self.connection_name, id="connection-name")
        if self.demo:
            yield Label(" DEMO ", classes="badge -demo", id="badge-demo")
        if self.read_only:
            yield Label(" READ-ONLY ", classes="badge -read-only", id="badge-read-only")
        yield Label("", id="filter", markup=False)
        yield Label("", id="who", markup=False)

    def _show(self) -> None:
        filtered = bool(self.filter_text)
        self.set_class(filtered, "-filtered")
        # In place: a label keeping its size (the usual case) does not lay out the screen.
        update_in_place(
            self.query_one("#filter", Label), f"» {self.filter_text}" if filtered else ""
        )
        who = self.who
        if filtered and who:
            # The filter matters more than who is signed in: drop the user when both do not
            # fit (the count stays, it is what the filter did).
            used = sum(
                label.outer_size.width
                for label in self.query(Label)
                if label.id not in ("filter", "who")
            )
            room = self.size.width - used - len(self.count) - len(who) - 5
            if room < min(self.WHO_ROOM, len(self.filter_text) + 2):
                who = ""
        parts = [part for part in (self.count, who) if part]
        update_in_place(self.query_one("#who", Label), " · ".join(parts))

    def watch_who(self) -> None:
        if self.is_mounted:
            self._show()

    def watch_count(self) -> None:
        if self.is_mounted:
            self._show()

    def watch_filter_text(self) -> None:
        if self.is_mounted:
            self._show()

    def on_resize(self) -> None:
        self._show()
