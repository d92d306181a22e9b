"""Planning a bulk change: one draft applied to many opportunities, row by row (pure)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeAlias

from closetui.api.models import Opportunity
from closetui.edits import Draft, DraftError, FieldProblem, OrgSchema, build_update_body
from closetui.state.history import Revert


@dataclass(frozen=True)
class Job:
    """One ``PUT /opportunity/{id}/`` of a bulk send."""

    opportunity_id: str
    body: Mapping[str, Any]
    lead_name: str | None = None
    before: Opportunity | None = field(default=None, repr=False)
    """The opportunity the body was built against (history's "before", stale guard)."""
    draft: Draft | None = field(default=None, repr=False)
    """The draft behind the body, when there is one (re-planning, checking unknowns)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "body", MappingProxyType(dict(self.body)))

    @property
    def based_on(self) -> datetime | None:
        """``date_updated`` of :attr:`before`: what the stale guard compares with."""
        return self.before.date_updated if self.before is not None else None


@dataclass(frozen=True)
class Unchanged:
    """A row the draft would not change (already in that state): nothing to send."""

    opportunity: Opportunity


@dataclass(frozen=True)
class Invalid:
    """A row the draft cannot be applied to, with the reasons by field key."""

    opportunity: Opportunity
    problems: Mapping[str, str]

    @property
    def message(self) -> str:
        """The reasons as one line."""
        return "; ".join(self.problems.values())


PlanRow: TypeAlias = Job | Unchanged | Invalid
"""What planning made of one opportunity."""

DraftFor: TypeAlias = Draft | Callable[[Opportunity], Draft | FieldProblem]
"""The same draft for every row, or a function building one per opportunity."""


@dataclass(frozen=True)
class BulkPlan:
    """The rows of a planned bulk change, in the order of the opportunities given."""

    rows: tuple[PlanRow, ...]

    @property
    def jobs(self) -> list[Job]:
        """The rows to send."""
        return [r for r in self.rows if isinstance(r, Job)]

    @property
    def unchanged(self) -> list[Unchanged]:
        """Rows with nothing to send."""
        return [r for r in self.rows if isinstance(r, Unchanged)]

    @property
    def invalid(self) -> list[Invalid]:
        """Rows refused before sending, with their reasons."""
        return [r for r in self.rows if isinstance(r, Invalid)]

    def summary(self) -> str:
        """``12 to send, 3 unchanged, 1 invalid``: the confirmation line."""
        parts = [f"{len(self.jobs)} to send"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} unchanged")
        if self.invalid:
            parts.append(f"{len(self.invalid)} invalid")
        return ", ".join(parts)


def plan_row(opportunity: Opportunity, draft: Draft, schema: OrgSchema) -> PlanRow:
    """One opportunity: its job, or why there is none (validation via the edits layer)."""
    try:
        body = build_update_body(opportunity, draft, schema)
    except DraftError as exc:
        return Invalid(opportunity, MappingProxyType(dict(exc.problems)))
    if not body:
        return Unchanged(opportunity)
    return Job(opportunity.id, body, opportunity.lead_name, opportunity, draft)


def plan_bulk(opportunities: Iterable[Opportunity], draft: DraftFor, schema: OrgSchema) -> BulkPlan:
    """Apply ``draft`` (or ``draft(opportunity)``) to each opportunity: the minimal body
    per row, rows that would not change skipped, rows that fail validation reported."""
    rows: list[PlanRow] = []
    for opportunity in opportunities:
        row_draft = draft(opportunity) if callable(draft) else draft
        if isinstance(row_draft, FieldProblem):
            rows.append(Invalid(opportunity, MappingProxyType({"": row_draft.message})))
        else:
            rows.append(plan_row(opportunity, row_draft, schema))
    return BulkPlan(tuple(rows))


def replan(jobs: Sequence[Job], fresh: Mapping[str, Opportunity], schema: OrgSchema) -> BulkPlan:
    """The same drafts against fresh opportunities (ids missing from ``fresh``, or jobs
    without a draft, keep their job as it was)."""
    rows: list[PlanRow] = []
    for job in jobs:
        opportunity = fresh.get(job.opportunity_id)
        if opportunity is None or job.draft is None:
            rows.append(job)
        else:
            rows.append(plan_row(opportunity, job.draft, schema))
    return BulkPlan(tuple(rows))


def plan_revert(reverts: Iterable[Revert]) -> list[Job]:
    """Jobs that undo a history entry or batch (from :func:`closetui.state.revert_entries`).

    Each job's ``before`` is the state the undo expects, so the stale guard can tell when
    someone changed the row since; rows with nothing to undo are left out.
    """
    return [Job(r.opportunity_id, r.body, r.lead_name, r.current) for r in reverts if r.body]
