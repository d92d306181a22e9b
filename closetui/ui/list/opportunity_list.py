"""The virtual opportunity list: pages of compact rows fetched on demand, a filter, marks."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from closetui.api.errors import CloseError
from closetui.ui.key_gate import gate_of
from closetui.ui.list.columns import SORT_FIELDS
from closetui.ui.list.filtering import FilteringCanvas
from closetui.ui.list.rows import RowPage, row_from_opportunity

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.ui.list.page_cache import PageCache
    from closetui.ui.list.rows import ListRow

PageSource = Callable[[str, int, int], Awaitable[RowPage]]
"""Fetches one page: ``(order_by, skip, limit) -> RowPage``."""

MAX_IN_FLIGHT = 2
"""Most page requests under way at once (the rest wait for a free slot)."""

FREEZE_EVERY = 10_000
"""Rows loaded between two freezes of the garbage collector (see ``page_arrived``)."""


class OpportunityList(FilteringCanvas):
    """Every opportunity of a query, one line each; only the visible pages are fetched.

    The parent sets :attr:`source`; the list posts :class:`OpportunityHighlighted`,
    :class:`OpportunitySelected` and :class:`MarksChanged`, and :class:`Loaded` /
    :class:`LoadFailed` as pages arrive. ``/`` filters the loaded rows as you type;
    ``space`` / ``V`` / ``*`` / ``x`` mark rows (by id) for a bulk action.
    """

    BINDINGS: ClassVar[list[BindingType]] = [  # the moves (j/k/g/G...) are ListCanvas's
        Binding("enter,e", "open", "Edit", id="list.open"),
        Binding("s", "open(True)", "Status", id="list.status"),
        Binding("o", "cycle_sort", "Sort", id="list.sort"),
        Binding("O", "flip_sort", "Reverse sort", show=False, id="list.sort_direction"),
        Binding("r", "reload", "Refresh", show=False, id="list.refresh"),
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("space", "mark", "Mark", show=False, id="list.mark"),
        Binding("V", "mark_range", "Mark range", show=False, id="list.mark_range"),
        Binding("asterisk", "mark_all", "Mark all shown", show=False, id="list.mark_all"),
        Binding("x", "clear_marks", "Clear marks", show=False, id="list.clear_marks"),
        Binding("escape", "clear_filter", "Clear filter", id="list.clear_filter"),
        Binding("escape", "end_range", "End range", id="list.end_range"),
    ]

    @dataclass
    class OpportunityHighlighted(Message):
        """The cursor moved onto a loaded row (``index``: its place in the server order)."""

        row: ListRow
        index: int

    @dataclass
    class OpportunitySelected(Message):
        """The user asked to edit an opportunity (enter / e / click; s: its status).

        Carries the list's row only; the receiver loads the full opportunity by id.
        """

        row: ListRow
        index: int
        status: bool = False
        """True when the status picker should open at once."""

    @dataclass
    class MarksChanged(Message):
        """Rows were marked or unmarked; ``count`` opportunities are marked now."""

        count: int

    @dataclass
    class Loaded(Message):
        """A page arrived; ``total`` is the number of matching opportunities."""

        total: int

    @dataclass
    class LoadFailed(Message):
        """A page could not be fetched; ``message`` says why."""

        message: str
        first_page: bool

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source: PageSource | None = None
        """Where pages come from; set by the parent, then call :meth:`reload`."""
        self._unfrozen_rows = 0

    @property
    def total(self) -> int | None:
        """Matching opportunities on the server; None until the first page is here."""
        return self.model.total

    @property
    def cache(self) -> PageCache:
        """The loaded pages of rows."""
        return self.model.cache

    # -- data ------------------------------------------------------------------------

    def reload(self) -> None:
        """Forget every row and fetch the first page again (the list says it is loading).

        Marks and the filter text stay: the filter applies to the new rows as they come.
        """
        generation = self.model.reset()
        self.changed_by = {}  # the rows come fresh from the server
        self.failure = None
        self.cache.loading.add(0)
        self.update_virtual_size()
        self.refresh()
        self.run_worker(
            self._fetch(0, generation, first=True),
            group="list-reload",
            exclusive=True,
            exit_on_error=False,
        )

    def replace(self, opportunity: Opportunity) -> None:
        """Show a newer version of an opportunity in its row, if that row is loaded."""
        keep = self.highlighted_index()
        index = self.model.replace(row_from_opportunity(opportunity))
        if index is not None and self.model.filter.active:
            self.shape_changed(keep)  # the row may match the filter no more, or now
        elif index is not None:
            self.refresh_line(index + 1)

    def apply_live(
        self,
        changed: Sequence[ListRow],
        added: Sequence[ListRow],
        dropped: Collection[str],
        by: Mapping[str, str],
    ) -> None:
        """Show what changed on the server: ``changed`` rows in place, ``added`` at the top,
        ``dropped`` ids gone; ``by``: who changed which (the row shows a mark).

        The cursor stays on its opportunity (at the same height on screen), marks stay.
        """
        if self.total is None:
            return
        row = self.highlighted
        kept_id = row.id if row is not None else None
        height = self.cursor - round(self.scroll_y)
        for new in changed:
            self.model.replace(new)
        if added or dropped:
            self.model.restack(frozenset(dropped), added)
        self.changed_by = {
            **{k: v for k, v in self.changed_by.items() if k not in dropped},
            **by,
        }
        index = self.cache.index_of(kept_id) if kept_id is not None else None
        position = self.model.position_of(index) if index is not None else None
        self.update_virtual_size()
        self.go_to(self.cursor if position is None else position)
        self.scroll_to(y=max(0, self.cursor - height), animate=False, force=True)
        self.refresh()
        self.post_message(self.Loaded(self.total or 0))
        self._announce_cursor()
        self._request_visible()

    def set_drafted(self, ids: frozenset[str]) -> None:
        """Mark the rows that have unsent drafts (repainting only the rows on screen whose
        mark changed: a first keystroke must not redraw the whole list)."""
        if ids == self.drafted:
            return
        changed = ids ^ self.drafted
        self.drafted = ids
        top = int(self.scroll_y)
        for position in range(top, top + self.rows_visible()):
            row = self.model.row_at(position)
            if row is not None and row.id in changed:
                self.refresh_line(position + 1)

    def open_row(self, index: int, status: bool = False) -> None:
        """Highlight row ``index`` (clearing a filter that hides it) and open it."""
        if self.model.position_of(index) is None:
            self.clear_filter()
        self.go_to(self.model.position_of(index) or 0)
        self.action_open(status)

    async def _fetch(self, number: int, generation: int, *, first: bool = False) -> None:
        if self.source is None:
            return
        size = self.cache.page_size
        try:
            page = await self.source(self.order_by, number * size, size)
        except CloseError as exc:
            self._failed(number, str(exc), generation, first)
            return
        except Exception as exc:  # a bug must still end the spinner, with a message
            self._failed(number, f"{type(exc).__name__}: {exc}", generation, first)
            return
        self.page_arrived(number, page, generation, first=first)

    def page_arrived(self, number: int, page: RowPage, generation: int, *, first: bool) -> None:
        """Keep a fetched page (filtered, and marked inside a range) and show it."""
        keep = self.highlighted_index() if self.model.filter.active and not first else None
        marked = len(self.model.marks)
        if not self.model.add_page(number, page, generation):
            return
        self._freeze_rows(len(page.rows))
        self.app.call_after_refresh(self.model.filter.flush)  # its index, once it is shown
        # Unfiltered, rows keep their places: a page arriving must not pull the view
        # back to the cursor (the user may be scrolling with the wheel).
        self.shape_changed(keep, follow=keep is not None)
        self.post_message(self.Loaded(self.total or 0))
        if len(self.model.marks) != marked:
            self.post_message(self.MarksChanged(len(self.model.marks)))
        if first:
            self.go_to(self.cursor)
            self._announce_cursor()
        self._request_visible()

    def _freeze_rows(self, added: int) -> None:
        """Rows live as long as the list: every :data:`FREEZE_EVERY` rows, move them (and
        all else alive) out of the cyclic GC's reach, whose full passes scan every object
        and would pause the app longer with each page loaded. Refcounting still frees the
        rows of a reload (they hold no cycles)."""
        self._unfrozen_rows += added
        if self._unfrozen_rows >= FREEZE_EVERY:
            self._unfrozen_rows = 0
            gc.collect()  # garbage frozen would never be freed: collect it first
            gc.freeze()  # the cost: a cycle alive now but dropped later is never collected

    def _failed(self, number: int, message: str, generation: int, first: bool) -> None:
        if not self.cache.fail(number, message, generation):
            return
        if first:
            self.failure = message
        self.refresh()
        self.post_message(self.LoadFailed(message, first))
        self._request_visible()

    def _request_visible(self) -> None:
        """Fetch the pages on screen, at most :data:`MAX_IN_FLIGHT` at a time.

        Pages scrolled past while others were loading are never fetched: each finished
        fetch looks again at what is on screen now. A filtered view shows loaded rows
        only, so it fetches nothing.
        """
        if self.total is None or self.source is None or self.model.filter.active:
            return
        top = int(self.scroll_y)
        for number in self.cache.missing_pages(top, top + self.rows_visible()):
            if len(self.cache.loading) >= MAX_IN_FLIGHT:
                return
            self.cache.loading.add(number)
            self.run_worker(
                self._fetch(number, self.cache.generation),
                group="list-pages",
                exit_on_error=False,
            )

    # -- canvas hooks ----------------------------------------------------------------

    def view_moved(self) -> None:
        self._request_visible()

    def cursor_moved(self, position: int) -> None:
        marks = self.model.marks
        if marks.range is not None and self.shown:
            had = len(marks)
            marks.move_range(self.model.index_at(position), self.model.ids_in)
            self._marks_changed(had, self.note)
        self._announce_cursor()

    def activate(self) -> None:
        self.action_open()

    def _announce_cursor(self) -> None:
        row = self.highlighted
        if row is not None:
            index = self.model.index_at(self.cursor)
            self.post_message(self.OpportunityHighlighted(row, index))

    def watch_order_by(self) -> None:
        if self.is_mounted and self.source is not None:
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys go to the filter prompt while it is open; esc clears a filter first,
        then ends a range, then does what it does on the screen."""
        if self.prompt is not None:
            return False
        if action == "clear_filter":
            return self.model.filter.active
        if action == "end_range":
            return self.model.marks.range is not None and not self.model.filter.active
        return True

    # -- marks -------------------------------------------------------------------------

    def marked_ids(self) -> tuple[str, ...]:
        """Marked opportunity ids: the loaded ones in list order, then the rest."""
        return self.model.marked_ids()

    def clear_marks(self) -> None:
        """Unmark every row (and stop marking a range)."""
        had = len(self.model.marks)
        self.model.marks.clear()
        self._marks_changed(had, "")

    def mark(self, ids: Iterable[str]) -> None:
        """Mark these opportunities too (e.g. the rows a bulk send could not save)."""
        had = len(self.model.marks)
        self.model.marks.add(ids)
        self._marks_changed(had, "")

    def _marks_changed(self, had: int, note: str) -> None:
        self.note = note
        self.shape_changed()
        self._bindings_may_have_changed()
        if len(self.model.marks) != had:
            self.post_message(self.MarksChanged(len(self.model.marks)))

    # -- actions ---------------------------------------------------------------------

    def action_open(self, status: bool = False) -> None:
        """Edit the highlighted opportunity (``status``: straight to the status picker)."""
        row = self.highlighted
        if row is not None:
            index = self.model.index_at(self.cursor)
            gate = gate_of(self.app)
            if gate is not None:  # the keys typed behind go to the editor once it is there
                gate.hold_for_load()
            self.post_message(self.OpportunitySelected(row, index, status))

    def action_cycle_sort(self) -> None:
        """Sort by the next column Close can order by (a new query)."""
        field = self.order_by.lstrip("-")
        names = [name for name, _ in SORT_FIELDS]
        name, direction = (
            SORT_FIELDS[(names.index(field) + 1) % len(names)]
            if (field in names)
            else SORT_FIELDS[0]
        )
        self.order_by = direction + name

    def action_flip_sort(self) -> None:
        """Reverse the sort direction (a new query)."""
        self.order_by = self.order_by[1:] if self.order_by.startswith("-") else "-" + self.order_by

    def action_reload(self) -> None:
        """Fetch the list again (failed pages included)."""
        self.reload()

    def action_mark(self) -> None:
        """Mark or unmark the highlighted row, then move down."""
        row = self.highlighted
        if row is not None:
            had = len(self.model.marks)
            self.model.marks.end_range()
            self.model.marks.toggle(row.id)
            self._marks_changed(had, "")
            self.go_to(self.cursor + 1)

    def action_mark_range(self) -> None:
        """Start marking a range at the cursor (moving marks the rows passed); again: stop."""
        marks, had = self.model.marks, len(self.model.marks)
        if marks.range is not None:
            marks.end_range()
        elif self.shown:
            row = self.highlighted
            marks.start_range(self.model.index_at(self.cursor), row.id if row else None)
        self._marks_changed(had, "")

    def action_end_range(self) -> None:
        """Stop marking a range (its marks stay)."""
        self.model.marks.end_range()
        self._marks_changed(len(self.model.marks), "")

    def action_mark_all(self) -> None:
        """Mark every row shown: the filter's matches, else every loaded row."""
        had = len(self.model.marks)
        note = self.model.mark_shown()
        self._marks_changed(had, note)

    def action_clear_marks(self) -> None:
        """Unmark every row."""
        self.clear_marks()
