"""Undoing history: the body that puts back what an entry or a batch changed."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from closetui.state.history import Revert

if TYPE_CHECKING:
    from closetui.edits import OrgSchema
    from closetui.state.history import HistoryEntry


def revert_body(entry: HistoryEntry, schema: OrgSchema) -> dict[str, Any] | None:
    """The body that undoes an accepted entry (None when it cannot be built: the request
    failed, or the opportunity before/after is unknown). Send it for
    ``entry.opportunity_id``; an empty body means nothing to undo."""
    from closetui.edits import build_revert_body

    if not entry.ok or not _has_models(entry):
        return None
    before, after = entry.before_opportunity(), entry.after_opportunity()
    assert before is not None
    assert after is not None
    return build_revert_body(before, after, schema)


def revert_entries(entries: Iterable[HistoryEntry], schema: OrgSchema) -> list[Revert]:
    """One revert per opportunity for a batch (or any entries): back to the earliest
    ``before``, built against the latest ``after``. Failed or unknown rows are skipped."""
    from closetui.edits import build_revert_body, revert_gaps

    usable = [e for e in entries if e.ok and e.opportunity_id and _has_models(e)]
    usable.sort(key=lambda e: e.id)
    reverts: list[Revert] = []
    for opp_id, group in itertools.groupby(
        sorted(usable, key=lambda e: (e.opportunity_id or "", e.id)),
        key=lambda e: e.opportunity_id or "",
    ):
        rows = list(group)
        before, after = rows[0].before_opportunity(), rows[-1].after_opportunity()
        assert before is not None
        assert after is not None
        reverts.append(
            Revert(
                opportunity_id=opp_id,
                lead_name=rows[-1].lead_name,
                body=build_revert_body(before, after, schema),
                current=after,
                gaps=revert_gaps(before, after, schema),
                entry_ids=tuple(e.id for e in rows),
            )
        )
    order: dict[str | None, int] = {}
    for index, entry in enumerate(usable):
        order.setdefault(entry.opportunity_id, index)
    return sorted(reverts, key=lambda r: order[r.opportunity_id])


def _has_models(entry: HistoryEntry) -> bool:
    """True when the entry's before and after are both known and read as opportunities
    (a stored ``after`` may be a partial answer, or a hand-edited file anything)."""
    if not entry.before or not entry.after:
        return False
    try:
        entry.before_opportunity()
        entry.after_opportunity()
    except ValueError:  # pydantic's ValidationError
        return False
    return True
