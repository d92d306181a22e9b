"""Quitting mid-send: the first ctrl+q warns, a second one soon after quits anyway."""

from __future__ import annotations

import time
from collections.abc import Callable

QUIT_AGAIN_WITHIN = 5.0
"""Seconds in which a second ctrl+q quits although requests are on their way."""


class QuitGuard:
    """Decides whether ``ctrl+q`` quits now, or first says what quitting would cut off.

    Quitting kills the requests on their way: a PUT already sent may or may not have
    been applied, and a bulk send's remaining rows are never sent. So while anything is
    sending, quitting takes a second ``ctrl+q`` within :data:`QUIT_AGAIN_WITHIN` seconds.
    """

    def __init__(
        self, within: float = QUIT_AGAIN_WITHIN, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.within = within
        """How long a warning stays armed."""
        self.clock = clock
        self._warned_at: float | None = None

    def check(self, on_their_way: int, key: str = "ctrl+q") -> str | None:
        """None: quit now. Else the warning to show (the next ``key`` soon quits)."""
        now = self.clock()
        warned, self._warned_at = self._warned_at, None
        if on_their_way <= 0 or (warned is not None and now - warned <= self.within):
            return None
        self._warned_at = now
        return warning(on_their_way, key)


def warning(on_their_way: int, key: str = "ctrl+q") -> str:
    """What quitting now would do to ``on_their_way`` requests (``key`` quits)."""
    many = on_their_way != 1
    return (
        f"{on_their_way} request{'s are' if many else ' is'} on {'their' if many else 'its'} "
        f"way; {key} again quits anyway ({'they' if many else 'it'} may or may not be saved)"
    )
