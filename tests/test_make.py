"""The Makefile: targets that do nothing when nothing changed (a stamp on pyproject.toml),
never upgrade pip, and import ../shared/artifacts into the user cache once.

Run on a copy of the Makefile with a stand-in interpreter that logs what it is asked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAND_IN = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with our Makefile, a pyproject.toml, a venv whose python and
    peppol-ubl only log their arguments, and ../shared/artifacts beside it."""
    root = tmp_path / "project"
    bin_ = root / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (root / "Makefile").write_text((ROOT / "Makefile").read_text())
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for name in ("python", "peppol-ubl"):
        (bin_ / name).write_text(STAND_IN.format(log=tmp_path / "calls.log"))
        (bin_ / name).chmod(0o755)
    (tmp_path / "shared" / "artifacts").mkdir(parents=True)
    (tmp_path / "shared" / "artifacts" / "MANIFEST.json").write_text("{}")
    return root


def make(project: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PEPPOL_UBL_ARTIFACTS", "MAKEFLAGS")}
    return subprocess.run(["make", "--no-print-directory", *targets], cwd=project, env=env,
                          capture_output=True, text=True, check=True, timeout=60)


def calls(project: Path) -> list[str]:
    log = project.parent / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_install_runs_once_and_then_does_nothing(project: Path) -> None:
    make(project, "install")
    assert calls(project) == [
        "python -m pip install --quiet --disable-pip-version-check -e .[test]",
        f"peppol-ubl artifacts --import {project.parent / 'shared' / 'artifacts'}",
    ]
    make(project, "install")
    assert len(calls(project)) == 2  # nothing changed, nothing ran
    assert subprocess.run(["make", "-q", "install"], cwd=project, check=False).returncode == 0


def test_a_changed_pyproject_reinstalls(project: Path) -> None:
    make(project, "install")
    stamp = project / ".venv" / ".installed"
    os.utime(stamp, (1, 1))  # pyproject.toml is now newer than the stamp
    make(project, "install")
    assert calls(project)[2].startswith("python -m pip install")


def test_no_target_upgrades_pip() -> None:
    text = (ROOT / "Makefile").read_text()
    assert "--upgrade pip" not in text and "-U pip" not in text


def test_demo_and_test_depend_on_the_stamped_install(project: Path) -> None:
    make(project, "install")
    before = len(calls(project))
    make(project, "demo")
    assert [c.split()[:2] for c in calls(project)[before:]] == [["peppol-ubl", "build"]]
