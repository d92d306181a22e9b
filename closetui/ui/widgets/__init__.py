"""Widgets of the closetui app."""
