"""Quitting would lose something: the first ctrl+q says what, a second one soon after quits."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

QUIT_AGAIN_WITHIN = 5.0
"""Seconds in which a second ctrl+q quits anyway."""
NAMES_SHOWN = 3
"""How many unsaved drafts the warning names before "and N more"."""


class QuitGuard:
    """Decides whether ``ctrl+q`` quits now, or first says what quitting would cut off.

    Quitting kills the requests on their way (a PUT already sent may or may not have
    been applied; a bulk send's remaining rows are never sent) and loses every draft that
    is not on disk (the state dir could not be written). So while either is so, quitting
    takes a second ``ctrl+q`` within :data:`QUIT_AGAIN_WITHIN` seconds. Drafts that are
    on disk come back on the next start: they never hold a quit up.
    """

    def __init__(
        self, within: float = QUIT_AGAIN_WITHIN, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.within = within
        """How long a warning stays armed."""
        self.clock = clock
        self._warned_at: float | None = None

    def check(
        self, on_their_way: int, key: str = "ctrl+q", unsaved: Sequence[str] = ()
    ) -> str | None:
        """None: quit now. Else the warning to show (the next ``key`` soon quits).

        ``unsaved`` names the drafts that exist in memory only.
        """
        now = self.clock()
        warned, self._warned_at = self._warned_at, None
        if on_their_way <= 0 and not unsaved:
            return None
        if warned is not None and now - warned <= self.within:
            return None
        self._warned_at = now
        return warning(on_their_way, key, unsaved)


def warning(on_their_way: int, key: str = "ctrl+q", unsaved: Sequence[str] = ()) -> str:
    """What quitting now would do to ``on_their_way`` requests and the ``unsaved`` drafts
    (``key`` quits anyway)."""
    parts: list[str] = []
    if on_their_way > 0:
        many = on_their_way != 1
        parts.append(
            f"{on_their_way} request{'s are' if many else ' is'} on "
            f"{'their' if many else 'its'} way"
        )
    if unsaved:
        count = len(unsaved)
        names = ", ".join(unsaved[:NAMES_SHOWN])
        if count > NAMES_SHOWN:
            names += f" and {count - NAMES_SHOWN} more"
        parts.append(
            f"{count} unsent draft{'s are' if count != 1 else ' is'} not saved to disk "
            f"({names}) and would be lost"
        )
    if on_their_way > 0 and not unsaved:
        many = on_their_way != 1
        then = f"{'they' if many else 'it'} may or may not be saved"
    elif not on_their_way:
        then = "the draft is lost" if len(unsaved) == 1 else "the drafts are lost"
    else:
        then = "requests may or may not be saved, drafts are lost"
    return f"{'; '.join(parts)}; {key} again quits anyway ({then})"
