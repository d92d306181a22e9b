"""The single send's safety net: the stale-edit guard before the PUT, and its three choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from closetui.api.client import CloseClient
from closetui.api.errors import NotFound
from closetui.api.models import Opportunity
from closetui.bulk import Rebased, StaleChange, check_stale, rebase
from closetui.edits import OrgSchema
from closetui.session.edit_state import EditState
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.ui.flows.host import FlowHost
    from closetui.ui.screens.stale import StaleChoice

Base = Opportunity | datetime | None
"""What a draft was made against: the opportunity, or only its ``date_updated``."""


@dataclass(frozen=True)
class Checked:
    """The outcome of the guard: send against ``before``, ask about ``stale``, or stop."""

    before: Opportunity | None = None
    """The version the PUT will apply to (when nobody changed it)."""
    stale: StaleChange | None = None
    """Someone changed it since the draft's base."""
    problem: str | None = None
    """The fresh read failed: do not send blind."""


async def check_before_send(client: CloseClient, state: EditState, base: Base) -> Checked:
    """Re-read the opportunity just before the PUT and compare it with the draft's base."""
    opp = state.opportunity
    name = opp.lead_name or opp.id
    try:
        stale = await check_stale(client, opp.id, base if base is not None else opp, state.schema)
    except NotFound:
        return Checked(problem=f"Not sent: {name} no longer exists on the server. Draft kept.")
    except Exception as exc:  # any failure to re-read: never send blind
        return Checked(
            problem=(
                f"Not sent: could not re-read {name} to check nobody changed it "
                f"({type(exc).__name__}: {exc}). Draft kept; ctrl+r tries again."
            )
        )
    if stale is not None:
        return Checked(stale=stale)
    return Checked(before=base if isinstance(base, Opportunity) else opp)


def ask_about_stale(main: FlowHost, state: EditState, base: Base, stale: StaleChange) -> None:
    """Show their change next to the draft; act on the user's choice."""
    from closetui.ui.screens.stale import StaleScreen

    name = state.opportunity.lead_name or state.opportunity.id
    main.query_one(StatusLine).show(f"Not sent yet: someone changed {name}.", "warning")
    screen = StaleScreen(name, base, stale, state.draft, state.schema)
    main.app.push_screen(screen, partial(_chosen, main, state, base, stale))


def _chosen(
    main: FlowHost,
    state: EditState,
    base: Base,
    stale: StaleChange,
    choice: StaleChoice | None,
) -> None:
    status = main.query_one(StatusLine)
    if choice == "overwrite":
        if main.is_sending:  # cannot happen from the modal, but never two PUTs at once
            status.show("Already sending; wait for the answer.", "warning")
            return
        main._send(state, stale)
    elif choice == "rebase":
        keep_mine_on_top(main, state, base, stale)
    else:
        status.show("Not sent: your draft is kept. ctrl+r checks and sends again.", "warning")


def keep_mine_on_top(main: FlowHost, state: EditState, base: Base, stale: StaleChange) -> None:
    """Rebuild the draft on their version (the new base); nothing is sent yet."""
    old = base if isinstance(base, Opportunity) else None
    result = rebase(state.draft, old, stale.current, state.schema)
    main.show_newer(stale.current, draft=result.draft, new_base=True)
    warn = bool(result.overwrites or result.problems or result.draft.is_empty)
    main.query_one(StatusLine).show(
        rebase_message(result, state.schema), "warning" if warn else "information"
    )


def rebase_message(result: Rebased, schema: OrgSchema) -> str:
    """What keeping the draft on top did, and what to do next."""

    def labels(keys: tuple[str, ...]) -> str:
        return ", ".join(_label(schema, key) for key in keys)

    if result.draft.is_empty:
        return "Nothing left to send: they already made every change of your draft."
    parts = ["Now on their version, not sent"]
    if result.overwrites:
        parts.append(f"replaces their {labels(result.overwrites)}")
    if result.dropped:
        parts.append(f"dropped {labels(result.dropped)} (they did it)")
    if result.problems:
        count = len(result.problems)
        parts.append(f"{count} field{'s' if count != 1 else ''} to fix")
    parts.append("check the preview, ctrl+r sends")
    return " · ".join(parts)


def _label(schema: OrgSchema, key: str) -> str:
    spec = schema.spec_for_key(key)
    return spec.label if spec is not None else key
