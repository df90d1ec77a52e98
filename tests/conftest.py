"""Shared test setup: the official artefacts come from the reference folder beside the project."""

import os
from pathlib import Path

os.environ.setdefault(
    "PEPPOL_UBL_ARTIFACTS", str(Path(__file__).resolve().parents[2] / "shared" / "artifacts")
)
