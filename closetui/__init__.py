"""closetui: a keyboard-first terminal app for the Close CRM API."""

__version__ = "0.1.0"
