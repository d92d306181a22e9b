"""Their change beside my draft, as the stale dialog and the edit pane's notice show it."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from closetui.bulk import StaleChange
    from closetui.display.changes import StaleRow


def stale_intro(stale: StaleChange, conflicts: Collection[str]) -> str:
    """Who changed it, when, and how many of the draft's fields clash with theirs."""
    who = stale.current.updated_by_name or "someone else"
    when = stale.current.date_updated
    stamp = f" at {when:%Y-%m-%d %H:%M} UTC" if when is not None else ""
    unknown = "" if stale.changed_fields else " (which fields is not known)"
    clash = (
        f" {len(conflicts)} of your fields clash with theirs (marked !)."
        if conflicts
        else " None of your fields clash with theirs."
    )
    return f"Changed by {who}{stamp}{unknown}.{clash}"


def stale_table(rows: list[StaleRow]) -> Table | Text:
    """Their change beside mine: field, before, theirs now, mine (clashes marked !)."""
    if not rows:
        return Text("No field differs that closetui knows of.", "dim")
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("", no_wrap=True)
    table.add_column("Field", no_wrap=True)
    table.add_column("Before")
    table.add_column("Theirs now")
    table.add_column("Mine")
    for row in rows:
        style = "bold reverse" if row.conflict else ""
        mark = "!" if row.conflict else ("*" if row.changed_by_them else "")
        theirs = row.theirs if row.changed_by_them else "(unchanged)"
        table.add_row(
            Text(mark, style),
            Text(row.label, style),
            Text(row.base),
            Text(theirs, "bold" if row.changed_by_them else "dim"),
            Text(f"→ {row.mine}" if row.mine else "", "bold" if row.mine else ""),
        )
    return table
