"""The Schematron compiler feature by feature, on tiny hand-written schemas."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from saxonche import PySaxonApiError

from peppol_ubl import validate
from peppol_ubl.findings import Finding
from peppol_ubl.validation.schematron import SchematronError, compile_schematron, run_schematron, severity_of
from peppol_ubl.validation.schematron.absent import GUARDED, absence_guard, absent_branches, fires_per_branch
from peppol_ubl.validation.schematron.descendants import rewrite_descendants, shared_descendants
from peppol_ubl.validation.schematron.filters import rewrite_filters, shared_filters
from peppol_ubl.validation.schematron.implications import probes
from peppol_ubl.validation.schematron.patterns import cannot_match, match_pattern, pattern_guard
from peppol_ubl.validation.schematron.run import _processor
from peppol_ubl.validation.schematron.safe_tests import cannot_raise
from peppol_ubl.xml.paths import path_of

SCH = 'xmlns="http://purl.oclc.org/dsdl/schematron" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
DOC = b"""<inv xmlns="urn:t" xmlns:q="urn:q">
  <date>2026-01-31</date>
  <line n="1"><amount cur="EUR">10</amount></line>
  <line n="2"><amount cur="EUR">-5</amount><q:amount>7</q:amount></line>
  <line n="3"><amount cur="USD">20</amount></line>
</inv>"""


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEPPOL_UBL_CACHE", str(tmp_path / "cache"))


def schema(tmp_path: Path, body: str, *, name: str = "test.sch", extra: str = "") -> Path:
    """A schema with prefixes ``t`` and ``q`` for the test document's namespaces, and ``xs``."""
    path = tmp_path / name
    path.write_text(
        f'<schema {SCH} queryBinding="xslt2" {extra}><ns prefix="t" uri="urn:t"/><ns prefix="q" uri="urn:q"/>'
        '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>'
        f"{body}</schema>",
        encoding="utf-8",
    )
    return path


def run(path: Path, xml: bytes = DOC, phase: str | None = None) -> list[Finding]:
    return run_schematron(path, xml, phase)


def ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)


def resolve(xml: bytes, location: str) -> etree._Element:
    """The element a location like ``/*:inv[1]/*:line[2]`` selects, walked with lxml."""
    level = [etree.fromstring(xml)]
    for step in location.strip("/").split("/"):
        name, position = step.removeprefix("*:").rstrip("]").split("[")
        same_name = [e for e in level if isinstance(e.tag, str) and etree.QName(e).localname == name]
        node = same_name[int(position) - 1]
        level = list(node)
    return node


def test_assert_fails_when_false_and_report_fires_when_true(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern><rule context="t:line">
             <assert id="A-POSITIVE" test="t:amount &gt; 0" flag="fatal">negative</assert>
             <report id="R-USD" test="t:amount/@cur = 'USD'" flag="warning">dollars</report>
           </rule></pattern>""",
    )
    findings = run(path)
    assert [(f.rule_id, f.severity, f.location) for f in findings] == [
        ("A-POSITIVE", "fatal", "/*:inv[1]/*:line[2]"),
        ("R-USD", "warning", "/*:inv[1]/*:line[3]"),
    ]
    assert findings[0].test == "t:amount > 0"
    assert findings[0].message == "negative"
    assert all(f.layer == "schematron" for f in findings)


def test_only_the_first_matching_rule_of_a_pattern_fires(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern>
             <rule context="t:line[@n = '2']"><assert id="FIRST" test="false()">1</assert></rule>
             <rule context="t:line"><assert id="SECOND" test="false()">2</assert></rule>
           </pattern>
           <pattern><rule context="t:line"><assert id="OTHER-PATTERN" test="false()">3</assert></rule></pattern>""",
    )
    assert ids(run(path)) == ["FIRST", "OTHER-PATTERN", "OTHER-PATTERN", "OTHER-PATTERN", "SECOND", "SECOND"]


def test_patterns_meet_at_an_element_whatever_prefix_names_it(tmp_path: Path) -> None:
    """Patterns asked only at elements of known names, merged by expanded name."""
    path = schema(
        tmp_path,
        """<ns prefix="other" uri="urn:t"/>
           <pattern><rule context="t:amount"><report id="BY-T" test="true()">t</report></rule></pattern>
           <pattern><rule context="other:amount | t:date"><report id="BY-OTHER" test="true()">o</report></rule></pattern>
           <pattern><rule context="*[@cur = 'USD']"><report id="ANY" test="true()">a</report></rule></pattern>""",
    )
    assert ids(run(path)) == ["ANY", "BY-OTHER", "BY-OTHER", "BY-OTHER", "BY-OTHER", "BY-T", "BY-T", "BY-T"]


def test_abstract_pattern_parameters_are_substituted(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern abstract="true" id="limit">
             <rule context="$item"><assert id="LIMIT" test="$value &lt;= $max and $value-ok">over <value-of select="$value"/></assert></rule>
           </pattern>
           <pattern is-a="limit" id="amounts">
             <param name="item" value="t:amount"/><param name="value" value="number(.)"/>
             <param name="value-ok" value="true()"/><param name="max" value="15"/>
           </pattern>""",
    )
    findings = run(path)
    assert [(f.rule_id, f.message, f.location) for f in findings] == [
        ("LIMIT", "over 20", "/*:inv[1]/*:line[3]/*:amount[1]")
    ]


def test_abstract_rules_are_inlined_where_extended(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern>
             <rule abstract="true" id="has-currency"><assert id="CUR" test="@cur">no currency</assert></rule>
             <rule context="t:amount"><extends rule="has-currency"/><assert id="NUM" test=". castable as xs:decimal">x</assert></rule>
             <rule context="q:amount"><extends rule="has-currency"/></rule>
           </pattern>""",
    )
    assert [(f.rule_id, f.location) for f in run(path)] == [("CUR", "/*:inv[1]/*:line[2]/*:amount[2]")]


