# Every target creates (or reuses) what it needs by itself: Python 3.11+ and make are
# all a machine needs. uv (pinned, with hashes, in requirements-uv.txt) lives in its
# own venv, .uv; it installs exactly uv.lock into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VENV := .uv
UV := $(UV_VENV)/bin/uv
LOWEST := .venv-lowest

# uv uses the Python it is given and never downloads one; .venv is the project's venv.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint check lock upgrade test-lowest clean

$(UV): requirements-uv.txt
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-uv.txt
	touch $(UV)

# Exactly the lock: --locked fails when uv.lock no longer matches pyproject.toml
# (then run `make lock`). Packages first, then closetui, built with the locked hatchling.
$(STAMP): uv.lock pyproject.toml $(UV)
	$(UV) sync --quiet --locked --extra dev --python $(PYTHON) --no-install-project
	$(UV) sync --quiet --locked --extra dev --python $(PYTHON)
	# .pyc files now, as a regular install writes them: with PYTHONDONTWRITEBYTECODE set,
	# every start would compile closetui from source again.
	$(BIN)/python -m compileall -q closetui >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/closetui --demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict closetui
	$(BIN)/lint-imports

check: test lint

# uv.lock after a change to pyproject.toml: keeps every pin the ranges still allow.
lock: $(UV)
	$(UV) lock

# The newest versions the ranges allow: resolve, install, run the whole suite. The new
# uv.lock is left for review (git diff uv.lock); commit it once the suite passes.
upgrade: $(UV)
	$(UV) lock --upgrade
	$(MAKE) test

# The lowest versions pyproject.toml allows for closetui's own dependencies (dev tools
# included), in a venv of their own, then the whole suite there: the lower bounds hold.
test-lowest: $(UV)
	rm -rf $(LOWEST)
	$(UV) venv --quiet --python $(PYTHON) $(LOWEST)
	$(UV) pip compile --quiet --no-header --all-extras --resolution lowest-direct \
		--python $(LOWEST)/bin/python pyproject.toml -o $(LOWEST)/requirements.txt
	$(UV) pip install --quiet --python $(LOWEST)/bin/python -r $(LOWEST)/requirements.txt
	$(UV) pip install --quiet --python $(LOWEST)/bin/python --no-deps --no-build-isolation -e .
	grep -E '^(textual|rich|httpx|pydantic|platformdirs|tomlkit|sniffio|uvicorn)==' \
		$(LOWEST)/requirements.txt
	$(LOWEST)/bin/closetui --version
	$(LOWEST)/bin/python -m pytest -p no:cacheprovider $(TESTS)

clean:
	rm -rf $(VENV) $(UV_VENV) $(LOWEST) .pytest_cache .mypy_cache .ruff_cache
