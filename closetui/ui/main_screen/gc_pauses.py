"""Shorter pauses of Python's full garbage collections once the app has started."""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect once, then move every object alive now out of the collector's sight.

    What is alive once the organisation has loaded and the editor's rows are mounted
    (the widgets, their styles, the models loaded on a thread, the org's schema) lives
    as long as the app, as what was frozen before the run (``cli/tui.py``) does. Python's
    full collections still walked all of it: measured on the board at 120x40, a pause of
    15-35 ms every ~2 s of moving cards, the slowest keys of the session; 5-8 ms once
    frozen (``gc.freeze``). Objects made later are collected as before; the collection
    first keeps garbage alive now out of the frozen set (a cycle frozen and dropped later
    is never freed, the price the list's own freezes pay too)."""
    gc.collect()
    gc.freeze()
