"""The live request preview: method, URL, headers and the highlighted JSON body."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.syntax import ANSISyntaxTheme, Syntax, SyntaxTheme
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from closetui.ui.session import EditState

ERROR = "bold $text-error"

SHOWN_HEADERS = ("authorization", "x-tz-offset", "content-type")
"""Headers the preview lists (the credential is always redacted)."""


def syntax_theme(dark: bool, *, no_color: bool = False) -> str | SyntaxTheme:
    """A Pygments theme made of ANSI colours, so no truecolor terminal is needed.

    With ``NO_COLOR`` set: no styles at all (the text keeps the widget's own colour).
    """
    if no_color:
        return ANSISyntaxTheme({})
    return "ansi_dark" if dark else "ansi_light"


def json_syntax(widget: Widget, text: str, **options: Any) -> Syntax:
    """JSON highlighted with ANSI colours, on ``widget``'s own background."""
    app = widget.app
    theme = app.current_theme
    background = widget.background_colors[1]
    return Syntax(
        text,
        "json",
        theme=syntax_theme(theme.dark if theme else True, no_color=app.no_color),
        background_color=background.rich_color.name if background.a else None,
        **options,
    )


class RequestPreview(VerticalScroll, can_focus=True):
    """Shows the exact request the send action would send, updated on every keystroke.

    The parent sets :attr:`state` (via :meth:`show`); the preview posts
    :class:`CopyRequested` when the user asks for the request as curl.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_curl", "Copy curl", id="preview.copy_curl"),
    ]

    DEFAULT_CSS = """
    RequestPreview {
        background: $surface;
        border-top: solid $panel-lighten-2;
        border-title-color: $text-primary;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    RequestPreview:focus { border-top: solid $primary; }
    RequestPreview > #preview-request { width: 1fr; }
    RequestPreview > #preview-notes { width: 1fr; margin-bottom: 1; }
    RequestPreview > #preview-notes.-empty { display: none; }
    RequestPreview > .note { color: $text-primary; }
    """

    class CopyRequested(Message):
        """The user asked to copy the request as a curl command."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: EditState | None = None
        """What is being edited; None shows a hint."""
        self.read_only = False
        """True on read-only connections: the preview says sending is off."""
        self.border_title = "Request"

    def compose(self) -> ComposeResult:
        yield Static(id="preview-notes")
        yield Static(id="preview-request")

    def on_mount(self) -> None:
        self._render_state()
        # The JSON colours follow the theme (dark or light syntax palette).
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._rerender)

    def _rerender(self) -> None:
        if self.is_attached:  # a theme switch may come while a profile switch removes us
            self._render_state()

    def show(self, state: EditState | None) -> None:
        """Render ``state``'s request, notes and problems."""
        self.state = state
        if self.is_mounted:
            self._render_state()

    def _render_state(self) -> None:
        state = self.state
        request = self.query_one("#preview-request", Static)
        notes = self.query_one("#preview-notes", Static)
        if state is None or state.view is None:
            request.update(Text("Open an opportunity (enter) to see its request here.", "dim"))
            notes.update("")
            notes.add_class("-empty")
            return
        request.update(self._request(state))
        text = self._notes(state)
        notes.update(text)
        notes.set_class(not text.plain, "-empty")

    def _request(self, state: EditState) -> RenderableType:
        view = state.view
        assert view is not None
        head = Text()
        head.append(view.method, "bold")
        head.append(" " + view.url + "\n")
        for name, value in view.headers:
            if name.lower() in SHOWN_HEADERS:
                head.append(f"{name}: ", "bold")
                head.append(value + "\n")
        return Group(head, json_syntax(self, view.body_text() or "{}", word_wrap=True))

    def _notes(self, state: EditState) -> Content:
        lines: list[Content] = []
        blocked = state.why_not_sendable()
        if self.read_only:
            lines.append(Content.styled("⛔ Read-only connection: sending is disabled.", ERROR))
        if blocked is not None:
            mark, style = ("✗ ", ERROR) if state.problems else ("· ", "$text-muted")
            lines.append(Content.styled(mark + blocked, style))
        for key, message in state.problems.items():
            lines.append(Content.styled(f"  ✗ {message or key}", "$text-error"))
        for note in state.notes:
            lines.append(Content.styled(f"\u2139 {note.message}", "$text-primary"))
        if state.server_errors:
            lines.append(Content.styled("Server said:", ERROR))
            for key, message in state.server_errors.items():
                lines.append(Content.styled(f"  ✗ {key}: {message}", "$text-error"))
        return Content("\n").join(lines)

    def action_copy_curl(self) -> None:
        """Copy the request as a curl command (credential from an environment variable)."""
        self.post_message(self.CopyRequested())