def test_lets_at_schema_pattern_and_rule_level(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<let name="currency" value="'EUR'"/>
           <pattern>
             <let name="first-line" value="string(/t:inv/t:line[1]/@n)"/>
             <rule context="t:line[@n != $first-line]">
               <let name="amount" value="number(t:amount)"/>
               <assert id="SAME-CURRENCY" test="t:amount/@cur = $currency">line <value-of select="@n"/></assert>
               <let name="double" value="$amount * 2"/>
               <assert id="SMALL" test="$double &lt; 30">big <value-of select="$double"/></assert>
             </rule>
           </pattern>""",
    )
    assert [(f.rule_id, f.message) for f in run(path)] == [("SAME-CURRENCY", "line 3"), ("SMALL", "big 40")]


def test_a_pattern_without_rules_still_declares_its_lets(tmp_path: Path) -> None:
    """A variables-only pattern (as XRechnung's ``common.sch``) serves the rules of other patterns."""
    path = schema(
        tmp_path,
        """<pattern id="variables"><let name="max" value="15"/><let name="eur" value="'EUR'"/></pattern>
           <pattern><rule context="t:amount[@cur = $eur]"><assert id="MAX" test=". &lt;= $max">big</assert></rule></pattern>""",
    )
    assert [(f.rule_id, f.location) for f in run(path)] == []
    assert [(f.rule_id, f.location) for f in run(path, DOC.replace(b">10<", b">16<"))] == [
        ("MAX", "/*:inv[1]/*:line[1]/*:amount[1]")
    ]


def test_phases_select_patterns_and_bring_their_lets(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<phase id="amounts"><let name="max" value="15"/><active pattern="p-amounts"/></phase>
           <phase id="dates"><active pattern="p-dates"/></phase>
           <pattern id="p-amounts"><rule context="t:amount"><assert id="AMOUNT" test=". &lt;= $max">a</assert></rule></pattern>
           <pattern id="p-dates"><rule context="t:date"><assert id="DATE" test="starts-with(., '2025')">d</assert></rule></pattern>""",
        extra='defaultPhase="dates"',
    )
    assert ids(run(path)) == ["DATE"]
    assert ids(run(path, phase="amounts")) == ["AMOUNT"]
    with pytest.raises(SchematronError, match="unknown phase 'nope'.*amounts, dates"):
        run(path, phase="nope")


def test_a_phase_naming_an_unknown_pattern_is_refused(tmp_path: Path) -> None:
    path = schema(tmp_path, '<phase id="p"><active pattern="nowhere"/></phase>', extra='defaultPhase="p"')
    with pytest.raises(SchematronError, match="phase 'p' activates unknown patterns: nowhere"):
        compile_schematron(path)


def test_pattern_variables_share_one_namespace(tmp_path: Path) -> None:
    """Pattern lets are global variables here (rule contexts may use them): names must differ."""
    path = schema(
        tmp_path,
        """<pattern><let name="x" value="1"/><rule context="t:date"><report id="A" test="$x">a</report></rule></pattern>
           <pattern><let name="x" value="2"/><rule context="t:date"><report id="B" test="$x">b</report></rule></pattern>""",
    )
    with pytest.raises(SchematronError, match=r"variable \$x is declared more than once"):
        compile_schematron(path)


def test_all_patterns_run_without_phases(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern id="a"><rule context="t:date"><report id="ONE" test="true()">1</report></rule></pattern>
           <pattern id="b"><rule context="t:date"><report id="TWO" test="true()">2</report></rule></pattern>""",
    )
    assert ids(run(path)) == ["ONE", "TWO"]
    assert ids(run(path, phase="#ALL")) == ["ONE", "TWO"]


def test_messages_hold_value_of_name_and_diagnostics(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern><rule context="t:line[3]">
             <assert id="M" test="false()" diagnostics="d1 d2">In <name/>: <emph>amount</emph> <value-of select="t:amount, t:amount/@cur"/> of <name path=".."/></assert>
           </rule></pattern>
           <diagnostics>
             <diagnostic id="d1">expected EUR, got <value-of select="t:amount/@cur"/></diagnostic>
             <diagnostic id="d2">line <value-of select="@n"/></diagnostic>
           </diagnostics>""",
    )
    assert [f.message for f in run(path)] == ["In line: amount 20 USD of inv — expected EUR, got USD — line 3"]


def test_attribute_contexts_and_locations(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern><rule context="t:amount/@cur"><assert id="EUR" test=". = 'EUR'">c</assert></rule></pattern>
           <pattern><rule context="q:amount"><report id="Q" test="true()">q</report></rule></pattern>""",
    )
    findings = run(path)
    assert [(f.rule_id, f.location) for f in findings] == [
        ("Q", "/*:inv[1]/*:line[2]/*:amount[2]"),
        ("EUR", "/*:inv[1]/*:line[3]/*:amount[1]/@cur"),
    ]
    located = resolve(DOC, findings[0].location or "")
    assert etree.QName(located).namespace == "urn:q"


def _wide_document(children: int) -> bytes:
    """A document element with ``children`` children: lines in two namespaces that share
    the local name ``line`` (a position counts both), with a note every fifth, and an
    amount with an attribute in each line; the first line holds ``children`` amounts."""
    parts = []
    for number in range(children):
        amounts = children if number == 0 else 1
        inner = f'<amount cur="USD">{number}</amount>' * amounts
        if number % 5 == 4:
            parts.append(f"<note>{number}</note>")
        elif number % 7 == 3:
            parts.append(f'<q:line n="{number}">{inner}</q:line>')
        else:
            parts.append(f'<line n="{number}">{inner}</line>')
    return f'<inv xmlns="urn:t" xmlns:q="urn:q">{"".join(parts)}</inv>'.encode()


@pytest.mark.parametrize("children", [3, 63, 64, 65, 400])
def test_locations_under_wide_parents(tmp_path: Path, children: int) -> None:
    """From 64 children of its parent, a position is looked up rather than counted
    (``entries._WIDE``): every failure's location, on the document element's children,
    below them, on their attributes and on the children of a wide line, is the element's
    position among the siblings of its local name in any namespace, as lxml's XPath
    counts them."""
    path = schema(
        tmp_path,
        """<pattern><rule context="t:line | q:line"><report id="LINE" test="true()">l</report></rule></pattern>
           <pattern><rule context="t:note"><report id="NOTE" test="true()">n</report></rule></pattern>
           <pattern><rule context="t:amount/@cur"><assert id="CUR" test=". = 'EUR'">c</assert></rule></pattern>""",
    )
    xml = _wide_document(children)
    root = etree.fromstring(xml)
    expected = []
    for child in root:
        local = etree.QName(child).localname
        position = int(child.xpath(f"count(preceding-sibling::*[local-name() = '{local}'])")) + 1
        where = f"/*:inv[1]/*:{local}[{position}]"
        expected.append(("NOTE" if local == "note" else "LINE", where))
        expected += [("CUR", f"{where}/*:amount[{number}]/@cur") for number in range(1, len(child) + 1)]
    found = [(f.rule_id, f.location) for f in run(path, xml)]
    assert found == expected


def test_foreign_functions_and_keys_are_carried_over(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<xsl:key name="by-n" match="t:line" use="@n"/>
           <xsl:function name="f:twice" xmlns:f="urn:f"><xsl:param name="v"/><xsl:sequence select="2 * $v"/></xsl:function>
           <ns prefix="f" uri="urn:f"/>
           <pattern><rule context="t:date">
             <assert id="KEY" test="exists(key('by-n', '4'))">no line 4</assert>
             <report id="FUN" test="f:twice(number(key('by-n', '1')/t:amount)) = 20">twenty</report>
           </rule></pattern>""",
    )
    assert ids(run(path)) == ["FUN", "KEY"]


def test_includes_are_resolved_relative_to_the_including_file(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "dates.sch").write_text(
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"><rule context="t:date">'
        '<report id="INCLUDED" test="true()">i</report></rule></pattern>',
        encoding="utf-8",
    )
    path = schema(tmp_path, '<include href="parts/dates.sch"/>')
    assert ids(run(path)) == ["INCLUDED"]


def test_extends_href_brings_in_the_children_of_another_schema(tmp_path: Path) -> None:
    (tmp_path / "base.sch").write_text(
        f'<schema {SCH} queryBinding="xslt2"><let name="year" value="\'2026\'"/>'
        '<pattern><rule context="t:date"><assert id="YEAR" test="starts-with(., $year)">y</assert></rule></pattern>'
        "</schema>",
        encoding="utf-8",
    )
    path = schema(
        tmp_path,
        '<extends href="base.sch"/><pattern><rule context="t:date"><report id="OWN" test="true()">o</report></rule></pattern>',
    )
    assert ids(run(path, DOC.replace(b"2026-01-31", b"2025-01-31"))) == ["OWN", "YEAR"]


def test_include_cycles_are_refused(tmp_path: Path) -> None:
    path = schema(tmp_path, '<include href="test.sch"/>')
    with pytest.raises(SchematronError, match="include cycle"):
        compile_schematron(path)


def test_a_test_that_raises_fails_its_own_rule_and_the_others_still_run(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern><rule context="t:line">
             <assert id="BAD-DATE" test="xs:date('2026-13-01') &gt; xs:date(/t:inv/t:date)" flag="fatal">never</assert>
             <assert id="NOT-NEGATIVE" test="t:amount &gt;= 0" flag="warning">negative</assert>
           </rule></pattern>""",
    )
    findings = run(path)
    assert ids(findings) == ["BAD-DATE", "BAD-DATE", "BAD-DATE", "NOT-NEGATIVE"]
    broken = findings[0]
    assert broken.severity == "fatal"
    assert "BAD-DATE could not be evaluated" in broken.message and "FORG0001" in broken.message
    assert "Month" in broken.message


def test_rule_lets_that_raise_fail_the_rule(tmp_path: Path) -> None:
    path = schema(
        tmp_path,
        """<pattern><rule context="t:line">
             <let name="amount" value="xs:decimal(t:amount)"/>
             <assert id="USES-LET" test="$amount != 0">zero</assert>
             <assert id="PLAIN" test="@n != '3'">three</assert>
           </rule></pattern>""",
    )
    two_amounts = DOC.replace(b"<q:amount>7</q:amount>", b"<amount>7</amount>")
    findings = run(path, two_amounts)
    assert [(f.rule_id, f.location) for f in findings if "could not be evaluated" in f.message] == [
        ("USES-LET", "/*:inv[1]/*:line[2]"),
        ("PLAIN", "/*:inv[1]/*:line[2]"),
    ]
    assert [(f.rule_id, f.location) for f in findings if "could not be evaluated" not in f.message] == [
        ("PLAIN", "/*:inv[1]/*:line[3]")
    ]


def test_global_lets_that_raise_fail_only_the_checks_using_them(tmp_path: Path) -> None:
    """A rule context using such a variable raises, so (as any raising context) it does not match."""
    path = schema(
        tmp_path,
        """<let name="issued" value="xs:date(/t:inv/t:date)"/>
           <pattern><rule context="t:inv">
             <assert id="DATED" test="$issued &gt; xs:date('2000-01-01')">old</assert>
             <assert id="LINES" test="count(t:line) = 2">three lines</assert>
           </rule></pattern>
           <pattern><rule context="t:line[$issued &gt; xs:date('2000-01-01')]">
             <assert id="IN-CONTEXT" test="true()">never false</assert>
           </rule></pattern>""",
    )
    findings = run(path, DOC.replace(b"2026-01-31", b"2026-13-01"))
    by_id = {f.rule_id: f for f in findings}
    assert ids(findings) == ["DATED", "LINES"]
    assert "$issued: Invalid date" in by_id["DATED"].message
    assert by_id["LINES"].message == "three lines"


def test_a_rule_context_that_raises_does_not_match_so_the_next_rule_may(tmp_path: Path) -> None:
    """As in XSLT: a dynamic error while matching a rule context means "no match" at that node.

    ``'ZZZ' = (10, 20)`` raises FORG0001 on line 2, so the pattern's next rule matches
    it and nothing is reported for the first rule there.
    """
    path = schema(
        tmp_path,
        """<pattern>
             <rule context="t:line[t:amount = (10, 20)]"><report id="ROUND" test="true()">round</report></rule>
             <rule context="t:line"><report id="OTHER" test="true()">other</report></rule>
           </pattern>
           <pattern><rule context="t:line"><report id="LINE" test="true()">every line</report></rule></pattern>""",
    )
    findings = run(path, DOC.replace(b">-5<", b">ZZZ<"))
    assert [(f.rule_id, f.location) for f in findings] == [
        ("ROUND", "/*:inv[1]/*:line[1]"),
        ("LINE", "/*:inv[1]/*:line[1]"),
        ("OTHER", "/*:inv[1]/*:line[2]"),
        ("LINE", "/*:inv[1]/*:line[2]"),
        ("ROUND", "/*:inv[1]/*:line[3]"),
        ("LINE", "/*:inv[1]/*:line[3]"),
    ]


def test_a_numeric_context_predicate_selects_by_position(tmp_path: Path) -> None:
    """``t:line[count(*)]`` is the line whose position among the lines equals its child count."""
    path = schema(
        tmp_path, '<pattern><rule context="t:line[count(*)]"><report id="P" test="true()">p</report></rule></pattern>'
    )
    assert [f.location for f in run(path)] == ["/*:inv[1]/*:line[1]", "/*:inv[1]/*:line[2]"]


def test_severity_comes_from_the_flag() -> None:
    assert [severity_of(f) for f in ("fatal", "error", "warning", "information", None)] == [
        "fatal",
        "fatal",
        "warning",
        "information",
        "information",
    ]


def test_role_stands_in_for_a_missing_flag(tmp_path: Path) -> None:
    path = schema(
        tmp_path, '<pattern><rule context="t:date"><report test="true()" role="error">r</report></rule></pattern>'
    )
    (finding,) = run(path)
    assert finding.severity == "fatal"
    assert finding.rule_id == "pattern-1-1-1"  # no id: pattern, rule and check positions


def test_unsupported_query_binding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.sch"
    path.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt"/>', encoding="utf-8")
    with pytest.raises(SchematronError, match="queryBinding 'xslt' is not supported"):
        compile_schematron(path)


def test_compilation_is_cached_per_machine(tmp_path: Path) -> None:
    path = schema(tmp_path, '<pattern><rule context="t:date"><report id="X" test="true()">x</report></rule></pattern>')
    text = compile_schematron(path)
    cached = list((tmp_path / "cache" / "xslt").glob("*.xsl"))
    assert [c.read_text(encoding="utf-8") for c in cached] == [text]
    assert compile_schematron(path) == text
    path.write_text(path.read_text().replace('id="X"', 'id="Y"'))
    assert compile_schematron(path) != text
    assert len(list((tmp_path / "cache" / "xslt").glob("*.xsl"))) == 2


def test_an_edited_file_runs_its_new_rules_in_the_same_process(tmp_path: Path) -> None:
    """The compiled stylesheets of a process are keyed by content, not by path: after an
    edit in place (same size, same second), the new rules run, and so do the old ones
    again when the file is put back."""
    golden = Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "allowances-charges.xml"
    rules = '<pattern><rule context="/*"><report id="RULE-{}" test="true()">x</report></rule></pattern>'
    path = schema(tmp_path, rules.format("A"))

    def user_findings() -> list[str]:
        report = validate(golden, user_rules=[path], schema=False, totals=False)
        return [f.rule_id for f in report.findings if f.rule_id.startswith("RULE-")]

    assert user_findings() == ["RULE-A"]
    path.write_text(path.read_text(encoding="utf-8").replace("RULE-A", "RULE-B"), encoding="utf-8")
    assert user_findings() == ["RULE-B"]
    path.write_text(path.read_text(encoding="utf-8").replace("RULE-B", "RULE-A"), encoding="utf-8")
    assert user_findings() == ["RULE-A"]


def test_an_edited_included_file_runs_its_new_rules_in_the_same_process(tmp_path: Path) -> None:
    part = tmp_path / "part.sch"
    pattern = '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"><rule context="t:date">{}</rule></pattern>'
    part.write_text(pattern.format('<report id="OLD" test="true()">x</report>'), encoding="utf-8")
    path = schema(tmp_path, '<include href="part.sch"/>')
    assert ids(run(path)) == ["OLD"]
    part.write_text(pattern.format('<report id="NEW" test="true()">x</report>'), encoding="utf-8")
    assert ids(run(path)) == ["NEW"]


XSD_USE = """<xsl:function name="q:integer" as="xs:boolean" {declare}><xsl:param name="v"/>
               <xsl:sequence select="$v castable as xsd:integer"/></xsl:function>
             <pattern><rule context="t:line"><report id="INTEGER" test="q:integer(@n)">n</report></rule></pattern>"""


def test_an_undeclared_xsd_prefix_is_bound_to_xml_schema_with_a_notice(tmp_path: Path) -> None:
    path = schema(tmp_path, XSD_USE.format(declare=""))
    findings = run(path)
    assert ids(findings) == ["INTEGER", "INTEGER", "INTEGER", "PU-SCHEMATRON-PREFIX-DECLARED"]
    (notice,) = [f for f in findings if f.rule_id == "PU-SCHEMATRON-PREFIX-DECLARED"]
    assert (notice.severity, notice.layer, notice.location) == ("information", "schematron", None)
    assert str(path) in notice.message and "prefix xsd" in notice.message
    assert 'xmlns:xsd="http://www.w3.org/2001/XMLSchema"' in compile_schematron(path)


def test_a_declared_or_unused_xsd_prefix_is_left_alone(tmp_path: Path) -> None:
    """Only a prefix nothing binds is declared: never over a binding of the schema's own."""
    in_scope = schema(tmp_path, XSD_USE.format(declare='xmlns:xsd="http://www.w3.org/2001/XMLSchema"'), name="a.sch")
    assert "PU-SCHEMATRON-PREFIX-DECLARED" not in ids(run(in_scope))
    other = schema(tmp_path, '<ns prefix="xsd" uri="urn:other"/>' + XSD_USE.format(declare=""), name="b.sch")
    assert 'xmlns:xsd="urn:other"' in compile_schematron(other)
    unused = schema(tmp_path, '<pattern><rule context="t:line"><report id="R" test="true()">r</report></rule></pattern>')
    assert "xmlns:xsd" not in compile_schematron(unused)
    assert "PU-SCHEMATRON-PREFIX-DECLARED" not in ids(run(unused))


@pytest.mark.parametrize(("context", "names"), [
    ("a/b[c] | //d", {"b", "d"}),
    ("(/x:Invoice | /y:CreditNote)[$seller and $buyer]", {"x:Invoice", "y:CreditNote"}),
    ("((a | b))[1]", {"a", "b"}),
    ("(a | b)/c", None),
    ("(a/b | //*)[x]", None),
    ("key('k', 'a|b')", None),
    ("*", None),
    ("@x", None),
])
def test_the_element_names_a_rule_context_can_match(context: str, names: set[str] | None) -> None:
    """Rules whose contexts can match only named elements are asked only at those elements."""
    from peppol_ubl.validation.schematron.xpath_text import final_element_names

    found = final_element_names(context)
    assert (set(found) if found is not None else None) == names


def test_a_parenthesised_union_context_with_a_predicate_fires_at_its_elements(tmp_path: Path) -> None:
    schema = tmp_path / "rules.sch"
    schema.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <let name="on" value="exists(//flag)"/>
      <pattern><rule context="(/r/a | /r/b)[$on]"><assert id="T" test="false()">x</assert></rule></pattern>
    </schema>""")
    fired = run_schematron(schema, b"<r><a/><b/><c/><flag/></r>")
    assert [f.location for f in fired] == ["/*:r[1]/*:a[1]", "/*:r[1]/*:b[1]"]
    assert run_schematron(schema, b"<r><a/><b/></r>") == []


@pytest.mark.parametrize(("value", "expected"), [
    ("C62", True), ("H87", True), ("C6", False), ("", False), ("C62 H87", True), ("62 H", False), ("X", False),
])
def test_code_list_lookups_keep_the_verdict_of_contains(tmp_path: Path, value: str, expected: bool) -> None:
    """``contains(' C62 H87 ', concat(' ', X, ' '))`` is compiled as a map lookup for values
    without a space; a value with a space (or any other shape) keeps the original test."""
    schema = tmp_path / "codes.sch"
    schema.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <pattern><rule context="/r">
        <report id="T" test="contains(' C62 H87 ', concat(' ', normalize-space(@v), ' '))">in</report>
      </rule></pattern></schema>""")
    text = compile_schematron(schema)
    assert "codes-1" in text  # the lookup is compiled
    fired = run_schematron(schema, f'<r v="{value}"/>'.encode())
    assert bool(fired) is expected


def test_a_rule_variable_may_hide_a_global_one(tmp_path: Path) -> None:
    """A rule ``let`` named like a schema ``let`` hides it in that rule's checks, their
    error handling included (which looked for the global's error marker in the local
    value, a static type error, before)."""
    path = tmp_path / "hide.sch"
    path.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/><let name="limit" value="10"/>
      <pattern><rule context="/r/a"><let name="limit" value="'2'"/>
        <assert id="SMALL" test="xs:decimal(.) le xs:decimal($limit)">small</assert>
      </rule><rule context="/r/b">
        <assert id="GLOBAL" test="xs:decimal(.) le $limit">global</assert>
      </rule></pattern></schema>""", encoding="utf-8")
    assert ids(run_schematron(path, b"<r><a>3</a><b>3</b></r>")) == ["SMALL"]
    assert [f.rule_id for f in run_schematron(path, b"<r><a>x</a></r>") if "could not be evaluated" in f.message] == ["SMALL"]


MEMBERSHIP = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <let name="codes" value="tokenize('EUR NOK it''s ', '\\s')"/>
  <pattern><rule context="/r/a">
    <assert id="CUR" test="some $code in $codes satisfies @cur = $code">currency</assert>
    <assert id="TEXT" test=" some $c in $codes
                             satisfies normalize-space(text()) = $c ">text</assert>
  </rule></pattern>
  <pattern><rule context="/r/b"><let name="codes" value="('USD')"/>
    <assert id="HIDDEN" test="some $code in $codes satisfies @cur = $code">a rule variable hides the list</assert>
  </rule></pattern></schema>"""


@pytest.mark.parametrize(("document", "failed"), [
    (b"<r><a cur='EUR'>NOK</a></r>", []), (b"<r><a cur='USD'>NOK</a></r>", ["CUR"]),
    (b"<r><a>it's</a></r>", ["CUR"]),  # no attribute: no code matches
    (b"<r><a cur=''> </a></r>", []),  # the trailing separator makes '' one of the codes
    (b"<r><a cur='nok'>EURO</a></r>", ["CUR", "TEXT"]), (b"<r><b cur='USD'/><b cur='EUR'/></r>", ["HIDDEN"]),
])
def test_code_list_memberships_keep_their_verdicts(tmp_path: Path, document: bytes, failed: list[str]) -> None:
    """``some $c in $LIST satisfies X = $c`` over a tokenised literal is compiled as a map
    lookup (not where a rule variable hides the list) with the verdict of the original."""
    path = tmp_path / "member.sch"
    path.write_text(MEMBERSHIP, encoding="utf-8")
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    tests = [i.get("test") or "" for i in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}if")]
    assert sum("map}contains" in test for test in tests) == 2 and any("$code" in test for test in tests)
    assert ids(run_schematron(path, document)) == failed


def test_a_code_list_membership_raises_where_the_original_raises(tmp_path: Path) -> None:
    path = tmp_path / "member.sch"
    path.write_text(MEMBERSHIP, encoding="utf-8")
    [error] = run_schematron(path, b"<r><a cur='EUR'>E<!-- -->UR</a></r>")  # two text nodes
    assert error.rule_id == "TEXT" and "could not be evaluated" in error.message


@pytest.mark.parametrize(("value", "codes"), [
    ("tokenize('A B', '\\s')", ("A", "B")), ("tokenize( \"A\tB\nC \" , '\\s' )", ("A", "B", "C", "")),
    ("tokenize('', '\\s')", None), ("tokenize('A B')", None), ("tokenize(/*/x, '\\s')", None),
    ("tokenize('A B', ' ')", None), ("('A', 'B')", None),
])
def test_which_variables_are_code_lists(value: str, codes: tuple[str, ...] | None) -> None:
    from peppol_ubl.validation.schematron.lookups import code_lists
    from peppol_ubl.validation.schematron.model import Let

    assert code_lists((Let("v", value),)).get("v") == codes
    assert code_lists((Let("v", value, as_type="xs:integer*"),)) == {}


def test_a_code_list_lookup_raises_where_contains_raises(tmp_path: Path) -> None:
    schema = tmp_path / "codes.sch"
    schema.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <pattern><rule context="/r">
        <assert id="T" test="contains(' A B ', concat(' ', x, ' '))">in</assert>
      </rule></pattern></schema>""")
    [error] = run_schematron(schema, b"<r><x>A</x><x>B</x></r>")  # two items where one is allowed
    assert "could not be evaluated" in error.message
    assert run_schematron(schema, b"<r><x>A</x></r>") == []


def test_only_checks_that_cannot_raise_go_without_a_try(tmp_path: Path) -> None:
    """A node test with a text message is emitted bare; anything that may raise (a
    value comparison, a predicate, a value-of in the message) stays in an ``xsl:try``,
    and each still reports as it should."""
    path = schema(
        tmp_path,
        """<pattern><rule context="t:line">
             <assert id="HAS-AMOUNT" test="t:amount | q:amount">no amount</assert>
             <report id="HAS-Q" test="exists(q:amount)">a q amount</report>
             <assert id="NO-PRICE" test="not(t:price)">a price</assert>
             <assert id="POSITIVE" test="not(t:amount[. &lt; 0])">negative</assert>
             <report id="NAMED" test="q:amount">amount <value-of select="xs:decimal(q:amount) * 2"/></report>
           </rule></pattern>""",
    )
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    xsl = "{http://www.w3.org/1999/XSL/Transform}"
    tests = [(i.get("test"), i.getparent().tag == f"{xsl}try") for i in stylesheet.iter(f"{xsl}if")]
    assert sorted(test for test, guarded in tests if not guarded) == sorted(
        ["not((t:amount | q:amount))", "(exists(q:amount))", "not((not(t:price)))"])
    assert sorted(test for test, guarded in tests if guarded) == ["(q:amount)", "not((not(t:amount[. < 0])))"]
    assert ids(run(path)) == ["HAS-Q", "NAMED", "POSITIVE"]


@pytest.mark.parametrize("test, total", [
    # paths, unions, predicates, counts, string comparisons, and/or/not: total
    ("not(cac:X)", True), ("//cac:A/cbc:B/@id", True), ("cbc:A | cbc:*", True), ("exists(../cbc:A)", True),
    ("not(cbc:A) and not(cbc:B)", True), ("not(cbc:A[1])", True), ("count(cbc:A) = 1", True),
    ("cbc:A = 'x'", True), ("not((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cbc:Keyword)", True),
    ("(count(cac:PaymentMeans/cbc:PaymentDueDate) <=1)", True), ("not(cbc:V) or cbc:V = '2.1'", True),
    ("@currencyID = ../cbc:DocumentCurrencyCode", True), ("count(a) > count(b)", True), ("/", True),
    ("/ubl:Invoice", True), ("fn:exists(a)", True), ("a[count(b)]", True), ("a[2]/b", True), ("text() = 'x'", True),
    ("a = 'it''s'", True), ("true() or false()", True),
    # anything that casts, calls, computes, names a variable or an axis: may raise
    ("string(cbc:A)", False), ("not($x)", False), ("not(cbc:A)(cbc:B)", False), ("(cbc:Percent) >= 0", False),
    ("xs:decimal(../cbc:TaxAmount) = 0", False), ("cbc:A[. < 0]", False), ("cbc:A = 1", False),
    ("cbc:A eq 'x'", False), ("cbc:A/ancestor::x", False), ("cbc:A + 1", False), ("cbc:A - 1", False),
    ("cbc:A * 2", False), ("cbc:A div 2", False), ("count(a) | b", False), ("(a = 'b') = 'c'", False),
    ("cbc:ChargeIndicator = false()", False), ("not(a) (: c :)", False), ("", False), ("a[", False),
    ("a/", False), ("//", False), (".5 = a", False), ("1e5", False), ("exists(a, b)", False), ("not()", False),
    ("normalize-space(a) != ''", False), ("a[normalize-space(.) = 'x']", False),
])
def test_the_tests_that_cannot_raise(test: str, total: bool) -> None:
    assert cannot_raise(test) is total


def test_a_path_headed_by_a_union_is_tested_a_branch_at_a_time(tmp_path: Path) -> None:
    """``not((t:line|q:line)/…)`` is emitted as one existence test per branch, and fails
    exactly where the union-headed path selects something, whichever branch it is in."""
    path = schema(
        tmp_path,
        """<pattern><rule context="t:inv">
             <assert id="NO-Q-AMOUNT" test="not((t:line | t:other)/q:amount)">q amount</assert>
             <assert id="NO-CUR" test="not((t:other|t:line)/t:amount/@cur)">currency</assert>
             <assert id="NO-NOTE" test="not((t:line|t:other)/t:note)">note</assert>
             <assert id="NO-FIRST" test="not((t:line|t:other)/t:amount[1])">a predicate: as written</assert>
           </rule></pattern>""",
    )
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    tests = [i.get("test") for i in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}if")]
    assert "exists(t:line/q:amount) or exists(t:other/q:amount)" in tests
    assert "exists(t:other/t:amount/@cur) or exists(t:line/t:amount/@cur)" in tests
    assert "not((not((t:line|t:other)/t:amount[1])))" in tests
    findings = run(path)
    assert ids(findings) == ["NO-CUR", "NO-FIRST", "NO-Q-AMOUNT"]
    assert {f.test for f in findings} >= {"not((t:line | t:other)/q:amount)"}  # reported as written
    other = DOC.replace(b"<line n=\"2\">", b"<other>").replace(b"</line>\n  <line n=\"3\">", b"</other>\n  <line n=\"3\">")
    assert ids(run(path, other)) == ["NO-CUR", "NO-FIRST", "NO-Q-AMOUNT"]  # now in the other branch


@pytest.mark.parametrize("test, fires", [
    ("not((cac:A|cac:B)/cac:Item/cbc:Keyword)", "exists(cac:A/cac:Item/cbc:Keyword) or exists(cac:B/cac:Item/cbc:Keyword)"),
    ("not((a | b))", "exists(a) or exists(b)"), ("not((a|b|c)/d/@e)", "exists(a/d/@e) or exists(b/d/@e) or exists(c/d/@e)"),
    ("not((a|b)/c[1])", None), ("not((a|b)//c)", None), ("not(a/b)", None), ("not((a|b)/c) and x", None),
    ("not((a|$b)/c)", None),
])
def test_which_tests_are_split_per_branch(test: str, fires: str | None) -> None:
    assert fires_per_branch(test) == fires


@pytest.mark.parametrize("test, branches", [
    ("not(cac:X)", (("", ("cac:X",)),)), (" not ( a / b / @c ) ", (("", ("a", "b", "@c")),)),
    ("not(//@format)", (("//", ("@format",)),)), ("not(@id)", (("", ("@id",)),)),
    ("not(//cac:Country/cbc:IdentificationCode/@listID)", (("//", ("cac:Country", "cbc:IdentificationCode", "@listID")),)),
    ("not((a | b)/c)", (("", ("a", "c")), ("", ("b", "c")))),
    ("not(@id/x)", None), ("not(a[1])", None), ("not(a//b)", None), ("not($a)", None), ("not(a) or b", None),
    ("not(a/@b/c)", None), ("not(../a)", None), ("not(a/text())", None), ("a", None), ("not(a/*)", None),
])
def test_which_tests_ask_that_a_plain_path_selects_nothing(test: str, branches: object) -> None:
    assert absent_branches(test) == branches


def test_the_guard_groups_the_final_steps_by_the_path_before_them() -> None:
    tests = ["not(a/b)", "count(z) = 1", "not(a/c)", "not(a/@d)", "not(//@e)", "not(//@f)", "not(x)",
             "not((a|y)/b)", "not(q)", "not(a[1])"]
    assert GUARDED == 8
    assert absence_guard(tests) == (
        "exists(a/(b|c)) or exists(a/@d) or exists(//(@e|@f)) or exists((x|q)) or exists(y/b)")
    assert absence_guard(tests[:-3]) is None  # seven plain paths: no guard


def test_a_rule_of_many_absent_paths_is_guarded_and_reports_as_written(tmp_path: Path) -> None:
    """A rule with at least ``GUARDED`` asserts of a plain path asks once whether any of
    the paths selects a node: when none does, only its other checks run; when one does,
    every check runs, each reported as without the guard and in the rule's order."""
    forbidden = ["t:note", "t:line/t:tax", "t:line/t:amount/@rate", "//@lang", "(t:line|t:head)/q:amount",
                 "t:line/t:price", "t:head", "//@cur"]
    checks = [f'<assert id="NO-{n}" test="not({path})">{path} is not used</assert>' for n, path in enumerate(forbidden)]
    checks[5] = '<assert id="NO-5" test="not(t:line/t:price)">a price in <value-of select="count(t:line)"/></assert>'
    path = schema(
        tmp_path,
        f"""<pattern><rule context="t:inv">
              <let name="lines" value="count(t:line)"/>
              <assert id="THREE" test="$lines = 3">three lines</assert>
              {"".join(checks[:4])}
              <report id="DATED" test="t:date">dated</report>
              {"".join(checks[4:])}
            </rule></pattern>""",
    )
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    xsl = "{http://www.w3.org/1999/XSL/Transform}"
    (guard,) = [v for v in stylesheet.iter(f"{xsl}variable") if v.get("name", "").endswith("}absent")]
    assert guard.get("select") == ("exists((t:note|t:head)) or exists(t:line/(t:tax|q:amount|t:price)) "
                                   "or exists(t:line/t:amount/@rate) or exists(//(@lang|@cur)) or exists(t:head/q:amount)")
    runs = [i for i in stylesheet.iter(f"{xsl}if") if i.get("test") == f"${guard.get('name')}"]
    # the asserts before the report and those after, each run a table but for NO-5 (its message has a value)
    assert [[etree.QName(child).localname for child in run] for run in runs] == [
        ["sequence"], ["sequence", "try", "sequence"]]
    # t:line/q:amount and //@cur are in the document: the guard holds, every check runs
    assert [f.rule_id for f in run(path)] == ["DATED", "NO-4", "NO-7"]
    assert [f.location for f in run(path)] == ["/*:inv[1]"] * 3
    plain = (DOC.replace(b"<q:amount>7</q:amount>", b"").replace(b' cur="EUR"', b"").replace(b' cur="USD"', b""))
    assert [f.rule_id for f in run(path, plain)] == ["DATED"]  # the guard does not hold: the others alone
    four = plain.replace(b"</inv>", b'<line n="4"/></inv>')
    assert [f.rule_id for f in run(path, four)] == ["THREE", "DATED"]
    assert [f.rule_id for f in run(path, four.replace(b"<date>", b'<date lang="en">'))] == ["THREE", "NO-3", "DATED"]
    priced = plain.replace(b"<line n=\"3\">", b"<line n=\"3\"><price/>").replace(b"</inv>", b"<head/></inv>")
    found = run(path, priced)
    assert [(f.rule_id, f.message) for f in found] == [
        ("DATED", "dated"), ("NO-5", "a price in 3"), ("NO-6", "t:head is not used")]
    assert found[2].test == "not(t:head)" and found[2].severity == "information" and found[2].location == "/*:inv[1]"


@pytest.mark.parametrize("test, rewritten", [
    ("exists(//a/b) and count(//a) = 1", "exists($A/b) and count($A) = 1"),
    ("(//a[b = 1] or not(//a[c != 'x'][@d eq 'y']))", "($A[b = 1] or not($A[c != 'x'][@d eq 'y']))"),
    ("every $x in c satisfies exists(//a[@id = $x])", "every $x in c satisfies exists($A[@id = $x])"),
    ("//a", "$A"), ("string(//p:a, //a)", "string(//p:a, $A)"),
    # the focus may not be the rule's, or the position in the sequence is read: as written
    ("x[exists(//a)]", None), ("b/exists(//a)", None), ("b / string(//a)", None), ("(1, 2) ! exists(//a)", None),
    ("$v/(//a)", None), ("exists(//a[1])", None), ("exists(//a[position() = 1])", None),
    ("exists(//a[b])", None), ("exists(//a[if (b) then 1 else c = 1])", None), ("c and //a", None),
    ("exists(.//a)", None), ("exists(//a:*)", None), ("exists(//a/b) and function() { //a }", None),
    ("'//a' = (//ab)", None), ("exists(//ab) (: //a :)", None), ("exists(//a()) ", None),
])
def test_which_paths_from_the_root_are_read_from_a_variable(test: str, rewritten: str | None) -> None:
    assert rewrite_descendants(test, {"a": "A"}) == (rewritten or test)


def test_a_path_from_the_root_written_twice_in_a_rule_is_walked_once(tmp_path: Path) -> None:
    """``//t:line`` in two tests of one rule becomes one variable of the rule; the
    findings are those of the tests as written (a path written once stays as it is)."""
    assert shared_descendants(["exists(//a)", "count(//b) = 1", "not(//a[c = 1])"]) == {
        "a": "Q{urn:peppol-ubl:schematron}all-1"}
    path = schema(
        tmp_path,
        """<pattern><rule context="t:inv">
             <assert id="EURO" test="every $c in //t:line/t:amount/@cur satisfies $c = 'EUR'">euro only</assert>
             <assert id="SOME-NEGATIVE" test="exists(//t:line[t:amount &lt; 0])">a negative line</assert>
             <assert id="FIRST-OF-EACH" test="count(//t:line[1]) = 1">one first line</assert>
             <report id="LINES" test="count(//t:line) = 3">three lines</report>
           </rule></pattern>""",
    )
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    (variable,) = [v for v in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}variable")
                   if v.get("name", "").endswith("}all-1")]
    assert variable.get("select") == "//t:line"
    assert ids(run(path)) == ["EURO", "LINES"]
    assert ids(run(path, DOC.replace(b"-5", b"5"))) == ["EURO", "LINES", "SOME-NEGATIVE"]


