# Development entry points. Nothing here reinstalls when nothing changed: the virtual
# environment is (re)installed when pyproject.toml is newer than its stamp, and the
# official artefacts of ../shared/artifacts are imported into the user cache once (when
# that folder exists), so that the installed command works offline with no variable.
# No target upgrades pip or fetches anything once installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_ARTIFACTS := $(abspath ../shared/artifacts)
HAVE_SHARED := $(wildcard $(SHARED_ARTIFACTS)/MANIFEST.json)
INSTALLED := $(VENV)/.installed
IMPORTED := $(if $(HAVE_SHARED),$(VENV)/.artifacts-imported)
# the tests read the reference folder in place (tests/conftest.py sets the same default)
export PEPPOL_UBL_ARTIFACTS ?= $(if $(HAVE_SHARED),$(SHARED_ARTIFACTS))

.PHONY: install demo test bench

install: $(INSTALLED) $(IMPORTED)

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.artifacts-imported: $(INSTALLED) $(SHARED_ARTIFACTS)/MANIFEST.json
	env -u PEPPOL_UBL_ARTIFACTS $(BIN)/peppol-ubl artifacts --import $(SHARED_ARTIFACTS)
	touch $@

demo: install
	env -u PEPPOL_UBL_ARTIFACTS $(BIN)/peppol-ubl build fixtures/invoices/standard-several-rates.json -o out/standard-several-rates.xml --validate

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/validate_peppol.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/targets.py
