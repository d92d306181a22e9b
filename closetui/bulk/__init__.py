"""Bulk changes: plan one draft over many opportunities, send paced, guard against stale edits.

No textual, no rich. The UI plans with :func:`plan_bulk`, sends with :func:`send_bulk`
(in a worker, with an ``asyncio.Event`` to cancel), shows rows as ``on_row`` reports them,
and offers :func:`retry_failed` / :func:`verify_unknown` afterwards.
"""

from closetui.bulk.pacer import NotStarted, Pacer
from closetui.bulk.plan import (
    BulkPlan,
    DraftFor,
    Invalid,
    Job,
    PlanRow,
    Unchanged,
    plan_bulk,
    plan_revert,
    plan_row,
    replan,
)
from closetui.bulk.results import (
    DEFAULT_CONCURRENCY,
    BulkResult,
    OnRow,
    Outcome,
    RowResult,
    new_batch_id,
)
from closetui.bulk.send import retry_failed, send_bulk, send_stale_anew, verify_unknown
from closetui.bulk.stale import (
    Rebased,
    StaleChange,
    changed_fields,
    check_stale,
    fetch_opportunity,
    rebase,
    stale_change,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "BulkPlan",
    "BulkResult",
    "DraftFor",
    "Invalid",
    "Job",
    "NotStarted",
    "OnRow",
    "Outcome",
    "Pacer",
    "PlanRow",
    "Rebased",
    "RowResult",
    "StaleChange",
    "Unchanged",
    "changed_fields",
    "check_stale",
    "fetch_opportunity",
    "new_batch_id",
    "plan_bulk",
    "plan_revert",
    "plan_row",
    "rebase",
    "replan",
    "retry_failed",
    "send_bulk",
    "send_stale_anew",
    "stale_change",
    "verify_unknown",
]
