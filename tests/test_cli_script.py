"""The installed ``peppol-ubl`` console script, in a new process, validating one file.

Its cold-start time is measured by ``benchmarks/validate.py`` and, against a cold process
running the reference, by ``benchmarks/targets.py`` (never asserted here): a median of
0.56 s of wall time for base-example.xml on the development machine (``farm-bench``, 15
runs), most of it Saxon compiling the two cached stylesheets, which Saxon-HE cannot keep
between processes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("peppol-ubl")


def test_installed_script_validates_one_file(shared_dir: Path) -> None:
    assert SCRIPT.is_file(), f"the console script is not installed beside the interpreter: {SCRIPT}"
    document = shared_dir / "examples" / "peppol" / "examples" / "base-example.xml"
    done = subprocess.run([str(SCRIPT), "validate", str(document)], check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("1 document: 1 valid")


def test_installed_script_exit_codes_for_invalid_and_unusable_documents(tmp_path: Path) -> None:
    invalid = tmp_path / "empty-invoice.xml"
    invalid.write_text('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
    refused = tmp_path / "not-ubl.xml"
    refused.write_text("<Order/>")
    done = subprocess.run([str(SCRIPT), "validate", str(invalid)], check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "PU-XSD" in done.stdout
    done = subprocess.run([str(SCRIPT), "validate", str(refused)], check=False,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2  # the input layer refused it: unusable
    assert f"{refused}: UNUSABLE: PU-INPUT-ROOT" in done.stdout
