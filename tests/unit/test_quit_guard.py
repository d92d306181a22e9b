"""The quit guard's timing and wording (no app: a clock moved by hand)."""

from __future__ import annotations

from closetui.ui.flows.quit_guard import QuitGuard, warning


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_nothing_on_its_way_quits_at_once() -> None:
    assert QuitGuard(clock=Clock()).check(0) is None


def test_the_second_ask_within_the_window_quits_and_a_late_one_warns_again() -> None:
    clock = Clock()
    guard = QuitGuard(within=5, clock=clock)
    assert guard.check(2) == warning(2)
    clock.now = 5.0
    assert guard.check(2) is None
    clock.now = 6.0
    assert guard.check(1) is not None  # quitting was not done: a new first ask
    clock.now = 11.5
    assert guard.check(1) is not None  # too late for the one before
    clock.now = 12.0
    assert guard.check(3) is None


def test_a_warning_is_forgotten_once_nothing_is_sending() -> None:
    clock = Clock()
    guard = QuitGuard(within=5, clock=clock)
    assert guard.check(1) is not None
    assert guard.check(0) is None  # sending ended: quits, and the warning is spent
    clock.now = 1.0
    assert guard.check(1) is not None


def test_the_warning_counts_and_says_what_may_happen() -> None:
    one = "1 request is on its way; ctrl+q again quits anyway (it may or may not be saved)"
    assert warning(1) == one
    assert warning(6) == (
        "6 requests are on their way; ctrl+q again quits anyway (they may or may not be saved)"
    )


def test_drafts_in_memory_only_hold_the_quit_up_too() -> None:
    clock = Clock()
    guard = QuitGuard(within=5, clock=clock)
    said = guard.check(0, unsaved=["Acme"])
    assert said == (
        "1 unsent draft is not saved to disk (Acme) and would be lost; "
        "ctrl+q again quits anyway (the draft is lost)"
    )
    clock.now = 1.0
    assert guard.check(0, unsaved=["Acme"]) is None  # the second ask quits


def test_the_warning_names_a_few_drafts_and_says_both_losses() -> None:
    names = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
    assert warning(2, "f10", names) == (
        "2 requests are on their way; 5 unsent drafts are not saved to disk (Acme, Globex, "
        "Initech and 2 more) and would be lost; f10 again quits anyway (requests may or "
        "may not be saved, drafts are lost)"
    )
