"""Type-to-filter for the list canvas: the prompt under the rows, and what each key does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from closetui.ui.list.canvas import ListCanvas
from closetui.ui.list.prompt import LineEdit

if TYPE_CHECKING:
    from textual.timer import Timer

RESIZE_DELAY = 1 / 60
"""Seconds from a filter key to the resize it calls for (a frame at Textual's pace)."""


class FilteringCanvas(ListCanvas):
    """A list canvas that ``/`` filters as you type; the base of
    :class:`~closetui.ui.list.opportunity_list.OpportunityList`, which fetches what is on
    screen and says where the cursor is (the two hooks below)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._before_filter: int | None = None
        self._binding_state = (False, False, False)
        self._resize_timer: Timer | None = None

    def _request_visible(self) -> None:
        """Fetch the rows on screen (the list's paging does)."""

    def _announce_cursor(self) -> None:
        """Say which row the cursor is on (the list posts it)."""

    def on_blur(self, event: events.Blur) -> None:
        if self.prompt is not None:
            self._close_prompt()  # the filter stays; the prompt does not outlive focus

    def _bindings_may_have_changed(self) -> None:
        """Refresh the footer only when what :meth:`check_action` answers changed: the
        footer rebuilds itself on every refresh, too slow for every keystroke."""
        marks = self.model.marks
        state = (  # while typing, every list key is off whatever the filter does
            (True, False, False)
            if self.prompt is not None
            else (False, self.model.filter.active, marks.range is not None)
        )
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    # -- the filter ------------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show only the loaded rows matching ``text`` (every word, any case; the cursor
        on the first match). An empty text shows every row again, the cursor back on
        the row it was on before filtering."""
        rows = self.model.filter
        was_active, before = rows.active, rows.hits
        if not was_active:
            self._before_filter = self.highlighted_index()
        rows.set_text(text)
        self.model.marks.end_range()
        self.note = ""
        if was_active and rows.active and rows.hits == before:
            self.refresh_bar()  # the same rows (e.g. more of a word): only the bar changed
        else:
            if rows.active:
                self.cursor = 0
                self.scroll_to(y=0, animate=False, immediate=True, force=True)
                self._resize_soon()
            else:
                self.update_virtual_size()  # scrolling back to the row needs the full size
                if was_active:
                    self.go_to(self._before_filter or 0)
                    self.scroll_cursor_into_view()
                    self._request_visible()
            self._announce_cursor()
            self.refresh()
        self._bindings_may_have_changed()

    def _resize_soon(self) -> None:
        """Resize a frame after the rows are shown (once, for keys typed meanwhile): a
        new size lays out the whole screen and paints the scrollbar, as long again as
        painting the rows, and done at once it would hold up their way to the terminal."""
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_DELAY, self.update_virtual_size)

    def clear_filter(self) -> None:
        """Show every row again; the cursor stays on the row it was on."""
        if self.model.filter.hits:
            self._before_filter = self.highlighted_index()
        self.prompt = None
        self.set_filter("")

    def on_key(self, event: events.Key) -> None:
        """While the filter prompt is open, typing edits it and every key filters at once."""
        prompt = self.prompt
        if prompt is None:
            if self._opens_filter(event.key):
                # Open it here, not via the binding: a binding runs only after the key
                # bubbled up, and keys typed right behind it ("/acme" in one burst) would
                # reach this handler first and be lost.
                event.stop()
                event.prevent_default()
                self.action_filter()
            return
        if event.key == "enter":
            self._close_prompt()
        elif event.key == "escape":
            self.clear_filter()
        elif event.key in ("down", "up"):
            self.go_to(self.cursor + (1 if event.key == "down" else -1))
        elif prompt.key(event.key, event.character):
            self.set_filter(prompt.text)
        else:
            return  # not for the prompt: ctrl+p, f1, ctrl+r... work as anywhere
        event.stop()
        event.prevent_default()

    def _opens_filter(self, key: str) -> bool:
        """True when ``key`` is bound (keymap applied) to this list's filter action."""
        active = self.screen.active_bindings.get(key)
        return active is not None and active.node is self and active.binding.action == "filter"

    def on_paste(self, event: events.Paste) -> None:
        if self.prompt is not None:
            event.stop()
            self.prompt.insert(event.text)
            self.set_filter(self.prompt.text)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """While typing a filter, printable keys are text, not the app's shortcuts."""
        return self.prompt is not None and character is not None and character.isprintable()

    def _close_prompt(self) -> None:
        self.prompt = None
        self.shape_changed()
        self._bindings_may_have_changed()

    def action_filter(self) -> None:
        """Open the filter prompt under the rows (with the current filter to edit)."""
        self.prompt = LineEdit.at_end(self.model.filter.text)
        self.note = ""
        self.shape_changed()
        self._bindings_may_have_changed()

    def action_clear_filter(self) -> None:
        """Show every row again."""
        self.clear_filter()
