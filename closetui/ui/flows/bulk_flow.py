"""Acting on many from the main screen: bulk edit of the marked rows, quick row actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Protocol

from closetui.api.errors import CloseError
from closetui.api.query import OpportunityQuery
from closetui.bulk import BulkPlan, BulkResult, DraftFor, plan_bulk, send_bulk
from closetui.bulk.fetch import Fetched, OnReadProgress, fetch_listed
from closetui.bulk.ops import plan_notes
from closetui.bulk.quick import QUICK_LABELS, QuickAction, quick_drafts
from closetui.ui.board.board import PipelineBoard
from closetui.ui.flows.revert_flow import apply_result
from closetui.ui.key_gate import gate_of
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.screens.review import plan_skipped, plural
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.ui.flows.host import FlowHost


class Marked(Protocol):
    """Where the marks are: the list, or the board's cards."""

    def marked_ids(self) -> tuple[str, ...]:
        """The marked opportunities' ids."""
        ...

    def clear_marks(self) -> None:
        """Unmark everything."""
        ...

    def mark(self, ids: Iterable[str]) -> None:
        """Mark these too."""
        ...


def _refuse(main: FlowHost) -> str | None:
    """Why nothing may be sent from ``main`` now (None: go ahead)."""
    if main.connection.read_only:
        return "Read-only connection: nothing is sent."
    if main.reference is None:
        return "Still loading the organisation's fields; try again in a moment."
    return None


# -- bulk edit ---------------------------------------------------------------------------


def _marked(count: int) -> str:
    """``1 marked opportunity`` / ``3 marked opportunities``."""
    return f"{count:,} marked opportunit{'y' if count == 1 else 'ies'}"


def start_bulk_edit(main: FlowHost, marked: Marked | None = None) -> None:
    """Read the marked rows (of ``marked``: the board's cards; default the list's) in
    full, then open the composer (review and send follow)."""
    status = main.query_one(StatusLine)
    reason = _refuse(main)
    if reason is not None:
        status.show(reason, "error")
        return
    if main.is_sending:
        status.show("Requests are on their way; bulk edit once they have answered.", "warning")
        return
    source = main.query_one(OpportunityList) if marked is None else marked
    ids = source.marked_ids()
    if not ids:
        status.show(
            "Nothing marked: space marks a row, V a range, * every row shown; then b.", "warning"
        )
        return
    gate = gate_of(main.app)
    # The keys typed behind b wait for the composer (escape: not opened, keys dropped).
    ticket = gate.hold_for_load(partial(_cancel_read, main)) if gate is not None else 0
    main.run_worker(
        _read_marked(main, ids, ticket, source),
        group="bulk-read",
        exclusive=True,
        exit_on_error=False,
    )


def _cancel_read(main: FlowHost) -> None:
    main.workers.cancel_group(main, "bulk-read")
    main.query_one(StatusLine).show("Bulk edit not opened: nothing sent.")


async def _read_marked(main: FlowHost, ids: tuple[str, ...], ticket: int, source: Marked) -> None:
    try:
        await _read_and_compose(main, ids, source)
    finally:
        gate = gate_of(main.app)
        if gate is not None:
            gate.drop(ticket)  # no composer came (an error, a cancel): the keys go nowhere


async def _read_and_compose(main: FlowHost, ids: tuple[str, ...], source: Marked) -> None:
    from closetui.ui.screens.bulk_edit import BulkEditScreen

    status = main.query_one(StatusLine)
    status.show(f"Reading {_marked(len(ids))} in full…")

    def progress(done: int, count: int, unit: str) -> None:
        status.show(f"Reading the marked opportunities… {done:,}/{count:,} {unit}")

    # The pages that hold marks, read again with their own query and order (the list's,
    # or each board column's): a request reads a page of full rows; a mark not found
    # there (marked under another filter, moved since) is read on its own.
    listing = main.query_one(OpportunityList)
    if isinstance(source, PipelineBoard):
        fetched = await _read_cards(main, source, ids, progress)
    else:
        cache = listing.cache
        where = {row.id: index for index, row in cache.loaded()}
        pages = sorted({cache.page_of(where[i]) for i in ids if i in where})
        query = main.active_filter.for_page(listing.order_by)
        fetched = await fetch_listed(
            main.tui.client, ids, query, pages, page_size=cache.page_size, on_progress=progress
        )
    if not fetched.opportunities:
        status.show(f"Bulk edit not opened: {fetched.summary()}.", "error")
        return
    assert main.reference is not None
    title = f"Bulk edit · {_marked(len(fetched.opportunities))}"
    if fetched.failures:
        title += f" ({len(fetched.failures)} could not be read and are left out)"
        status.show(f"{fetched.summary()}.", "warning")
    else:
        status.show("Compose the change; ctrl+r reviews every request before sending.")
    screen = BulkEditScreen(fetched.opportunities, main.reference.schema, title=title)
    main.app.push_screen(screen, partial(_composed, main, fetched.guard_since(), source))


