"""One set of input limits every layer accepts: a document the input layer lets through is
read by Saxon too (the Schematron layer), and one beyond a limit gets a PU-INPUT finding
and reaches no other layer. Both sides of each limit, through validate() and preflight().

The limits are those of Saxon's XML parser, measured with saxonche (tests below check
them against Saxon directly): depth 100, 200 attributes per element (namespace
declarations count), 1,000 characters per prefix, local name, processing-instruction
target and namespace URI.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from official import saxon_parses
from shared import EXAMPLES

from peppol_ubl.errors import ParseError
from peppol_ubl.findings import Finding
from peppol_ubl.sending import preflight
from peppol_ubl.ubl.reader import parse_report
from peppol_ubl.validation.api import validate
from peppol_ubl.validation.report import Report
from peppol_ubl.xml.namespaces import CAC, CBC
from peppol_ubl.xml.namespaces import SBDH as SBDH_NS
from peppol_ubl.xml.limits import Excess, first_excess
from peppol_ubl.xml.safe import InputLimits, parse_document

BASE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
NOTE = b"<cbc:Note>Payment within 10 days, 2% discount</cbc:Note>"  # in cac:PaymentTerms
RULESET = "en16931@1.3.16"


def base() -> bytes:
    return BASE.read_bytes()


def with_note(note: bytes) -> bytes:
    """The base example with its note element replaced."""
    data = base()
    assert data.count(NOTE) == 1
    return data.replace(NOTE, note)


def input_rules(findings: list[Finding]) -> list[str]:
    return [f.rule_id for f in findings if f.layer == "input"]


def accepted_everywhere(data: bytes) -> None:
    """The input layer accepts the document, and every later layer reads it."""
    report = validate(data, ruleset=RULESET)
    assert input_rules(report.findings) == []
    assert report.layer("schematron").status in ("passed", "failed")
    assert "PU-SCHEMATRON-UNREADABLE" not in {f.rule_id for f in report.findings}
    result = preflight(data, ruleset=RULESET)
    assert result.status in (204, 412)
    assert not [r for r in result.reasons if r.layer == "input"]


def refused(data: bytes, rule_id: str) -> None:
    """The input layer refuses the document with ``rule_id``, naming where."""
    report = validate(data, ruleset=RULESET)
    assert [(f.rule_id, f.severity) for f in report.findings if f.layer != "ruleset"] == [(rule_id, "fatal")]
    assert {report.layer(name).status for name in ("xsd", "schematron", "totals")} == {"skipped"}
    result = preflight(data, ruleset=RULESET)
    assert (result.status, [r.rule_id for r in result.reasons]) == (412, [rule_id])
    with pytest.raises(ParseError, match=rule_id):
        parse_report(data)


# depth ------------------------------------------------------------------------------

def nested_note(depth: int) -> bytes:
    """The note holding elements nested so that the document is ``depth`` deep (the
    root is 1, the note, Invoice/PaymentTerms/Note, 3)."""
    inner = depth - 3
    return with_note(b"<cbc:Note>" + b"<x>" * inner + b"</x>" * inner + b"</cbc:Note>")


def test_depth_limit_on_both_sides() -> None:
    assert InputLimits().max_depth == 100
    accepted_everywhere(nested_note(100))
    refused(nested_note(101), "PU-INPUT-TOO-DEEP")


def test_the_depth_limit_is_saxons() -> None:
    assert saxon_parses(nested_note(100)) and not saxon_parses(nested_note(101))


def test_too_deep_names_the_element() -> None:
    finding = parse_document(nested_note(101)).findings[0]
    assert finding.location is not None and finding.location.count("/") == 101
    assert finding.location.endswith("/*:x[1]") and finding.line is not None


# attributes ---------------------------------------------------------------------------

def note_with_attributes(count: int) -> bytes:
    attributes = b" ".join(b'a%d="v"' % i for i in range(count))
    return with_note(b"<cbc:Note " + attributes + b">x</cbc:Note>")


def root_with_attributes(count: int) -> bytes:
    """The root element, which declares three namespaces, with ``count`` more attributes."""
    data = base()
    attributes = b" ".join(b'a%d="v"' % i for i in range(count))
    return data.replace(b"<Invoice ", b"<Invoice " + attributes + b" ", 1)


def test_attribute_limit_on_both_sides() -> None:
    assert InputLimits().max_attributes == 200
    accepted_everywhere(note_with_attributes(200))
    refused(note_with_attributes(201), "PU-INPUT-TOO-MANY-ATTRIBUTES")


def test_namespace_declarations_count_as_attributes() -> None:
    assert etree.fromstring(base()).nsmap.keys() == {None, "cac", "cbc"}
    accepted_everywhere(root_with_attributes(197))
    refused(root_with_attributes(198), "PU-INPUT-TOO-MANY-ATTRIBUTES")


def test_the_attribute_limit_is_saxons() -> None:
    assert saxon_parses(note_with_attributes(200)) and not saxon_parses(note_with_attributes(201))
    assert saxon_parses(root_with_attributes(197)) and not saxon_parses(root_with_attributes(198))


def sbdh_declaring_the_prefixes(attributes: int) -> bytes:
    """An SBDH envelope that declares the cac and cbc prefixes its payload uses: unwrapped,
    the payload root declares them itself (three declarations with the default one)."""
    payload, count = re.subn(rb'\s+xmlns:(?:cac|cbc)="[^"]*"', b"", base().split(b"?>", 1)[1])
    assert count == 2
    declarations = f' xmlns:cac="{CAC}" xmlns:cbc="{CBC}"'.encode()
    extra = b" ".join(b'a%d="v"' % i for i in range(attributes))
    payload = payload.replace(b"<Invoice", b"<Invoice " + extra, 1)
    return (f'<sh:StandardBusinessDocument xmlns:sh="{SBDH_NS}"{declarations.decode()}>'.encode()
            + b"<sh:StandardBusinessDocumentHeader><sh:HeaderVersion>1.0</sh:HeaderVersion>"
            b"</sh:StandardBusinessDocumentHeader>" + payload + b"</sh:StandardBusinessDocument>")


def test_the_limit_applies_to_the_payload_as_unwrapped() -> None:
    accepted_everywhere(sbdh_declaring_the_prefixes(197))
    refused(sbdh_declaring_the_prefixes(198), "PU-INPUT-TOO-MANY-ATTRIBUTES")
    unwrapped = parse_document(sbdh_declaring_the_prefixes(197))
    assert unwrapped.root is not None and len(unwrapped.root.nsmap) == 3
    assert saxon_parses(unwrapped.xml)


# names and namespace URIs ---------------------------------------------------------------

def note_holding(fragment: str) -> bytes:
    return with_note(b"<cbc:Note>" + fragment.encode() + b"</cbc:Note>")


NAMES = {
    "element": lambda n: note_holding("<" + "e" * n + "/>"),
    "prefix": lambda n: note_holding(f'<{"p" * n}:e xmlns:{"p" * n}="urn:x"/>'),
    "attribute": lambda n: note_holding(f'<e {"a" * n}="v"/>'),
    "attribute-prefix": lambda n: note_holding(f'<e xmlns:{"p" * n}="urn:x" {"p" * n}:a="v"/>'),
    "namespace": lambda n: note_holding(f'<e xmlns="urn:{"u" * (n - 4)}"/>'),
    "pi-target": lambda n: note_holding(f'<?{"t" * n} data?>'),
}


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_name_limit_on_both_sides(kind: str) -> None:
    assert InputLimits().max_name_length == 1000
    make = NAMES[kind]
    accepted_everywhere(make(1000))
    refused(make(1001), "PU-INPUT-NAME-TOO-LONG")


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_the_name_limit_is_saxons(kind: str) -> None:
    make = NAMES[kind]
    assert saxon_parses(make(1000))
    assert not saxon_parses(make(1001))


_NAME = st.text("abé", min_size=1, max_size=7).map(lambda name: "n" + name)


@st.composite
def _elements(draw: st.DrawFn, depth: int = 0, prefixes: tuple[str, ...] | None = None) -> str:
    """An element with attributes, namespace declarations, text, comments, processing
    instructions and children, names and values of a few characters (some beyond ASCII)."""
    declares = prefixes is None and draw(st.booleans())
    prefixes = ("p:", "q:") if declares else prefixes or ()
    name = draw(st.sampled_from(["", *prefixes])) + draw(_NAME)
    declarations = [f' xmlns:{p[0]}="urn:{draw(st.text("ab", max_size=7))}"' for p in prefixes] if declares else []
    names = draw(st.lists(st.tuples(st.sampled_from(["", *prefixes]), _NAME), max_size=5, unique_by=lambda n: n[1]))
    attributes = [f' {p}{a}="{draw(st.text("a=>é ", max_size=4))}"' for p, a in names]
    inner = draw(st.lists(st.one_of(
        st.text("x=é ", max_size=6), st.just("<!-- a=b -->"), st.just("<![CDATA[ <== ]]>"),
        _NAME.map(lambda target: f"<?{target} d=1?>"),
        *([st.deferred(lambda: _elements(depth + 1, prefixes))] if depth < 3 else [])), max_size=4))
    return f"<{name}{''.join(declarations)}{''.join(attributes)}>{''.join(inner)}</{name}>"


def _seen(excess: Excess | None) -> tuple[str, str, int | None, str] | None:
    return None if excess is None else (excess.rule_id, excess.message, excess.element.sourceline,
                                        excess.element.getroottree().getpath(excess.element))


@settings(max_examples=300, deadline=None)
@given(_elements(), st.integers(1, 12), st.integers(1, 80))
def test_the_bytes_spare_the_walk_only_where_it_finds_nothing(element: str, attributes: int, length: int) -> None:
    """With the document's UTF-8 bytes, ``first_excess`` gives what the walk of the tree
    gives (tight limits, so that both excesses and documents within them are common)."""
    data = element.encode()
    root = etree.fromstring(data)
    limits = InputLimits(max_attributes=attributes, max_name_length=length)
    assert _seen(first_excess(root, limits, data)) == _seen(first_excess(root, limits))


# entity references: Saxon counts them, so they are handed over as character references --

def test_more_than_a_hundred_thousand_escaped_characters_reach_saxon() -> None:
    data = note_holding("&amp;" * 60_000 + "&lt;" * 60_000)
    assert not saxon_parses(data)  # the JDK's limit of 100,000 entity references
    parsed = parse_document(data)
    assert parsed.root is not None and saxon_parses(parsed.xml)
    again = etree.fromstring(parsed.xml)
    assert etree.tostring(again, method="c14n") == etree.tostring(parsed.root, method="c14n")
    accepted_everywhere(data)


def test_comments_and_processing_instructions_keep_their_text() -> None:
    data = note_holding("<!-- &amp; --><?pi &lt;?>" + "&amp;" * 100_001)
    parsed = parse_document(data)
    assert b"<!-- &amp; -->" in parsed.xml and b"<?pi &lt;?>" in parsed.xml
    assert b"&amp;" not in parsed.xml.replace(b"<!-- &amp; -->", b"")


# names Saxon's parser refuses and libxml2 accepts (XML 1.0 4th vs 5th edition) -----------

def test_a_name_only_xml_1_0_fifth_edition_allows_is_a_finding_not_an_exception() -> None:
    data = note_holding("<\u0132/>")  # Ĳ: a name character since the fifth edition only
    assert parse_document(data).ok and not saxon_parses(data)
    report = validate(data, ruleset=RULESET)
    unreadable = [f for f in report.findings if f.rule_id == "PU-SCHEMATRON-UNREADABLE"]
    assert [(f.severity, f.layer) for f in unreadable] == [("fatal", "schematron")]
    assert not report.ok and report.layer("schematron").status == "failed"
    assert report.layer("totals").status == "passed"
    assert preflight(data, ruleset=RULESET).status == 412


# limits are checked, and only the defaults (Saxon's) may run the Schematron layer -------

def test_limits_are_checked() -> None:
    for wrong in ({"max_depth": 257}, {"max_depth": 0}, {"max_attributes": 0}, {"max_name_length": 0},
                  {"max_bytes": 0}):
        with pytest.raises(ValueError):
            InputLimits(**wrong)


def test_limits_above_saxons_are_refused_when_the_schematron_layer_runs() -> None:
    lifted = InputLimits(max_attributes=10_000)
    with pytest.raises(ValueError, match="max_attributes"):
        validate(base(), ruleset=RULESET, limits=lifted)
    assert validate(note_with_attributes(300), ruleset=RULESET, rules=False, limits=lifted).layer(
        "input").status == "passed"
    assert parse_report(note_with_attributes(300), limits=lifted).invoice is not None


# SBDH: the payload without its tail -------------------------------------------------------

def envelope(after_payload: bytes, before_payload: bytes = b"\n") -> bytes:
    payload = base().split(b"?>", 1)[1].strip()
    return (f'<sh:StandardBusinessDocument xmlns:sh="{SBDH_NS}">'.encode()
            + b"<sh:StandardBusinessDocumentHeader><sh:HeaderVersion>1.0</sh:HeaderVersion>"
            b"</sh:StandardBusinessDocumentHeader>" + before_payload + payload + after_payload
            + b"</sh:StandardBusinessDocument>")


@pytest.mark.parametrize("data", [envelope(b"x"), envelope(b"\n", before_payload=b"text"),
                                  envelope(b"<!-- c -->x"), envelope(b"<?pi x?>y")],
                         ids=["after", "before", "after-a-comment", "after-a-pi"])
def test_text_beside_the_sbdh_payload_is_refused(data: bytes) -> None:
    refused(data, "PU-INPUT-SBDH-TEXT")


def test_whitespace_beside_the_payload_is_fine_and_not_carried_over() -> None:
    data = envelope(b"\n  \t\n")
    parsed = parse_document(data)
    assert parsed.ok and parsed.root is not None and parsed.root.tail is None
    assert parsed.xml.rstrip().endswith(b"</Invoice>")
    accepted_everywhere(data)
    parse_report(data)


# only regular files are read --------------------------------------------------------------

def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    fifo = tmp_path / "invoice.xml"
    os.mkfifo(fifo)
    outcome: list[Report] = []
    worker = threading.Thread(target=lambda: outcome.append(validate(fifo, ruleset=RULESET)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the open() so the suite goes on, then fail
        os.close(os.open(fifo, os.O_WRONLY))
        worker.join()
        pytest.fail("validate() waited for a writer on a named pipe")
    assert input_rules(outcome[0].findings) == ["PU-INPUT-NOT-A-FILE"]
    assert "named pipe" in parse_document(fifo).findings[0].message
    assert preflight(fifo, ruleset=RULESET).status == 412
    with pytest.raises(ParseError, match="PU-INPUT-NOT-A-FILE"):
        parse_report(fifo)


@pytest.mark.parametrize("path", ["directory", "/dev/null"])
def test_directories_and_devices_are_refused(path: str, tmp_path: Path) -> None:
    target = tmp_path if path == "directory" else Path(path)
    if not target.exists():
        pytest.skip(f"{path} does not exist here")
    parsed = parse_document(target)
    assert [(f.rule_id, f.severity, f.layer) for f in parsed.findings] == [
        ("PU-INPUT-NOT-A-FILE", "fatal", "input")]
    assert parsed.sha256 is None


def test_a_link_to_a_regular_file_is_read_and_a_missing_file_is_misuse(tmp_path: Path) -> None:
    link = tmp_path / "link.xml"
    link.symlink_to(BASE)
    assert parse_document(link).ok
    with pytest.raises(FileNotFoundError):
        parse_document(tmp_path / "missing.xml")