@pytest.mark.parametrize("tests, shared", [
    (["exists($A[b = 1])", "count($A[b = 1]) = 2"], ["$A[b = 1]"]),
    (["exists($A[b = 1])", "exists($A[b = 2])", "$B[b = 1]"], []),  # each written once
    (["exists($A[b = 1][c])", "$A[b = 1]/d", "$A [b = 1]"], ["$A[b = 1]"]),  # the first predicate
    (["$A[t:b = 'x]'] and $A[t:b = 'x]']"], ["$A[t:b = 'x]']"]),  # a bracket in a literal
    (["$A[normalize-space(upper-case(c)) = 'VAT']"] * 2, ["$A[normalize-space(upper-case(c)) = 'VAT']"]),
    # the predicate reads from outside its focus, or may call a rule's own function: as written
    (["$A[@id = $x]"] * 2, []), (["$A[. is current()]"] * 2, []), (["$A[p:f(.)]"] * 2, []),
    (["$A[xs:decimal(.) > 0]"] * 2, []), (["$A[Q{urn:f}f(.)]"] * 2, []), (["$A[f#1(.)]"] * 2, []),
    (["$A[function() { 1 }() = 1]"] * 2, []), (["$A[regex-group(1)]"] * 2, []),
    (["$AB[b]", "$AB[b]", "$A-2[b]", "$A-2[b]"], []),  # other variables
    (["$A", "$A/b[c]", "count($A)"], []),  # no filter
])
def test_which_filters_of_a_shared_path_are_read_from_a_variable(tests: list[str], shared: list[str]) -> None:
    assert sorted(shared_filters(tests, ["A"])) == shared


