"""The CLI says what it waits for: each retry on stderr, --retries and --timeout, jitter."""

from __future__ import annotations

import base64
import json
import random
import re
import socket
import urllib.request
from collections.abc import Iterator

import pytest

from closetui.api.client import CloseClient, Wait
from closetui.api.credentials import Credential
from closetui.api.errors import TransportError
from closetui.sandbox import DEMO_API_KEY, SandboxConfig, ServerThread
from tests.cli.helpers import Live, closetui

WAIT_LINE = re.compile(r"closetui: retrying in [\d.]+ s \((?P<why>[^,]+), retry (\d) of (\d)\)…")


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound, never listening."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


def test_a_refused_connection_shows_every_wait(refused_port: int) -> None:
    url = f"http://127.0.0.1:{refused_port}/api/v1/"
    done = closetui("list", "--base-url", url, "--retries", "2", key="k")
    assert done.code == 4
    waits = WAIT_LINE.findall(done.err)
    assert waits == [
        (f"cannot connect to 127.0.0.1:{refused_port}", "1", "2"),
        (f"cannot connect to 127.0.0.1:{refused_port}", "2", "2"),
    ]
    assert done.err.rstrip().endswith("All connection attempts failed")


def test_no_retries_fails_at_once(refused_port: int) -> None:
    url = f"http://127.0.0.1:{refused_port}/api/v1/"
    done = closetui("get", "oppo_1", "--base-url", url, "--retries", "0", key="k")
    assert done.code == 4
    assert "retrying" not in done.err
    assert "network error" in done.err


def _basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def _fault(live: Live, *faults: dict[str, object]) -> None:
    """Queue faults through the sandbox's own admin route, as a user of `closetui sandbox`."""
    request = urllib.request.Request(
        live.url.removesuffix("api/v1/") + "_sandbox/faults",
        data=json.dumps(list(faults)).encode(),
        headers={"Content-Type": "application/json", "Authorization": _basic(DEMO_API_KEY)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer)["queued"] == len(faults)


def test_a_503_then_a_502_are_shown_with_their_status(live: Live) -> None:
    _fault(live, {"status": 503, "methods": ["GET"]}, {"status": 502, "methods": ["GET"]})
    done = live.run("list", "--limit", "1", "--format", "csv")
    assert done.code == 0, done.err
    assert [why for why, _, _ in WAIT_LINE.findall(done.err)] == ["503", "502"]
    assert len(done.out.splitlines()) == 2


def test_retries_bound_the_attempts(live: Live) -> None:
    _fault(live, {"status": 503, "count": 3})
    done = live.run("list", "--limit", "1", "--retries", "1")
    assert done.code == 3  # the second 503 is final
    assert len(WAIT_LINE.findall(done.err)) == 1
    assert "HTTP 503" in done.err
    live.sandbox.clear_faults()


def test_timeout_gives_up_on_a_slow_answer(live: Live) -> None:
    _fault(live, {"latency": 3, "count": 1})
    done = live.run("list", "--limit", "1", "--timeout", "0.5", "--retries", "0")
    assert done.code == 4
    assert "timed out" in done.err


@pytest.mark.parametrize(
    ("option", "bad"),
    [("--timeout", "0"), ("--timeout", "nan"), ("--timeout", "1e9"), ("--retries", "-1"),
     ("--retries", "11"), ("--retries", "1.5"), ("--retries", "x")],
)  # fmt: skip
def test_timeout_and_retries_are_checked_at_the_door(option: str, bad: str) -> None:
    done = closetui("get", "oppo_1", "--demo", option, bad)
    assert done.code == 2, done.err
    assert option in done.err


async def test_backoff_has_bounded_seeded_jitter(refused_port: int) -> None:
    """Equal jitter: each wait between half and all of its exponential step, drawn from the
    RNG the client was given (the same seed, the same waits)."""
    seen: list[list[float]] = [[], []]
    for run in seen:

        def keep(wait: Wait, run: list[float] = run) -> None:
            run.append(wait.seconds)

        async with CloseClient(
            Credential.api_key("k"),
            base_url=f"http://127.0.0.1:{refused_port}/api/v1/",
            backoff=0.02,
            max_attempts=5,
            on_wait=keep,
            rng=random.Random(7),
        ) as client:
            with pytest.raises(TransportError):
                await client.me()
    first, again = seen
    assert first == again
    steps = [0.02 * 2**n for n in range(4)]
    assert all(step / 2 <= wait <= step for wait, step in zip(first, steps, strict=True))
    assert first != [step / 2 for step in steps]
    assert first != steps


def test_all_pages_wait_out_the_rate_limit_and_say_so() -> None:
    """--all asks one page at a time; a 429 is waited out (said on stderr), none is lost."""
    server = ServerThread(SandboxConfig(opportunities=250, rate_limit=1))
    with server as url:
        done = Live(url, server.sandbox).run("list", "--all", "--format", "csv")
    assert done.code == 0, done.err
    assert len(done.out.splitlines()) == 1 + 250
    assert "429 rate limited" in [why for why, _, _ in WAIT_LINE.findall(done.err)]
