"""The profile picker's choices: the config's profiles, then the built-in demo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from closetui.ui.widgets.picker_screen import PickItem

if TYPE_CHECKING:
    from closetui.config import LoadedConfig

DEMO_CHOICE = "@demo"
"""The picker value for the demo (no profile name can start with ``@``)."""


def profile_choices(
    loaded: LoadedConfig | None, current: str | None, drafts: dict[str, int]
) -> list[PickItem]:
    """One item per profile, then the demo; marked read-only, default, current, drafts.

    ``current`` and the keys of ``drafts`` are draft-store keys (profile names, ``@demo``).
    """
    items: list[PickItem] = []
    profiles = loaded.config.profiles if loaded is not None else {}
    default = loaded.config.default_profile if loaded is not None else None
    for name, profile in profiles.items():
        host = profile.base_url.split("//", 1)[-1].split("/", 1)[0]
        tags = ["read-only"] if profile.read_only else []
        tags += ["default"] if name == default else []
        items.append(
            PickItem(
                name,
                f"{name}  ({host})",
                mark=" · ".join(tags + _state(name, current, drafts)),
                kind="warning" if profile.read_only else "",
            )
        )
    state = _state(DEMO_CHOICE, current, drafts)
    items.append(PickItem(DEMO_CHOICE, "demo  (built-in sandbox)", mark=" · ".join(state)))
    return items


def _state(key: str, current: str | None, drafts: dict[str, int]) -> list[str]:
    parts = ["current"] if key == current else []
    count = drafts.get(key, 0)
    if count:
        parts.append(f"{count} draft{'s' if count != 1 else ''}")
    return parts