def test_a_filter_is_read_as_written_when_its_variable_marks_an_error() -> None:
    reading = "(if ($F instance of map(*)) then $A[b = 1] else $F)"
    assert rewrite_filters("exists($A[b = 1]) and $A[b = 1][2]/c and $A[b = 2]", {"$A[b = 1]": "F"}) == (
        f"exists({reading}) and {reading}[2]/c and $A[b = 2]")


FLAGGED = b"""<inv xmlns="urn:t">%s</inv>"""


def saxon_verdicts(xml: bytes, tests: dict[str, str], at: str = "/t:inv") -> dict[str, str]:
    """``pass``, ``fail`` or ``error`` for each test as Saxon evaluates it, as written, on
    the node ``at`` of ``xml``, by default its document element (prefixes ``t`` and ``xs``)."""
    processor = _processor()
    xpath = processor.new_xpath_processor()
    xpath.declare_namespace("t", "urn:t")
    xpath.declare_namespace("xs", "http://www.w3.org/2001/XMLSchema")
    xpath.set_context(xdm_item=processor.parse_xml(xml_text=xml.decode()))
    expected: dict[str, str] = {}
    for rule, test in tests.items():
        try:
            expected[rule] = "pass" if xpath.effective_boolean_value(f"{at}/({test})") else "fail"
        except PySaxonApiError:
            expected[rule] = "error"
    return expected


