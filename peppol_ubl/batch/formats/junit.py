"""JUnit XML output of a batch, for CI test report viewers: one test case per document.

One ``testsuite`` named after the rule set; per document a ``testcase`` with
``classname`` the rule set and ``name`` the file, holding at most one ``failure`` or
``error`` (most viewers show only the first result of a case):

* an invalid document has one ``failure`` (``type="fatal"``, ``message`` the count and
  the rule ids) whose text lists every fatal finding, one line each in the form of
  :meth:`~peppol_ubl.findings.Finding.to_text` (a totals finding that confirms a
  Schematron finding on its line below it, see :func:`peppol_ubl.findings.confirmations`);
* an unusable document has one ``error`` (``type="unusable"``, ``message`` why);
* warnings and information findings go to ``system-out``.

With the expectation ``invalid`` a test case passes when the document is invalid (its
findings then all go to ``system-out``) and fails once, with ``type="expectation"``,
when it is valid, so failures always match the exit code. The suite's ``failures`` and
``errors`` count those elements (as JUnit readers recount them).
"""

from __future__ import annotations

from lxml import etree

from ...findings import Finding, confirmations, finding_lines
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
    if report is not None:
        case.set("time", f"{sum(layer.duration_ms for layer in report.layers) / 1000:.3f}")
    if outcome.status == "unusable":
        error = etree.SubElement(case, "error", message=outcome.error or "unusable", type="unusable")
        if report is not None:
            error.text = "\n".join(finding.to_text() for finding in report.fatal)
        return case
    assert report is not None
    if batch.expectation == "invalid":
        if report.ok:
            failure = etree.SubElement(
                case, "failure", message="expected invalid, but valid", type="expectation"
            )
            failure.text = "the document has no fatal finding"
        _system_out(case, report.findings)
        return case
    fatal = report.fatal
    if fatal:
        confirming = confirmations(fatal)
        shown = [f for index, f in enumerate(fatal) if index not in confirming]
        ids = ", ".join(dict.fromkeys(f.rule_id for f in shown))
        failure = etree.SubElement(
            case, "failure", message=f"{len(shown)} fatal finding{'' if len(shown) == 1 else 's'}: {ids}",
            type="fatal",
        )
        failure.text = "\n".join(finding_lines(fatal))
    _system_out(case, [f for f in report.findings if f.severity != "fatal"])
    return case


def _system_out(case: etree._Element, findings: list[Finding]) -> None:
    if findings:
        out = etree.SubElement(case, "system-out")
        out.text = "\n".join(finding.to_text() for finding in findings)
