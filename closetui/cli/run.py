"""Running the scripting commands (list, get, update): one client, every failure an exit code."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING

import httpx

from closetui.api.errors import ApiError, CloseError, TransportError, ValidationError
from closetui.cli.connection import open_connection
from closetui.cli.errors import UsageError, WriteNotSaved
from closetui.cli.exit_codes import EXIT_API, EXIT_NETWORK, EXIT_UNKNOWN, EXIT_USAGE
from closetui.cli.output import print_error, print_note, seconds_text
from closetui.cli.read import get_command, list_command
from closetui.connect import ConnectError

if TYPE_CHECKING:
    from closetui.api.client import CloseClient, Wait


def run_command(args: argparse.Namespace) -> int:
    """Run ``list``, ``get`` or ``update``; map every failure to its exit code."""
    try:
        connection = open_connection(args)
    except ConnectError as exc:
        print_error(str(exc))
        return EXIT_USAGE
    args.connection_profile = connection.profile  # whose views --view may name
    args.web_url = connection.web_url  # where `get` links the record to
    handler: Callable[[CloseClient, argparse.Namespace], Awaitable[int]] = {
        "list": list_command,
        "get": get_command,
        "update": _update_command,
    }[args.command]

    async def run() -> int:
        async with connection.client(
            max_wait=30.0, timeout=args.timeout, max_attempts=args.retries + 1
        ) as client:
            client.on_wait = partial(report_wait, client)
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


def report_wait(client: CloseClient, wait: Wait) -> None:
    """Say on stderr what the command waits for: ``retrying in 2 s (503, retry 1 of 4)…``."""
    exchange = client.last_exchange  # the failed attempt, recorded just before the wait
    status = exchange.status if exchange is not None else None
    if wait.reason == "connect_failed":
        host = httpx.URL(wait.url).netloc.decode("ascii", "replace")
        failed = (exchange.error or "") if exchange is not None else ""
        why = "timed out" if "Timeout" in failed else f"cannot connect to {host}"
    elif wait.reason == "rate_limited":
        why = "429 rate limited"
    else:
        why = str(status) if status is not None else wait.reason.replace("_", " ")
    retries = client.max_attempts - 1
    print_note(
        f"retrying in {seconds_text(wait.seconds)} s ({why}, retry {wait.attempt} of {retries})…"
    )


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


async def _update_command(client: CloseClient, args: argparse.Namespace) -> int:
    from closetui.cli.update import update_command

    return await update_command(client, args)
