"""``closetui update``: arguments -> draft -> the exact request; dry run or send."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from closetui.api.outcome import WriteFailure, classify_write_error
from closetui.cli.completion_cache import remember_names
from closetui.cli.errors import UsageError, WriteNotSaved
from closetui.cli.exit_codes import EXIT_OK
from closetui.cli.output import dump_json, print_error
from closetui.edits import (
    Draft,
    FieldProblem,
    build_update_body,
    current_value,
    format_input,
    notes,
    same,
    validate,
)
from closetui.reference import load_reference

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.models import Opportunity
    from closetui.bulk.settle import Settled
    from closetui.edits import (
        OrgSchema,
    )

_SIMPLE_OPTIONS = (
    ("status", "status_id", "--status"),
    ("date_won", "date_won", "--date-won"),
    ("value", "value", "--value"),
    ("value_period", "value_period", "--value-period"),
    ("confidence", "confidence", "--confidence"),
    ("owner", "user_id", "--owner"),
    ("contact", "contact_id", "--contact"),
    ("note", "note", "--note"),
)


def _split(option: str, pair: str) -> tuple[str, str]:
    field, sep, value = pair.partition("=")
    if not sep or not field.strip():
        raise UsageError(f"{option} {pair!r}: expected FIELD=VALUE")
    if not value.strip():
        raise UsageError(f"{option} {field.strip()}: empty value; to empty it use --clear FIELD")
    return field.strip(), value


def draft_from_args(schema: OrgSchema, opp: Opportunity, args: argparse.Namespace) -> Draft:
    """The draft the options describe; the first problem raises UsageError."""
    draft = Draft()
    problems: list[str] = []

    def step(option: str, result: Draft | FieldProblem) -> None:
        nonlocal draft
        if isinstance(result, FieldProblem):
            problems.append(f"{option}: {result.message}")
        else:
            draft = result

    for attr, key, option in _SIMPLE_OPTIONS:
        text = getattr(args, attr)
        if text is not None:
            step(option, draft.set_text(schema, key, text, opportunity=opp))
    if args.clear_date_won:
        draft = draft.with_cleared("date_won")
    for pair in args.set:
        field, value = _split("--set", pair)
        step(f"--set {field}", draft.set_text(schema, field, value, opportunity=opp))
    for pair in args.add:
        field, value = _split("--add", pair)
        step(f"--add {field}", draft.add_text(schema, field, value))
    for pair in args.remove:
        field, value = _split("--remove", pair)
        step(f"--remove {field}", draft.remove_text(schema, field, value))
    for field in args.clear:
        spec = schema.spec(field)
        if isinstance(spec, FieldProblem):
            problems.append(f"--clear {field}: {spec.message}")
        else:
            draft = draft.with_cleared(spec.key)
    if problems:
        raise UsageError("\n  ".join(problems))
    return draft


def changes(schema: OrgSchema, before: Opportunity, after: Opportunity) -> list[str]:
    """``Label: old -> new`` for every editable field that differs."""
    lines = []
    for spec in schema.specs():
        old, new = current_value(before, spec), current_value(after, spec)
        if not same(old, new):
            shown_old = format_input(schema, spec, old) or "(unset)"
            shown_new = format_input(schema, spec, new) or "(unset)"
            lines.append(f"  {spec.label}: {shown_old} -> {shown_new}")
    return lines


async def update_command(client: CloseClient, args: argparse.Namespace) -> int:
    """Build the update from the options; print it (``--dry-run``) or send it."""
    reference = await load_reference(client)
    schema = reference.schema
    remember_names(args, schema)
    opp = await client.get_opportunity(args.opportunity_id)
    draft = draft_from_args(schema, opp, args)
    problems = validate(opp, draft, schema)
    if problems:
        raise UsageError("\n  ".join(problems.values()))
    body = build_update_body(opp, draft, schema)
    for note in notes(opp, draft, schema):
        print(f"note: {note.message}", file=sys.stderr)
    if not body:
        print(
            "closetui: nothing to change; the opportunity already has these values", file=sys.stderr
        )
        return EXIT_OK
    request = client.build_update_request(opp.id, body)
    view = client.describe(request)
    if args.dry_run:
        rendered = {
            "json": view.body_text,
            "http": view.to_text,
            "curl": view.to_curl,
            "httpie": view.to_httpie,
        }[args.format]()
        print(rendered)
        return EXIT_OK
    try:
        updated = await client.send_update(request)
    except Exception as exc:
        verdict = classify_write_error(exc)
        if not verdict.unknown:
            raise WriteNotSaved(exc, verdict, opp.id) from None
        settled = await _settle(client, opp, draft, schema, verdict)
        if settled.found != "saved" or settled.current is None:
            raise WriteNotSaved(exc, verdict, opp.id, settled) from None
        updated = settled.current
    if args.json:
        exchange = client.last_exchange
        dump_json(exchange.json_body() if exchange else updated.model_dump(mode="json"))
        return EXIT_OK
    print(f"Updated {updated.id} ({updated.lead_name or updated.lead_id})")
    print("\n".join(changes(schema, opp, updated)) or "  (no field changed)")
    return EXIT_OK


async def _settle(
    client: CloseClient, opp: Opportunity, draft: Draft, schema: OrgSchema, verdict: WriteFailure
) -> Settled:
    """Say the write may have landed, then re-read to find out (on stderr)."""
    from closetui.bulk.settle import settle_write

    print_error(f"no clear answer to the update: {verdict.reason}")
    print_error("the change may have been saved; reading the opportunity again to check…")
    settled = await settle_write(client, opp.id, draft, schema, opp)
    print_error(f"checked: {settled.text}")
    return settled
