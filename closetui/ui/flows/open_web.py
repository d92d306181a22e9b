"""Open in Close: the current opportunity's lead page in a browser, else shown and copied."""

from __future__ import annotations

import asyncio
import os
import sys
import webbrowser
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from closetui.api.errors import CloseError
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.widgets.status_line import StatusLine
from closetui.web_links import lead_url

if TYPE_CHECKING:
    from closetui.ui.flows.host import FlowHost
    from closetui.ui.list.rows import ListRow

BrowserOpener = Callable[[str], bool]
"""Opens a URL in a browser; False when none would open (``webbrowser.open``'s contract)."""


class Highlighting(Protocol):
    """What the cursor is on: the list's row, or the board's card."""

    @property
    def highlighted(self) -> ListRow | None:
        """The row (or card) under the cursor, when loaded."""
        ...


def system_browser(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> BrowserOpener | None:
    """``webbrowser.open`` where a browser can show up in front of the user, else None.

    Over SSH a browser would open on the remote machine, out of sight; on Linux without a
    display, ``webbrowser`` falls back to a console browser that would fight the app for
    the terminal. Both get None: the caller shows and copies the URL instead.
    """
    over_ssh = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY"))
    if platform in ("darwin", "win32"):
        return None if over_ssh else webbrowser.open
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):  # a local or forwarded display
        return webbrowser.open
    return None


async def _lead_id(host: FlowHost, view: Highlighting) -> str | None:
    """The lead of the highlighted row or card (the open opportunity's when it is that one)."""
    row = view.highlighted
    state = host.edit_state
    if state is not None and (row is None or row.id == state.opportunity.id):
        return state.opportunity.lead_id
    if row is None:
        return None
    # A row carries no lead id: read the opportunity (one GET).
    return (await host.tui.client.get_opportunity(row.id)).lead_id


async def open_in_close(
    host: FlowHost, opener: BrowserOpener | None, view: Highlighting | None = None
) -> str | None:
    """Open the current opportunity's page in the Close web app with ``opener``; with none
    (or when it fails) show the URL in the status line and copy it (OSC 52). The URL.
    ``view``: where the cursor is (default: the list)."""
    status = host.query_one(StatusLine)
    try:
        lead_id = await _lead_id(host, view or host.query_one(OpportunityList))
    except CloseError as exc:
        status.show(f"Could not find the lead: {str(exc).splitlines()[0]}", "error")
        return None
    if lead_id is None:
        status.show("No opportunity here to open in Close.", "warning")
        return None
    url = lead_url(host.connection.web_url, lead_id)
    demo = " (demo: this lead exists only in the sandbox)" if host.connection.demo else ""
    if opener is not None and await asyncio.to_thread(opener, url):
        status.show(f"Opened in the browser: {url}{demo}")
        return url
    host.app.copy_to_clipboard(url)
    why = "No browser here" if opener is None else "The browser did not open"
    status.show(f"{why}; copied: {url}{demo}")
    return url
