"""The Textual app: screens, widgets and styles (the only layer that imports textual)."""
