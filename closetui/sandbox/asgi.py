"""The few ASGI pieces the sandbox needs: a request, a JSON response and a route table.

The sandbox answers about fifteen JSON routes; these classes are all of a web framework
they use, so the in-process demo starts without loading one.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Request:
    """One HTTP request as a route sees it."""

    def __init__(self, scope: Scope, receive: Receive, path_params: dict[str, str]) -> None:
        self.scope = scope
        self.method: str = scope["method"]
        self.path_params = path_params
        query = scope.get("query_string", b"").decode("latin-1")
        # A repeated parameter keeps its last value, as Starlette's QueryParams did.
        self.query_params: dict[str, str] = dict(parse_qsl(query, keep_blank_values=True))
        self._receive = receive

    async def body(self) -> bytes:
        """The whole request body."""
        chunks: list[bytes] = []
        while True:
            message = await self._receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class JSONResponse:
    """A complete JSON answer, encoded compactly in UTF-8."""

    def __init__(
        self, content: Any, status_code: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.status_code = status_code
        self.body = json.dumps(
            content, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode()
        self.headers = headers or {}

    async def __call__(self, send: Send) -> None:
        headers = [
            (b"content-length", str(len(self.body)).encode()),
            (b"content-type", b"application/json"),
            *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()),
        ]
        await send({"type": "http.response.start", "status": self.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


Endpoint = Callable[[Request], Awaitable[JSONResponse]]


class Route:
    """A path such as ``/api/v1/user/{id}/`` (a ``{name}`` matches one non-empty segment)."""

    def __init__(self, path: str, endpoint: Endpoint, methods: tuple[str, ...] = ("GET",)) -> None:
        self.segments = path.split("/")
        self.endpoint = endpoint
        self.methods = frozenset(methods) | ({"HEAD"} if "GET" in methods else set())

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path parameters when the path's segments fit this route, else None."""
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for want, got in zip(self.segments, segments, strict=True):
            if want.startswith("{"):
                if not got:
                    return None
                params[want[1:-1]] = got
            elif want != got:
                return None
        return params


class HTTPError(Exception):
    """Raised by routing: no route (404) or a route without the method (405)."""

    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(HTTPStatus(status).phrase)
        self.status = status
        self.headers = headers or {}


def resolve(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and its path parameters; HTTPError 404 or 405."""
    segments = path.split("/")
    allowed: set[str] = set()
    for route in routes:
        params = route.match(segments)
        if params is None:
            continue
        if method in route.methods:
            return route, params
        allowed |= route.methods
    if allowed:
        raise HTTPError(405, {"Allow": ", ".join(sorted(allowed))})
    raise HTTPError(404)


async def lifespan(receive: Receive, send: Send) -> None:
    """Answer a server's start-up and shutdown messages (the sandbox has nothing to do)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
