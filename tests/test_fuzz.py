"""Fuzz: seeded mutants of valid documents (tests/fuzz_mutants.py) through every entry point.

For each mutant: ``validate`` never raises, ``parse_report`` raises only ``ParseError``,
``preflight`` answers 204 or 412; every ``PU-…`` id a report or pre-flight produces is
registered with that layer; when the official compiled CEN 1.3.16 XSLT rejects the mutant
(a fatal failed assert, or an abort), our report on ``en16931@1.3.16`` is not ok; and our
XSD layer (lxml) gives the verdict of an independent XSD validator (``xmlschema``; its one
known defect, decimals beyond float's range, is set aside).

A few hundred mutants per run (``BATCHES`` × ``PER_BATCH``), more under the ``slow``
marker. Each batch has its own seed: a failure names it and the mutations applied.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import xmlschema
from fuzz_mutants import mutant
from lxml import etree
from official import official_cen
from saxonche import PySaxonApiError
from shared import EXAMPLES

from peppol_ubl.artifacts import artifact_path
from peppol_ubl.codes import CODES
from peppol_ubl.errors import ParseError
from peppol_ubl.findings import Finding
from peppol_ubl.model import Invoice
from peppol_ubl.sending import preflight
from peppol_ubl.ubl.reader import parse_report
from peppol_ubl.ubl.writer import to_xml
from peppol_ubl.validation.api import validate
from peppol_ubl.xml.safe import parse_document

RULESET = "en16931@1.3.16"
ROOT = Path(__file__).resolve().parents[1]
BATCHES, PER_BATCH = 6, 50
SLOW_BATCHES = 40


def seeds() -> list[bytes]:
    ours = Invoice.model_validate_json((ROOT / "fixtures" / "invoices" / "allowances-charges.json").read_text())
    return [
        (EXAMPLES / "peppol" / "examples" / "base-example.xml").read_bytes(),
        (EXAMPLES / "cen" / "ubl-tc434-creditnote1.xml").read_bytes(),
        to_xml(ours),
    ]


@cache
def _independent_schema(document_type: str) -> xmlschema.XMLSchema10:
    main = artifact_path("ubl-2.1", f"maindoc/UBL-{document_type}-2.1.xsd")
    return xmlschema.XMLSchema10(str(main), allow="local")


def _beyond_float(error: xmlschema.XMLSchemaValidationError) -> bool:
    """xmlschema's one known defect here: it checks an xs:decimal through ``float``, so a
    finite decimal beyond float's range (``9`` × 5,000) becomes infinite and "not a valid
    xs:decimal". XSD's decimal has no such bound, and lxml is right."""
    number = error.obj  # the decoded value
    return (error.reason == "value is not a valid xs:decimal" and isinstance(number, Decimal)
            and number.is_finite() and math.isinf(float(number)))


def independent_verdict(document_type: str, payload: bytes) -> bool:
    """Whether ``xmlschema`` finds the payload valid (its known defect aside). It is given
    lxml's tree without comments and processing instructions, which it would take for
    child elements (and expat, its own parser, refuses names that libxml2 reads)."""
    tree = etree.fromstring(payload)
    etree.strip_tags(tree, etree.Comment, etree.PI)
    errors = _independent_schema(document_type).iter_errors(tree)
    return all(_beyond_float(error) for error in errors)


def official_rejects(data: bytes) -> bool:
    """Whether the official CEN XSLT rejects the document as our input layer read it (a
    fatal failed assert, or an abort). Documents our input layer refuses need no oracle."""
    try:
        found = official_cen(data)
    except (PySaxonApiError, UnicodeDecodeError):
        return True
    return any(flag == "fatal" for _, flag, _ in found)


def registered(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    """The PU ids among ``findings`` that are not registered with the layer they came from."""
    return [f"{f.rule_id} ({f.layer})" for f in findings
            if f.rule_id.startswith("PU-") and (f.rule_id not in CODES or CODES[f.rule_id].layer != f.layer)]


def check(data: bytes, what: str, with_preflight: bool) -> Counter[str]:
    """Every property on one mutant; what was checked, for the batch's counts."""
    report = validate(data, ruleset=RULESET)
    assert registered(report.findings) == [], what
    try:
        parse_report(data)
    except ParseError:
        pass
    if with_preflight:
        result = preflight(data, ruleset=RULESET)
        assert result.status in (204, 412) and result.accepted == (result.status == 204), what
        assert registered(result.reasons) == [], what
    parsed = parse_document(data)
    if parsed.root is None:
        assert not report.ok, what
        return Counter(["refused by the input layer"])
    counts = Counter(["read"])
    if official_rejects(etree.tostring(parsed.root.getroottree(), encoding="UTF-8")):
        assert not report.ok, f"the official CEN XSLT rejects it, we do not: {what}"
        counts["rejected by the official XSLT"] += 1
    assert parsed.document_type is not None
    independent = independent_verdict(parsed.document_type, parsed.xml)
    ours = report.layer("xsd").status
    assert ours == ("passed" if independent else "failed"), f"xsd {ours}, xmlschema valid={independent}: {what}"
    counts["schema-invalid"] += not independent
    return counts


def run_batch(batch: int) -> None:
    rng = random.Random(f"fuzz-{batch}")
    documents = seeds()
    counts: Counter[str] = Counter()
    for number in range(PER_BATCH):
        data, what = mutant(rng.choice(documents), rng)
        counts += check(data, f"batch {batch} mutant {number}: {what}", with_preflight=number % 5 == 0)
    # the oracles had something to say: the mutants are neither all refused nor all fine
    assert counts["refused by the input layer"] > 0 and counts["read"] > 0, counts


@pytest.mark.parametrize("batch", range(BATCHES))
def test_mutants(batch: int) -> None:
    run_batch(batch)


@pytest.mark.slow
@pytest.mark.parametrize("batch", range(BATCHES, BATCHES + SLOW_BATCHES))
def test_many_more_mutants(batch: int) -> None:
    run_batch(batch)


def test_the_seeds_are_valid() -> None:
    for data in seeds():
        assert validate(data, ruleset=RULESET).ok
        assert independent_verdict(parse_document(data).document_type or "", data)


def test_the_known_defect_of_the_independent_validator_is_set_aside() -> None:
    base = (EXAMPLES / "peppol" / "examples" / "base-example.xml").read_bytes()
    huge = base.replace(b">1656.25<", b">" + b"9" * 400 + b"<")
    assert not _independent_schema("Invoice").is_valid(etree.fromstring(huge))
    assert independent_verdict("Invoice", huge)
    assert not independent_verdict("Invoice", base.replace(b">1656.25<", b">x<"))
