"""The debug log (``--debug`` / ``CLOSETUI_LOG``): a bounded file of requests and events, no key."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

LOG_ENV = "CLOSETUI_LOG"
"""``1`` (or ``true``/``yes``/``on``): log to the default file; a path: log there."""
LOGGER = "closetui"
"""The logger every closetui module logs under (``closetui.api`` …)."""
MAX_BYTES = 1_000_000
"""The file is rotated past this size ..."""
BACKUPS = 3
"""... keeping this many older files (``closetui.log.1`` …): the log stays bounded."""
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"", "0", "false", "no", "off"})
_AUTHORIZATION = re.compile(r"\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{6,}")
_API_KEY = re.compile(r"\bapi_[A-Za-z0-9]{8,}")
_SECRET_ENVS = ("CLOSE_API_KEY", "CLOSE_OAUTH_TOKEN")
"""Variables whose values are keys wherever closetui reads them."""

_active: Path | None = None


def default_log_path() -> Path:
    """``closetui.log`` in the platform's log dir for closetui (``platformdirs``)."""
    import platformdirs

    return platformdirs.user_log_path("closetui") / "closetui.log"


def log_target(debug: bool, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where to log: ``$CLOSETUI_LOG`` (``1`` or a path), else the default file when
    ``debug`` (``--debug``); None when logging is off."""
    env = os.environ if environ is None else environ
    value = env.get(LOG_ENV, "").strip()
    if value.lower() in _ON or (debug and value.lower() in _OFF):
        return default_log_path()
    if value.lower() in _OFF:
        return None
    return Path(value).expanduser()


class Redactor(logging.Filter):
    """Takes keys out of every record: the known ones, Authorization values, API keys."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = {secret for secret in secrets if len(secret) >= 6}
        """Exact values never written (the keys closetui was given)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its redacted text (always kept)."""
        text = record.getMessage()
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        text = _AUTHORIZATION.sub(r"\1 ***", text)
        record.msg, record.args = _API_KEY.sub("api_***", text), None
        return True


def _create_private(path: str | Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (the handler then appends)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))


def _rotate(source: str, dest: str) -> None:
    """Move the full log aside and start the next one private (the handler would open it
    with the umask's mode)."""
    os.replace(source, dest)
    _create_private(source)


def start_logging(path: Path, secrets: Iterable[str] = ()) -> Path:
    """Log closetui's records (debug and up) to ``path``, rotated and private (0600 in a
    0700 folder); ``secrets`` (and the key variables' values) are never written. Raises
    ``OSError`` when the file cannot be opened."""
    global _active
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _create_private(path)
    os.chmod(path, 0o600)  # a file made earlier by hand keeps no wider mode
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.rotator = _rotate
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    known = [*secrets, *(os.environ.get(name, "") for name in _SECRET_ENVS)]
    handler.addFilter(Redactor(known))
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):  # a second start (tests) replaces the first
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # never on the terminal: only in the file
    _active = path
    return path


def hide(secret: str) -> None:
    """Never write ``secret`` (a key read once logging had started) to the log."""
    for handler in logging.getLogger(LOGGER).handlers:
        for log_filter in handler.filters:
            if isinstance(log_filter, Redactor) and len(secret) >= 6:
                log_filter.secrets.add(secret)


def stop_logging() -> None:
    """Close the log file (tests; the process's end closes it too)."""
    global _active
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.NOTSET)
    _active = None


def active_log_path() -> Path | None:
    """The file being logged to, or None when logging is off."""
    return _active
