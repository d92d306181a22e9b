"""The live request preview: method, URL, headers and the highlighted JSON body."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Static

from closetui.ui.widgets.in_place import update_in_place
from closetui.ui.widgets.request_lines import RequestLines
from closetui.ui.widgets.request_text import json_syntax, request_text, syntax_theme

if TYPE_CHECKING:
    from closetui.session.edit_state import EditState

__all__ = ["SHOWN_HEADERS", "RequestPreview", "json_syntax", "syntax_theme"]

ERROR = "bold $text-error"

SHOWN_HEADERS = ("authorization", "x-tz-offset", "content-type")
"""Headers the preview lists (the credential is always redacted)."""


NOTHING_OPEN = "Open an opportunity to see its request."
"""What the preview says while nothing is open (one line in the narrowest preview)."""


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
        scrollbar-gutter: stable;  /* a request growing past the room never re-wraps it */
        overflow-y: scroll;  /* and its bar never comes and goes: that laid out the screen */
    }
    RequestPreview:focus { border-top: solid $primary; }
    RequestPreview > #preview-request { width: 1fr; }
    RequestPreview > #preview-notes { width: 1fr; margin-bottom: 1; }
    RequestPreview > #preview-notes.-empty { display: none; }
    RequestPreview > .note { color: $text-primary; }
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The request's height within the pane: its own scrolling reads it (and its scroll bar
    follows), while the pane's size is set by the side pane. A new height is laid out once
    (the request's), not a second time when the layout sets it here."""

    class CopyRequested(Message):
        """The user asked to copy the request as a curl command."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state: EditState | None = None
        """What is being edited; None shows a hint."""
        self.read_only = False
        """True on read-only connections: the preview says sending is off."""
        self.border_title = "Request"
        self._shown: tuple[object, ...] | None = None
        self._notes_shown: tuple[str, tuple[object, ...]] | None = None
        self._showing: str | None = None
        """The opportunity whose request is shown."""

    def compose(self) -> ComposeResult:
        self._notes_widget = Static(id="preview-notes")
        self._request = RequestLines(id="preview-request")
        yield self._notes_widget
        yield self._request

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
        request, notes = self._request, self._notes_widget
        showing = state.opportunity.id if state is not None else None
        if showing != self._showing:  # another request: no height held from the last one
            self._showing = showing
            request.release()
        if state is None or state.view is None:
            self._shown = None
            # The hint in the notes' one line, the request empty: the first request shown
            # (an opportunity opened, a card moved) then changes no height, no layout.
            request.update("")
            update_in_place(notes, Content.styled(NOTHING_OPEN, "dim"))
            notes.remove_class("-empty")
            self._notes_shown = None
            self._fit()
            return
        # Redrawn on every keystroke: only what changed, and without laying out the
        # screen when the text keeps its height.
        view = state.view
        head = [(view.method, "bold"), (f" {view.url}\n", "")]
        for name, value in view.headers:
            if name.lower() in SHOWN_HEADERS:
                head += [(f"{name}: ", "bold"), (value + "\n", "")]
        body = view.body_text() or "{}"
        looks = (self.app.theme, self.app.no_color)
        if self._shown != (head, body, looks):
            self._shown = (head, body, looks)
            request.show(request_text(self, head, body, word_wrap=True))
        text = self._notes(state)
        key = (text.plain, tuple(text.spans))  # Content's == compares the text only
        if key != self._notes_shown:
            self._notes_shown = key
            update_in_place(notes, text)
            notes.set_class(not text.plain, "-empty")
            self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Give the request all the room under the notes (``RequestLines.floor``)."""
        notes, region = self._notes_widget, self.scrollable_content_region
        room = region.height
        if not notes.has_class("-empty") and region.width > 0:
            height = notes.visual.get_height(notes.styles, region.width)  # type: ignore[arg-type]
            room -= height + 1  # and its margin
        self._request.set_floor(max(0, room))

    def _notes(self, state: EditState) -> Content:
        lines: list[Content] = []
        blocked = state.why_not_sendable()
        if self.read_only:
            lines.append(Content.styled("⛔ Read-only connection: sending is disabled.", ERROR))
        if blocked is not None:
            mark, style = ("✗ ", ERROR) if state.problems else ("· ", "$text-muted")
            lines.append(Content.styled(mark + blocked, style))
        elif not self.read_only:
            # Always a first line, so the notes keep their height when a draft becomes
            # sendable: the first keystroke of an edit lays nothing out.
            count = len(state.body)
            ready = f"✓ Ready to send: {count} field{'s' if count != 1 else ''} in the body."
            lines.append(Content.styled(ready, "$text-success"))
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
