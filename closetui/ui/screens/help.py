"""The help screen: every key, read from the live bindings (keymap overrides included)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType, Keymap
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from closetui import version
from closetui.ui.bound_keys import keymap_of

CONTEXTS: dict[str, str] = {
    "CloseTUI": "Everywhere",
    "SetupScreen": "Setting up",
    "MainScreen": "Main screen",
    "OpportunityList": "Opportunity list",
    "PipelineBoard": "Pipeline board",
    "FieldRow": "Editing a field",
    "TextRow": "Text fields",
    "PickButton": "Picker fields",
    "ItemChip": "Multi-value items",
    "RequestPreview": "Request preview",
    "InspectorScreen": "Response inspector",
    "FilterBarScreen": "Filter bar",
    "HistoryScreen": "History",
    "ReviewScreen": "Reviewing requests",
    "BulkProgressScreen": "Sending many requests",
    "StaleScreen": "Someone else changed it",
}
"""Headings for the nodes whose bindings are listed, in display order."""


def _context_classes() -> dict[str, type[DOMNode]]:
    """Widget classes listed even when none is on screen (e.g. no editor open yet)."""
    from closetui.ui.board.board import PipelineBoard
    from closetui.ui.screens.filter_bar import FilterBarScreen
    from closetui.ui.screens.inspector import InspectorScreen
    from closetui.ui.widgets.field_rows import FieldRow, TextRow
    from closetui.ui.widgets.multi_row import ItemChip
    from closetui.ui.widgets.pickers import PickButton

    return {
        "PipelineBoard": PipelineBoard,
        "FieldRow": FieldRow,
        "TextRow": TextRow,
        "PickButton": PickButton,
        "ItemChip": ItemChip,
        "InspectorScreen": InspectorScreen,
        "FilterBarScreen": FilterBarScreen,
    }


def _bindings_of(node: type[DOMNode], keymap: Keymap) -> list[Binding]:
    """A class's bindings (its ``BINDINGS`` over those of its bases) as the keymap left them.

    Textual merges them the same way, except that a base declared with
    ``inherit_bindings=False`` (``Static``) drops its bases' bindings there: the bases
    of closetui's widgets that do so (``Widget``) declare none.
    """
    keys: dict[str, list[Binding]] = {}
    for cls in reversed(node.__mro__):
        keys.update(BindingsMap(vars(cls).get("BINDINGS", ())).key_to_bindings)
    bindings = BindingsMap.from_keys(keys)
    if keymap:
        bindings.apply_keymap(keymap)
    return [binding for _key, binding in bindings]


def _listed(binding: Binding) -> bool:
    """Our bindings (they all have ids) plus Textual's focus keys; not scroll internals."""
    if binding.system:
        return False
    return binding.id is not None or binding.action in ("app.focus_next", "app.focus_previous")


def binding_rows(screen: Screen[object]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(context, [(keys, description, id)]) for the app, ``screen`` and its widgets."""
    nodes: dict[str, type[DOMNode]] = {type(screen.app).__name__: type(screen.app)}
    nodes.setdefault(type(screen).__name__, type(screen))
    for widget in screen.walk_children():
        for cls in type(widget).__mro__:
            if cls.__name__ in CONTEXTS:
                nodes.setdefault(cls.__name__, type(widget))
    classes = _context_classes()
    keymap = keymap_of(screen.app)
    # Bindings that do not exist here at all (e.g. send on a read-only connection).
    hidden: frozenset[str] = getattr(screen, "absent_binding_ids", frozenset())
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    listed: dict[type[DOMNode], set[str | None]] = {}
    for name, title in CONTEXTS.items():
        # The class itself where it is known (a field row of any kind lists the keys of
        # all rows; text rows, listed on their own, add theirs), else the one on screen.
        node = classes.get(name) or nodes.get(name)
        if node is None:
            continue
        inherited = set().union(*(ids for cls, ids in listed.items() if issubclass(node, cls)))
        bindings = _bindings_of(node, keymap)
        listed[node] = {binding.id for binding in bindings if binding.id}
        grouped: dict[str, tuple[list[str], str]] = {}
        for binding in bindings:
            if not _listed(binding) or binding.id in hidden or binding.id in inherited:
                continue
            ident = binding.id or binding.action
            keys, _ = grouped.setdefault(ident, ([], binding.description or binding.action))
            display = screen.app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        rows = [(" / ".join(keys), text, ident) for ident, (keys, text) in grouped.items()]
        if rows:
            sections.append((title, rows))
    return sections


def live_text(screen: Screen[object]) -> str:
    """How often the list checks for others' changes (the profile's ``poll_seconds``)."""
    # The setup screen has no connection; the main screen's carries the profile's value.
    seconds = getattr(getattr(screen, "connection", None), "poll_seconds", None)
    if not isinstance(seconds, int | float):
        return "Live: checks for changes every poll_seconds (set per profile)"
    if not seconds:
        return "Live: off (poll_seconds = 0)"
    return (
        f"Live: checks for changes every {seconds:g} s (poll_seconds), "
        "slower near the rate limit · ↻ marks rows others changed"
    )


class HelpScreen(ModalScreen[None]):
    """Lists the keys for what is on screen now, then every context; esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90;
        max-width: 100%;
        height: 90%;
        background: $panel;
        border: round $primary;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    HelpScreen #help-footer { color: $text-muted; height: 1; }
    HelpScreen #help-live { color: $text-muted; height: 1; }
    """

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below
        """The screen whose keys are shown."""

    def compose(self) -> ComposeResult:
        box = Vertical(id="help-box")
        box.border_title = "Keys"
        box.border_subtitle = f"closetui {version()}"
        with box:
            with VerticalScroll(id="help-scroll"):
                yield Static(self._table(), id="help-table")
            yield Label(live_text(self.below), id="help-live", markup=False)
            yield Label(
                "esc closes · j/k scroll · keys are remapped by binding id", id="help-footer"
            )

    def entries(self) -> list[tuple[str, str, str, str]]:
        """(section, keys, description, binding id): what works now, then every context."""
        now = self.below.active_bindings
        out: list[tuple[str, str, str, str]] = []
        seen: set[str] = set()
        for key, active in now.items():
            binding = active.binding
            ident = binding.id or binding.action
            if not _listed(binding) or ident in seen:
                continue
            seen.add(ident)
            keys = " / ".join(
                self.app.get_key_display(other.binding)
                for other in now.values()
                if (other.binding.id or other.binding.action) == ident
            )
            text = binding.description or binding.action
            if not active.enabled:
                text += " (not now)"
            out.append(("Available now", keys or key, text, ident))
        for title, rows in binding_rows(self.below):
            out += [(title, keys, text, ident) for keys, text, ident in rows]
        return out

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column("keys", no_wrap=True, style="bold")
        table.add_column("what")
        table.add_column("id", style="dim")
        section = None
        for title, keys, text, ident in self.entries():
            if title != section:
                if section is not None:
                    table.add_row("", "", "")
                table.add_row(Text(title, style="bold underline"), "", "")
                section = title
            table.add_row(Text(keys), Text(text), Text(ident))  # remapped keys are not markup
        return table

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        """Scroll the list."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)
