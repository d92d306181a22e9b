"""Export rows…: the marked rows, else every row the list shows (loading the rest first)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from closetui.api.errors import CloseError
from closetui.export import Row
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.screens.export_prompt import Exported, ExportScreen, ExportStopped, Progress
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.ui.flows.host import FlowHost
    from closetui.ui.list.rows import ListRow


def row_of(row: ListRow) -> Row:
    """The export row of a list row (:data:`closetui.export.COLUMNS`)."""
    return {
        "id": row.id,
        "lead_name": row.lead_name,
        "status": row.status_label or row.status_id,
        "status_type": row.status_type,
        "value": row.value,
        "value_currency": row.value_currency,
        "value_period": row.value_period,
        "confidence": row.confidence,
        "owner": row.user_name,
        "date_won": row.date_won,
        "date_updated": row.date_updated,
    }


def default_path(host: FlowHost) -> Path:
    """``closetui-opportunities-YYYY-MM-DD.csv`` in the downloads folder (else here)."""
    name = f"closetui-opportunities-{host.tui.now().date().isoformat()}.csv"
    folder = platformdirs.user_downloads_path()
    return (folder if folder.is_dir() else Path.cwd()) / name


def describe(listing: OpportunityList) -> str:
    """Which rows an export would write, in words."""
    marked = set(listing.marked_ids())
    if marked:
        loaded = sum(row.id in marked for _, row in listing.cache.loaded())
        left = len(marked) - loaded
        gone = f" ({left:,} marked earlier are not in this list: left out)" if left else ""
        return f"the {loaded:,} marked row{'s' * (loaded != 1)}{gone}"
    total = listing.total or 0
    loaded = len(listing.cache.loaded())
    rest = f" ({loaded:,} loaded: the rest are loaded first)" if loaded < total else ""
    if listing.model.filter.active:
        return f"the rows the / filter shows out of {total:,}{rest}"
    return f"all {total:,} rows{rest}"


async def load_every_page(listing: OpportunityList, progress: Progress) -> None:
    """Fetch the pages the list has not loaded, one at a time, into the list itself (so the
    export and the list agree); ExportStopped when a page fails or the list reloads."""
    cache = listing.cache
    generation = cache.generation
    source = listing.source
    if source is None:
        raise ExportStopped("The list has no rows to load.")
    while True:
        if cache.generation != generation:
            raise ExportStopped("The list was reloaded meanwhile: nothing exported.")
        total = cache.total or 0
        progress(len(cache.loaded()), total)
        if cache.errors:
            raise ExportStopped(f"A page could not be loaded: {next(iter(cache.errors.values()))}")
        missing = cache.missing_pages(0, total)
        if not missing:
            if not cache.loading:
                return
            await asyncio.sleep(0.05)  # pages the list itself is fetching: let them land
            continue
        number = missing[0]
        size = cache.page_size
        cache.loading.add(number)  # the list does not fetch it too
        try:
            page = await source(listing.order_by, number * size, size)
        except Exception as exc:  # any failure ends in words in the dialog, never a hang
            why = str(exc) if isinstance(exc, CloseError) else f"{type(exc).__name__}: {exc}"
            raise ExportStopped(f"A page could not be loaded: {why}") from None
        finally:  # also when esc cancels: the list must be free to fetch the page again
            if cache.generation == generation:
                cache.loading.discard(number)
        listing.page_arrived(number, page, generation, first=False)


async def collect_rows(listing: OpportunityList, progress: Progress) -> Sequence[Row]:
    """The marked rows (those loaded), else the rows the filter shows, else every row."""
    marked = set(listing.marked_ids())
    if marked:
        return [row_of(row) for _, row in listing.cache.loaded() if row.id in marked]
    await load_every_page(listing, progress)
    model = listing.model
    if model.filter.active:
        found = (model.cache.row(index) for index in model.filter.hits)
        return [row_of(row) for row in found if row is not None]
    return [row_of(row) for _, row in model.cache.loaded()]


def start_export(host: FlowHost) -> None:
    """Ask for a file and export to it; the status line says where and how many."""
    listing = host.query_one(OpportunityList)
    if not listing.total and not listing.marked_ids():
        host.query_one(StatusLine).show("No rows to export.", "warning")
        return
    screen = ExportScreen(default_path(host), describe(listing), partial(collect_rows, listing))
    host.app.push_screen(screen, partial(_done, host))


def _done(host: FlowHost, result: Exported | None) -> None:
    status = host.query_one(StatusLine)
    if result is None:
        status.show("Export cancelled: nothing written.")
        return
    status.show(f"Exported {result.rows:,} rows to {result.path}", "success")
