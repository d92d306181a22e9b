"""``closetui sandbox``: serve the Close-compatible sandbox on loopback."""

from __future__ import annotations

import argparse

from closetui.cli.exit_codes import EXIT_OK, EXIT_USAGE
from closetui.cli.output import print_error

NEEDS_UVICORN = (
    "closetui sandbox serves over TCP with uvicorn, which is not installed; "
    "install the sandbox extra: pip install 'closetui[sandbox]' "
    "(closetui --demo needs no server)"
)


def run_sandbox(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; prints the base URL and API key once it accepts connections."""
    from closetui.sandbox import DEMO_API_KEY, SandboxConfig
    from closetui.sandbox.config import day_anchor

    try:
        from closetui.sandbox.server import serve
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] != "uvicorn":
            raise
        print_error(NEEDS_UVICORN)
        return EXIT_USAGE

    try:
        config = SandboxConfig(
            opportunities=args.opportunities,
            seed=args.seed,
            rate_limit=args.rate_limit,
            rate_limit_separator=args.rate_limit_separator,
            api_key=args.api_key or DEMO_API_KEY,
            anchor=day_anchor(),  # the data's dates follow today, as the demo's do
        )
    except ValueError as exc:
        print_error(str(exc))
        return EXIT_USAGE

    def ready(url: str) -> None:
        print(f"Close sandbox serving {config.opportunities} opportunities", flush=True)
        print(f"  base URL: {url}", flush=True)
        print(f"  API key:  {config.api_key}", flush=True)
        print(f"  try:      CLOSE_API_KEY={config.api_key} closetui list --base-url {url}")
        if config.rate_limit:
            print(f"  rate limit: {config.rate_limit:g} requests/s per key", flush=True)
        print("Press Ctrl-C to stop.", flush=True)

    try:
        serve(config, port=args.port, ready=ready)
    except OSError as exc:
        print_error(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}")
        return EXIT_USAGE
    return EXIT_OK
