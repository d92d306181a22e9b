"""Screens of the closetui app: the main list/editor screen, the inspector and help."""
