"""Packaging: licence, metadata, the report schema as package data, and dependency floors
that CI proves (scripts/floors.py pins them in a second environment in .ci/run)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import resources
from importlib.metadata import metadata, requires
from pathlib import Path

import peppol_ubl

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
sys.path.insert(0, str(ROOT / "scripts"))
from floors import floors  # noqa: E402


def test_license_file_and_metadata() -> None:
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    meta = metadata("peppol-ubl")
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(urls)
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3.11" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the expression says it


def test_the_report_schema_is_package_data_with_one_home() -> None:
    assert "report.schema.json" in PYPROJECT["tool"]["setuptools"]["package-data"]["peppol_ubl"]
    packaged = resources.files("peppol_ubl").joinpath("report.schema.json")
    assert json.loads(packaged.read_text()) == peppol_ubl.report_schema()
    assert peppol_ubl.report_schema()["$defs"]["document"]["properties"]["status"]["enum"] == [
        "valid", "invalid", "unusable"]
    assert not list(ROOT.glob("fixtures/*report*.json"))  # no second copy
    schema = peppol_ubl.report_schema()
    schema["title"] = "changed"
    assert peppol_ubl.report_schema()["title"] != "changed"  # a fresh copy each call


def test_importing_from_the_repository_root_works() -> None:
    done = subprocess.run([sys.executable, "-c", "import peppol_ubl, peppol_ubl.cli; print(peppol_ubl.__version__)"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == peppol_ubl.__version__
    assert "package-dir" not in PYPROJECT["tool"]["setuptools"]


def test_every_direct_dependency_has_a_floor_that_ci_installs() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    declared = [r for r in [*PYPROJECT["project"]["dependencies"], *extras["test"], *extras["server"],
                            *extras["dask"]] if not r.startswith("peppol-ubl")]
    pinned = floors()
    assert len(pinned) == len(declared)  # scripts/floors.py exits when one has no floor
    assert pinned["pydantic"] == "2.8" and pinned["lxml"] == "6.0.2" and pinned["python-stdnum"] == "2.2"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "scripts/floors.py" in ci and "-c " in ci
    installed = {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in requires("peppol-ubl") or []}
    assert set(pinned) <= installed
