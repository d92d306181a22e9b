"""How values and changes read as text, without Textual: formats, change lines, send outcomes."""
