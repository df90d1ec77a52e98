"""Rule packs in the catalogue: PINT (A-NZ, SG, JP, MY, AE, EU), A-NZ BIS and XRechnung as
dated, versioned entries with variants; ``auto`` picks the pack from the document."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from lxml import etree
from shared import SHARED, xml_files

from peppol_ubl.catalogue import rulesets, select, select_for_document
from peppol_ubl.validation import validate

BUNDLES = json.loads((SHARED / "packs" / "BUNDLES.json").read_text(encoding="utf-8"))
PACK_OF_BUNDLE = {"pint-aunz-1.1.3": "pint-aunz", "pint-sg-1.4.1": "pint-sg", "pint-jp-1.1.3": "pint-jp",
                  "pint-my-1.3.1": "pint-my", "pint-ae-2026.5": "pint-ae", "pint-eu-1.1.1": "pint-eu",
                  "aunz-bis-1.0.12": "aunz-bis", "xrechnung-ubl-2.5.0": "xrechnung"}
EXAMPLES = [(bundle, path) for bundle in BUNDLES for path in xml_files(SHARED / BUNDLES[bundle]["examples_dir"])]
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


def test_every_pack_is_a_pinned_version_of_the_catalogue() -> None:
    versions = {(r.name, r.version) for r in rulesets()}
    assert {("pint-aunz", "1.1.3"), ("pint-sg", "1.4.1"), ("pint-jp", "1.1.3"), ("pint-my", "1.3.1"),
            ("pint-ae", "2026.5"), ("pint-eu", "1.1.1"), ("aunz-bis", "1.0.12"), ("xrechnung", "3.0.2")} <= versions
    assert set(PACK_OF_BUNDLE) == set(BUNDLES)


@pytest.mark.parametrize("bundle", sorted(BUNDLES))
def test_each_pack_runs_what_the_bundle_lists_in_order(bundle: str) -> None:
    """PINT and A-NZ BIS variants run the bundle's entry points in order; XRechnung runs CEN
    1.3.15 and then the XRechnung release build (what KoSIT ships)."""
    pack = select(PACK_OF_BUNDLE[bundle]).ruleset
    info = BUNDLES[bundle]
    for name, variant in info["variants"].items():
        if bundle.startswith("xrechnung"):
            assert [s.path for s in pack.variants[0].schematron] == [
                "schematron/EN16931-UBL-validation.sch", *variant["schematron_release"]]
            continue
        ours = next(v for v in pack.variants if v.name == name)
        assert [s.path for s in ours.schematron] == variant["schematron"]
        assert {s.bundle for s in ours.schematron} == {bundle}


@pytest.mark.parametrize(("spec", "on", "version", "notices"), [
    ("pint-aunz", dt.date(2026, 12, 1), "1.1.3", []),
    ("pint-sg", dt.date(2026, 6, 1), "1.4.1", [("PU-RULESET-ARCHIVE", "warning")]),  # mandatory 2026-09-07
    ("pint-ae", dt.date(2026, 12, 1), "2026.5", [("PU-RULESET-DATE-UNKNOWN", "information")]),
    ("aunz-bis", dt.date(2026, 12, 1), "1.0.12", [("PU-RULESET-DATE-UNKNOWN", "information"),
                                                  ("PU-RULESET-DEPRECATED", "warning")]),
    ("xrechnung", dt.date(2026, 12, 1), "3.0.2", [("PU-RULESET-DATE-UNKNOWN", "information"),
                                                  ("PU-RULESET-NEWER-UNPINNED", "information")]),
    ("xrechnung", dt.date(2026, 8, 30), "3.0.2", [("PU-RULESET-DATE-UNKNOWN", "information")]),
])
def test_pack_dates_and_notices(spec: str, on: dt.date, version: str, notices: list[tuple[str, str]]) -> None:
    selection = select(spec, on)
    assert selection.ruleset.version == version
    assert [(n.rule_id, n.severity) for n in selection.notices] == notices


def _expected_variant(bundle: str, customization_id: str) -> str:
    if bundle.startswith("xrechnung"):
        return "extension" if "extension" in customization_id else "cvd" if "cvd" in customization_id else "standard"
    return "selfbilling" if "selfbilling" in customization_id else "billing"


@pytest.mark.parametrize(("bundle", "path"), EXAMPLES, ids=lambda x: x if isinstance(x, str) else x.name)
def test_auto_picks_the_pack_of_every_staged_example(bundle: str, path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    customization_id = " ".join((root.findtext(f"{CBC}CustomizationID") or "").split())
    kind = etree.QName(root).localname
    selection = select_for_document(customization_id, kind)  # type: ignore[arg-type]
    assert selection is not None, customization_id
    assert selection.ruleset.name == PACK_OF_BUNDLE[bundle]
    assert selection.ruleset.variant_for(customization_id, kind).name == _expected_variant(  # type: ignore[arg-type]
        bundle, customization_id)


def test_there_are_staged_examples_for_every_pack() -> None:
    assert {bundle for bundle, _ in EXAMPLES} == set(BUNDLES)
    assert len(EXAMPLES) == sum(BUNDLES[b]["examples"] for b in BUNDLES)


@pytest.mark.parametrize(("customization_id", "kind", "expected"), [
    ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", "Invoice", "peppol-bis-3"),
    ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0#conformant#urn:x:ext", "Invoice",
     "peppol-bis-3"),  # an extension of Peppol BIS: R004 asks only for the prefix
    ("urn:cen.eu:en16931:2017", "CreditNote", "en16931"),
    ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", "CreditNote", "xrechnung"),
    # KoSIT has no extension scenario for credit notes
    ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0#conformant#"
     "urn:xeinkauf.de:kosit:extension:xrechnung_3.0", "CreditNote", None),
    ("urn:cen.eu:en16931:2017#compliant#urn:example:unknown-cius", "Invoice", None),
    (None, "Invoice", None),
])
def test_auto_selection_table(customization_id: str | None, kind: str, expected: str | None) -> None:
    selection = select_for_document(customization_id, kind)  # type: ignore[arg-type]
    assert (selection.ruleset.name if selection else None) == expected


def test_an_unknown_customization_id_under_auto_is_a_clear_finding(shared_dir: Path) -> None:
    data = (shared_dir / "examples" / "peppol" / "examples" / "base-example.xml").read_bytes()
    unknown = data.replace(b"urn:fdc:peppol.eu:2017:poacc:billing:3.0", b"urn:example:unknown", 1)
    report = validate(unknown, ruleset="auto")
    assert not report.ok and (report.ruleset, report.ruleset_version) == ("auto", None)
    assert [f.rule_id for f in report.findings if f.layer == "ruleset"] == ["PU-RULESET-UNKNOWN"]
    assert report.layer("schematron").status == "skipped" and report.layer("xsd").status == "passed"
    known = validate(data, ruleset="auto", on=dt.date(2026, 12, 1))
    assert (known.ruleset, known.ruleset_version, known.ruleset_variant, known.ok) == (
        "peppol-bis-3", "3.0.21", "billing", True)


@pytest.mark.parametrize(("variant_id", "kind", "rule", "severity"), [
    ("", "CreditNote", "BR-CL-23", "warning"),  # every XRechnung scenario: unit codes are warnings
    ("", "Invoice", "BR-CL-23", "warning"),
    ("#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9", "CreditNote", "BR-CL-23", "warning"),
    ("#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0", "Invoice", "BR-CL-23", "warning"),
])
def test_xrechnung_scenarios_set_severities_and_say_so(shared_dir: Path, variant_id: str, kind: str, rule: str,
                                                        severity: str) -> None:
    import re

    example = shared_dir / "packs" / "examples" / "xrechnung-ubl-2.5.0"
    path = next(p for p in xml_files(example) if etree.QName(etree.parse(str(p)).getroot()).localname == kind
                and b"kosit:xrechnung_3.0</cbc:CustomizationID>" in p.read_bytes())
    data = re.sub(rb'unitCode="[^"]*"', b'unitCode="XXX"', path.read_bytes(), count=1)
    data = data.replace(b"kosit:xrechnung_3.0</cbc:CustomizationID>",
                        f"kosit:xrechnung_3.0{variant_id}</cbc:CustomizationID>".encode())
    ours = validate(data, ruleset="auto")
    [finding] = [f for f in ours.findings if f.rule_id == rule]
    assert (finding.severity, finding.original_severity) == (severity, "fatal")
    assert f"[{severity}, was fatal] {rule}" in ours.to_text()
    core = validate(data, ruleset="en16931@1.3.15")
    assert [(f.severity, f.original_severity) for f in core.findings if f.rule_id == rule] == [("fatal", None)]
