"""What each step of ``validate`` costs in the state the targets are measured in.

``targets.py`` times ours right after the reference's run, so every step of ours finds the
caches full of the reference's data. This profile, for Peppol BIS 3.0.21, times each step
of one ``validate`` call in that state: every example is validated ``--runs`` times, each
time right after a run of the reference (whose own stages are timed the same way), and the
median of each step is printed. A step is a function of the library, timed by wrapping it
for the length of the profile (each wrapper adds a few microseconds); steps nest, so
``run_schematron`` holds the Saxon parse and both transforms, ``check_totals`` holds
``read_document``. "after validate" is the time from ``_validate``'s return to
``validate``'s (freeing the document's tree, mostly).

Read it so: the steps the reference has too (lxml parse, XSD, Saxon parse) cost about what
its own do; the rest is what ours adds or saves. ``--minimal`` also profiles an invoice that
holds nothing but its CustomizationID (every layer runs; the rules report what is missing):
what each side spends on any document, however small, before its content costs anything.

The reference stylesheets (``shared/oracle/phive-xslt/2026.5``) are a benchmark-time oracle
only. Run: ``.venv/bin/python benchmarks/steps.py [--runs N] [EXAMPLE ...]`` (examples
relative to ``shared/examples``; default three Peppol examples; ``--minimal``: the minimal
invoice too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from lxml import etree
from validate_peppol import Reference, reference, ubl_schemas
from validate_schematron import SHARED

import peppol_ubl.validation.api as api
import peppol_ubl.validation.schematron.run as schematron_run
import peppol_ubl.validation.totals as totals
import peppol_ubl.xml.safe as safe
from peppol_ubl.ubl.terms import DEFAULTS
from peppol_ubl.validation.schematron.run import _processor
from peppol_ubl.xml.namespaces import CBC, INVOICE

RULESET = "peppol-bis-3@3.0.21"
RELEASE = "2026.5"
EXAMPLES = ("peppol/examples/base-example.xml", "peppol/examples/vat-category-O.xml",
            "peppol/examples/Allowance-example.xml")
STEPS: tuple[tuple[ModuleType, str], ...] = (
    (api, "select"), (api, "parse_document"), (safe, "_inspect"), (api, "HeldDocument"),
    (api, "_validate"), (api, "_run_xsd"), (api, "run_schematron"), (api, "check_totals"),
    (totals, "read_document"), (api, "_artefacts"), (api, "Report"),
)
"""The functions timed, by module (where the caller looks them up) and name."""
_MINIMAL_ROOT = etree.Element(f"{{{INVOICE}}}Invoice", nsmap={None: INVOICE, "cbc": CBC})
# the CustomizationID the writer gives a Peppol BIS invoice (BT-24)
etree.SubElement(_MINIMAL_ROOT, f"{{{CBC}}}CustomizationID").text = DEFAULTS["header.specification"]
MINIMAL = etree.tostring(_MINIMAL_ROOT, encoding="UTF-8", xml_declaration=True)
"""An invoice with nothing but the CustomizationID of Peppol BIS Billing 3.0 (``--minimal``)."""


@contextmanager
def _timed(found: defaultdict[str, float], ended: dict[str, float]) -> Iterator[None]:
    """Wrap every function of ``STEPS`` (and each stylesheet's transform) so that its time
    adds to ``found``; the time ``_validate`` returned goes to ``ended``. Restored after."""
    saved = [(module, name, getattr(module, name)) for module, name in STEPS]
    saved.append((schematron_run, "_transform", schematron_run._transform))

    def wrap(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                now = time.perf_counter()
                # a transform is told apart by its Schematron file, its third argument
                found[f"  stylesheet {args[2].name}" if name == "_transform" else name] += now - started
                if name == "_validate":
                    ended["_validate"] = now
        return timed

    for module, name, function in saved:
        setattr(module, name, wrap(name, function))
    try:
        yield
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def _reference_stages(official: Reference, xml: bytes) -> dict[str, float]:
    """One run of the reference, each of its stages timed (seconds)."""
    started = time.perf_counter()
    root = etree.fromstring(xml)
    parsed = time.perf_counter()
    official.schemas[etree.QName(root).localname].validate(root)
    checked = time.perf_counter()
    document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    stages = {"lxml parse": parsed - started, "XSD": checked - parsed, "Saxon parse": time.perf_counter() - checked}
    for number, stylesheet in enumerate(official.stylesheets, 1):
        began = time.perf_counter()
        stylesheet.transform_to_string(xdm_node=document)
        stages[f"stylesheet {number}"] = time.perf_counter() - began
    stages["all"] = time.perf_counter() - started
    return stages


def _profile(official: Reference, xml: bytes, runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """The median of each stage of the reference's and each step of ours, in seconds."""
    theirs: list[dict[str, float]] = []
    ours: list[defaultdict[str, float]] = []
    for number in range(runs + 2):  # the first two warm up
        stages = _reference_stages(official, xml)
        found: defaultdict[str, float] = defaultdict(float)
        ended: dict[str, float] = {}
        with _timed(found, ended):
            started = time.perf_counter()
            api.validate(xml, ruleset=RULESET)
            returned = time.perf_counter()
        found["after validate"] = returned - ended["_validate"]
        found["all"] = returned - started
        if number >= 2:
            theirs.append(stages)
            ours.append(found)
    return ({name: statistics.median(run[name] for run in theirs) for name in theirs[0]},
            {name: statistics.median(run[name] for run in ours) for name in ours[0]})


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="validations per example (default 40)")
    parser.add_argument("--minimal", action="store_true",
                        help="also an invoice with nothing but its CustomizationID")
    parser.add_argument("examples", nargs="*", default=EXAMPLES, help="paths under shared/examples")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    official = reference(RELEASE, ubl_schemas())
    documents = [(name, (SHARED / "examples" / name).read_bytes()) for name in args.examples]
    if args.minimal:
        documents.append((f"invoice with only a CustomizationID ({len(MINIMAL)} bytes)", MINIMAL))
    for name, xml in documents:
        theirs, ours = _profile(official, xml, args.runs)
        print(f"\n{name}: each right after the reference's run, median of {args.runs} (ms)")
        print("  reference: " + ", ".join(f"{stage} {seconds * 1000:.3f}" for stage, seconds in theirs.items()))
        for step, seconds in ours.items():
            print(f"  {step:<44} {seconds * 1000:8.3f}")


if __name__ == "__main__":
    main()
