"""Every rule pack agrees with its oracle on every staged example and cross example.

``shared/oracle/packs/<bundle>/expected.json`` holds, per example of the pack, the
(rule id, flag) pairs the pack's own compiled stylesheets report (PINT: OpenPeppol's own
XSLTs; A-NZ BIS and XRechnung: phive's); ``expected.cross.json`` the same pack run on the
OTHER packs' examples, which makes far more rules fire. Ours: the Schematron files of the
variant our catalogue picks for the document (``RuleSet.variant_for``), compiled by us,
before any severity change of the variant (the oracles report the rules' own flags).
XRechnung's oracle covers only its own layer (the release build KoSIT ships, which our
catalogue runs); its CEN 1.3.15 layer is checked against the official CEN 1.3.15 XSLT.
Where an oracle aborted (three PINT JP documents under PINT AE), our report still gives
a verdict. Files are listed at collection and read inside the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from official import oracle_severity, svrl_findings
from shared import SHARED

from peppol_ubl.artifacts import artifact_path
from peppol_ubl.catalogue import RuleSet, Variant, select
from peppol_ubl.validation import validate
from peppol_ubl.validation.schematron import run_schematron
from peppol_ubl.xml.namespaces import CBC
from peppol_ubl.xml.safe import document_type_of, parse_document

BUNDLES: dict[str, dict] = json.loads((SHARED / "packs" / "BUNDLES.json").read_text(encoding="utf-8"))
PACK = {"pint-aunz-1.1.3": "pint-aunz", "pint-sg-1.4.1": "pint-sg", "pint-jp-1.1.3": "pint-jp",
        "pint-my-1.3.1": "pint-my", "pint-ae-2026.5": "pint-ae", "pint-eu-1.1.1": "pint-eu",
        "aunz-bis-1.0.12": "aunz-bis", "xrechnung-ubl-2.5.0": "xrechnung"}
OURS_ONLY = ("PU-",)  # our own notices (a prefix declared for the official file) are not rules


def _oracle(bundle: str, name: str) -> dict[str, object]:
    return json.loads((SHARED / BUNDLES[bundle]["oracle_dir"] / name).read_text(encoding="utf-8"))


def _variant(pack: RuleSet, xml: bytes) -> tuple[Variant, bytes]:
    parsed = parse_document(xml)
    assert parsed.root is not None, parsed.findings
    customization = " ".join((parsed.root.findtext(f"{{{CBC}}}CustomizationID") or "").split()) or None
    return pack.variant_for(customization, document_type_of(parsed.root)), parsed.xml


def _ours(bundle: str, path: Path) -> set[tuple[str, str]]:
    pack = select(PACK[bundle]).ruleset
    variant, xml = _variant(pack, path.read_bytes())
    files = variant.schematron[1:] if bundle.startswith("xrechnung") else variant.schematron  # its oracle: its layer
    return {(f.rule_id, f.severity) for source in files for f in run_schematron(source.local_path(), xml, trusted=True)
            if not f.rule_id.startswith(OURS_ONLY)}


def _disagreements(bundle: str, expected: dict[str, list[list[str]]], root: Path) -> dict[str, object]:
    found = {}
    for name, pairs in expected.items():
        theirs = {(rule_id, oracle_severity(flag)) for rule_id, flag in pairs}
        ours = _ours(bundle, root / name)
        if ours != theirs:
            found[name] = {"only ours": sorted(ours - theirs), "only the oracle": sorted(theirs - ours)}
    return found


@pytest.mark.parametrize("bundle", sorted(BUNDLES))
def test_every_own_example_agrees_with_the_oracle(bundle: str) -> None:
    expected = _oracle(bundle, "expected.json")
    assert len(expected) == BUNDLES[bundle]["examples"]
    assert _disagreements(bundle, expected, SHARED / BUNDLES[bundle]["examples_dir"]) == {}  # type: ignore[arg-type]


@pytest.mark.parametrize("bundle", sorted(BUNDLES))
def test_every_cross_example_agrees_with_the_oracle(bundle: str) -> None:
    cross = _oracle(bundle, "expected.cross.json")
    results = cross["results"]
    assert isinstance(results, dict) and len(results) == BUNDLES[bundle]["oracle_cross_results"]["documents"] - len(
        cross["_aborted"])  # type: ignore[arg-type]
    assert _disagreements(bundle, results, SHARED / "packs" / "examples") == {}


def test_where_an_oracle_aborts_our_report_still_gives_a_verdict() -> None:
    aborted = _oracle("pint-ae-2026.5", "expected.cross.json")["_aborted"]
    assert isinstance(aborted, dict) and len(aborted) == 3
    for name in aborted:
        report = validate(SHARED / "packs" / "examples" / name, ruleset="pint-ae")
        assert (report.ruleset, report.layer("schematron").status) == ("pint-ae", "failed")
        assert any(f.rule_id == "aligned-ibrp-s-08" for f in report.findings)


def test_the_xrechnung_cen_layer_agrees_with_the_official_cen_1_3_15_xslt() -> None:
    official = artifact_path("cen-en16931-ubl-1.3.15", "xslt/EN16931-UBL-validation.xslt")
    pack = select("xrechnung").ruleset
    examples = SHARED / BUNDLES["xrechnung-ubl-2.5.0"]["examples_dir"]
    disagreements, fired = {}, 0
    for name in _oracle("xrechnung-ubl-2.5.0", "expected.json"):
        variant, xml = _variant(pack, (examples / name).read_bytes())
        cen = variant.schematron[0]
        assert (cen.bundle, cen.version) == ("cen-en16931-ubl-1.3.15", "1.3.15")
        ours = {(f.rule_id, f.severity) for f in run_schematron(cen.local_path(), xml, trusted=True)}
        theirs = {(rule_id, oracle_severity(flag)) for rule_id, flag, _ in svrl_findings(official, xml)}
        fired += bool(theirs)
        if ours != theirs:
            disagreements[name] = {"only ours": sorted(ours - theirs), "only official": sorted(theirs - ours)}
    assert disagreements == {}
    assert fired > 0


def test_the_oracles_make_rules_fire() -> None:
    """The comparison is not vacuous: the cross runs report findings on every document."""
    for bundle in BUNDLES:
        results = _oracle(bundle, "expected.cross.json")["results"]
        assert isinstance(results, dict) and sum(bool(pairs) for pairs in results.values()) > 250
