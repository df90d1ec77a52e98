"""Shared test setup: the official artefacts come from the reference folder beside the project."""

import os
from pathlib import Path

import pytest
from shared import SHARED

os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The folder of official reference material (artefacts, conformance sets, examples)."""
    if not SHARED.is_dir():
        pytest.fail(f"the shared reference folder {SHARED} is missing")
    return SHARED