async def _read_cards(
    main: FlowHost, board: PipelineBoard, ids: tuple[str, ...], progress: OnReadProgress
) -> Fetched:
    """The board's marked cards: each column's pages that hold marks, read again with the
    column's query; the marks on none of them read one by one."""
    marked, parts = set(ids), []
    for column in board.columns:
        where = {row.id: index for index, row in column.cache.loaded() if row.id in marked}
        query = main.column_query(column.status.id)
        if not where or query is None:
            continue
        pages = sorted({column.cache.page_of(index) for index in where.values()})
        size = column.cache.page_size
        parts.append(
            await fetch_listed(
                main.tui.client, list(where), query, pages, page_size=size, on_progress=progress
            )
        )
        marked -= set(where)
    if marked:  # on no page read: one GET each
        rest = [i for i in ids if i in marked]
        parts.append(await fetch_listed(main.tui.client, rest, OpportunityQuery(), []))
    return Fetched.joined(parts, ids)


def _composed(
    main: FlowHost, guard_since: Mapping[str, datetime], source: Marked, plan: BulkPlan | None
) -> None:
    from closetui.ui.screens.review import ReviewScreen

    if plan is None:
        main.query_one(StatusLine).show("Bulk edit cancelled: nothing sent.")
        return
    assert main.reference is not None
    schema = main.reference.schema
    title = f"Bulk edit: {plural(len(plan.jobs), 'request')}"
    notes = [plan.summary(), *plan_notes(plan, schema)]
    review = ReviewScreen(
        title, plan.jobs, schema, main.tui.client, skipped=plan_skipped(plan), notes=notes
    )
    main.app.push_screen(review, partial(_confirmed, main, plan, title, guard_since, source))


def _confirmed(
    main: FlowHost,
    plan: BulkPlan,
    title: str,
    guard_since: Mapping[str, datetime],
    source: Marked,
    go: bool | None,
) -> None:
    from closetui.ui.screens.bulk_progress import BulkProgressScreen

    if not go:
        main.query_one(StatusLine).show("Bulk edit cancelled at review: nothing sent.")
        return
    schema = main.reference.schema if main.reference is not None else None
    progress = BulkProgressScreen(
        title,
        plan.jobs,
        main.tui.client,
        history=main.history.history,
        schema=schema,
        guard_since=guard_since,
    )
    main.app.push_screen(progress, partial(_finished, main, source))


def _finished(main: FlowHost, source: Marked, result: BulkResult | None) -> None:
    status = main.query_one(StatusLine)
    if result is None:
        status.show("Bulk edit closed.")
        return
    apply_result(main, result)
    trouble = [r.job.opportunity_id for r in result.rows if r.outcome != "ok"]
    source.clear_marks()
    source.mark(trouble)
    if trouble:
        status.show(
            f"Bulk edit: {result.summary()}. The {plural(len(trouble), 'row')} not saved "
            "stay marked; u undoes the saved ones.",
            "warning",
        )
    else:
        status.show(f"Bulk edit: {result.summary()}. u undoes it as one batch.", "success")


# -- quick actions -------------------------------------------------------------------------


def quick_action(main: FlowHost, action: QuickAction) -> None:
    """Apply ``action`` to the list's current row and move to the next row at once."""
    status = main.query_one(StatusLine)
    reason = _refuse(main)
    if reason is not None:
        status.show(reason, "error")
        return
    listing = main.query_one(OpportunityList)
    row = listing.highlighted
    if row is None:
        status.show("No row here yet (still loading).", "warning")
        return
    listing.action_cursor_down()
    assert main.reference is not None
    label = QUICK_LABELS[action]
    status.show(f"{label}: {row.lead_name} …")
    drafts = quick_drafts(action, main.reference.schema)
    main.run_worker(
        send_now(main, row.id, row.lead_name, label, drafts),
        group="bulk",  # counted by SendActions.is_sending: never cut off mid-request
        exit_on_error=False,
    )


async def send_now(main: FlowHost, opp_id: str, lead: str, label: str, drafts: DraftFor) -> None:
    """Read one opportunity again, plan ``drafts`` on it and send it at once, kept in the
    history (``u`` undoes it); the status line says what happened, prefixed ``label``.
    ``W``/``L`` and a board move sent at once go this way."""
    status = main.query_one(StatusLine)
    assert main.reference is not None
    schema = main.reference.schema
    try:
        current = await main.tui.client.get_opportunity(opp_id)
    except CloseError as exc:
        status.show(f"{label}: could not read {lead}: {exc}. Nothing sent.", "error")
        return
    plan = plan_bulk([current], drafts, schema)
    if plan.invalid:
        status.show(f"{label}: {lead}: {plan.invalid[0].message}", "error")
        return
    if not plan.jobs:
        status.show(f"{label}: {lead} is already so; nothing sent.")
        main.show_newer(current)
        return
    # An unclear answer is settled inside send_bulk, by reading the opportunity again.
    history = main.history.history
    result = await send_bulk(main.tui.client, plan.jobs, history=history, schema=schema)
    (row,) = result.rows
    if row.outcome == "ok" and row.opportunity is not None:
        main.show_newer(row.opportunity)
        after = row.opportunity
        won = f", date_won {after.date_won.isoformat()}" if after.date_won else ""
        checked = f" ({row.message})" if row.message else ""
        status.show(
            f"{label}: {lead} → {schema.status_name(after.status_id)}{won}{checked} · u undoes",
            "success",
        )
    elif row.outcome == "unknown":
        status.show(f"{label}: {lead}: unknown whether it was saved: {row.message}", "error")
    else:
        status.show(f"{label}: {lead} not saved: {row.message or row.outcome}", "error")
