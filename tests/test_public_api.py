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


def test_packages_are_found_and_the_manifests_ship_as_package_data() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["peppol_ubl*"]
    assert "manifests/*.json" in setuptools["package-data"]["peppol_ubl"]
    assert not (ROOT / "peppol_ubl" / "manifests" / "__init__.py").exists()  # data, not a package


def test_package_is_typed() -> None:
    assert (ROOT / "peppol_ubl" / "py.typed").is_file()
