"""One line above the footer for what is happening: sending, waiting, failures."""

from __future__ import annotations

from typing import Literal

from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from closetui.ui.widgets.in_place import update_in_place

Severity = Literal["information", "warning", "error", "success"]


class StatusLine(Static):
    """Shows one message with a severity; a countdown ticks down in place for waits.

    One line as a rule; a message wider than the screen wraps onto up to three (at 80
    columns a failure's reason would otherwise be cut off where the user is looking).
    """

    DEFAULT_CSS = """
    StatusLine {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    StatusLine.-error { color: $text-error; text-style: bold; }
    StatusLine.-warning { color: $text-warning; }
    StatusLine.-success { color: $text-success; }
    """

    message: reactive[str] = reactive("")
    """The text shown (without the countdown)."""
    severity: reactive[Severity] = reactive[Severity]("information")
    """Colours the line: information, warning, error or success."""
    remaining: reactive[int] = reactive(0)
    """Seconds left in a countdown (0 when none)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._timer: Timer | None = None

    def show(self, message: str, severity: Severity = "information") -> None:
        """Replace the message (and stop any countdown)."""
        self._stop()
        self.remaining = 0
        self.message = message
        self.severity = severity

    def countdown(self, message: str, seconds: float) -> None:
        """Show ``message`` with the seconds left, counting down once a second."""
        self._stop()
        self.message = message
        self.severity = "warning"
        self.remaining = max(1, round(seconds))
        self._timer = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        if self.remaining <= 1:
            self._stop()
            self.remaining = 0
        else:
            self.remaining -= 1

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _render_text(self) -> None:
        text = self.message
        if self.remaining:
            text = f"{text} — retrying in {self.remaining}s"
        update_in_place(self, text)  # as tall as before: the screen is not laid out again

    def watch_message(self) -> None:
        self._render_text()

    def watch_remaining(self) -> None:
        self._render_text()

    def watch_severity(self, old: Severity, new: Severity) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")
