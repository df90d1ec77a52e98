# Development entry points. The official artefacts come from ../shared/artifacts when
# that folder exists (PEPPOL_UBL_ARTIFACTS), otherwise from the user cache / download.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_ARTIFACTS := $(abspath ../shared/artifacts)
export PEPPOL_UBL_ARTIFACTS ?= $(if $(wildcard $(SHARED_ARTIFACTS)/MANIFEST.json),$(SHARED_ARTIFACTS))

.PHONY: install demo test bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	$(BIN)/peppol-ubl build fixtures/invoices/standard-several-rates.json -o out/standard-several-rates.xml --validate

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/validate_peppol.py
	$(BIN)/python benchmarks/scale.py
