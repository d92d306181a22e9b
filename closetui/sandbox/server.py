"""Running the sandbox over a real socket with uvicorn, on the loopback interface only."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from types import TracebackType

import uvicorn

from closetui.sandbox.app import SandboxApp, create_app
from closetui.sandbox.config import SandboxConfig
from closetui.sandbox.errors import DroppedConnection
from closetui.sandbox.store import Sandbox

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts the sandbox may bind to; it never listens on other interfaces."""


class _QuietDrops(logging.Filter):
    """Hide uvicorn's traceback for connections the sandbox drops on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


_FILTER = _QuietDrops()


def _quiet_logging() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


def base_url(host: str, port: int) -> str:
    """The API base URL for a bound address (``http://127.0.0.1:PORT/api/v1/``)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/api/v1/"


def bind_loopback(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket on a loopback host (ValueError for any other host)."""
    if host not in LOOPBACK:
        raise ValueError(f"the sandbox only listens on loopback, not {host!r}")
    family = socket.AF_INET6 if host == "::1" else socket.AF_INET
    # IPPROTO_TCP so asyncio sets TCP_NODELAY: headers and body go out in two writes,
    # which Nagle would otherwise hold for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1" if host == "localhost" else host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class _Server(uvicorn.Server):
    """uvicorn server that reports when it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.should_exit:
            self._on_started()


def _uvicorn_config(app: SandboxApp, log_level: str) -> uvicorn.Config:
    _quiet_logging()
    return uvicorn.Config(
        app,
        log_config=None,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
        date_header=False,  # the sandbox's own, from its clock (gate.py)
    )


def serve(
    config: SandboxConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    ready: Callable[[str], None] | None = None,
    *,
    app: SandboxApp | None = None,
    log_level: str = "warning",
) -> None:
    """Serve the sandbox until interrupted (Ctrl-C); prints nothing itself.

    ``ready`` is called with the base URL (``http://127.0.0.1:PORT/api/v1/``) once
    connections are accepted; the API key to show is ``config.api_key``. Any host other
    than a loopback one raises ValueError. ``port=0`` picks a free port.
    """
    app = app or create_app(config)
    sock = bind_loopback(host, port)
    url = base_url(host, sock.getsockname()[1])
    server = _Server(_uvicorn_config(app, log_level), lambda: ready(url) if ready else None)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled: a normal stop
        pass
    finally:
        sock.close()


class ServerThread:
    """uvicorn in a background thread on a free loopback port; a context manager.

    ``with ServerThread(SandboxConfig(opportunities=50)) as url:`` yields the base URL;
    ``.sandbox`` is the live state. Leaving the block shuts the server down.
    """

    def __init__(
        self,
        config: SandboxConfig | None = None,
        *,
        app: SandboxApp | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 10.0,
    ) -> None:
        self.app = app or create_app(config)
        self.sandbox: Sandbox = self.app.state.sandbox
        self._sock = bind_loopback(host, port)
        self.port: int = self._sock.getsockname()[1]
        self.base_url = base_url(host, self.port)
        """``http://127.0.0.1:PORT/api/v1/``."""
        self.root_url = self.base_url.removesuffix("api/v1/")
        """``http://127.0.0.1:PORT/`` (for the ``/_sandbox/`` admin routes)."""
        self._started = threading.Event()
        self._server = _Server(_uvicorn_config(self.app, "warning"), self._started.set)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._timeout = startup_timeout

    def start(self) -> str:
        """Start serving and return the base URL once connections are accepted."""
        self._thread.start()
        if not self._started.wait(self._timeout):
            self.stop()
            raise RuntimeError("the sandbox server did not start")
        return self.base_url

    def stop(self) -> None:
        """Shut the server down and wait for its thread."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
