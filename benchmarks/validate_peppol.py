"""Benchmark of ``validate()`` under Peppol BIS 3.0.21 and 3.0.20 against the reference stack.

For each rule set, in one process and one Saxon processor, warm timings: the best of
several runs after one warm-up, the reference and ours alternating run by run so that
both see the same machine load:

* ``reference``: what an access point built on the official artefacts does — lxml
  parse, the official UBL 2.1 XSD (lxml), then the Peppol release as ph-schematron
  compiled it (phive-rules 2026.5 for 3.0.21, 2025.11 for 3.0.20; the CEN and the
  Peppol stylesheet, run by saxonche on one parsed document, SVRL to text);
* ``ours``: ``validate(xml, ruleset="peppol-bis-3@…")`` — input safety, the same XSD,
  our compilation of the same Schematron sources, and the totals layer.

The ratio is ours / reference (target ≤ 0.7), reported as the median over the 43
official examples and snippets, and for invoices of 1,000 and 10,000 lines made from
``base-example.xml`` (``invoice_with_lines``). For the large invoices, base-example
and any document where ours is the slower, the time of each stage is printed too: the
reference's lxml parse, XSD, Saxon parse and two stylesheets (each timed on its own),
and the layer durations of our fastest report.

The ph-schematron stylesheets (``shared/oracle/phive-xslt``) are a test-time oracle:
the library never uses them.

Run: ``make bench`` or ``.venv/bin/python benchmarks/validate_peppol.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from lxml import etree
from saxonche import PyXsltExecutable
from validate_schematron import SHARED, best_after, best_time, evict_caches, invoice_with_lines

from peppol_ubl.artifacts import artifact_path, bundles
from peppol_ubl.validation import Report, validate
from peppol_ubl.validation.schematron.run import _processor

PHIVE = SHARED / "oracle" / "phive-xslt"
RULESETS = {"peppol-bis-3@3.0.21": "2026.5", "peppol-bis-3@3.0.20": "2025.11"}
"""Each rule set with the phive-rules release whose compilation is its reference."""
PARTS = ("CEN-EN16931-UBL.xslt", "PEPPOL-EN16931-UBL.xslt")
LARGE = (1000, 10000)
BREAKDOWN = {"peppol/examples/base-example.xml"}
"""Examples whose stages are always printed (a typical small invoice)."""


@dataclass(frozen=True)
class Reference:
    """The official stack for one release: UBL XSDs and the two phive stylesheets."""

    schemas: dict[str, etree.XMLSchema]
    stylesheets: tuple[PyXsltExecutable, ...]

    def run(self, xml: bytes) -> list[str]:
        """Parse, validate against the XSD, run both stylesheets: their SVRL texts."""
        root = etree.fromstring(xml)
        self.schemas[etree.QName(root).localname].validate(root)
        document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
        return [stylesheet.transform_to_string(xdm_node=document) for stylesheet in self.stylesheets]

    def stages(self, xml: bytes, runs: int) -> dict[str, float]:
        """The best time of each stage of ``run``, in seconds."""
        root = etree.fromstring(xml)
        schema = self.schemas[etree.QName(root).localname]
        text = xml.decode("utf-8")
        document = _processor().parse_xml(xml_text=text)
        timings = {
            "lxml parse": best_time(partial(etree.fromstring, xml), runs),
            "XSD": best_time(partial(schema.validate, root), runs),
            "Saxon parse": best_time(partial(_processor().parse_xml, xml_text=text), runs),
        }
        for part, stylesheet in zip(PARTS, self.stylesheets, strict=True):
            timings[part.removesuffix("-EN16931-UBL.xslt")] = best_time(
                partial(stylesheet.transform_to_string, xdm_node=document), runs)
        return timings


def ubl_schemas() -> dict[str, etree.XMLSchema]:
    """The official UBL 2.1 Invoice and CreditNote XSDs, every imported file verified."""
    for pinned in bundles()["ubl-2.1"].files.values():
        artifact_path(pinned.bundle, pinned.path)
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return {
        name: etree.XMLSchema(etree.parse(str(artifact_path("ubl-2.1", f"maindoc/UBL-{name}-2.1.xsd")), parser))
        for name in ("Invoice", "CreditNote")
    }


def reference(release: str, schemas: dict[str, etree.XMLSchema]) -> Reference:
    """The reference stack with the ph-schematron stylesheets of ``release``."""
    compiler = _processor().new_xslt30_processor()
    # given as text: the one processor may read no file (its sandbox, see schematron.run)
    return Reference(schemas, tuple(
        compiler.compile_stylesheet(stylesheet_text=(PHIVE / release / part).read_text(encoding="utf-8"))
        for part in PARTS))


def paired_best(theirs: Callable[[], object], ours: Callable[[], Report], runs: int) -> tuple[float, float, Report]:
    """The best time of each of two actions run alternately ``runs`` times after one
    warm-up each, in seconds, and our fastest report."""
    theirs()
    fastest = ours()
    best_theirs = best_ours = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        theirs()
        best_theirs = min(best_theirs, time.perf_counter() - start)
        start = time.perf_counter()
        report = ours()
        elapsed = time.perf_counter() - start
        if elapsed < best_ours:
            best_ours, fastest = elapsed, report
    return best_theirs, best_ours, fastest


def back_to_back_best(theirs: Callable[[], object], ours: Callable[[], object], runs: int,
                      blocks: int = 2) -> tuple[float, float]:
    """The best time of each of two actions when each runs ``runs`` times in a row (as a
    service validating a stream does), the blocks alternating ``blocks`` times so that
    both see the same machine load; the first run of each block is not counted (it pays
    for whatever ran before). In seconds."""
    best = [float("inf"), float("inf")]
    for _ in range(blocks):
        for side, action in enumerate((theirs, ours)):
            best[side] = min(best[side], best_time(action, runs))
    return best[0], best[1]


def evicted_best(theirs: Callable[[], object], ours: Callable[[], object], runs: int) -> tuple[float, float]:
    """The best time of each of two actions run alternately ``runs`` times, each run right
    after ``evict_caches`` (as in a process that does other work between documents:
    neither side finds its data in the caches). In seconds."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for side, action in enumerate((theirs, ours)):
            best[side] = min(best[side], best_after(evict_caches, action, 1))
    return best[0], best[1]


