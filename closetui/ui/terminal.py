"""Handing the terminal to another program (the user's editor or pager) while the app waits."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SuspendNotSupported

if TYPE_CHECKING:
    from pathlib import Path

    from textual.widget import Widget

Program = Callable[[], int]
"""Runs in the foreground with the terminal to itself; returns its exit code."""
HandOver = Callable[[App[Any], Program], int]
"""Runs a program with the app out of the way: :func:`suspended`, or a test's stand-in."""


class CannotHandOver(Exception):
    """The app cannot step aside in this terminal (a headless run, Textual Web)."""


def suspended(app: App[Any], program: Program) -> int:
    """Run ``program`` with the app suspended (``App.suspend``: the terminal as it was
    before the app started, restored after); its exit code."""
    try:
        with app.suspend():
            return program()
    except SuspendNotSupported:
        raise CannotHandOver(
            "this terminal cannot hand the screen to another program (no suspend here)"
        ) from None


class HandsOver(App[None]):
    """An app that says how it hands the terminal over (tests replace :attr:`hand_over`)."""

    hand_over: HandOver = staticmethod(suspended)
    """Runs a program with the app out of the way."""


def hand_over(app: App[Any], program: Program) -> int:
    """Run ``program`` through ``app``'s :attr:`HandsOver.hand_over` (else suspended);
    raises :class:`CannotHandOver`."""
    run = app.hand_over if isinstance(app, HandsOver) else suspended
    return run(app, program)


def edit_externally(widget: Widget, text: str, *, suffix: str = ".txt") -> str | None:
    """Let the user edit ``text`` in their editor, the app handed aside; the new text, or
    None when it did not change or could not be edited (``widget`` says why)."""
    from closetui.external_editor import EditorMissing, edit_text, editor_argv, run_program

    try:
        argv = editor_argv()  # before suspending: a missing editor is said in the app
    except EditorMissing as exc:
        widget.notify(f"{exc}; set $EDITOR", severity="warning", markup=False)
        return None

    def run(path: Path) -> int:
        return hand_over(widget.app, partial(run_program, argv, path))

    try:
        edited = edit_text(text, run, suffix=suffix)
    except CannotHandOver as exc:
        widget.notify(f"{exc}: edit the text here", severity="warning", markup=False)
        return None
    if edited.problem is not None:
        widget.notify(edited.problem, severity="warning", markup=False)
    elif edited.text is None:
        widget.notify("No change from the editor.", timeout=3, markup=False)
    return edited.text


def page_externally(widget: Widget, text: str, *, suffix: str = ".txt") -> None:
    """Show ``text`` in the user's pager ($PAGER, else less -R, else more), the app handed
    aside; ``widget`` says what went wrong."""
    from closetui.external_editor import PagerMissing, pager_argv, private_temp_file, run_program

    try:
        argv = pager_argv()
    except PagerMissing as exc:
        widget.notify(f"{exc}; set $PAGER", severity="warning", markup=False)
        return
    with private_temp_file(text, suffix) as path:
        try:
            code = hand_over(widget.app, partial(run_program, argv, path))
        except CannotHandOver as exc:
            widget.notify(str(exc), severity="warning", markup=False)
            return
    if code != 0:
        widget.notify(f"The pager exited with {code}.", severity="warning", markup=False)
