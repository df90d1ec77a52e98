"""The public surface is a contract: sorted, importable, documented."""

from __future__ import annotations

import tomllib
from pathlib import Path

import peppol_ubl

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_importable() -> None:
    names = peppol_ubl.__all__
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    for name in names:
        obj = getattr(peppol_ubl, name)
        assert obj.__doc__, f"{name} has no docstring"


def test_every_package_on_disk_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "peppol_ubl").rglob("__init__.py")
    }
    mapped = {"peppol_ubl._pins.schemas", "peppol_ubl._pins.schematron"}
    assert on_disk | mapped == listed


def test_package_is_typed() -> None:
    assert (ROOT / "peppol_ubl" / "py.typed").is_file()
