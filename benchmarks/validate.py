"""Benchmark of ``validate()`` against the official artefacts run directly.

For the official Peppol examples and for invoices of 10 … 10,000 lines, in one process:

* ``official``: lxml parse + the official UBL 2.1 XSD (lxml) + the official compiled CEN
  1.3.16 XSLT (saxonche, SVRL to text) — the work a validator built on the official
  artefacts does;
* ``ours en16931``: ``validate(xml, ruleset="en16931")`` — input safety, the same XSD,
  our compilation of the same CEN 1.3.16 sources, and the totals layer;
* ``ours peppol``: ``validate(xml)`` with the default ``peppol-bis-3`` rule set (CEN
  1.3.14.1 + Peppol 3.0.19: more rules, no official compiled counterpart).

The ratio is ours en16931 / official (target ≤ 1.2). Then the cold start of the
``peppol-ubl validate`` command on one file (target ≤ 2 s), compiled stylesheets
already in the user cache as after a first run on the machine.

Run: ``make bench`` or ``.venv/bin/python benchmarks/validate.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from lxml import etree
from validate_schematron import (
    BASE,
    SHARED,
    best_time,
    invoice_with_lines,
    official_cen_runner,
)

from peppol_ubl.artifacts import artifact_path, bundles
from peppol_ubl.validation import validate


def official_runner() -> Callable[[bytes], object]:
    """Parse with lxml, validate against the UBL XSD, run the official CEN XSLT."""
    for pinned in bundles()["ubl-2.1"].files.values():
        artifact_path(pinned.bundle, pinned.path)
    schemas = {
        name: etree.XMLSchema(etree.parse(str(artifact_path("ubl-2.1", f"maindoc/UBL-{name}-2.1.xsd"))))
        for name in ("Invoice", "CreditNote")
    }
    cen = official_cen_runner()

    def run(xml: bytes) -> object:
        root = etree.fromstring(xml)
        schemas[etree.QName(root).localname].validate(root)
        return cen(xml)

    return run


def cold_start(path: Path) -> float:
    """Wall time of one ``peppol-ubl validate`` process on ``path`` (best of 3)."""
    command = [shutil.which("peppol-ubl") or str(Path(sys.executable).parent / "peppol-ubl"),
               "validate", str(path)]
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    """Print the table of timings and ratios, then the cold start."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, stop at 1,000 lines")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    official = official_runner()
    documents = [(p.name, p.read_bytes())
                 for p in sorted((SHARED / "examples" / "peppol" / "examples").glob("*.xml"))]
    sizes = (10, 100, 1000) if args.quick else (10, 100, 1000, 10000)
    documents += [(f"{n} lines", invoice_with_lines(n)) for n in sizes]
    print(f"{'document':32} {'official':>10} {'ours en16931':>13} {'ratio':>6} {'ours peppol':>12}")
    ratios = []
    for name, xml in documents:
        runs = 3 if len(xml) > 1_000_000 else (5 if args.quick else 20)
        theirs = best_time(partial(official, xml), runs)
        ours = best_time(partial(validate, xml, ruleset="en16931"), runs)
        peppol = best_time(partial(validate, xml), runs)
        ratios.append(ours / theirs)
        print(f"{name:32} {theirs * 1e3:8.1f}ms {ours * 1e3:11.1f}ms {ours / theirs:6.2f} "
              f"{peppol * 1e3:10.1f}ms")
    print(f"median ratio ours/official: {statistics.median(ratios):.2f}")
    print(f"cold start 'peppol-ubl validate base-example.xml': {cold_start(BASE):.2f}s")


if __name__ == "__main__":
    main()
