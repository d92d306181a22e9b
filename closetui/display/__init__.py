"""How values and changes read on screen, without Textual: formatting, change lines, send outcomes."""
