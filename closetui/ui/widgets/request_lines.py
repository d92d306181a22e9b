"""The previewed request, drawn line by line so a keystroke repaints only its line."""

from __future__ import annotations

from textual.geometry import Size

from closetui.ui.widgets.line_static import LineStatic

SLACK = 4
"""The height grows in steps of this many lines: a body line that wraps as it is typed
seldom changes the height (and so seldom lays out the screen)."""


def padded(lines: int) -> int:
    """``lines`` rounded up to a whole number of :data:`SLACK` steps."""
    return -(-lines // SLACK) * SLACK


class RequestLines(LineStatic):
    """The request text (a :class:`LineStatic`) whose height changes only in steps of
    :data:`SLACK` lines, and never below :attr:`floor`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.floor = 0
        """The least height: the preview sets it to the room it has for the request, so
        a request that grows within that room (the first field of a draft, a value that
        wraps) never changes the height, and so never lays out the screen."""
        self.held = 0
        """The height last laid out, kept until :meth:`release` when the request shrinks:
        a change and its undo (a card moved on the board and back, a field set and
        reverted) lay out the screen once, not on every step. Below the request, blank
        lines then scroll."""

    def height_for(self, lines: int) -> int:
        """The height that shows ``lines`` screen lines."""
        return max(padded(lines), self.floor, self.held)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self.held = super().get_content_height(container, viewport, width)
        return self.held

    def release(self) -> None:
        """Another request is shown (another opportunity): its height starts afresh."""
        self.held = 0

    def set_floor(self, floor: int) -> None:
        """Change :attr:`floor` (a layout when it changes the height)."""
        if floor != self.floor:
            before = self.height_for(len(self._strips))
            self.floor = floor
            if self.height_for(len(self._strips)) != before:
                self.refresh(layout=True)
