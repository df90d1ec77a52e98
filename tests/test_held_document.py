"""A large document's lxml tree is let go before Saxon reads it, and the report does not change.

``validate`` runs the layers that read the tree first and lets the tree go before the
Schematron layer when the document is large and Saxon reads the bytes received. These
tests lower the threshold so that every document takes that way, and check that the
report (findings, their lines, layer statuses) is the one the usual way gives; that
the tree really is gone while Saxon runs; and what ``as_received`` and ``lines_in`` say.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from shared import EXAMPLES, xml_files

from peppol_ubl.validation import api, document
from peppol_ubl.validation.api import validate
from peppol_ubl.validation.report import Report
from peppol_ubl.xml.paths import LocationIndex, Locator, lines_in
from peppol_ubl.xml.safe import ParsedDocument, parse_document

ON = dt.date(2026, 12, 1)
BASE_EXAMPLE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
SBDH_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"


def broken(data: bytes) -> bytes:
    """Fails Schematron rules at elements deep in the document (so lines must be found)
    and the totals layer: the line amounts and the payable amount no longer add up."""
    return (data.replace(b'<cbc:LineExtensionAmount currencyID="EUR">', b'<cbc:LineExtensionAmount currencyID="EUR">7')
            .replace(b"<cbc:EndpointID", b"<cbc:EndpointID schemeAgencyID='x'", 1)
            .replace(b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="EUR">9'))


def comparable(report: Report) -> tuple[object, ...]:
    """Everything of a report but the durations."""
    return (report.ok, [(f.rule_id, f.severity, f.layer, f.location, f.line, f.message) for f in report.findings],
            [(layer.layer, layer.status, layer.note) for layer in report.layers], report.artefacts)


@pytest.fixture
def always_let_go(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(document, "LARGE_DOCUMENT", 0)
    yield


def documents() -> list[tuple[str, bytes]]:
    chosen = sorted(xml_files(EXAMPLES / "peppol"))[:12]
    plain = [(path.name, path.read_bytes()) for path in chosen]
    return plain + [(f"broken {name}", broken(data)) for name, data in plain[:6]]


def test_the_report_is_the_same_when_the_tree_is_let_go(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = documents()
    usual = [comparable(validate(data, on=ON)) for _, data in cases]
    monkeypatch.setattr(document, "LARGE_DOCUMENT", 0)
    for (name, data), expected in zip(cases, usual, strict=True):
        assert comparable(validate(data, on=ON)) == expected, name
    # the broken ones do have located Schematron findings whose lines were read from the bytes
    report = validate(broken(BASE_EXAMPLE.read_bytes()), on=ON)
    located = [f for f in report.findings if f.layer == "schematron" and f.location and f.location.count("/") > 2]
    assert located and all(isinstance(f.line, int) and f.line > 1 for f in located)


@pytest.mark.usefixtures("always_let_go")
def test_the_tree_is_gone_while_saxon_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[weakref.ref[ParsedDocument]] = []  # (lxml elements take no weak references)
    alive_in_saxon: list[bool] = []
    real_parse, real_run = api.parse_document, api.run_schematron

    def parse(*args: object, **kwargs: object) -> object:
        parsed = real_parse(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(weakref.ref(parsed))
        return parsed

    def run(*args: object, **kwargs: object) -> object:
        gc.collect()
        alive_in_saxon.append(seen[-1]() is not None)
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "parse_document", parse)
    monkeypatch.setattr(api, "run_schematron", run)
    report = validate(BASE_EXAMPLE.read_bytes(), on=ON)
    assert report.ok and alive_in_saxon == [False]
    validate(BASE_EXAMPLE.read_bytes(), on=ON, compare_next=True)  # the comparison needs the tree
    assert alive_in_saxon[1:] == [True]


@pytest.mark.usefixtures("always_let_go")
def test_stop_on_error_still_skips_the_totals_run_ahead() -> None:
    report = validate(broken(BASE_EXAMPLE.read_bytes()), on=ON, stop_on_error=True, schema=False)
    assert [(layer.layer, layer.status) for layer in report.layers][1:] == [
        ("xsd", "not-run"), ("schematron", "failed"), ("totals", "skipped")]
    assert not [f for f in report.findings if f.layer == "totals"]


@pytest.mark.parametrize(("data", "as_received"), [
    (b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", True),
    (b"\n <Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", True),
    (b"<?xml version='1.0'?><Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", True),
    (b'<?xml version="1.0" encoding="utf-8" standalone="yes" ?>\n'
     b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", True),
    (b"<?xml-stylesheet href='a'?><Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", True),
    (b"\xef\xbb\xbf<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", False),
    (b"<?xml version='1.0' encoding='ISO-8859-1'?>"
     b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'><x>\xe9</x></Invoice>", False),
    ("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>".encode("utf-16"), False),
    (f"<sh:StandardBusinessDocument xmlns:sh='{SBDH_NS}'><sh:StandardBusinessDocumentHeader/>"
     "<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/></sh:StandardBusinessDocument>"
     .encode(), False),
    (b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>"
     + b"&amp;" * 100_001 + b"</Invoice>", False),
])
def test_which_bytes_other_engines_read_as_received(data: bytes, as_received: bool) -> None:
    parsed = parse_document(data)
    assert parsed.ok, parsed.findings
    assert parsed.as_received is as_received
    assert (parsed.xml is data) is as_received
    if not as_received:
        assert parsed.xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_lines_in_reads_the_lines_the_tree_has() -> None:
    data = (EXAMPLES / "peppol" / "examples" / "base-example.xml").read_bytes()
    root = etree.fromstring(data)
    locator, index = Locator(), LocationIndex(root)
    elements = list(root.iter(etree.Element))
    sample = random.Random(7).sample(elements, 40) + [elements[-1]]
    locations = [locator.path(element) for element in sample]
    locations += [locations[0] + "/@currencyID", locations[1] + "/text()[1]"]
    expected = {location: index.line(location) for location in locations}
    assert lines_in(data, [*locations, "/*:Invoice[1]/*:Nowhere[1]", "/Invoice/cbc:ID", "relative"]) == expected
    assert lines_in(data, []) == {}


def test_lines_in_keeps_only_the_open_elements() -> None:
    lines = b"".join(b"<cac:InvoiceLine><cbc:ID>%d</cbc:ID></cac:InvoiceLine>\n" % n for n in range(2000))
    data = (b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' "
            b"xmlns:cac='urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2' "
            b"xmlns:cbc='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>\n"
            + lines + b"</Invoice>")
    last = "/*:Invoice[1]/*:InvoiceLine[2000]/*:ID[1]"
    assert lines_in(data, [last, "/*:Invoice[1]/*:InvoiceLine[3]"]) == {last: 2001, "/*:Invoice[1]/*:InvoiceLine[3]": 4}


def test_a_large_document_takes_that_way_unless_compared(tmp_path: Path) -> None:
    parsed = parse_document(BASE_EXAMPLE.read_bytes())
    assert not document.HeldDocument(parsed).releasable  # small
    assert document.LARGE_DOCUMENT <= 8 * 1024 * 1024
    padded = BASE_EXAMPLE.read_bytes().replace(b"</cbc:Note>", b" " * document.LARGE_DOCUMENT + b"</cbc:Note>", 1)
    held = document.HeldDocument(parse_document(padded))
    assert held.releasable
    assert not document.HeldDocument(parse_document(padded), keep_tree=True).releasable
    held.let_go()
    assert not held.releasable and held.xml is padded
    with pytest.raises(AssertionError):
        held.root  # noqa: B018


def test_the_cycle_collector_is_paused_while_a_large_document_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    """No automatic collection runs between the input layer and the report of a large
    document (the totals layer's objects are not walked again and again); a small one
    leaves the collector alone; either way it is enabled again afterwards."""
    collections: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    data = broken(BASE_EXAMPLE.read_bytes())
    threshold = gc.get_threshold()
    gc.set_threshold(50)  # a small document allocates too little to reach the usual 700
    gc.callbacks.append(counted)
    try:
        validate(data, on=ON, schema=False, rules=False)
        assert collections and gc.isenabled()  # the usual way: gen-0 collections while the layers run
        collections.clear()
        monkeypatch.setattr(document, "LARGE_DOCUMENT", 0)
        report = validate(data, on=ON, schema=False, rules=False)
        assert collections == [] and gc.isenabled()
    finally:
        gc.callbacks.remove(counted)
        gc.set_threshold(*threshold)
    assert [f.rule_id for f in report.findings if f.layer == "totals"]  # the layer did run


def test_pauses_of_the_collector_nest_and_overlap() -> None:
    from peppol_ubl.validation.collector import collector_paused

    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)  # another thread's pause is still on
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # put back as it was
    finally:
        gc.enable()


@pytest.mark.usefixtures("always_let_go")
def test_a_refused_document_is_reported_when_any_document_counts_as_large() -> None:
    report = validate(b"<Invoice", on=ON)
    assert not report.ok and [layer.status for layer in report.layers] == ["failed", "skipped", "skipped", "skipped"]
