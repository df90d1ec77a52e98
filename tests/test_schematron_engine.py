"""A Schematron file on which Saxon fails is a finding, never an exception out of validate.

Saxon can fail beyond any ``xsl:try``: a rule's function that recurses without bound
(SXLM0001), or an internal error of Saxon itself (saxonche 13.0.0 failed in
``normalize-space`` on text mixing characters beyond U+00FF and beyond U+FFFF, found by
the harness's generated invoices in the dependency-floors run; 13.1.0 is the floor).
"""

from __future__ import annotations

from pathlib import Path

from peppol_ubl import validate
from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron import run_schematron

BASE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "peppol" / "examples" / "base-example.xml"
RECURSING = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <ns prefix="f" uri="urn:example:functions"/>
  <xsl:function name="f:depth" as="xs:integer" xmlns:f="urn:example:functions">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="if ($n le 0) then 0 else 1 + f:depth($n - 1)"/>
  </xsl:function>
  <pattern>
    <rule context="/*">
      <assert id="DEEP" test="f:depth(100000000) gt 0">never decided</assert>
    </rule>
  </pattern>
</schema>
"""


def test_a_rule_saxon_cannot_finish_is_a_fatal_finding_and_the_official_rules_still_run(tmp_path: Path) -> None:
    rules = tmp_path / "recursing.sch"
    rules.write_text(RECURSING, encoding="utf-8")
    report = validate(BASE, ruleset="peppol-bis-3@3.0.21", user_rules=[rules])
    (engine,) = [f for f in report.findings if f.rule_id == "PU-SCHEMATRON-ENGINE"]
    assert (engine.severity, engine.layer) == ("fatal", "schematron")
    assert engine.message.startswith("Saxon failed while running recursing.sch on this document")
    assert "Too many nested function calls" in engine.message
    assert not report.ok
    assert report.layer("schematron").status == "failed"
    # the official files ran and found nothing: the only fatal finding is the engine's
    assert [f.rule_id for f in report.findings if f.severity == "fatal"] == ["PU-SCHEMATRON-ENGINE"]


def test_one_failing_file_does_not_hide_the_findings_of_another(tmp_path: Path) -> None:
    rules = tmp_path / "recursing.sch"
    rules.write_text(RECURSING, encoding="utf-8")
    broken = BASE.read_bytes().replace(b"<cbc:DocumentCurrencyCode>EUR<", b"<cbc:DocumentCurrencyCode>ZZZ<", 1)
    report = validate(broken, ruleset="peppol-bis-3@3.0.21", user_rules=[rules])
    fatal = {f.rule_id for f in report.findings if f.severity == "fatal" and f.layer == "schematron"}
    assert {"PU-SCHEMATRON-ENGINE", "BR-CL-04"} <= fatal


def test_text_mixing_latin_extended_and_supplementary_characters_is_validated() -> None:
    """The saxonche 13.0.0 defect: ``normalize-space`` on such text (a seller name here,
    which the official rules normalise) failed inside Saxon."""
    name = "Ā𐀀00 00".encode()
    document = BASE.read_bytes().replace(b"<cbc:RegistrationName>", b"<cbc:RegistrationName>" + name + b" ", 1)
    assert name in document
    findings = run_schematron(get_ruleset("peppol-bis-3@3.0.21"), document)
    assert "PU-SCHEMATRON-ENGINE" not in {f.rule_id for f in findings}
    assert validate(document, ruleset="peppol-bis-3@3.0.21").ok

