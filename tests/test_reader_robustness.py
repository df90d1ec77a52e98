"""Hostile and broken input: the reader raises ParseError (never another exception, never
file contents in the message), and validation reports the same input-layer rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from shared import EXAMPLES

from peppol_ubl.errors import ParseError
from peppol_ubl.ubl.reader import parse, parse_report
from peppol_ubl.validation.api import validate

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
SECRET = "s3cr3t-c0ntent-0f-a-l0cal-f1le"


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(SECRET)
    return path


def _hostile(secret: Path) -> dict[str, bytes]:
    uri = secret.as_uri()
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return {
        "xxe-file": (f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "{uri}">]>'
                     f'<Invoice xmlns="{INVOICE_NS}"><Note>&x;</Note></Invoice>').encode(),
        "xxe-parameter": (f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY % p SYSTEM "{uri}">'
                          f'%p;]><Invoice xmlns="{INVOICE_NS}"/>').encode(),
        "billion-laughs": (f'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY l0 "ha">{laughs}]>'
                           f'<Invoice xmlns="{INVOICE_NS}">&l9;</Invoice>').encode(),
        "external-dtd": (f'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "{uri}">'
                         f'<Invoice xmlns="{INVOICE_NS}"/>').encode(),
        "xinclude": (f'<Invoice xmlns="{INVOICE_NS}"><xi:include xmlns:xi="http://www.w3.org/2001/'
                     f'XInclude" href="{uri}" parse="text"/></Invoice>').encode(),
        "deeply-nested": (f'<Invoice xmlns="{INVOICE_NS}">' + "<a>" * 5000 + "</a>" * 5000
                          + "</Invoice>").encode(),
        "invalid-utf8": f'<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="{INVOICE_NS}">'
                        .encode() + b"<Note>\xff\xfe</Note></Invoice>",
        "empty": b"",
        "blank": b"  \n ",
        "not-xml": b"%PDF-1.7 binary",
        "truncated": f'<Invoice xmlns="{INVOICE_NS}"><cbc:ID'.encode(),
        "order-root": b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
        "no-namespace": b"<Invoice><ID>1</ID></Invoice>",
    }


CASES = sorted(_hostile(Path("/nonexistent")))


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_a_parse_error_matching_the_input_layer(case: str, secret_file: Path) -> None:
    data = _hostile(secret_file)[case]
    with pytest.raises(ParseError) as caught:
        parse(data)
    assert SECRET not in str(caught.value)
    report = validate(data)
    assert [(f.layer, f.severity) for f in report.findings] == [("input", "fatal")]
    assert str(caught.value).startswith(report.findings[0].rule_id + ":")


def test_a_file_path_is_read_through_the_same_layer(secret_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(_hostile(secret_file)["xxe-file"])
    with pytest.raises(ParseError):
        parse_report(path)


@pytest.mark.parametrize("data", [
    f'<Invoice xmlns="{INVOICE_NS}"/>'.encode(),
    f'<CreditNote xmlns="{INVOICE_NS.replace("Invoice", "CreditNote")}"><x/></CreditNote>'.encode(),
], ids=["empty-invoice", "credit-note-without-content"])
def test_a_well_formed_ubl_root_without_an_invoice_in_it_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse(data)


def test_misuse_is_not_a_parse_error() -> None:
    with pytest.raises(TypeError):
        parse(f'<Invoice xmlns="{INVOICE_NS}"/>')  # type: ignore[arg-type]  # text, not bytes
    with pytest.raises(OSError):
        parse(Path("/nonexistent/invoice.xml"))


BASE = EXAMPLES / "peppol" / "examples" / "base-example.xml"


@settings(max_examples=150, deadline=None)
@given(st.data(), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
       st.booleans())
def test_any_value_anywhere_reads_or_is_a_parse_error(data: st.DataObject, value: str, attribute: bool) -> None:
    """Junk in any one leaf (text or an attribute) never raises anything but ParseError,
    and whatever the model refuses is reported."""
    root = etree.fromstring(BASE.read_bytes())
    leaf = data.draw(st.sampled_from([n for n in root.iter(tag=etree.Element) if len(n) == 0]))
    if attribute:
        leaf.set("currencyID" if leaf.get("currencyID") else "schemeID", value)
    else:
        leaf.text = value
    try:
        report = parse_report(etree.tostring(root))
    except ParseError:
        return
    invalid = {w.xpath for w in report.warnings if w.code == "invalid"}
    assert invalid <= {u.xpath for u in report.unmapped}
