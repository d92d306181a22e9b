"""closetui: a keyboard-first terminal app for the Close CRM API."""

import sys

__version__ = "0.1.0"

# httpx imports its own command line (rich, pygments, click: ~50 ms) whenever those are
# installed, and falls back to a stub on ImportError. closetui never uses that command,
# so take the fallback: the scripting CLI starts faster and the domain layers stay free
# of rich.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
