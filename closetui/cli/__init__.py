"""The ``closetui`` command line: parser and dispatch in :mod:`closetui.cli.main`."""
