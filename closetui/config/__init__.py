"""Profiles and settings: ``config.toml`` under platformdirs, validated, with key sources.

No textual, no rich: the scripting CLI imports this on every command.
"""

from closetui.config.edit import (
    add_profile,
    profile_table,
    read_document,
    remove_profile,
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
    CONFIG_ENV,
    LoadedConfig,
    config_path,
    default_config_path,
    display_path,
    load_config,
    permission_warning,
    validate_config,
)
from closetui.config.model import (
    Config,
    Profile,
    View,
    check_base_url,
    check_profile_name,
    check_tz_offset,
    check_view_name,
    parse_tz_offset,
)

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
