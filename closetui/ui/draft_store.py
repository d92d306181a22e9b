"""Unsent drafts, kept per connection (profile) so switching profiles never mixes them up."""

from __future__ import annotations

from closetui.connect import Connection
from closetui.edits import Draft

DraftsByOpportunity = dict[str, Draft]
"""One connection's unsent drafts, by opportunity id."""


def connection_key(connection: Connection) -> str:
    """Which drafts belong to ``connection``: its profile name, ``@demo`` or ``@url:...``.

    Profile names are letters, digits, - and _, so the ``@`` keys never collide with them.
    """
    if connection.profile is not None:
        return connection.profile
    if connection.demo:
        return "@demo"
    return "@url:" + connection.base_url


class SessionDrafts:
    """Every connection's unsent drafts, in memory for the session.

    The one place drafts live: the main screen is handed the dict of its connection and
    edits it in place, so switching away and back finds the drafts where they were.
    (Persisting them with ``closetui.state.DraftStore`` only has to change this class:
    load in :meth:`drafts_for`, save where the main screen edits the dict.)
    """

    def __init__(self) -> None:
        self._by_key: dict[str, DraftsByOpportunity] = {}

    def drafts_for(self, connection: Connection) -> DraftsByOpportunity:
        """The live drafts dict of ``connection`` (created empty the first time)."""
        return self._by_key.setdefault(connection_key(connection), {})

    def counts(self) -> dict[str, int]:
        """How many unsent drafts each connection key has (only those with some)."""
        return {key: len(drafts) for key, drafts in self._by_key.items() if drafts}