def verdicts(findings: list[Finding], tests: dict[str, str]) -> dict[str, str]:
    """The same for the findings of a run: ``error`` where the check could not be evaluated."""
    found = {f.rule_id: "error" if "could not be evaluated" in f.message else "fail" for f in findings}
    return {rule: found.get(rule, "pass") for rule in tests}


@pytest.mark.parametrize("flags", [
    ("true", "false", "false"), ("true", "true"), ("false",),
    ("true", "maybe"),  # exists stops at the first true line; count reads the second
    ("maybe", "true"), ("maybe",),
])
def test_a_filter_written_in_several_tests_keeps_each_verdict_and_error(tmp_path: Path, flags: tuple[str, ...]) -> None:
    """``//t:line[t:flag = true()]`` in three tests of a rule is one variable of the rule
    (``filters``); each test passes, fails or raises exactly as Saxon evaluates the test
    as written on the document (the oracle here), whether or not the variable raised."""
    tests = {
        "ANY-TRUE": "exists(//t:line[t:flag = true()])",
        "ONE-TRUE": "count(//t:line[t:flag = true()]) = 1",
        "TRUE-POSITIVE": "empty(//t:line[t:flag = true()]/t:amount[. &lt; 0])",
    }
    path = schema(tmp_path, "<pattern><rule context=\"t:inv\">" + "".join(
        f'<assert id="{rule}" test="{test}">{rule}</assert>' for rule, test in tests.items()) + "</rule></pattern>")
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    (variable,) = [v for v in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}variable")
                   if v.get("name", "").endswith("}filter-1")]
    assert variable[0].get("select") == "$Q{urn:peppol-ubl:schematron}all-1[t:flag = true()]"
    lines = "".join(f"<line><flag>{flag}</flag><amount>{-1 if i else 1}</amount></line>" for i, flag in enumerate(flags))
    xml = FLAGGED % lines.encode()
    expected = saxon_verdicts(xml, {rule: test.replace("&lt;", "<") for rule, test in tests.items()})
    assert verdicts(run(path, xml), tests) == expected
    assert "error" in expected.values() or flags != ("maybe",)


