"""JUnit XML output of a batch, for CI test report viewers: one test case per document.

One ``testsuite`` named after the rule set; per document a ``testcase`` with
``classname`` the rule set and ``name`` the file. Each fatal finding is a ``failure``
(``message`` the rule id and message, ``type`` the layer, text the location and line);
warnings and information findings go to ``system-out``. An unusable document has an
``error`` instead. With the expectation ``invalid`` a test case passes when the document
is invalid (its findings then all go to ``system-out``) and fails once, with
``type="expectation"``, when it is valid, so failures always match the exit code. The
suite's ``failures`` and ``errors`` count those elements (as JUnit readers recount them).
"""

from __future__ import annotations

from lxml import etree

from ...findings import Finding
from ..runner import Batch, Outcome

__all__ = ["batch_to_junit"]


def batch_to_junit(batch: Batch) -> bytes:
    """The batch as a JUnit XML document (UTF-8 bytes with XML declaration)."""
    cases = [_testcase(outcome, batch) for outcome in batch.outcomes]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(len(case.findall("failure")) for case in cases)),
        "errors": str(sum(len(case.findall("error")) for case in cases)),
        "time": f"{sum(float(case.get('time', '0')) for case in cases):.3f}",
    }
    suites_attributes: dict[str, str] = {"name": "peppol-ubl", **counts}
    suite_attributes: dict[str, str] = {"name": batch.ruleset, "skipped": "0", **counts}
    suites = etree.Element("testsuites", suites_attributes)
    suite = etree.SubElement(suites, "testsuite", suite_attributes)
    properties = etree.SubElement(suite, "properties")
    for name, value in (
        ("ruleset", batch.ruleset),
        ("ruleset_version", batch.ruleset_version or ""),
        ("expectation", batch.expectation or ""),
        ("user_rules", " ".join(batch.user_rules)),
    ):
        etree.SubElement(properties, "property", name=name, value=value)
    suite.extend(cases)
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _testcase(outcome: Outcome, batch: Batch) -> etree._Element:
    case = etree.Element("testcase", classname=batch.ruleset, name=outcome.file)
    report = outcome.report
    if report is None:
        etree.SubElement(case, "error", message=outcome.error or "unusable", type="unusable")
        return case
    case.set("time", f"{sum(layer.duration_ms for layer in report.layers) / 1000:.3f}")
    if batch.expectation == "invalid":
        if report.ok:
            failure = etree.SubElement(
                case, "failure", message="expected invalid, but valid", type="expectation"
            )
            failure.text = "the document has no fatal finding"
        _system_out(case, report.findings)
        return case
    for finding in report.fatal:
        failure = etree.SubElement(
            case, "failure", message=f"{finding.rule_id}: {finding.message}", type=finding.layer
        )
        failure.text = _where(finding)
    _system_out(case, [f for f in report.findings if f.severity != "fatal"])
    return case


def _system_out(case: etree._Element, findings: list[Finding]) -> None:
    if findings:
        out = etree.SubElement(case, "system-out")
        out.text = "\n".join(finding.to_text() for finding in findings)


def _where(finding: Finding) -> str:
    """``/*:Invoice[1]/... (line 12)``, or as much of it as is known."""
    parts = [finding.location or "", f"(line {finding.line})" if finding.line is not None else ""]
    return " ".join(part for part in parts if part) or "(no location)"

