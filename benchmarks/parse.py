"""Benchmark of the UBL reader: ``parse_report`` next to lxml's own parse of the same bytes.

Warm timings (best of several runs) for ``base-example.xml`` and for invoices of 10 …
10,000 lines made from it by repeating its invoice lines with fresh ids (the totals no
longer add up; the reader does not check them). Columns: lxml's parse with the hardened
parser alone, the input layer (hardened parse + checks), the whole ``parse_report``
(input layer, reading, model validation, unmapped sweep), and the reader's cost per
1,000 lines.

``--attributes`` times instead ``parse_report`` on ``base-example.xml`` with 5,000 …
100,000 attributes on one element (input limits lifted: the default allows 200), where
the unmapped walk reads every attribute: linear since issue 11 (it was quadratic: 20,000
attributes took 1.6 s, 40,000 8.3 s).

Run: ``.venv/bin/python benchmarks/parse.py [--quick] [--attributes]``.
"""

from __future__ import annotations

import argparse
import copy
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from peppol_ubl.ubl import parse_report
from peppol_ubl.xml.safe import InputLimits, hardened_parser, load_document

BASE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "peppol" / "examples" / "base-example.xml"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def invoice_with_lines(count: int) -> bytes:
    """``base-example.xml`` with ``count`` invoice lines (its own lines repeated, new ids)."""
    root = etree.parse(str(BASE), hardened_parser()).getroot()
    lines = root.findall(f"{{{CAC}}}InvoiceLine")
    for line in lines:
        root.remove(line)
    for number in range(1, count + 1):
        line = copy.deepcopy(lines[(number - 1) % len(lines)])
        identifier = line.find(f"{{{CBC}}}ID")
        assert identifier is not None, "base-example's lines have an ID"
        identifier.text = str(number)
        root.append(line)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` timed calls, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


def with_attributes(count: int) -> bytes:
    """``base-example.xml`` with ``count`` attributes on its payment terms note."""
    attributes = " ".join(f'a{i}="v{i}"' for i in range(count)).encode()
    return BASE.read_bytes().replace(b"<cbc:Note>", b"<cbc:Note " + attributes + b">", 1)


def attributes_table(quick: bool) -> None:
    """Print one row per number of attributes on one element."""
    lifted = InputLimits(max_attributes=1_000_000)
    print(f"{'attributes':>10} {'input ms':>9} {'parse ms':>9} {'µs/attribute':>13}")
    for count in (5_000, 20_000) if quick else (5_000, 10_000, 20_000, 40_000, 100_000):
        data = with_attributes(count)
        input_ms = best_of(3, lambda: load_document(data, limits=lifted))
        parse_ms = best_of(3, lambda: parse_report(data, limits=lifted))
        print(f"{count:>10} {input_ms:9.1f} {parse_ms:9.1f} {parse_ms * 1000 / count:13.2f}")


def main() -> None:
    """Print one row per document size (or per number of attributes)."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--quick", action="store_true", help="fewer sizes and runs")
    options.add_argument("--attributes", action="store_true", help="many attributes on one element")
    arguments = options.parse_args()
    quick = arguments.quick
    if arguments.attributes:
        attributes_table(quick)
        return
    sizes = (0, 100, 1000) if quick else (0, 10, 100, 1000, 10000)
    print(f"{'lines':>6} {'KiB':>8} {'lxml ms':>9} {'input ms':>9} {'parse ms':>9} "
          f"{'x lxml':>7} {'ms/1000 lines':>14}")
    baseline = None
    for size in sizes:
        data = BASE.read_bytes() if size == 0 else invoice_with_lines(size)
        runs = 3 if size >= 1000 or quick else 10
        parse_report(data)  # warm-up
        lxml_ms = best_of(runs, lambda: etree.fromstring(data, hardened_parser()))
        input_ms = best_of(runs, lambda: load_document(data))
        parse_ms = best_of(runs, lambda: parse_report(data))
        if size == 0:
            baseline = parse_ms
        per_thousand = (f"{(parse_ms - (baseline or 0)) / size * 1000:14.1f}" if size
                        else f"{'':>14}")
        label = "base" if size == 0 else str(size)
        print(f"{label:>6} {len(data) / 1024:8.0f} {lxml_ms:9.2f} {input_ms:9.2f} {parse_ms:9.2f} "
              f"{parse_ms / lxml_ms:7.1f} {per_thousand}")


if __name__ == "__main__":
    main()
