"""Keeping the organisation's names for shell completion after a command loaded them."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closetui.edits import OrgSchema


def remember_names(args: argparse.Namespace, schema: OrgSchema) -> None:
    """Write ``schema``'s names where ``closetui completion``'s scripts read them."""
    from closetui.completion_names import remember_connection
    from closetui.config.paths import config_path

    remember_connection(
        schema,
        profile=getattr(args, "connection_profile", None),
        demo=bool(getattr(args, "demo", False)),
        config_file=config_path(getattr(args, "config", None)),
    )
