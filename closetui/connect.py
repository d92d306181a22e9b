"""Where to connect: the in-process demo sandbox, a base URL + key, or a configured profile."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import httpx

from closetui.api.client import DEFAULT_BASE_URL, CloseClient, local_tz_offset
from closetui.api.credentials import Credential
from closetui.config.checks import DEFAULT_POLL_SECONDS
from closetui.config.errors import ConfigError
from closetui.config.paths import config_path
from closetui.web_links import DEFAULT_WEB_URL

if TYPE_CHECKING:
    from closetui.config.load import LoadedConfig

DEMO_BASE_URL = "http://sandbox.demo/api/v1/"
"""Shown for the in-process sandbox; no request ever leaves the process."""


class ConnectError(Exception):
    """The connection settings are incomplete or wrong; the message says how to fix it."""


_CONNECTION_REPR = (
    "name", "credential", "base_url", "tz_offset", "demo", "read_only", "profile", "theme",
    "keymap", "warnings", "web_url", "poll_seconds", "board_move",
)  # fmt: skip


class Connection:
    """Everything needed to open a client: the app and the CLI share this."""

    name: str
    """What the header shows: a profile name, "demo" or the host."""
    credential: Credential
    base_url: str
    tz_offset: float
    transport: httpx.AsyncBaseTransport | None
    demo: bool
    read_only: bool
    profile: str | None
    """The profile this came from (None for the demo and ``--base-url``)."""
    sandbox: Any
    """The live in-process sandbox for the demo (tests read what it stored)."""
    now: Callable[[], datetime] | None
    """A frozen clock for "today" (tests and demos); None means the real clock."""
    theme: str | None
    """The theme the config asks for (the profile's, else the top-level one)."""
    keymap: Mapping[str, str]
    """Binding id -> keys from the config's ``[keymap]``."""
    warnings: tuple[str, ...]
    """Things to tell the user without refusing (e.g. a config file others can read)."""
    web_url: str
    """The Close web app the records' links point into (the profile's ``web_url``)."""
    poll_seconds: float
    """The live list's interval (the profile's ``poll_seconds``); 0: no polling."""
    board_move: str
    """What a card moved on the board does: ``draft`` (wait for a send) or ``send``."""

    def __init__(
        self,
        name: str,
        credential: Credential,
        base_url: str = DEFAULT_BASE_URL,
        tz_offset: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        demo: bool = False,
        read_only: bool = False,
        profile: str | None = None,
        sandbox: Any = None,
        now: Callable[[], datetime] | None = None,
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        warnings: tuple[str, ...] = (),
        web_url: str = DEFAULT_WEB_URL,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
        board_move: str = "draft",
    ) -> None:
        self.name = name
        self.credential = credential
        self.base_url = base_url
        self.tz_offset = local_tz_offset() if tz_offset is None else tz_offset
        self.transport = transport
        self.demo = demo
        self.read_only = read_only
        self.profile = profile
        self.sandbox = sandbox
        self.now = now
        self.theme = theme
        self.keymap = {} if keymap is None else keymap
        self.warnings = warnings
        self.web_url = web_url
        self.poll_seconds = poll_seconds
        self.board_move = board_move

    def __repr__(self) -> str:
        # As the dataclass showed it: no transport, sandbox or clock (nor the secret).
        shown = ", ".join(f"{key}={getattr(self, key)!r}" for key in _CONNECTION_REPR)
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A copy with some settings changed (what ``dataclasses.replace`` did)."""
        return type(self)(**{**vars(self), **changes})

    def client(self, **options: Any) -> CloseClient:
        """A new client for this connection (the caller closes it)."""
        return CloseClient(
            self.credential,
            base_url=self.base_url,
            tz_offset=self.tz_offset,
            transport=self.transport,
            **options,
        )


def demo_connection(
    *,
    opportunities: int = 300,
    now: Callable[[], datetime] | None = None,
    tz_offset: float | None = None,
    anchor: datetime | None = None,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
) -> Connection:
    """The built-in sandbox, in process: no account and no network. Its data ends at
    ``anchor``, by default the start of today (by ``now``), so its dates follow today."""
    from closetui.sandbox import DEMO_API_KEY, SandboxConfig, create_app
    from closetui.sandbox.config import day_anchor

    if anchor is None:
        anchor = day_anchor(now() if now is not None else None)
    app = create_app(SandboxConfig(opportunities=opportunities, now=now, anchor=anchor))
    # The seeded records live as long as the app: keep them out of the cyclic GC's
    # full collections, which would otherwise rescan them while the user moves.
    gc.freeze()
    return Connection(
        name="demo",
        credential=Credential.api_key(DEMO_API_KEY),
        base_url=DEMO_BASE_URL,
        tz_offset=local_tz_offset() if tz_offset is None else tz_offset,
        transport=httpx.ASGITransport(app=app),
        demo=True,
        sandbox=app.state.sandbox,
        now=now,
        poll_seconds=poll_seconds,
    )


def url_connection(base_url: str, *, env: str = "CLOSE_API_KEY") -> Connection:
    """Any Close-compatible server, with the API key taken from ``env``."""
    key = os.environ.get(env, "").strip()
    if not key:
        raise ConnectError(f"--base-url needs an API key in the {env} environment variable")
    host = httpx.URL(base_url).host or base_url
    return Connection(name=host, credential=Credential.api_key(key), base_url=base_url)


NO_PROFILE = "no profile yet: run `closetui profile add NAME`, or try `closetui --demo`"


def resolve_connection(
    *,
    demo: bool = False,
    base_url: str | None = None,
    profile: str | None = None,
    config: str | Path | None = None,
    tz_offset: float | None = None,
) -> Connection:
    """The connection asked for: ``demo`` > ``base_url`` > ``profile`` > the default profile.

    ``config`` is the ``--config`` path (else ``$CLOSETUI_CONFIG``, else the default file).
    Raises ConnectError with a message fit for the user, never containing a key.
    """
    failure = ""
    try:
        if demo or base_url:
            connection = _adhoc_connection(demo, base_url, tz_offset)
            _apply_settings(connection, config)
            return connection
        return profile_connection(load_config(config), profile, tz_offset=tz_offset)
    except ConfigError as exc:
        failure = str(exc)
    # Raised here, outside the except block, so nothing from the config rides along.
    raise ConnectError(failure)


def profile_connection(
    loaded: LoadedConfig, name: str | None = None, *, tz_offset: float | None = None
) -> Connection:
    """The connection for a profile (the config's default when ``name`` is None)."""
    settings = loaded.config
    name = name or settings.default_profile
    if not name:
        if settings.profiles:
            names = ", ".join(settings.profiles)
            raise ConfigError(
                f"no default profile: pick one with --profile NAME or "
                f"`closetui profile default NAME` (profiles: {names})"
            )
        raise ConfigError(NO_PROFILE)
    profile = loaded.profile(name)
    from closetui.config.keys import resolve_credential

    return Connection(
        name=name,
        profile=name,
        credential=resolve_credential(name, profile),
        base_url=profile.base_url,
        tz_offset=_first(tz_offset, profile.tz_offset, local_tz_offset()),
        read_only=profile.read_only,
        theme=profile.theme or settings.theme,
        keymap=dict(settings.keymap),
        warnings=loaded.warnings,
        web_url=profile.web_url,
        poll_seconds=profile.poll_seconds,
        board_move=profile.board_move,
    )


def needs_setup(config: str | Path | None = None) -> bool:
    """True when the app has no profile to open: no default profile in a readable config.

    A config that cannot be read is not "setup": its error is worth showing as it is.
    """
    try:
        loaded = load_config(config)
    except ConfigError:
        return False
    return not loaded.config.default_profile


class Connector:
    """Opens connections by profile name: the app uses it to switch profiles and after setup.

    Tests replace it to point profiles at in-process sandboxes.
    """

    config: str | Path | None
    """The ``--config`` path (None: ``$CLOSETUI_CONFIG``, else the default file)."""
    tz_offset: float | None
    """The ``--tz-offset`` given on the command line, if any (wins over profiles)."""
    _demo: Connection | None

    def __init__(self, config: str | Path | None = None, tz_offset: float | None = None) -> None:
        self.config = config
        self.tz_offset = tz_offset
        self._demo = None

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(config={self.config!r}, tz_offset={self.tz_offset!r})"

    @property
    def path(self) -> Path:
        """The config file: read for profiles, written by setup and the theme switch."""
        return config_path(self.config)

    def load(self) -> LoadedConfig:
        """The config as it is on disk now (ConfigError when unreadable)."""
        return load_config(self.config)

    def profile(self, name: str) -> Connection:
        """The named profile's connection; ConnectError (safe to show) when unusable."""
        failure = ""
        try:
            return profile_connection(self.load(), name, tz_offset=self.tz_offset)
        except ConfigError as exc:
            failure = str(exc)
        raise ConnectError(failure)

    def demo(self) -> Connection:
        """The in-process demo (one sandbox per run, so its changes last the session)."""
        if self._demo is None:
            self._demo = demo_connection(tz_offset=self.tz_offset)
            _apply_settings(self._demo, self.config)
        return self._demo


def _adhoc_connection(demo: bool, base_url: str | None, tz_offset: float | None) -> Connection:
    if demo:
        return demo_connection(tz_offset=tz_offset)
    assert base_url is not None
    from closetui.config.checks import check_base_url

    try:
        check_base_url(base_url)
    except ValueError as exc:
        raise ConnectError(f"--base-url {base_url}: {exc}") from None
    connection = url_connection(base_url)
    if tz_offset is not None:
        connection.tz_offset = tz_offset
    return connection


def _apply_settings(connection: Connection, config: str | Path | None) -> None:
    """Theme and keymap from the config for --demo / --base-url; a broken file only warns."""
    if not config_path(config).exists():
        return  # nothing to apply, and the demo's start-up need not wait for pydantic
    try:
        loaded = load_config(config)
    except ConfigError as exc:
        first = str(exc).splitlines()[0]
        connection.warnings = (f"settings not used: {first}",)
        return
    connection.theme = loaded.config.theme
    connection.keymap = dict(loaded.config.keymap)
    connection.warnings = loaded.warnings


def load_config(config: str | Path | None) -> LoadedConfig:
    """:func:`closetui.config.load_config`, loaded on first use (it needs pydantic)."""
    from closetui.config.load import load_config as load

    return load(config)


def _first(*values: float | None) -> float:
    return next(v for v in values if v is not None)
