"""``closetui list`` and ``closetui get``: opportunities as a table, a card or JSON."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from closetui.cli.completion_cache import remember_names
from closetui.cli.errors import UsageError
from closetui.cli.exit_codes import EXIT_OK
from closetui.cli.output import dump_json, print_note
from closetui.config import ConfigError, load_config
from closetui.edits import OrgSchema, current_value, format_input
from closetui.export import Row, write_csv, write_json, write_ndjson
from closetui.filters import FilterError, FilterWords, resolve_filter
from closetui.reference import load_reference, utc_now
from closetui.web_links import lead_url

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity
    from closetui.api.query import OpportunityQuery
    from closetui.config import View


PAGE_SIZE = 100
"""Opportunities asked for per page (Close's largest ``_limit``)."""


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


def opportunity_row(opp: Opportunity) -> Row:
    """The export row of an opportunity (:data:`closetui.export.COLUMNS`)."""
    return {
        "id": opp.id,
        "lead_name": opp.lead_name,
        "status": opp.status_label or opp.status_id,
        "status_type": opp.status_type,
        "value": opp.value,
        "value_currency": opp.value_currency,
        "value_period": opp.value_period,
        "confidence": opp.confidence,
        "owner": opp.user_name or opp.user_id,
        "date_won": opp.date_won.isoformat() if opp.date_won else None,
        "date_updated": opp.date_updated.date().isoformat(),
    }


def _list_format(args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json: cannot be combined with --format {args.format}")
    return "json" if args.json else args.format or "table"


@dataclass(frozen=True, slots=True)
class Listed:
    """What ``closetui list`` fetched, and how many match on the server."""

    opportunities: list[Opportunity]
    total: int | None
    """``total_results`` of the last page, when the server says."""
    more: bool
    """True when more match than were fetched."""


async def fetch_listed(
    client: CloseClient, query: OpportunityQuery, limit: int | None, *, progress: bool
) -> Listed:
    """Up to ``limit`` matches (None: all), one page after another; a running count on
    stderr when ``progress`` (the pages go one at a time, each 429 waited out)."""
    found: list[Opportunity] = []
    total: int | None = None
    more = False
    while limit is None or len(found) < limit:
        size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - len(found))
        page = await client.list_opportunities(query, skip=len(found), limit=size)
        found += page.data
        total = page.total_results
        more = page.has_more and bool(page.data)
        if progress:
            of = f" of {total:,}" if total is not None else ""
            print(f"\rclosetui: fetched {len(found):,}{of}…", end="", file=sys.stderr, flush=True)
        if not more:
            break
    if progress:
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # the count line goes away
    return Listed(found, total, more or (total is not None and total > len(found)))


async def list_command(client: CloseClient, args: argparse.Namespace) -> int:
    """``closetui list``: filtered opportunities as a table, CSV, NDJSON or JSON; says on
    stderr when more match than it printed."""
    kind = _list_format(args)
    query = await build_query(client, args)
    limit = None if args.all else args.limit
    listed = await fetch_listed(client, query, limit, progress=args.all and sys.stderr.isatty())
    found = listed.opportunities
    if kind == "table":
        print_table(found)
    elif kind == "csv":
        write_csv((opportunity_row(o) for o in found), sys.stdout)
    else:
        full = (o.model_dump(mode="json", exclude_unset=True) for o in found)
        (write_ndjson if kind == "ndjson" else write_json)(full, sys.stdout)
    if listed.more:
        total = f"{listed.total:,}" if listed.total is not None else "more"
        print_note(f"{len(found):,} of {total} shown (use --all or --limit N)")
    return EXIT_OK


async def get_command(client: CloseClient, args: argparse.Namespace) -> int:
    """``closetui get``: one opportunity, readable (with its lead's page in the Close web
    app, ``url: …``) or as JSON (the API's object as it came, nothing added)."""
    opp = await client.get_opportunity(args.opportunity_id)
    if args.json:
        exchange = client.last_exchange
        dump_json(exchange.json_body() if exchange else opp.model_dump(mode="json"))
        return EXIT_OK
    reference = await load_reference(client)
    remember_names(args, reference.schema)
    print(describe_opportunity(reference.schema, opp))
    note = "  (the demo's lead: it exists only in the sandbox)" if args.demo else ""
    print(f"url: {lead_url(args.web_url, opp.lead_id)}{note}")
    return EXIT_OK
