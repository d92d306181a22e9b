"""The scripting commands (list, get, update): results on stdout, errors on stderr."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from closetui.api.errors import ApiError, CloseError, TransportError, ValidationError
from closetui.cli import (
    EXIT_API,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_UNKNOWN,
    EXIT_USAGE,
    open_connection,
    print_error,
)
from closetui.config import ConfigError, load_config
from closetui.connect import ConnectError
from closetui.edits import OrgSchema, current_value, format_input
from closetui.filters import FilterError, FilterWords, resolve_filter
from closetui.reference import load_reference, utc_now

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity
    from closetui.api.outcome import WriteFailure
    from closetui.api.query import OpportunityQuery
    from closetui.bulk.settle import Settled
    from closetui.config import View


class WriteNotSaved(Exception):
    """A PUT not known to be saved: refused (``settled`` None), or of unknown outcome and
    the re-read found it not saved or could not tell (``settled``)."""

    def __init__(
        self,
        error: Exception,
        verdict: WriteFailure,
        opportunity_id: str,
        settled: Settled | None = None,
    ) -> None:
        super().__init__(verdict.reason)
        self.error = error
        """What the PUT raised."""
        self.verdict = verdict
        self.opportunity_id = opportunity_id
        self.settled = settled


class UsageError(Exception):
    """Bad arguments or input; printed as one line, exit code 2."""


def run_command(args: argparse.Namespace) -> int:
    """Run ``list``, ``get`` or ``update``; map every failure to its exit code."""
    try:
        connection = open_connection(args)
    except ConnectError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    args.connection_profile = connection.profile  # whose views --view may name
    handler: Callable[[CloseClient, argparse.Namespace], Awaitable[int]] = {
        "list": list_command,
        "get": get_command,
        "update": _update_command,
    }[args.command]

    async def run() -> int:
        async with connection.client(max_wait=30.0) as client:
            return await handler(client, args)

    try:
        return asyncio.run(run())
    except WriteNotSaved as exc:
        return report_not_saved(exc)
    except UsageError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    except ValidationError as exc:
        print_api_error(exc)
        return EXIT_API
    except ApiError as exc:
        print_api_error(exc)
        return EXIT_API
    except TransportError as exc:
        kind = "timed out" if exc.timeout else "network error"
        print_error(f"{kind}: {exc}")
        return EXIT_NETWORK
    except CloseError as exc:
        print_error(str(exc))
        return EXIT_API
    except KeyboardInterrupt:
        return 130


def report_not_saved(exc: WriteNotSaved) -> int:
    """Say that an update was not saved, or that nobody can tell; its exit code."""
    error, settled = exc.error, exc.settled
    network = isinstance(error, TransportError)
    if settled is None:  # refused: the server did not apply it
        if isinstance(error, ApiError) and error.status < 500 and error.status != 429:
            print_api_error(error)
        else:
            print_error(f"not saved: {exc.verdict.reason}; nothing changed, try again later")
        return EXIT_NETWORK if network else EXIT_API
    if settled.found == "not_saved":
        print_error(f"not saved: {exc.verdict.reason}; the server still has the old values")
        return EXIT_NETWORK if network else EXIT_API
    print_error(
        f"unknown: the update may or may not have been saved ({settled.text}); "
        f"check with `closetui get {exc.opportunity_id}` before sending it again"
    )
    return EXIT_UNKNOWN


def print_api_error(exc: ApiError) -> None:
    """Status, ``errors`` and ``field-errors`` of a refused request, on stderr."""
    print_error(f"the API refused the request: HTTP {exc.status}")
    if isinstance(exc, ValidationError):
        for message in exc.errors:
            print(f"  error: {message}", file=sys.stderr)
        for field, message in exc.field_errors.items():
            print(f"  {field}: {message}", file=sys.stderr)
        if not exc.errors and not exc.field_errors:
            print(f"  {json.dumps(exc.body)}", file=sys.stderr)
    else:
        body = exc.body if isinstance(exc.body, str) else json.dumps(exc.body)
        print(f"  {body}", file=sys.stderr)


def dump_json(value: Any) -> None:
    """Pretty JSON on stdout."""
    print(json.dumps(value, indent=2, ensure_ascii=False))


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
    print(describe_opportunity(reference.schema, opp))
    return EXIT_OK


async def _update_command(client: CloseClient, args: argparse.Namespace) -> int:
    from closetui.cli_update import update_command

    return await update_command(client, args)
