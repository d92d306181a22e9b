"""``closetui list`` and ``closetui get``: opportunities as a table, a card or JSON."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TYPE_CHECKING

from closetui.cli.completion_cache import remember_names
from closetui.cli.errors import UsageError
from closetui.cli.exit_codes import EXIT_OK
from closetui.cli.output import dump_json
from closetui.config import ConfigError, load_config
from closetui.edits import OrgSchema, current_value, format_input
from closetui.filters import FilterError, FilterWords, resolve_filter
from closetui.reference import load_reference, utc_now

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity
    from closetui.api.query import OpportunityQuery
    from closetui.config import View


def _row(opp: Opportunity) -> list[str]:
    return [
        opp.id,
        opp.lead_name or "",
        opp.status_label or opp.status_id,
        opp.value_formatted or "",
        f"{opp.confidence}%",
        opp.user_name or opp.user_id,
        opp.date_won.isoformat() if opp.date_won else "",
    ]


def print_table(opportunities: list[Opportunity]) -> None:
    """Aligned columns, one opportunity per line."""
    header = ["ID", "LEAD", "STATUS", "VALUE", "CONF", "OWNER", "WON"]
    rows = [header, *(_row(o) for o in opportunities)]
    # Ids are never cut (they get pasted into the next command); other cells are.
    limits = [1000] + [40] * (len(header) - 1)
    widths = [min(max(len(r[i]) for r in rows), cap) for i, cap in enumerate(limits)]
    for row in rows:
        cells = [cell[:width].ljust(width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())


OPTION_OF = {
    "pipeline": "--pipeline",
    "status": "--status",
    "status_type": "--status-type",
    "owner": "--owner",
    "date_won_from": "--won-after",
    "date_won_to": "--won-before",
    "query": "--query",
}
"""The ``list`` option of each filter, for error messages."""


def _view(args: argparse.Namespace) -> View | None:
    """The ``--view`` asked for, from the config (the profile's own views win)."""
    if not args.view:
        return None
    try:
        loaded = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        raise UsageError(f"--view {args.view}: {str(exc).splitlines()[0]}") from None
    views = loaded.config.views_for(getattr(args, "connection_profile", None))
    if args.view not in views:
        names = ", ".join(views) or "none yet (save one from the filter bar: f)"
        raise UsageError(f"--view {args.view}: no such view in {loaded.shown_path}; views: {names}")
    return views[args.view]


def _words(args: argparse.Namespace, view: View | None) -> FilterWords:
    """The filter words: the view's, with every option given on the command line winning."""
    base = FilterWords.from_view(view) if view is not None else FilterWords()
    return FilterWords(
        pipeline=args.pipeline or base.pipeline,
        status=tuple(args.status) or base.status,
        status_type=tuple(args.status_type or ()) or base.status_type,
        owner=tuple(args.owner) or base.owner,
        date_won_from=args.won_after or base.date_won_from,
        date_won_to=args.won_before or base.date_won_to,
        query=args.query or base.query,
    )


async def build_query(client: CloseClient, args: argparse.Namespace) -> OpportunityQuery:
    """The list filters (``--view`` and options), with labels and names resolved to ids.

    The same resolution as the TUI's filter bar: a pipeline is its statuses, a label that
    several pipelines use means all of them, dates may be words (``-1m``, ``today``).
    """
    view = _view(args)
    words = _words(args, view)
    if words.pipeline or words.status or words.owner:
        schema = (await load_reference(client)).schema
        remember_names(args, schema)
    else:  # no org words: no need to ask the server for pipelines and users
        schema = OrgSchema.at(utc_now(), tz_offset=client.tz_offset)
    try:
        active = resolve_filter(words, schema)
    except FilterError as exc:
        name, message = next(iter(exc.problems.items()))
        option = f"--view {args.view}" if view is not None else OPTION_OF[name]
        raise UsageError(f"{option}: {message}") from None
    order_by = args.order_by or (view.order_by if view is not None else None)
    return replace(active.query, lead_id=args.lead, order_by=order_by)


def describe_opportunity(schema: OrgSchema, opp: Opportunity) -> str:
    """A readable card: the headline fields, then every field of the schema."""
    lines = [
        f"{opp.id}  {opp.lead_name or opp.lead_id}",
        f"  Status: {schema.status_name(opp.status_id)}  [{opp.status_type}]",
        f"  Value: {opp.value_formatted or '(none)'}  confidence {opp.confidence}%",
        f"  Updated: {opp.date_updated.isoformat()} by {opp.updated_by_name or opp.updated_by}",
    ]
    for spec in schema.specs():
        if spec.key == "status_id":
            continue
        shown = format_input(schema, spec, current_value(opp, spec)) or "-"
        flag = "  (read-only)" if spec.read_only else ""
        lines.append(f"  {spec.label}: {shown}{flag}")
    return "\n".join(lines)


async def list_command(client: CloseClient, args: argparse.Namespace) -> int:
    """``closetui list``: filtered opportunities as a table or JSON."""
    query = await build_query(client, args)
    if args.limit < 1:
        raise UsageError("--limit: must be at least 1")
    found: list[Opportunity] = []
    async for opp in client.iter_opportunities(query, page_size=min(args.limit, 100)):
        found.append(opp)
        if len(found) >= args.limit:
            break
    if args.json:
        dump_json([o.model_dump(mode="json", exclude_unset=True) for o in found])
    else:
        print_table(found)
    return EXIT_OK


async def get_command(client: CloseClient, args: argparse.Namespace) -> int:
    """``closetui get``: one opportunity, readable or as JSON."""
    opp = await client.get_opportunity(args.opportunity_id)
    if args.json:
        exchange = client.last_exchange
        dump_json(exchange.json_body() if exchange else opp.model_dump(mode="json"))
        return EXIT_OK
    reference = await load_reference(client)
    remember_names(args, reference.schema)
    print(describe_opportunity(reference.schema, opp))
    return EXIT_OK
