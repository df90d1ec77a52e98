"""Where the reference material is, for collection-time parametrization.

Test bodies take the ``shared_dir`` fixture (tests/conftest.py); module-level lists of
file *names* to parametrize over come from here. Nothing is parsed at collection: a bad
file fails its own test, never the collection.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLES = SHARED / "examples"
CONFORMANCE = SHARED / "conformance"


def xml_files(folder: Path) -> list[Path]:
    """Every ``*.xml`` below ``folder`` (any case of the suffix: official examples use
    ``.XML`` too), sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".xml" and p.is_file())
