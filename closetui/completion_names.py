"""Names for shell completion (fields, statuses, owners), kept per connection on disk.

Written whenever the app or a command has loaded the organisation's reference data, read
by the completion scripts with ``cat``: a tab press never starts Python or the network.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from closetui.private_files import write_atomic

if TYPE_CHECKING:
    from closetui.edits import OrgSchema

KINDS = ("fields", "statuses", "owners", "pipelines")
"""One file each, one name a line."""
DEFAULT = "@default"
"""The folder for commands run without --profile or --demo (the default profile)."""
_FOLDER = re.compile(r"@?[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""Profile names, ``demo`` and :data:`DEFAULT`: nothing that could leave the cache dir."""


def cache_dir() -> Path:
    """``completion/`` in the platform's cache dir for closetui."""
    return platformdirs.user_cache_path("closetui") / "completion"


def names_of(schema: OrgSchema) -> dict[str, list[str]]:
    """What completes after ``--set`` (fields), ``--status``, ``--owner``, ``--pipeline``."""
    statuses: list[str] = []
    for pipeline in schema.pipelines:
        for status in pipeline.statuses:
            statuses += [status.label, f"{pipeline.name}/{status.label}"]
    owners: list[str] = []
    for user in schema.users:
        full = " ".join(part for part in (user.first_name, user.last_name) if part)
        owners += [name for name in (full, user.email) if name]
    found = {
        "fields": [field.name for field in schema.custom_fields],
        "statuses": statuses,
        "owners": owners,
        "pipelines": [pipeline.name for pipeline in schema.pipelines],
    }
    # One line each: a name holding a line break could not be completed anyway.
    return {
        kind: list(dict.fromkeys(n for n in names if n.strip() and "\n" not in n and "\r" not in n))
        for kind, names in found.items()
    }


def remember(folder: str, schema: OrgSchema, *, root: Path | None = None) -> None:
    """Keep ``schema``'s names under ``folder`` (a profile name, ``demo`` or
    :data:`DEFAULT`); best effort: completion is a convenience, never a failure."""
    if not _FOLDER.fullmatch(folder):
        return
    where = (root or cache_dir()) / folder
    with contextlib.suppress(OSError):
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        for kind, names in names_of(schema).items():
            write_atomic(where / kind, "".join(f"{name}\n" for name in names).encode())


def default_profile(config_file: Path) -> str | None:
    """The config's ``default_profile`` (read with tomllib alone); None when unreadable."""
    from closetui.text_files import load_toml, read_small_text

    try:
        found = load_toml(read_small_text(config_file)).get("default_profile")
    except (OSError, ValueError):
        return None
    return found if isinstance(found, str) else None


def remember_connection(
    schema: OrgSchema, *, profile: str | None, demo: bool, config_file: Path
) -> None:
    """Keep the names of the connection's organisation: under ``demo``, or its profile
    (and :data:`DEFAULT` when it is the config's default); a bare ``--base-url`` has none."""
    if demo:
        remember("demo", schema)
    elif profile is not None:
        remember(profile, schema)
        if profile == default_profile(config_file):
            remember(DEFAULT, schema)