def test_an_official_file_is_not_assembled_again_while_its_files_are_unchanged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The machine cache keeps what a trusted file was assembled from (files, digests,
    notices); a later process reuses it, and an included file that changed is assembled
    again. Each case is a fresh process here (the in-process tables are emptied)."""
    from peppol_ubl.validation.schematron import run as engine

    (tmp_path / "rules.sch").write_text(
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"><rule context="t:line">'
        '<assert id="SMALL" test="xsd:decimal(t:amount) lt 15">large</assert></rule></pattern>',
        encoding="utf-8")
    path = schema(tmp_path, '<include href="rules.sch"/>', name="main.sch")

    def fresh_run() -> list[Finding]:
        engine._last_compiled.clear()
        return engine.run_schematron(path, DOC, trusted=True)

    first = fresh_run()
    assert ids(first) == ["PU-SCHEMATRON-PREFIX-DECLARED", "SMALL"]
    (index,) = (tmp_path / "cache" / "xslt").glob("*.json")
    with caplog.at_level("DEBUG", logger="peppol_ubl"):
        assert fresh_run() == first  # notices included
    assert f"assembly of {path} from the cache index" in caplog.text
    (tmp_path / "rules.sch").write_text(
        (tmp_path / "rules.sch").read_text(encoding="utf-8").replace("lt 15", "lt 5"), encoding="utf-8")
    assert ids(fresh_run()) == ["PU-SCHEMATRON-PREFIX-DECLARED", "SMALL", "SMALL"]
    index.write_text("{not json", encoding="utf-8")
    assert ids(fresh_run()) == ["PU-SCHEMATRON-PREFIX-DECLARED", "SMALL", "SMALL"]


@pytest.mark.parametrize("context, pattern", [
    ("//*[ends-with(name(), 'Amount') and not(ends-with(name(),'PriceAmount'))]",
     "*[ends-with(local-name(), 'Amount') and not(ends-with(local-name(),'PriceAmount'))]"),
    ("//cac:PostalAddress | //cac:Address", "cac:PostalAddress | cac:Address"),
    ("//*:a | //p:* | //Q{u}x | // a/b", "*:a | p:* | Q{u}x |  a/b"),
    ("a[//b = '|//c'] | //d[ends-with(name(), \"x\")]", "a[//b = '|//c'] | d[ends-with(local-name(), \"x\")]"),
    # as written: a kind test (//document-node() matches nothing), a step other than a
    # name test, a nested union, a literal with a colon, another function's name()
    ("//document-node()", None), ("//text() | //@x | //node()", None), ("(//a | //b)[c]", None),
    ("x[ends-with(name(), 'p:b')]", None), ("x[fn:ends-with(name(), 'b')]", None),
    ("x[ends-with(name(.), 'b')]", None), ("/t:inv | t:line", None),
    ("x['//a' = ends-with(name(), 'b')]", "x['//a' = ends-with(local-name(), 'b')]"),
])
def test_which_rule_contexts_are_matched_by_a_cheaper_pattern(context: str, pattern: str | None) -> None:
    assert match_pattern(context) == (pattern or context)


def test_a_context_from_the_root_matches_the_same_nodes_as_written(tmp_path: Path) -> None:
    """``//*[ends-with(name(), …)]`` is matched as ``*[ends-with(local-name(), …)]`` and
    fires at the elements whose prefixed name ends so (as lxml names them), whatever the
    prefix; a literal with a colon is compared with the prefixed name, as written."""
    path = schema(
        tmp_path,
        """<pattern><rule context="//*[ends-with(name(), 'amount')]"><report id="AMOUNT" test="true()">a</report></rule></pattern>
           <pattern><rule context="//*[ends-with(name(), 'q:amount')] | //t:date"><report id="Q" test="true()">q</report></rule></pattern>
           <pattern><rule context="//*[ends-with(name(), 'ount')]"><report id="OUNT" test="true()">o</report></rule>
                    <rule context="//t:line"><report id="LINE" test="true()">l</report></rule></pattern>""",
    )
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    matches = {t.get("match") for t in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}template")}
    assert "*[ends-with(local-name(), 'amount')]" in matches and "t:line" in matches
    assert "*[ends-with(name(), 'q:amount')] | t:date" in matches

    def named(element: etree._Element) -> str:
        return f"{element.prefix}:{etree.QName(element).localname}" if element.prefix else etree.QName(element).localname

    elements = list(etree.fromstring(DOC).iter())
    found = run(path)
    for rule_id, ends, count in (("AMOUNT", "amount", 4), ("Q", ("q:amount", "date"), 2), ("OUNT", "ount", 4),
                                 ("LINE", "line", 3)):
        expected = [e for e in elements if named(e).endswith(ends)]
        located = [resolve(DOC, f.location or "") for f in found if f.rule_id == rule_id]
        assert [(named(e), e.sourceline) for e in located] == [(named(e), e.sourceline) for e in expected]
        assert len(expected) == count


@pytest.mark.parametrize("context, local_name, excluded", [
    ("//*[ends-with(name(), 'Amount') and not(ends-with(name(),'PriceAmount')) and not(ancestor::a/b)]", "Note", True),
    ("//*[ends-with(name(), 'Amount') and not(ends-with(name(),'PriceAmount'))]", "TaxAmount", False),
    ("//*[ends-with(name(), 'Amount') and not(ends-with(name(),'PriceAmount'))]", "PriceAmount", False),
    ("//*[ends-with(name(), 'BinaryObject')]", "EmbeddedDocumentBinaryObject", False),
    ("*[ends-with(local-name(), 'X')] | //*[ends-with(name(), 'Y')]", "Z", True),
    ("//*[ends-with(name(), 'X')][1]", "Z", True), ("//*[b and ends-with(name(), 'X')]", "Z", True),
    ("//*[band and ends-with(name(), 'X')]", "Z", True), ("//*[x[a and b] and ends-with(name(), 'X')]", "Z", True),
    # it may match: another branch, another step, another term, a prefix in the suffix
    ("*[ends-with(local-name(), 'X')] | a", "Z", False), ("//*[ends-with(name(), 'X')]/b", "Z", False),
    ("//*[ends-with(name(), 'X') or b]", "Z", False), ("//*[not(*) and not(normalize-space())]", "Z", False),
    ("//*[ends-with(name(), 'p:X')]", "Z", False), ("//*[(ends-with(name(), 'X')) and b]", "Z", False),
    ("//*[x[ends-with(name(), 'X')]]", "Z", False), ("//a:*[ends-with(name(), 'X')]", "Z", False),
    ("//*[ends-with(name(), 'X]')]", "Z", True), ("//*[ends-with(name(), 'X]')]", "ZX]", False),
    # and binds more tightly than or, if, some, for, let and the comma: not a conjunction
    ("//*[b or c and ends-with(name(), 'X')]", "Z", False),
    ("//*[if (b) then c else d and ends-with(name(), 'X')]", "Z", False),
    ("//*[some $v in b satisfies $v and ends-with(name(), 'X')]", "Z", False),
])
def test_which_contexts_cannot_match_an_element_by_its_name(context: str, local_name: str, excluded: bool) -> None:
    assert cannot_match(context, local_name) is excluded


def test_a_pattern_of_any_element_is_not_asked_where_its_rules_cannot_match(tmp_path: Path) -> None:
    """A rule of any element whose name ends in ``amount`` beside rules of ``t:line`` and
    ``t:amount`` and a test that names ``t:date`` and ``q:amount``: the walk asks its
    pattern at ``t:amount`` and ``q:amount`` (and at elements of names the schema does
    not write), not at ``t:line`` nor at ``t:date``, and it fires at every element whose
    name ends so."""
    path = schema(
        tmp_path,
        """<pattern><rule context="//*[ends-with(name(), 'amount') and not(@cur = 'USD')]">
             <report id="AMOUNT" test="true()">an amount</report></rule></pattern>
           <pattern><rule context="t:line | t:amount"><report id="NAMED" test="false()">never</report></rule></pattern>
           <pattern><rule context="t:line"><assert id="WRITTEN" test="count(q:amount | ../t:date) ge 0">never</assert>
             </rule></pattern>""",
    )
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    walk = "Q{urn:peppol-ubl:schematron}walk"
    asked = {template.get("match"): [a.get("mode") for a in template if a.get("select") == "."]
             for template in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}template")
             if template.get("mode") == walk}
    pattern_1 = "Q{urn:peppol-ubl:schematron}pattern-1"
    assert pattern_1 in asked["Q{urn:t}amount"] and pattern_1 in asked["document-node() | *"]
    assert "Q{urn:q}amount" not in asked  # the template of any element asks pattern 1 there
    assert pattern_1 not in asked["Q{urn:t}line"] and asked["Q{urn:t}date"] == []
    expected = sorted(path_of(e) for e in etree.fromstring(DOC).iter()
                      if isinstance(e.tag, str) and etree.QName(e).localname.endswith("amount") and e.get("cur") != "USD")
    assert len(expected) == 3
    assert sorted(f.location or "" for f in run(path) if f.rule_id == "AMOUNT") == expected


@pytest.mark.parametrize("context, terms", [
    ("t:line[$no]", ["$no"]), ("(t:line | t:date)[$no and $yes]", ["$no", "$yes"]),
    ("t:line[$yes]/t:amount[@cur and $no = 'x']", ["$no = 'x'"]), ("t:line[not($no) or $yes]", ["not($no) or $yes"]),
    ("t:line[$no = ('a', 'b')]", ["$no = ('a', 'b')"]), ("t:line[$no]/*[$yes] | t:date[$yes]", ["$no", "$yes"]),
    # none: a branch without such a term, a term reading the node, an unknown variable,
    # a term of a predicate that is not a conjunction, a predicate inside a predicate
    ("t:line[$no] | t:date", None), ("t:line[@n = $no]", None), ("t:line[$other]", None),
    ("t:line[@n or $no and $yes]", None), ("t:line[if (@n) then $no else $yes]", None),
    ("t:line[t:amount[$no]]", None), ("t:line[$no/@n]", None), ("t:line[$no!name()]", None),
    ("t:line[f($no)]", None), ("t:line[']$no' and @n]", ["']$no'"]),
])
def test_which_contexts_have_a_guard(context: str, terms: list[str] | None) -> None:
    guard = pattern_guard([context], frozenset({"no", "yes"}))
    if terms is None:
        assert guard is None
        return
    assert guard is not None
    for term in terms:
        assert f":= ({term}) return" in guard


GUARDED_LETS = {"yes": "true()", "no": "false()", "none": "()", "two": "2", "lines": "//t:line", "bad": "error()",
                "text": "'x'"}
GUARDED_CONTEXTS = [
    "t:line[$no]", "t:line[$yes]", "t:line[$none]", "t:line[$two]", "t:line[$lines]", "t:line[$text]",
    "t:amount[$no and @cur]", "t:amount[$yes and @cur = 'USD']", "t:amount[$no or @cur = 'USD']",
    "(t:line | t:date)[$no]", "(t:line | t:date)[$yes]", "t:line[$yes]/t:amount[$no]", "t:line[$no]/t:amount",
    "@cur[$no]", "@cur[$yes and . = 'USD']", "t:line[$two and $yes]", "t:line[$bad = 'x']", "t:line[$no] | t:date",
]


def _matched_by_saxon(context: str) -> list[str]:
    """Where ``context`` matches in ``DOC`` as Saxon matches it in a stylesheet written
    here (the oracle), in the form of our locations."""
    lets = "".join(f'<xsl:variable name="{name}" select="{value}"/>' for name, value in GUARDED_LETS.items())
    stylesheet = (
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:t="urn:t" xmlns:q="urn:q">' + lets.replace('select="error()"', 'select="map{}"')
        + '<xsl:output method="text"/><xsl:mode name="m" on-no-match="deep-skip"/>'
        '<xsl:template match="/"><xsl:apply-templates select="//(*|@*)" mode="m"/></xsl:template>'
        f'<xsl:template match="{context}" mode="m">'
        "<xsl:value-of select=\"string-join(for $s in ancestor-or-self::* return '/*:' || local-name($s) || '[' || "
        "(1 + count($s/preceding-sibling::*[local-name() eq local-name($s)])) || ']')"
        " || (if (. instance of attribute()) then '/@' || local-name() else '')\"/>"
        "<xsl:text>&#10;</xsl:text></xsl:template></xsl:stylesheet>")
    compiled = _processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=stylesheet)
    output = compiled.transform_to_string(xdm_node=_processor().parse_xml(xml_text=DOC.decode()))
    return sorted(line for line in (output or "").splitlines() if line)


def test_a_guarded_pattern_matches_where_saxon_matches_its_context(tmp_path: Path) -> None:
    """Each context, a pattern of its own beside variables of every kind of value: the
    rule fires exactly where Saxon matches the context in a stylesheet of its own; the
    patterns whose guard is false on the document (every term false or empty) are asked
    under an ``xsl:if`` on it, and a guard that raises (``$bad``) is taken as true."""
    lets = "".join(f'<let name="{name}" value="{value}"/>' for name, value in GUARDED_LETS.items())
    patterns = "".join(f'<pattern><rule context="{context}"><report id="P{number}" test="true()">m</report></rule></pattern>'
                       for number, context in enumerate(GUARDED_CONTEXTS))
    path = schema(tmp_path, lets + patterns)
    found = run(path)
    for number, context in enumerate(GUARDED_CONTEXTS):
        located = sorted(f.location or "" for f in found if f.rule_id == f"P{number}")
        assert located == _matched_by_saxon(context), context
    assert {f.rule_id for f in found if f.rule_id.startswith("P")} >= {"P1", "P3", "P4", "P5"}
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    guards = [v.get("name", "") for v in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}variable")
              if "}live-" in v.get("name", "")]
    unguarded = {GUARDED_CONTEXTS.index(c) + 1 for c in ("t:amount[$no or @cur = 'USD']", "t:line[$no] | t:date")}
    assert sorted(int(name.rpartition("-")[2]) for name in guards) == sorted(
        set(range(1, len(GUARDED_CONTEXTS) + 1)) - unguarded)


@pytest.mark.parametrize("test, found", [
    ("(exists(//a[normalize-space(p:id) = 'X'][b]) and c) or not(exists(//a[normalize-space(p:id) = 'X'][b]))",
     [("//a", "p:id", "'X'")]),
    ("((exists(//a[b]/p:id[normalize-space(.) = 'X']) or exists(//c/p:id[normalize-space(.)='X'])) and d = 1)"
     " or (not(//a[b]/p:id[normalize-space(.) = 'X']) and not(//c/p:id[normalize-space(.) = 'X']))",
     [("//a[b]/p:id", None, "'X'"), ("//c/p:id", None, "'X'")]),
    ("(exists(//a[f = true()]/c[normalize-space(p:id)='X']) and d) or not(exists(//a[f = true()]/c[p:id='X'][e]))",
     [("//a[f = true()]/c", "p:id", "'X'")]),  # the raw form asks the same keys
    ("(exists((/i|/n)/a[normalize-space(p:id) = 'X']) and d) or not(exists((/i|/n)/a[normalize-space(p:id) = 'X']))",
     [("(/i|/n)/a", "p:id", "'X'")]),
    ("(exists(a[normalize-space(p:id) = 'X']) and d) or not(exists(a[normalize-space(p:id) = 'X']))",
     [("//a", "p:id", "'X'")]),  # relative: probed from every node
    ("(exists(a/b[c]/p:id[normalize-space(.) = 'X']) and d) or not(//e[normalize-space(p:id) = 'X'])",
     [("//a/b[c]/p:id", None, "'X'"), ("//e", "p:id", "'X'")]),
    ("((count(//a[normalize-space(p:id) = 'X']) + count(b[p:id = 'X'])) > 0 and count(c) > 0)"
     " or ((count(//a[normalize-space(p:id) = 'X']) + count(b[p:id = 'X'])) = 0 and count(e[p:id = 'X']) = 0)",
     [("//a", "p:id", "'X'"), ("//b", "p:id", "'X'"), ("//e", "p:id", "'X'")]),  # sums of counts
    ("(count(//a[normalize-space(p:id) = 'X']) > 0 and d) or count(//a[normalize-space(p:id) = 'X']) = 0",
     [("//a", "p:id", "'X'")]),
    ("(count(//a[normalize-space(p:id) = 'X']) >= 0 and d) or count(//a[normalize-space(p:id) = 'X']) = 0", None),
    ("(count(//a[normalize-space(p:id) = 'X']) > 0 and d) or count(//a[normalize-space(p:id) = 'X']) != 0", None),
    ("(count(//a[normalize-space(p:id) = 'X']) > 1 and d) or count(//a[normalize-space(p:id) = 'X']) = 0", None),
    ("(count(//a[normalize-space(p:id) = 'X']) + 1 > 0 and d) or count(//a[normalize-space(p:id) = 'X']) = 0", None),
    ("(count(//a[normalize-space(p:id) = 'X']) > 0 and d) or count(//a[normalize-space(p:id) = 'X'] | c) = 0", None),
    ("(exists(./a[normalize-space(p:id) = 'X']) and d) or not(./a[normalize-space(p:id) = 'X'])", None),  # a step "."
    ("(exists(child::a[normalize-space(p:id) = 'X']) and d) or not(child::a[normalize-space(p:id) = 'X'])", None),
    ("(exists(//a[normalize-space(p:id) = 'X']) and d) or not(exists($v[normalize-space(p:id) = 'X']))", None),
    ("(exists(//a[$v]/c[normalize-space(p:id) = 'X']) and d) or not(exists(//c[normalize-space(p:id) = 'X']))", None),
    ("(exists(//a[normalize-space(p:id) = 'X']) and d) or not(exists(//a[normalize-space(p:id) = 'X'] | //b))", None),
    ("(exists(//a[normalize-space(p:id) = 'X']) and d) or not(exists(//a[normalize-space(p:id) = ' X']))", None),
    ("(exists(//a[normalize-space(p:id) = 'X']) or d) or not(exists(//a[normalize-space(p:id) = 'X']))", None),
    ("exists(//a[normalize-space(p:id) = 'X']) or not(exists(//a[normalize-space(p:id) = 'X']))", None),  # no B
    ("(exists(//a[upper-case(p:id) = 'X']) and d) or not(exists(//a[upper-case(p:id) = 'X']))", None),
    ("(exists(//a[normalize-space(p:id) = 'X']) and d) or not(exists(//a[normalize-space(p:id) = 'X'])) or e", None),
])
def test_which_asserts_hold_by_implication_on_a_key(test: str, found: list[tuple[str, str | None, str]] | None) -> None:
    result = probes(test)
    assert (None if result is None else [(p.prefix, p.name, p.key) for p in result]) == found


IMPLIED = {
    "A-PARTY": "(exists(//t:cat[normalize-space(t:id) = 'A'][t:scheme = 'VAT']) and exists(//t:party/t:vat))"
               " or not(exists(//t:cat[normalize-space(t:id) = 'A'][t:scheme = 'VAT']))",
    "A-TOTAL": "((exists(//t:cat[t:scheme = 'VAT']/t:id[normalize-space(.) = 'A']) or exists(//t:line/t:cat/t:id"
               "[normalize-space(.) = 'A'])) and (count(t:total/t:cat[normalize-space(t:id) = 'A']) = 1)) or"
               " (not(//t:cat[t:scheme = 'VAT']/t:id[normalize-space(.) = 'A']) and not(//t:line/t:cat/t:id"
               "[normalize-space(.) = 'A']))",
    "A-CHARGE": "(exists(//t:charge[t:flag = true()]/t:cat[normalize-space(t:id)='A']) and xs:decimal(t:total/t:amount)"
                " gt 0) or not(exists(//t:charge[t:flag = true()]/t:cat[t:id='A']))",
    "A-IN-TOTAL": "(exists(t:total/t:cat[normalize-space(t:id) = 'A']) and t:total/t:amount > 0)"
                  " or not(t:total/t:cat[normalize-space(t:id) = 'A'])",
    "A-COUNTED": "((count(//t:charge/t:cat[normalize-space(t:id) = 'A']) + count(//t:line/t:cat[normalize-space(t:id) = 'A']))"
                 " > 0 and count(t:total/t:cat[t:id = 'A']) > 0) or ((count(//t:charge/t:cat[normalize-space(t:id) = 'A'])"
                 " + count(//t:line/t:cat[normalize-space(t:id) = 'A'])) = 0 and count(t:total/t:cat[normalize-space(t:id)"
                 " = 'A']) = 0)",
}
IMPLIED_DOCUMENTS = {
    "no category A": "<line><cat><id>B</id><scheme>VAT</scheme></cat></line><total><amount>1</amount></total>",
    "A with a party": "<party><vat/></party><line><cat><id>A</id><scheme>VAT</scheme></cat></line>"
                      "<total><cat><id>A</id></cat><amount>1</amount></total>",
    "A without a party": "<line><cat><id> A </id><scheme>VAT</scheme></cat></line><total><amount>1</amount></total>",
    "A as a charge": "<charge><flag>true</flag><cat><id>A</id></cat></charge><total><amount>0</amount></total>",
    "A as a charge, bad amount": "<charge><flag>true</flag><cat><id>A</id></cat></charge><total><amount>x</amount></total>",
    "no A, a bad amount": "<charge><flag>true</flag><cat><id>B</id></cat></charge><total><amount>x</amount></total>",
    "no A, a flag that is no boolean": "<charge><flag>maybe</flag><cat><id>B</id></cat></charge>",
    "no A, a category of two ids": "<line><cat><id>B</id><id>C</id><scheme>VAT</scheme></cat></line>",
    "no A, two ids elsewhere": "<party><id>A</id><id>A</id></party><line><cat><id>B</id></cat></line>",
    "A elsewhere only": "<party><id>A</id></party><charge><flag>false</flag><cat><id>A</id></cat></charge>",
    "A in the total only": "<total><cat><id>A</id></cat><amount>1</amount></total>",
    "A in the total only, a bad amount": "<total><cat><id> A</id></cat><amount>x</amount></total>",
    "A in a total elsewhere": "<party><total><cat><id>A</id></cat></total></party><total><amount>x</amount></total>",
}


def one_run_of_implications(tmp_path: Path, context: str, asserts: dict[str, str]) -> Path:
    """A schema of one rule on ``context`` holding ``asserts``, checked to compile to one
    run of them all asked on their key (so that a test of it is not vacuous)."""
    path = schema(tmp_path, f'<pattern><rule context="{context}">' + "".join(
        f'<assert id="{rule}" test="{test}">{rule}</assert>' for rule, test in asserts.items()) + "</rule></pattern>")
    stylesheet = etree.fromstring(compile_schematron(path).encode())
    runs = [e for e in stylesheet.iter("{http://www.w3.org/1999/XSL/Transform}if") if "}lacking" in e.get("test", "")]
    assert len(runs) == 1 and len(runs[0]) == len(asserts)
    return path


@pytest.mark.parametrize("content", IMPLIED_DOCUMENTS.values(), ids=IMPLIED_DOCUMENTS.keys())
def test_a_run_of_implications_on_one_key_keeps_each_verdict_and_error(tmp_path: Path, content: str) -> None:
    """Three asserts of the form "if the document has a category A, then …" in a row are
    asked only when a node of their paths has the key A (``implications``); each passes,
    fails or raises exactly as Saxon evaluates the test as written (the oracle here), on
    documents with and without A, and where a path or the key's own test raises."""
    path = one_run_of_implications(tmp_path, "t:inv", IMPLIED)
    xml = f'<inv xmlns="urn:t">{content}</inv>'.encode()
    assert verdicts(run(path, xml), IMPLIED) == saxon_verdicts(xml, IMPLIED)


