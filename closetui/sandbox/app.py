"""The ASGI app: Close's routes under ``/api/v1/`` plus the ``/_sandbox/`` admin routes."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from closetui.sandbox.asgi import (
    HTTPError,
    JSONResponse,
    Receive,
    Request,
    Route,
    Scope,
    Send,
    lifespan,
    resolve,
)
from closetui.sandbox.config import SandboxConfig
from closetui.sandbox.errors import ApiError, ValidationFailed, not_found
from closetui.sandbox.gate import OFFSET_KEY, USER_KEY, Gate
from closetui.sandbox.listing import DEFAULT_LIMIT, MAX_LIMIT, int_param, pick_fields
from closetui.sandbox.me import me_json
from closetui.sandbox.org import JSON
from closetui.sandbox.store import Sandbox

SANDBOX_KEY = "sandbox.state"
"""Scope key carrying the app's ``Sandbox`` to the routes."""


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.scope[SANDBOX_KEY]
    return sandbox


def _caller(request: Request) -> str:
    return str(request.scope[USER_KEY])


def _offset(request: Request) -> float:
    return float(request.scope[OFFSET_KEY])


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(["The request body is not valid JSON."]) from None


async def _object_body(request: Request) -> JSON:
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise ValidationFailed(["The request body must be a JSON object."])
    return body


def _page(request: Request, items: list[JSON]) -> JSONResponse:
    """A plain ``{"data": [...], "has_more": ...}`` envelope with paging and ``_fields``."""
    params = request.query_params
    skip = int_param(params, "_skip", 0, None)
    limit = int_param(params, "_limit", DEFAULT_LIMIT, MAX_LIMIT)
    page = items[skip : skip + limit]
    fields = params.get("_fields")
    data = [pick_fields(item, fields) for item in page]
    return JSONResponse({"data": data, "has_more": skip + len(page) < len(items)})


async def me(request: Request) -> JSONResponse:
    """``GET /me/``."""
    body = me_json(_sandbox(request).org, _caller(request))
    return JSONResponse(pick_fields(body, request.query_params.get("_fields")))


async def list_users(request: Request) -> JSONResponse:
    """``GET /user/``."""
    users = list(_sandbox(request).users.values())
    order_by = request.query_params.get("_order_by")
    if order_by in ("first_name,last_name", "last_name,first_name"):
        names = order_by.split(",")
        users.sort(key=lambda u: tuple(u[n] for n in names))
    return _page(request, users)


async def get_user(request: Request) -> JSONResponse:
    """``GET /user/{id}/``."""
    user = _sandbox(request).users.get(request.path_params["id"])
    if user is None:
        raise not_found()
    return JSONResponse(pick_fields(user, request.query_params.get("_fields")))


async def list_pipelines(request: Request) -> JSONResponse:
    """``GET /pipeline/``."""
    return _page(request, _sandbox(request).pipelines)


async def list_statuses(request: Request) -> JSONResponse:
    """``GET /status/opportunity/``."""
    return _page(request, list(_sandbox(request).statuses.values()))


async def list_custom_fields(request: Request) -> JSONResponse:
    """``GET /custom_field/opportunity/`` (regular fields only)."""
    return _page(request, list(_sandbox(request).custom_fields.values()))


async def list_shared_fields(request: Request) -> JSONResponse:
    """``GET /custom_field/shared/``."""
    return _page(request, list(_sandbox(request).shared_fields.values()))


async def field_schema(request: Request) -> JSONResponse:
    """``GET /custom_field_schema/opportunity/``: regular and shared fields in UI order."""
    org = _sandbox(request).org
    every = {**org.custom_fields, **org.shared_fields}
    return JSONResponse({"fields": [every[fid] for fid in org.schema_order]})


async def opportunities(request: Request) -> JSONResponse:
    """``GET`` (list) and ``POST`` (create) on ``/opportunity/``."""
    sb = _sandbox(request)
    if request.method == "POST":
        body = await _object_body(request)
        return JSONResponse(sb.create_opportunity(body, _caller(request), _offset(request)))
    return JSONResponse(sb.list_opportunities(request.query_params, _offset(request)))


