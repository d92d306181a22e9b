"""The opportunity list: its widget, canvas, rows, model, filter, marks, prompt, columns."""