def layer_times(report: Report) -> dict[str, float]:
    """The duration of each layer that ran, in seconds."""
    return {layer.layer: layer.duration_ms / 1000 for layer in report.layers if layer.status != "not-run"}


def _runs(xml: bytes, quick: bool) -> int:
    return 3 if len(xml) > 1_000_000 else (5 if quick else 20)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}ms"


def _breakdown(label: str, stages: dict[str, float]) -> str:
    return f"    {label:10} " + ", ".join(f"{name} {seconds * 1000:.1f}ms" for name, seconds in stages.items())


def main() -> None:
    """Print, per rule set, the table of timings and ratios, the median, the breakdowns."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, stop at 1,000 lines")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    examples = sorted(p for p in (SHARED / "examples").rglob("*") if p.suffix.lower() == ".xml")
    documents = [(p.relative_to(SHARED / "examples").as_posix(), p.read_bytes()) for p in examples]
    large = [(f"{n} lines", invoice_with_lines(n)) for n in (LARGE[:1] if args.quick else LARGE)]
    schemas = ubl_schemas()
    for ruleset, release in RULESETS.items():
        official = reference(release, schemas)
        print(f"\n{ruleset}: ours validate() vs reference (lxml XSD + phive-rules {release} XSLTs)")
        print(f"{'document':58} {'reference':>11} {'ours':>11} {'ratio':>6}")
        ratios: list[float] = []
        for name, xml in [*documents, *large]:
            runs = _runs(xml, args.quick)
            theirs, ours, report = paired_best(partial(official.run, xml), partial(validate, xml, ruleset=ruleset), runs)
            print(f"{name[:58]:58} {_ms(theirs)} {_ms(ours)} {ours / theirs:6.2f}")
            if name.endswith(" lines") or name in BREAKDOWN or ours > theirs:
                print(_breakdown("reference", official.stages(xml, runs)))
                print(_breakdown("ours", layer_times(report)))
            if not name.endswith(" lines"):
                ratios.append(ours / theirs)
        print(f"median ratio ours/reference over the {len(ratios)} official examples: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
