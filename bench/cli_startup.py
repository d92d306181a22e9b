"""Start-up of ``closetui update --demo ... --dry-run`` vs ``python -c "import httpx, pydantic"``.

Both run as fresh processes, interleaved, several times; prints the medians and their
ratio (the machines are shared and noisy, so the ratio is the figure to compare).

    .venv/bin/python bench/cli_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from tui_common import precompile

    precompile()  # .pyc files as an install has them (see tui_common.precompile)
    listed = subprocess.run(
        [sys.executable, "-m", "closetui", "list", "--demo", "--limit", "1", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    opp_id = json.loads(listed.stdout)[0]["id"]
    baseline_cmd = [sys.executable, "-c", "import httpx, pydantic"]
    update_cmd = [sys.executable, "-m", "closetui", "update", "--demo", opp_id]
    update_cmd += ["--confidence", "42", "--set", "Deal Source=Inbound", "--dry-run"]
    check = subprocess.run(
        [sys.executable, "-c", "import sys, closetui.cli.main; print('textual' in sys.modules)"],
        check=True,
        capture_output=True,
        text=True,
    )
    baseline, update = [], []
    for _ in range(args.runs):
        baseline.append(_time(baseline_cmd))
        update.append(_time(update_cmd))
    b, u = statistics.median(baseline), statistics.median(update)
    print(f"import httpx, pydantic:          {b * 1000:6.0f} ms (median of {args.runs})")
    print(f"closetui update --demo --dry-run: {u * 1000:6.0f} ms (median of {args.runs})")
    print(f"ratio update/baseline: {u / b:.2f}")
    print(f"argument parsing imports textual: {check.stdout.strip()}")


if __name__ == "__main__":
    main()
