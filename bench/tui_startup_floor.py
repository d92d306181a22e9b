"""How much of the start-up target any closetui start must spend: the floor under the demo.

Times, like ``tui_startup.py`` (fresh processes, start to the first populated paint at
80x24, interleaved, medians, ratios to a Textual hello world measured in the same run):

- ``demo``: ``closetui --demo`` as the CLI starts it (``tui_startup.py``'s child);
- ``floor``: a bare app with only what the demo's first frame cannot do without:
  closetui's header, list, status line and key bar, and its client fetching the first
  page from the in-process demo sandbox (no editor, preview, drafts, history, config,
  theme files, command line);
- ``floor, canned page``: the same app with the sandbox replaced by one canned page
  (httpx ``MockTransport``): what the sandbox (its ASGI app, seeding 300 opportunities)
  costs the demo.

If the floor is near the target, no laziness in the rest of closetui reaches it.

    .venv/bin/python bench/tui_startup_floor.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
STARTUP = HERE.parent / "tui_startup.py"


def floor_child(canned: bool) -> None:
    """The measured floor process; prints ``painted <perf_counter>`` at the first rows."""
    import gc

    from textual.app import App, ComposeResult

    gc.disable()  # as tui_launch does while the app is built
    import httpx

    from closetui.api.credentials import Credential
    from closetui.api.query import OpportunityQuery
    from closetui.connect import Connection, demo_connection
    from closetui.ui.list_rows import LIST_FIELDS, RowPage
    from closetui.ui.themes import variable_defaults
    from closetui.ui.widgets.header import AppHeader
    from closetui.ui.widgets.key_bar import KeyBar
    from closetui.ui.widgets.opportunity_list import OpportunityList
    from closetui.ui.widgets.status_line import StatusLine

    if canned:
        rows = [
            {
                "id": f"oppo_{i:020d}",
                "lead_name": f"Lead {i}",
                "status_id": "stat_1",
                "status_label": "Active",
                "status_type": "active",
                "value": 100_000 + i,
                "value_currency": "USD",
                "value_period": "one_time",
                "confidence": 50,
                "user_name": "Ann Lee",
                "date_won": None,
                "date_updated": "2026-11-01T10:00:00+00:00",
            }
            for i in range(100)
        ]
        body = json.dumps({"data": rows, "has_more": True, "total_results": 300}).encode()
        connection = Connection(
            name="demo",
            credential=Credential.api_key("canned"),
            base_url="http://sandbox.demo/api/v1/",
            transport=httpx.MockTransport(
                lambda request: httpx.Response(
                    200, content=body, headers={"content-type": "application/json"}
                )
            ),
        )
    else:
        connection = demo_connection()
    gc.freeze()
    gc.enable()

    class Floor(App[None]):
        def get_theme_variable_defaults(self) -> dict[str, str]:
            return variable_defaults(self.current_theme)

        def compose(self) -> ComposeResult:
            yield AppHeader("demo", demo=True, read_only=False)
            yield OpportunityList(id="list")
            yield StatusLine(id="status")
            yield KeyBar()

        def on_mount(self) -> None:
            client = connection.client()
            listing = self.query_one(OpportunityList)

            async def fetch(order_by: str, skip: int, limit: int) -> RowPage:
                query = OpportunityQuery(order_by=order_by)
                page = await client.list_opportunity_fields(
                    list(LIST_FIELDS), query, skip=skip, limit=limit
                )
                return RowPage.from_page(page)

            arrived = OpportunityList.page_arrived

            def page_arrived(widget: OpportunityList, *args: Any, **kwargs: Any) -> None:
                arrived(widget, *args, **kwargs)
                if widget.cache.pages:
                    OpportunityList.page_arrived = arrived  # type: ignore[method-assign]
                    self.call_after_refresh(lambda: (painted(), self.exit()))

            OpportunityList.page_arrived = page_arrived  # type: ignore[method-assign]
            listing.source = fetch
            listing.reload()
            listing.focus()

    def painted() -> None:
        print(f"painted {time.perf_counter()!r}", flush=True)

    Floor().run(headless=True, size=(80, 24))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--child", choices=("floor", "canned"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        floor_child(args.child == "canned")
        return

    from tui_common import isolated_env, median, ms, precompile, run_child

    precompile()
    commands = {
        "hello world": [sys.executable, str(STARTUP), "--child", "hello"],
        "closetui --demo": [sys.executable, str(STARTUP), "--child", "demo"],
        "floor": [sys.executable, str(HERE), "--child", "floor"],
        "floor, canned page": [sys.executable, str(HERE), "--child", "canned"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)

        def timed(cmd: list[str]) -> float:
            start = time.perf_counter()
            out = run_child(cmd, env)
            mark = next(line for line in out.splitlines() if line.startswith("painted "))
            return float(mark.split()[1]) - start

        for cmd in commands.values():  # warm-up
            timed(cmd)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(timed(cmd))
    hello = median(times["hello world"])
    print(f"(medians of {args.runs} interleaved fresh processes, to the first populated paint)")
    for name, values in times.items():
        print(f"{name:>20}: {ms(median(values)):>7}  ratio {median(values) / hello:.2f}")


if __name__ == "__main__":
    main()