LINE_IMPLIED = {
    "L-PRICE": "(exists(t:cat[normalize-space(t:id) = 'A']) and t:price > 0) or not(t:cat[normalize-space(t:id) = 'A'])",
    "L-COUNT": "(count(t:cat[normalize-space(t:id) = 'A']) > 0 and count(t:price) = 1) or count(t:cat[t:id = 'A']) = 0",
}
LINE_DOCUMENTS = {
    "no line has A": "<line><cat><id>B</id></cat><price>x</price></line><line><price>1</price><price>2</price></line>",
    "A on another line": "<line><cat><id>A</id></cat><price>1</price></line><line><cat><id>B</id></cat><price>x</price></line>",
    "A on a line, a bad price": "<line><cat><id>A</id></cat><price>x</price></line><line><price>2</price><price>3</price></line>",
    "A outside the lines": "<cat><id>A</id></cat><line><price>x</price></line><line><cat><id>A</id><id>A</id></cat></line>",
}


@pytest.mark.parametrize("content", LINE_DOCUMENTS.values(), ids=LINE_DOCUMENTS.keys())
def test_a_run_of_implications_on_relative_paths_keeps_each_verdict_at_each_node(tmp_path: Path, content: str) -> None:
    """Relative paths are probed from every node (``//path``), a superset of what they
    select from any rule context: on a rule of each line, each assert passes, fails or
    raises at each line exactly as Saxon evaluates it there, as written."""
    path = one_run_of_implications(tmp_path, "t:line", LINE_IMPLIED)
    xml = f'<inv xmlns="urn:t">{content}</inv>'.encode()
    lines = content.count("<line>")
    found = run(path, xml)
    for number in range(1, lines + 1):
        here = [f for f in found if f.location == f"/*:inv[1]/*:line[{number}]"]
        assert verdicts(here, LINE_IMPLIED) == saxon_verdicts(xml, LINE_IMPLIED, f"/t:inv/t:line[{number}]"), number


def test_the_stylesheet_text_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Python orders sets of strings by a per-process hash: the walk templates are
    emitted in one order all the same, so that a schema compiles to the same text."""
    rules = "".join(f'<rule context="t:{name}"><assert test="true()">x</assert></rule>'
                    for name in ("line", "amount", "date", "inv", "cat", "id", "total", "party"))
    path = schema(tmp_path, f"<pattern>{rules}</pattern><pattern><rule context=\"t:line | q:amount\">"
                            '<assert test="true()">y</assert></rule></pattern>')
    script = ("import sys; from pathlib import Path; from peppol_ubl.validation.schematron.compile import emit_xslt; "
              "from peppol_ubl.validation.schematron.include import assemble; "
              "from peppol_ubl.validation.schematron.model import read_schema; "
              "sys.stdout.write(emit_xslt(read_schema(assemble(Path(sys.argv[1])).root)))")
    texts = {subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, check=True, text=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120).stdout for seed in ("1", "2", "3")}
    assert len(texts) == 1 and "walk" in texts.pop()
