"""Measurements of fresh processes: peak memory and cold start, ours against the reference.

Each probe is a new Python process (``sys.executable``) that does one validation and
exits, so nothing is warm: for ours, the import of the library, the official XSDs, Saxon
compiling the stylesheets (their XSLT text comes from the user cache, as on any machine
that validated before); for the reference, lxml and saxonche imported, the UBL XSD
parsed, the ph-schematron stylesheets compiled by Saxon from their files, one run.

* ``peak_memory``: the maximum resident set size of each side's process, in KiB (its
  ``VmHWM``, read by the process itself just before it exits);
* ``cold_start``: the wall time of ``python -m peppol_ubl validate FILE`` against the
  reference process on the same file, run alternately, median of each, and the ratio of
  each pair.

The ph-schematron stylesheets (``shared/oracle/phive-xslt``) are a benchmark-time oracle.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

from validate_schematron import SHARED

import peppol_ubl

PHIVE = SHARED / "oracle" / "phive-xslt"
PHIVE_PARTS = ("CEN-EN16931-UBL.xslt", "PEPPOL-EN16931-UBL.xslt")

LARGE_BYTES = 512 * 1024 * 1024
"""The input limit of the probes (the default, 100 MiB, refuses a 100,000-line invoice)."""

_PEAK = """
def _peak_kib():
    # VmHWM: the high-water mark of this process's own memory since its exec. Not
    # getrusage's ru_maxrss, which Linux carries over from the parent the process was
    # forked from (the benchmark's own, holding every document it made).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

_OURS = _PEAK + f"""
import sys
from pathlib import Path
from peppol_ubl.validation import validate
from peppol_ubl.xml.limits import InputLimits
report = validate(Path(sys.argv[1]).read_bytes(), ruleset=sys.argv[2], limits=InputLimits(max_bytes={LARGE_BYTES}))
assert all(layer.status in ("passed", "failed") for layer in report.layers), report.to_text()
print(_peak_kib())
"""

_REFERENCE = _PEAK + """
import sys
from pathlib import Path
from lxml import etree
from saxonche import PySaxonProcessor
from peppol_ubl.artifacts import artifact_path
data = Path(sys.argv[1]).read_bytes()
root = etree.fromstring(data)
name = etree.QName(root).localname
parser = etree.XMLParser(no_network=True, resolve_entities=False)
xsd = artifact_path("ubl-2.1", f"maindoc/UBL-{name}-2.1.xsd")
etree.XMLSchema(etree.parse(str(xsd), parser)).validate(root)
processor = PySaxonProcessor(license=False)
node = processor.parse_xml(xml_text=data.decode("utf-8"))
for part in sys.argv[2:]:
    compiled = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=part)
    compiled.transform_to_string(xdm_node=node)
print(_peak_kib())
"""


def _reference_command(document: Path, release: str) -> list[str]:
    return [sys.executable, "-c", _REFERENCE, str(document), *(str(PHIVE / release / part) for part in PHIVE_PARTS)]


def _run(command: list[str]) -> int:
    """Run a probe; the figure it prints last."""
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1])


def peak_memory(document: Path, ruleset: str, release: str) -> tuple[int, int]:
    """Peak RSS in KiB of one fresh process validating ``document``: ours, the reference."""
    ours = _run([sys.executable, "-c", _OURS, str(document), ruleset])
    return ours, _run(_reference_command(document, release))


def cold_start(document: Path, ruleset: str, release: str, runs: int = 5) -> tuple[float, float, list[float]]:
    """Median wall seconds of a cold ``peppol-ubl validate`` and of the cold reference,
    run alternately ``runs`` times each after one warm-up of each (the page cache), and
    the ratio (ours / reference) of each pair, in the order run: the machine's speed
    drifts while a batch runs, and their spread says how far one batch can be trusted.
    ``document`` must be valid (both exit 0, so neither stopped early).

    The package is byte-compiled first, as pip does when it installs a wheel: a source
    checkout run with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module
    on every start, which no installed copy does (the reference's Python is compiled)."""
    compileall.compile_dir(str(Path(peppol_ubl.__file__).parent), quiet=1)
    ours = [sys.executable, "-m", "peppol_ubl", "validate", "--ruleset", ruleset, str(document)]
    reference = _reference_command(document, release)
    times: dict[int, list[float]] = {0: [], 1: []}
    for attempt in range(runs + 1):
        for side, command in enumerate((ours, reference)):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{command[:4]} exited with {done.returncode}: {done.stderr[-500:]!r}")
            if attempt:
                times[side].append(time.perf_counter() - started)
    pairs = [ours_time / theirs_time for ours_time, theirs_time in zip(times[0], times[1], strict=True)]
    return statistics.median(times[0]), statistics.median(times[1]), pairs
