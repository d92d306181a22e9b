"""Undo from history: the last change (``u``) or any entry or batch, via review and progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from closetui.bulk import BulkResult, Job, plan_revert
from closetui.edits import Draft, revert_draft
from closetui.session.connection_history import UndoTarget, undoable
from closetui.state import Revert, revert_entries
from closetui.ui.screens.review import plural
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits import OrgSchema
    from closetui.ui.flows.host import FlowHost


def undo_last(main: FlowHost) -> None:
    """Undo the newest change of this connection (a whole batch when it was a bulk send)."""
    status = main.query_one(StatusLine)
    if main.connection.read_only:
        status.show("Read-only connection: nothing is sent.", "error")
        return
    entries, problems = main.history.load()
    for problem in problems:
        main.notify(problem, title="History", severity="warning", markup=False)
    target = main.history.last_change(entries)
    if target is None:
        status.show(
            "Nothing to undo: no accepted change from this connection is left to undo "
            "(f8 shows the history).",
            "warning",
        )
        return
    start_revert(main, target)


def open_history(main: FlowHost) -> None:
    """Open the history screen (browse only on a read-only connection)."""
    from closetui.ui.screens.history import HistoryScreen

    schema = main.reference.schema if main.reference is not None else None
    reverter = None if main.connection.read_only else partial(start_revert, main)
    screen = HistoryScreen(
        main.history, schema, credential=main.connection.credential, reverter=reverter
    )
    main.app.push_screen(screen)


def start_revert(
    main: FlowHost, target: UndoTarget, on_done: Callable[[], None] | None = None
) -> None:
    """Review the requests that undo ``target``; send them (stale rows held back)."""
    from closetui.ui.screens.review import ReviewScreen

    status = main.query_one(StatusLine)
    if main.connection.read_only:
        status.show("Read-only connection: nothing is sent.", "error")
        return
    if main.is_sending:
        status.show("An update is on its way; undo once it has answered.", "warning")
        return
    if main.reference is None:
        status.show("Still loading the organisation's fields; try again in a moment.", "warning")
        return
    schema = main.reference.schema
    reverts = revert_entries(target.entries, schema)
    jobs = with_drafts(plan_revert(reverts), target, schema)
    skipped, notes = _not_undone(target, reverts)
    if not jobs:
        reason = "; ".join([*skipped, *notes]) or "no accepted change to put back"
        status.show(f"Nothing to undo: {reason}.", "warning")
        return
    batch = f" (a batch of {plural(len(target.entries), 'sent request')})"
    title = f"Undo: {plural(len(jobs), 'request')}" + (batch if len(target.entries) > 1 else "")
    client = main.tui.client
    review = ReviewScreen(title, jobs, schema, client, skipped=skipped, notes=notes)
    main.app.push_screen(review, partial(_confirmed, main, target, jobs, title, on_done))


def with_drafts(jobs: list[Job], target: UndoTarget, schema: OrgSchema) -> list[Job]:
    """Each undo job with the draft behind its body (back to the earliest ``before``), so
    that an unclear answer can be settled by comparing a re-read with it."""
    first: dict[str, Opportunity] = {}
    for entry in sorted(target.entries, key=lambda e: e.id):
        before = entry.before_opportunity() if undoable(entry) else None
        if before is not None and entry.opportunity_id:
            first.setdefault(entry.opportunity_id, before)
    return [
        replace(job, draft=revert_draft(first[job.opportunity_id], job.before, schema))
        if job.before is not None and job.opportunity_id in first
        else job
        for job in jobs
    ]


def _not_undone(target: UndoTarget, reverts: list[Revert]) -> tuple[list[str], list[str]]:
    """Rows left out (with why), and fields that cannot be restored."""
    skipped = [
        f"{entry.lead_name or entry.opportunity_id}: {entry.method} "
        f"{entry.status or 'without answer'} was not accepted; nothing to undo"
        for entry in target.entries
        if not undoable(entry)
    ]
    skipped += [
        f"{r.lead_name or r.opportunity_id}: nothing to undo, it is as it was"
        for r in reverts
        if not r.body
    ]
    notes = [
        f"{r.lead_name or r.opportunity_id}: cannot restore — {why}"
        for r in reverts
        for why in r.gaps.values()
    ]
    return skipped, notes


def _confirmed(
    main: FlowHost,
    target: UndoTarget,
    jobs: list[Job],
    title: str,
    on_done: Callable[[], None] | None,
    go: bool | None,
) -> None:
    from closetui.ui.screens.bulk_progress import BulkProgressScreen

    if not go:
        main.query_one(StatusLine).show("Undo cancelled: nothing sent.")
        if on_done is not None:
            on_done()
        return
    schema = main.reference.schema if main.reference is not None else None
    progress = BulkProgressScreen(
        title,
        jobs,
        main.tui.client,
        history=main.history.history,
        schema=schema,
        guard_stale=True,
        reverts=target.reverts,
    )
    main.app.push_screen(progress, partial(_finished, main, on_done))


def _finished(
    main: FlowHost, on_done: Callable[[], None] | None, result: BulkResult | None
) -> None:
    if result is not None:
        apply_result(main, result)
        trouble = result.failed or result.unknown or result.stale or result.not_sent
        main.query_one(StatusLine).show(
            f"Undo: {result.summary()}.", "warning" if trouble else "success"
        )
    if on_done is not None:
        on_done()


def apply_result(main: FlowHost, result: BulkResult, *, drop_drafts: bool = False) -> None:
    """Show what a bulk send left on the server: saved rows (and rows someone else
    changed) get their new version in the list and the open editor. ``drop_drafts``
    also forgets the drafts of the saved rows (a bulk edit that applied them)."""
    for row in result.rows:
        if row.opportunity is None or row.outcome not in ("ok", "stale"):
            continue
        if drop_drafts and row.outcome == "ok":
            main.show_newer(row.opportunity, draft=Draft(), new_base=True)
        else:
            main.show_newer(row.opportunity)
