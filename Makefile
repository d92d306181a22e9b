# Every target creates (or reuses) the local virtualenv in .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

check: test lint

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
