"""Entry point for ``python -m closetui`` and the ``closetui`` console script."""

from closetui.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
