"""ASGI middleware in front of the routes: request log, faults, auth, rate limit, tz offset."""

from __future__ import annotations

import asyncio
import json
import math
from datetime import UTC
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, NoReturn

from closetui.sandbox.asgi import ASGIApp, Message, Receive, Scope, Send
from closetui.sandbox.errors import DroppedConnection
from closetui.sandbox.store import RecordedRequest, Sandbox

if TYPE_CHECKING:
    from closetui.sandbox.faults import Fault

API_PREFIX = "/api/v1/"
ADMIN_PREFIX = "/_sandbox/"
USER_KEY = "sandbox.user_id"
"""Scope key carrying the authenticated user's id."""
OFFSET_KEY = "sandbox.tz_offset"
"""Scope key carrying the parsed ``X-TZ-Offset`` (hours)."""

_STATUS_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def parse_tz_offset(raw: str | None) -> float | None:
    """Decimal hours (``-5``, ``5.5``, ``-2.5``); 0 when absent; None when invalid."""
    if raw is None or not raw.strip():
        return 0.0
    try:
        hours = float(raw.strip())
    except ValueError:
        return None
    return hours if math.isfinite(hours) and -14.0 <= hours <= 14.0 else None


async def send_json(
    send: Send, status: int, body: Any, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Send a complete JSON response."""
    await send_raw(send, status, json.dumps(body).encode(), b"application/json", headers)


async def send_raw(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Send a complete response with any body."""
    all_headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})


async def drop(send: Send) -> NoReturn:
    """Promise a body, send part of it, then fail: the server closes the connection."""
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
    }
    await send(start)
    await send({"type": "http.response.body", "body": b'{"data": [', "more_body": True})
    raise DroppedConnection("sandbox dropped the connection")


class Gate:
    """Everything that happens before a route runs, in Close's order of concerns."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._dated(send)
        path: str = scope["path"]
        is_admin = path.startswith(ADMIN_PREFIX)
        if not is_admin and not path.startswith(API_PREFIX):
            await send_json(send, 404, {"error": "Not found"})
            return
        body, receive = await _buffer(receive)
        if is_admin:
            await self._serve(scope, receive, send, admin=True)
            return
        sb = self.sandbox
        method: str = scope["method"]
        headers = _headers(scope)
        sb.requests_seen.append((method, path))
        query = scope.get("query_string", b"").decode("latin-1")
        sb.requests.append(RecordedRequest(method, path, query, headers, body))
        if not path.endswith("/"):  # Close also answers without the trailing slash
            scope = {**scope, "path": path + "/", "raw_path": (path + "/").encode()}
        fault = sb.take_fault(method, path)
        if fault is not None and fault.after:
            await self._fault_after(fault, scope, receive, send)
            return
        delay = sb.latency + (fault.latency if fault else 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        roll = sb.fault_rng.random()
        if (fault is not None and fault.drop) or roll < sb.drop_rate:
            await drop(send)
        if fault is not None and fault.status is not None:
            await self._canned(send, fault)
        elif roll < sb.drop_rate + sb.error_rate:
            await send_json(send, 503, {"error": "Service Unavailable"})
        else:
            await self._serve(scope, receive, send, admin=False)

    def _dated(self, send: Send) -> Send:
        """``send`` adding a ``Date`` header (RFC 9110 §6.6.1) to every answer, from the
        sandbox's clock: in process there is no HTTP server to add one."""
        now = self.sandbox.now

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"date" for name, _ in headers):
                    stamp = format_datetime(now().astimezone(UTC), usegmt=True)
                    headers.append((b"date", stamp.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        return dated

    async def _fault_after(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the request take effect, then delay, drop or replace its answer."""
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self._serve(scope, receive, hold, admin=False)
        if self.sandbox.latency + fault.latency > 0:
            await asyncio.sleep(self.sandbox.latency + fault.latency)
        if fault.drop:
            await drop(send)
        if fault.status is not None:
            await self._canned(send, fault)
            return
        for message in held:
            await send(message)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, *, admin: bool) -> None:
        """Auth, rate limit and ``X-TZ-Offset``, then the route itself."""
        sb = self.sandbox
        headers = _headers(scope)
        who = sb.user_for(headers.get("authorization"))
        if who is None:
            await send_json(send, 401, {"error": "Unauthorized: invalid or missing credentials."})
            return
        credential, user_id = who
        extra: list[tuple[bytes, bytes]] = []
        decision = None if admin else sb.count_request(credential)
        if decision is not None:
            header = sb.ratelimit_header(decision.limit, decision.remaining, decision.reset)
            extra.append((b"ratelimit", header.encode()))
            if not decision.allowed:
                extra.append((b"retry-after", str(decision.reset).encode()))
                await send_json(send, 429, {"error": "Rate limit exceeded."}, extra)
                return
        offset = parse_tz_offset(headers.get("x-tz-offset"))
        if offset is None:
            message = "Invalid X-TZ-Offset header: use decimal hours such as -5 or 5.5."
            await send_json(send, 400, {"errors": [message], "field-errors": {}}, extra)
            return
        scope = {**scope, USER_KEY: user_id, OFFSET_KEY: offset}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and extra:
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _canned(self, send: Send, fault: Fault) -> None:
        """Answer with a scripted status, its headers and body."""
        status = fault.status or 503
        headers: list[tuple[bytes, bytes]] = []
        if fault.retry_after is not None:
            headers.append((b"retry-after", str(fault.retry_after).encode()))
        if fault.ratelimit_reset is not None:
            limit = max(1, int(self.sandbox.rate_limit or 60))
            value = self.sandbox.ratelimit_header(limit, 0, fault.ratelimit_reset)
            headers.append((b"ratelimit", value.encode()))
        if fault.body is not None:
            body = fault.body.encode()
            await send_raw(send, status, body, fault.content_type.encode(), headers)
            return
        if status == 429:
            payload: dict[str, Any] = {"error": "Rate limit exceeded."}
        else:
            payload = {"error": _STATUS_TEXT.get(status, f"Error {status}")}
        await send_json(send, status, payload, headers)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body and return it with a receive that replays it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
