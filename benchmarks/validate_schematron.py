"""Benchmark of the Schematron layer: our compiled rules against the official CEN XSLT.

Warm timings (best of several runs, after one warm-up) in one process and one Saxon
processor, for the official examples and for invoices of 10 … 10,000 lines made from
``base-example.xml`` by repeating its lines with fresh ids (their totals no longer add
up, so a few document-level rules fire; that does not change the work per line):

* ``en16931``: our compilation of the CEN 1.3.16 sources vs the official compiled
  XSLT of the same release, both given the document text (parse included);
* Peppol: our compilation of the Peppol 3.0.19 file alone, and the whole
  ``peppol-bis-3`` Schematron layer (CEN 1.3.14.1 + Peppol). No official compiled
  Peppol XSLT is pinned, so the Peppol ratio is estimated from the project lead's
  figures for the official XSLTs (CEN 4.5 ms and Peppol 2.9 ms on the base example,
  5.7 s and 2.6 s at 10,000 lines), scaled to this machine by the official CEN XSLT
  measured here.

Run: ``.venv/bin/python benchmarks/validate_schematron.py [--quick]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import time
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

from lxml import etree

from peppol_ubl.artifacts import artifact_path
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron
from peppol_ubl.validation.schematron.run import _processor

SHARED = Path(__file__).resolve().parents[2] / "shared"

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
BASE = SHARED / "examples" / "peppol" / "examples" / "base-example.xml"
# The project lead's timings of the official CEN and Peppol XSLTs, in seconds.
_LEAD_REFERENCE = {"base-example.xml": (0.0045, 0.0029), "10000 lines": (5.7, 2.6)}


def invoice_with_lines(count: int) -> bytes:
    """``base-example.xml`` with ``count`` invoice lines (its own lines repeated, new ids)."""
    root = etree.parse(str(BASE)).getroot()
    lines = root.findall(f"{{{CAC}}}InvoiceLine")
    anchor = lines[-1].getnext()
    for line in lines:
        root.remove(line)
    for number in range(1, count + 1):
        line = copy.deepcopy(lines[(number - 1) % len(lines)])
        identifier = line.find(f"{{{CBC}}}ID")
        assert identifier is not None, "every line of base-example has an ID"
        identifier.text = str(number)
        if anchor is None:
            root.append(line)
        else:
            anchor.addprevious(line)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def failing_invoice_with_lines(count: int) -> bytes:
    """``invoice_with_lines(count)`` with three failures on every line: an invoiced
    quantity in a unit code of no code list (BR-CL-23), an item without a name (BR-25)
    and an item classification in an unknown list (BR-CL-13)."""
    root = etree.fromstring(invoice_with_lines(count))
    for line in root.iterchildren(f"{{{CAC}}}InvoiceLine"):
        quantity, item = line.find(f"{{{CBC}}}InvoicedQuantity"), line.find(f"{{{CAC}}}Item")
        name = item.find(f"{{{CBC}}}Name") if item is not None else None
        assert quantity is not None and item is not None and name is not None, "as in base-example"
        quantity.set("unitCode", "XXX")
        item.remove(name)
        for code in item.iterfind(f"{{{CAC}}}CommodityClassification/{{{CBC}}}ItemClassificationCode"):
            code.set("listID", "QQQ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def best_time(action: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` timed calls after one warm-up, in seconds."""
    action()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def best_after(before: Callable[[], object], action: Callable[[], object], runs: int) -> float:
    """The best time of ``action`` over ``runs``, each right after ``before``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        before()
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


EVICTION_BYTES = 64 * 1024 * 1024
"""What ``evict_caches`` writes: twice the last-level cache (32 MiB) of the machines
measured, the most that evicting more still slowed (``validate`` after 32 MiB written
took as long as after 64 or 128, after 4 MiB as after none)."""


@cache
def _scratch() -> bytearray:
    return bytearray(EVICTION_BYTES)


def evict_caches() -> None:
    """Write one byte of every cache line of ``EVICTION_BYTES``, so that what runs next
    finds none of its data in the caches (as after other work in the same process)."""
    scratch = _scratch()
    scratch[::64] = bytes(len(scratch) // 64)


def evicted_time(action: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` timed calls, each right after ``evict_caches``, after one
    warm-up, in seconds."""
    action()
    return best_after(evict_caches, action, runs)


def stylesheet_runner(text: str) -> Callable[[object], object]:
    """XSLT text compiled by our one processor: a function running it on a parsed document."""
    executable = _processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)
    return lambda node: executable.transform_to_string(xdm_node=node)


def official_cen_runner() -> Callable[[bytes], str]:
    """The official compiled CEN 1.3.16 XSLT, run directly: parse, transform to SVRL text."""
    path = artifact_path("cen-en16931-ubl", "xslt/EN16931-UBL-validation.xslt")
    text = path.read_text(encoding="utf-8")  # our processor fetches nothing, files neither
    executable = _processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=text)

    def run(xml: bytes) -> str:
        document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
        return str(executable.transform_to_string(xdm_node=document))

    return run


def main() -> None:
    """Print the timings and ratios as a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, stop at 1,000 lines")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    official = official_cen_runner()
    en16931, peppol = get_ruleset("en16931@1.3.16"), get_ruleset("peppol-bis-3@3.0.19")
    documents = [(p.name, p.read_bytes()) for p in sorted((SHARED / "examples" / "peppol" / "examples").glob("*.xml"))]
    sizes = (10, 100, 1000) if args.quick else (10, 100, 1000, 10000)
    documents += [(f"{n} lines", invoice_with_lines(n)) for n in sizes]
    peppol_file = peppol.schematron_paths()[-1]
    print(f"{'document':32} {'official CEN':>12} {'our CEN':>9} {'ratio':>6} {'our Peppol':>11} {'peppol-bis-3':>13}")
    ratios = []
    for name, xml in documents:
        runs = 3 if len(xml) > 1_000_000 else (5 if args.quick else 20)
        theirs = best_time(partial(official, xml), runs)
        ours = best_time(partial(run_schematron, en16931, xml), runs)
        ours_peppol = best_time(partial(run_schematron, peppol_file, xml), runs)
        ours_layer = best_time(partial(run_schematron, peppol, xml), runs)
        ratios.append(ours / theirs)
        print(
            f"{name:32} {theirs * 1000:10.1f}ms {ours * 1000:7.1f}ms {ours / theirs:6.2f}"
            f" {ours_peppol * 1000:9.1f}ms {ours_layer * 1000:11.1f}ms"
        )
        if name in _LEAD_REFERENCE:
            lead_cen, lead_peppol = _LEAD_REFERENCE[name]
            estimate = lead_peppol * theirs / lead_cen
            print(f"{'':32} est. official Peppol here {estimate * 1000:.1f}ms, ratio {ours_peppol / estimate:.2f}")
    print(f"median ratio ours/official (CEN 1.3.16): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