async def opportunity(request: Request) -> JSONResponse:
    """``GET``, ``PUT`` and ``DELETE`` on ``/opportunity/{id}/``."""
    sb = _sandbox(request)
    opp_id = request.path_params["id"]
    if request.method == "DELETE":
        sb.delete_opportunity(opp_id)
        return JSONResponse({})
    if request.method == "PUT":
        body = await _object_body(request)
        sb.get_opportunity(opp_id)  # 404 before 400
        opp = sb.update_opportunity(opp_id, body, _caller(request), _offset(request))
        return JSONResponse(opp)
    opp = sb.get_opportunity(opp_id)
    return JSONResponse(pick_fields(opp, request.query_params.get("_fields")))


async def admin_faults(request: Request) -> JSONResponse:
    """``POST /_sandbox/faults``: queue faults given as a JSON list of objects."""
    body = await _json_body(request)
    items = body if isinstance(body, list) else [body]
    try:
        from closetui.sandbox.faults import Fault

        faults = [Fault.from_json(item) for item in items]
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationFailed([f"Invalid fault: {exc}"]) from None
    _sandbox(request).script_faults(*faults)
    return JSONResponse({"queued": len(faults)})


async def admin_reset(request: Request) -> JSONResponse:
    """``POST /_sandbox/reset``: back to the seeded state."""
    _sandbox(request).reset()
    return JSONResponse({"reset": True})


async def admin_rate_limit(request: Request) -> JSONResponse:
    """``POST /_sandbox/rate_limit``: ``{"rps": 2, "separator": ";"}`` (rps null = off)."""
    body = await _object_body(request)
    try:
        _sandbox(request).set_rate_limit(body.get("rps"), body.get("separator", ","))
    except ValueError as exc:
        raise ValidationFailed([str(exc)]) from None
    return JSONResponse({"rps": body.get("rps")})


async def admin_requests(request: Request) -> JSONResponse:
    """``GET /_sandbox/requests``: the ``[method, path]`` pairs received so far."""
    return JSONResponse({"requests": [list(r) for r in _sandbox(request).requests_seen]})


ROUTES = [
    Route("/api/v1/me/", me),
    Route("/api/v1/user/", list_users),
    Route("/api/v1/user/{id}/", get_user),
    Route("/api/v1/pipeline/", list_pipelines),
    Route("/api/v1/status/opportunity/", list_statuses),
    Route("/api/v1/custom_field/opportunity/", list_custom_fields),
    Route("/api/v1/custom_field/shared/", list_shared_fields),
    Route("/api/v1/custom_field_schema/opportunity/", field_schema),
    Route("/api/v1/opportunity/", opportunities, methods=("GET", "POST")),
    Route("/api/v1/opportunity/{id}/", opportunity, methods=("GET", "PUT", "DELETE")),
    Route("/_sandbox/faults", admin_faults, methods=("POST",)),
    Route("/_sandbox/reset", admin_reset, methods=("POST",)),
    Route("/_sandbox/rate_limit", admin_rate_limit, methods=("POST",)),
    Route("/_sandbox/requests", admin_requests),
]


class SandboxApp:
    """The sandbox as an ASGI app: the gate, then the routes; ``app.state.sandbox`` is live."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.state = SimpleNamespace(sandbox=sandbox)
        self._gate = Gate(self._route, sandbox)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
        elif scope["type"] == "http":
            await self._gate(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            route, params = resolve(ROUTES, scope["method"], scope["path"])
            request = Request({**scope, SANDBOX_KEY: self.state.sandbox}, receive, params)
            response = await route.endpoint(request)
        except ApiError as exc:
            response = JSONResponse(exc.body, status_code=exc.status)
        except HTTPError as exc:
            message = "Not found" if exc.status == 404 else str(exc)
            response = JSONResponse({"error": message}, exc.status, exc.headers)
        await response(send)


def create_app(config: SandboxConfig | None = None, sandbox: Sandbox | None = None) -> SandboxApp:
    """A Close-compatible ASGI app; its live state is ``app.state.sandbox``."""
    return SandboxApp(sandbox or Sandbox(config))
