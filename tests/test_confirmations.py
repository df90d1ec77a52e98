"""A fault two layers find (BR-CO-16 from Schematron at LegalMonetaryTotal and from the
totals layer at its PayableAmount) is counted once and shown as confirmed by totals in
text and JUnit; the JSON keeps every finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from junitparser import JUnitXml

from peppol_ubl import validate
from peppol_ubl.batch.formats.junit import batch_to_junit
from peppol_ubl.batch.runner import Input, run_batch
from peppol_ubl.findings import Finding, confirmations, finding_lines

MONEY = "/*:Invoice[1]/*:LegalMonetaryTotal[1]"


def finding(rule: str, layer: str, location: str | None, severity: str = "fatal") -> Finding:
    return Finding(rule, severity, layer, f"{layer} says {rule}", location)  # type: ignore[arg-type]


@pytest.mark.parametrize(("schematron", "totals", "paired"), [
    (MONEY, f"{MONEY}/*:PayableAmount[1]", True),   # an ancestor
    (MONEY, MONEY, True),                           # the same element
    (f"{MONEY}/*:PayableAmount[1]", MONEY, False),  # a descendant is not
    (MONEY, "/*:Invoice[1]/*:LegalMonetaryTotal[10]", False),  # a sibling whose name starts alike
    (MONEY, None, False),
])
def test_confirmation_needs_the_same_element_or_an_ancestor(schematron: str, totals: str | None,
                                                            paired: bool) -> None:
    findings = [finding("BR-CO-16", "schematron", schematron), finding("BR-CO-16", "totals", totals)]
    assert confirmations(findings) == ({1: 0} if paired else {})


def test_other_rules_and_severities_do_not_confirm() -> None:
    findings = [finding("BR-CO-16", "schematron", MONEY), finding("BR-CO-15", "totals", MONEY),
                finding("BR-CO-16", "totals", MONEY, "warning")]
    assert confirmations(findings) == {}


def test_the_nearest_ancestor_is_confirmed() -> None:
    findings = [finding("R", "schematron", "/*:Invoice[1]"), finding("R", "schematron", MONEY),
                finding("R", "totals", f"{MONEY}/*:PayableAmount[1]")]
    assert confirmations(findings) == {2: 1}
    assert finding_lines(findings) == [
        findings[0].to_text(), findings[1].to_text(), f"  {findings[2].confirmation_text()}"]


@pytest.fixture(scope="module")
def broken(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    xml = (shared_dir / "examples" / "peppol" / "examples" / "base-example.xml").read_bytes()
    start = xml.index(b"<cbc:PayableAmount")
    value = xml.index(b">", start) + 1
    path = tmp_path_factory.mktemp("confirm") / "broken.xml"
    path.write_bytes(xml[:value] + b"1" + xml[value:])
    return path


def test_the_report_counts_the_fault_once_and_keeps_both_findings(broken: Path) -> None:
    report = validate(broken)
    pairs = [(f.rule_id, f.layer) for f in report.findings if f.rule_id == "BR-CO-16"]
    assert pairs == [("BR-CO-16", "schematron"), ("BR-CO-16", "totals")]
    lines = report.to_text().splitlines()
    assert ": 1 fatal, " in lines[0]
    (index,) = [n for n, line in enumerate(lines) if line.startswith("[fatal] BR-CO-16")]
    assert lines[index + 1].startswith("  confirmed by totals at /*:Invoice[1]/*:LegalMonetaryTotal[1]/*:PayableAmount[1]")
    data = report.to_dict()  # JSON: complete, every layer's finding
    assert [(f["rule_id"], f["layer"]) for f in data["findings"] if f["rule_id"] == "BR-CO-16"] == pairs
    assert len(report.fatal) == 2 and not report.ok


def test_junit_shows_the_confirmation_in_its_one_failure(broken: Path) -> None:
    batch = run_batch([Input(str(broken))], ruleset="peppol-bis-3", jobs=1)
    (case,) = list(next(iter(JUnitXml.fromstring(batch_to_junit(batch)))))
    (failure,) = case.result
    assert failure.message == "1 fatal finding: BR-CO-16"
    lines = failure.text.splitlines()
    assert lines[0].startswith("[fatal] BR-CO-16 at /*:Invoice[1]/*:LegalMonetaryTotal[1] ")
    assert lines[1].startswith("  confirmed by totals at ")
