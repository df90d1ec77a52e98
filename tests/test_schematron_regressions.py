"""Compiler defects found with official rule sets, each pinned against an oracle.

* **A rule context that raises does not match.** The German rules DE-R-019 … DE-R-025
  of Peppol 3.0.19 and 3.0.20 have the context
  ``(…/cac:PaymentMeans[cbc:PaymentMeansCode = (30,58)] | …)[$supplierCountryIsDE and …]``;
  on a code that is not a number (``ZZZ``) the comparison raises FORG0001. XSLT 3.0
  treats an error while matching a pattern as "no match", and so do ph-schematron (the
  oracle: its compilation of 3.0.20 and 3.0.21 under ``shared/oracle/phive-xslt``) and
  SchXslt: the rules do not apply there, and none of them may be reported.
* **A pattern without rules keeps its variables.** XRechnung's ``common.sch`` is one
  pattern of ``let``\\s only (``variable-pattern``) whose variables the rules of the
  other patterns use; the rules compiled against it must find them. Both the 2.5.0
  source and phive's release build (``release-3.0.2``, 21 Peppol rules injected) are
  checked on a few pack documents against phive's compilation
  (``shared/oracle/packs/xrechnung-ubl-2.5.0``: ``expected.json`` for the release,
  ``expected.source-only.json`` for the source). The entry points include
  ``../common.sch``, outside their folder, which only a trusted (pinned) file may.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from official import svrl_findings

from peppol_ubl.artifacts import artifact_path
from peppol_ubl.xml.safe import parse_document
from peppol_ubl.validation.schematron import run_schematron, severity_of

_SHARED = Path(__file__).resolve().parents[2] / "shared"
_GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "allowances-charges.xml"
_PEPPOL = "sch/PEPPOL-EN16931-UBL.sch"
# Peppol releases and the ph-schematron compilation of each (None: no oracle pinned).
RELEASES = {"peppol-bis-billing-3": None, "peppol-bis-billing-3.0.20": "2025.11", "peppol-bis-billing-3.0.21": "2026.5"}


def _payment_means_code(xml: bytes, code: bytes) -> bytes:
    changed = xml.replace(b"<cbc:PaymentMeansCode>30<", b"<cbc:PaymentMeansCode>" + code + b"<")
    assert changed != xml
    return changed


def _not_a_number() -> bytes:
    """The golden invoice (Belgian parties) with payment means code ``ZZZ``."""
    return _payment_means_code(_GOLDEN.read_bytes(), b"ZZZ")


def _german_with_a_bad_iban_and_a_code_zzz() -> bytes:
    """German parties; a SEPA transfer (58) to an IBAN whose check digits fail, then ``ZZZ``."""
    xml = _payment_means_code(_GOLDEN.read_bytes(), b"58")
    xml = xml.replace(b">BE</cbc:IdentificationCode>", b">DE</cbc:IdentificationCode>")
    xml = xml.replace(b"BE68539007547034", b"DE00000000000000000000")
    zzz = b"<cac:PaymentMeans><cbc:PaymentMeansCode>ZZZ</cbc:PaymentMeansCode></cac:PaymentMeans>"
    return xml.replace(b"</cac:PaymentMeans>", b"</cac:PaymentMeans>" + zzz, 1)


DOCUMENTS = {"not-a-number": _not_a_number, "german": _german_with_a_bad_iban_and_a_code_zzz}


def _ours(bundle: str, xml: bytes) -> set[tuple[str, str, str | None]]:
    return {(f.rule_id, f.severity, f.location) for f in run_schematron(artifact_path(bundle, _PEPPOL), xml)}


@pytest.mark.parametrize("bundle", ["peppol-bis-billing-3", "peppol-bis-billing-3.0.20"])
def test_a_payment_means_code_that_is_not_a_number_triggers_no_german_rule(bundle: str) -> None:
    assert {rule_id for rule_id, _, _ in _ours(bundle, _not_a_number())} == set()


@pytest.mark.parametrize("bundle", ["peppol-bis-billing-3", "peppol-bis-billing-3.0.20"])
def test_german_rules_apply_to_the_payment_means_whose_context_matches(bundle: str) -> None:
    assert _ours(bundle, _german_with_a_bad_iban_and_a_code_zzz()) == {
        ("DE-R-019", "warning", "/*:Invoice[1]/*:PaymentMeans[1]")
    }


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("bundle", [b for b, tag in RELEASES.items() if tag])
def test_the_ph_schematron_compilation_agrees(bundle: str, document: str) -> None:
    xml = DOCUMENTS[document]()
    oracle = _SHARED / "oracle" / "phive-xslt" / str(RELEASES[bundle]) / "PEPPOL-EN16931-UBL.xslt"
    theirs = {(rule_id, severity_of(flag)) for rule_id, flag, _ in svrl_findings(oracle, xml)}
    assert {(rule_id, severity) for rule_id, severity, _ in _ours(bundle, xml)} == theirs


_XRECHNUNG = "xrechnung-ubl-2.5.0"
_XRECHNUNG_ORACLE = _SHARED / "oracle" / "packs" / _XRECHNUNG
# entry point and the file it includes -> the oracle's expectations for it
XRECHNUNG = {
    "ubl/XRechnung-UBL-validation.sch": ("common.sch", "expected.source-only.json"),
    "release-3.0.2/ubl/XRechnung-UBL-validation.sch": ("release-3.0.2/common.sch", "expected.json"),
}
# a few documents exercising the variables of common.sch (customization ids, the
# Skonto regex, the extension code lists) and the injected Peppol rules
XRECHNUNG_DOCUMENTS = (
    "testsuite/business-cases/standard/01.01a-INVOICE_ubl.xml",
    "testsuite/business-cases/extension/04.01a-INVOICE_ubl.xml",
    "instances/ubl-inv/ubl-inv-br-de-18-case-sensitive-keyword-2.xml",
    "instances/ubl-inv/ubl-inv-br-dex-04-schemeid-test-3.xml",
    "instances/ubl-inv/ubl-inv-br-dex-10-11-12-negative-test.xml",
)


@pytest.mark.parametrize("entry_point", XRECHNUNG)
def test_xrechnung_rules_use_the_variables_of_its_rule_less_pattern(entry_point: str) -> None:
    included, expectations = XRECHNUNG[entry_point]
    artifact_path(_XRECHNUNG, included)  # verified (or fetched) beside the entry point
    schema = artifact_path(_XRECHNUNG, entry_point)
    expected = json.loads((_XRECHNUNG_ORACLE / expectations).read_text(encoding="utf-8"))
    disagreements = {}
    for document in XRECHNUNG_DOCUMENTS:
        parsed = parse_document(_SHARED / "packs" / "examples" / _XRECHNUNG / document)
        assert parsed.ok
        ours = {(f.rule_id, f.severity) for f in run_schematron(schema, parsed.xml, trusted=True)}
        theirs = {(rule_id, flag) for rule_id, flag in expected[document]}
        if ours != theirs:
            disagreements[document] = {"only ours": ours - theirs, "only the oracle": theirs - ours}
    assert disagreements == {}
