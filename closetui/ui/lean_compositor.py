"""A compositor whose partial updates redraw only the lines that changed.

Textual's ``Compositor.render_partial_update`` takes the bounding box of every changed
region and renders, in full, each widget that overlaps that box. On the main screen a
keystroke changes the field's input line and a few preview lines a dozen rows below, so
the box spans half the screen and ~20 widgets (the whole edit pane, labels, the list's
scrollbar...) are composed again, every line of each, to repaint three lines.

:class:`LeanCompositor` composes the same chops (the same ``ChopsUpdate``) from only
the changed lines, and on each of those only the widgets that show through: it walks
the widgets front to back, as Textual does, and stops asking for a widget's line once
the widgets above it have covered every changed cell of that line. Full updates (after
a layout or a resize) are Textual's own.
"""

from __future__ import annotations

from itertools import groupby, pairwise
from typing import TYPE_CHECKING

from textual._compositor import ChopsUpdate, Compositor, CompositorMap, ReflowResult
from textual.geometry import Region, Size
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

Chops = list[dict[int, Strip | None]]


NOWHERE = Region(0, 0, 0, 0)


def _as_now(full: CompositorMap, visible: CompositorMap) -> CompositorMap:
    """The full map from before a scroll, brought up to date with the visible map made
    by the scroll: visible widgets where they are now (in the full map's paint order,
    which a visible-only arrangement numbers differently), the others drawn nowhere
    (a widget missing from the visible map is off screen now, wherever it was). A
    widget only the scroll has placed stays out, new to the layout as Textual has it
    (it is told it is shown)."""
    now: CompositorMap = {}
    for widget, geometry in full.items():
        seen = visible.get(widget)
        if seen is None:
            now[widget] = geometry._replace(clip=NOWHERE)
        else:
            now[widget] = seen._replace(order=geometry.order)
    return now


class LeanCompositor(Compositor):
    """``Compositor`` with a partial update that renders only the changed lines."""

    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        """Lay the screen out; only widgets that moved or changed size are repainted.

        Scrolling updates the map of the visible widgets alone (Textual's fast path),
        and a later layout compared its result with the map from before the scroll:
        every widget in a scrolled pane counted as moved and was drawn again, every
        line of it (the first keystroke in a scrolled editor repainted the whole pane).
        Here the layout is compared with where the widgets are now.
        """
        if self._visible_map is not None:  # the last arrangement was a scroll's
            self._full_map = _as_now(self._full_map, self._visible_map)
        return super().reflow(parent, size)

    def render_partial_update(self) -> ChopsUpdate | None:
        """The changed spans of the screen, composed from the widgets visible there."""
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        screen = self.size.region
        regions = [region.intersection(screen) for region in update_regions]
        spans = list(self._regions_to_spans(region for region in regions if region))
        if not spans:
            return None
        cuts = self.cuts
        chops: Chops = [{} for _ in cuts]
        # The chops (start x of each cut on the line) each changed span covers; a chop
        # is None until the front-most widget there has drawn it.
        wanted: dict[int, list[int]] = {}
        for y, x1, x2 in spans:
            line_cuts = cuts[y]
            chops[y] = dict.fromkeys(line_cuts[:-1])
            starts = wanted.setdefault(y, [])
            starts += [x for x, end in pairwise(line_cuts) if x < x2 and end > x1]
        self._compose(chops, wanted)
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in cuts])

    def _compose(self, chops: Chops, wanted: dict[int, list[int]]) -> None:
        """Fill the wanted chops, front-most widget first (Textual's order)."""
        top = min(wanted)
        bottom = max(wanted) + 1
        cuts = self.cuts
        for widget, (region, clip) in self.visible_widgets.items():
            if not wanted:
                return
            shown = region.intersection(clip)
            x, y, width, height = shown
            if not width or y >= bottom or y + height <= top:
                continue
            right = x + width
            # The lines of this widget where a chop it covers is still empty.
            lines = [
                line
                for line in range(max(y, top), min(y + height, bottom))
                if any(x <= start < right for start in wanted.get(line, ()))
            ]
            # Consecutive lines are rendered together (one call per run of lines).
            for _, run in groupby(enumerate(lines), key=lambda item: item[1] - item[0]):
                rows = [line for _, line in run]
                strips = widget.render_lines(
                    Region(x - region.x, rows[0] - region.y, width, len(rows))
                )
                for line, strip in zip(rows, strips, strict=True):
                    self._fill(chops[line], cuts[line], wanted, line, x, right, strip)

    @staticmethod
    def _fill(
        chops_line: dict[int, Strip | None],
        line_cuts: list[int],
        wanted: dict[int, list[int]],
        line: int,
        x: int,
        right: int,
        strip: Strip,
    ) -> None:
        """Divide one rendered line at the cuts; keep the pieces no widget above drew."""
        final_cuts = [cut for cut in line_cuts if right >= cut >= x]
        pieces = strip.divide([cut - x for cut in final_cuts[1:]])
        for cut, piece in zip(final_cuts, pieces, strict=False):
            if chops_line.get(cut) is None:
                chops_line[cut] = piece
        remaining = [start for start in wanted[line] if chops_line.get(start) is None]
        if remaining:
            wanted[line] = remaining
        else:
            del wanted[line]
