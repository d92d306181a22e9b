"""Profiles and settings: ``config.toml`` under platformdirs, validated, with key sources.

No textual, no rich: the scripting CLI imports this on every command. Names load lazily
(see ``_EXPORTS``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ConfigError": "errors",
    "KeySourceError": "errors",
    "Problem": "errors",
    "KEYRING_HINT": "keys",
    "KEYRING_SERVICE": "keys",
    "KeySourceKind": "keys",
    "describe_source": "keys",
    "keyring_module": "keys",
    "resolve_credential": "keys",
    "source_kind": "keys",
    "store_in_keyring": "keys",
    "CONFIG_ENV": "paths",
    "config_path": "paths",
    "default_config_path": "paths",
    "display_path": "paths",
    "LoadedConfig": "load",
    "load_config": "load",
    "permission_warning": "load",
    "validate_config": "load",
    "Config": "model",
    "Profile": "model",
    "View": "model",
    "check_base_url": "checks",
    "check_profile_name": "model",
    "check_tz_offset": "checks",
    "check_view_name": "model",
    "parse_tz_offset": "checks",
    "add_profile": "edit",
    "profile_table": "edit",
    "read_document": "edit",
    "remove_profile": "edit",
    "remove_view": "edit",
    "save": "edit",
    "save_view": "edit",
    "set_default_profile": "edit",
    "set_theme": "edit",
    "view_table": "edit",
}
"""Names load with their module on first use: the model and the loader need pydantic
(not wanted at the app's start-up), the writers need tomlkit."""

if TYPE_CHECKING:
    from closetui.config.checks import check_base_url, check_tz_offset, parse_tz_offset
    from closetui.config.edit import (
        add_profile,
        profile_table,
        read_document,
        remove_profile,
        remove_view,
        save,
        save_view,
        set_default_profile,
        set_theme,
        view_table,
    )
    from closetui.config.errors import ConfigError, KeySourceError, Problem
    from closetui.config.keys import (
        KEYRING_HINT,
        KEYRING_SERVICE,
        KeySourceKind,
        describe_source,
        keyring_module,
        resolve_credential,
        source_kind,
        store_in_keyring,
    )
    from closetui.config.load import (
        LoadedConfig,
        load_config,
        permission_warning,
        validate_config,
    )
    from closetui.config.model import (
        Config,
        Profile,
        View,
        check_profile_name,
        check_view_name,
    )
    from closetui.config.paths import CONFIG_ENV, config_path, default_config_path, display_path

__all__ = [
    "CONFIG_ENV",
    "KEYRING_HINT",
    "KEYRING_SERVICE",
    "Config",
    "ConfigError",
    "KeySourceError",
    "KeySourceKind",
    "LoadedConfig",
    "Problem",
    "Profile",
    "View",
    "add_profile",
    "check_base_url",
    "check_profile_name",
    "check_tz_offset",
    "check_view_name",
    "config_path",
    "default_config_path",
    "describe_source",
    "display_path",
    "keyring_module",
    "load_config",
    "parse_tz_offset",
    "permission_warning",
    "profile_table",
    "read_document",
    "remove_profile",
    "remove_view",
    "resolve_credential",
    "save",
    "save_view",
    "set_default_profile",
    "set_theme",
    "source_kind",
    "store_in_keyring",
    "validate_config",
    "view_table",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"closetui.config.{module}"), name)
