"""closetui: a keyboard-first terminal app for the Close CRM API."""

__version__ = "0.1.0"


def version() -> str:
    """closetui's version: the installed distribution's, else the package's own (a
    source tree run without installing). importlib.metadata loads only when asked."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version("closetui")
    except PackageNotFoundError:
        return __version__
