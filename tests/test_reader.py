"""The reader: exact round trips with the writer, tolerance of real-world XML, and what it
reports as unmapped or approximate."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from shared import EXAMPLES
from strategies_reader import reader_invoices

from peppol_ubl.errors import ParseError
from peppol_ubl.model import Invoice
from peppol_ubl.testing.strategies import invoices
from peppol_ubl.ubl import to_xml
from peppol_ubl.ubl.read_canonical import canonical
from peppol_ubl.ubl.reader import parse, parse_report
from peppol_ubl.xml.namespaces import CAC, CBC
from peppol_ubl.xml.paths import find_element

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "fixtures" / "invoices").glob("*.json"))
BASE = EXAMPLES / "peppol" / "examples" / "base-example.xml"
CREDIT = EXAMPLES / "peppol" / "examples" / "base-creditnote-correction.xml"


def _round_trip(model: Invoice, *, padded_texts: bool = False) -> None:
    """The writer's output reads back as the canonical model, with nothing left over,
    and writes again to the same bytes (the reader strips the whitespace around values,
    so a model with padded texts writes again as its canonical form); a canonical model
    reads back unchanged."""
    xml = to_xml(model)
    report = parse_report(xml)
    assert (report.unmapped, report.warnings) == ((), ())
    normal = canonical(model)
    assert report.invoice == normal
    assert to_xml(report.invoice) == (to_xml(normal) if padded_texts else xml)
    assert canonical(normal) == normal
    assert parse(to_xml(normal)) == normal


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_round_trip(path: Path) -> None:
    _round_trip(Invoice.model_validate_json(path.read_bytes()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_generated_invoice_round_trip(model: Invoice) -> None:
    _round_trip(model)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reader_invoices())
def test_round_trip_with_every_contract_shape_and_extension(model: Invoice) -> None:
    _round_trip(model, padded_texts=True)


# --- tolerance -------------------------------------------------------------------------

def _base() -> str:
    return BASE.read_text(encoding="utf-8")


def test_any_prefixes_and_default_namespaces_read_the_same() -> None:
    text = _base()
    renamed = (text.replace("xmlns:cac=", "xmlns:a=").replace("xmlns:cbc=", "xmlns:b=")
               .replace("<cac:", "<a:").replace("</cac:", "</a:")
               .replace("<cbc:", "<b:").replace("</cbc:", "</b:"))
    prefixed_root = text.replace(
        'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
        'xmlns:inv="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
    ).replace("<Invoice ", "<inv:Invoice ").replace("</Invoice>", "</inv:Invoice>")
    expected = parse(BASE)
    assert parse(renamed.encode()) == expected
    assert parse(prefixed_root.encode()) == expected


def test_whitespace_around_values_is_ignored() -> None:
    text = re.sub(r">([^<>\s][^<>]*)</cbc:", lambda m: f">\n   {m.group(1)}\n  </cbc:", _base())
    assert parse(text.encode()) == parse(BASE)


def test_amounts_prices_and_quantities_in_any_decimal_form() -> None:
    text = _base().replace(
        '<cbc:InvoicedQuantity unitCode="DAY">7</cbc:InvoicedQuantity>',
        '<cbc:InvoicedQuantity unitCode="DAY">7.000000</cbc:InvoicedQuantity>',
    ).replace('<cbc:PriceAmount currencyID="EUR">400</cbc:PriceAmount>',
              '<cbc:PriceAmount currencyID="EUR">399.99999</cbc:PriceAmount>')
    text = text.replace('<cbc:TaxAmount currencyID="EUR">331.25</cbc:TaxAmount>',
                        '<cbc:TaxAmount currencyID="EUR">331.250</cbc:TaxAmount>')
    report = parse_report(text.encode())
    line = report.invoice.items[0]
    assert line.quantity == Decimal(7)
    assert (line.price, line.price_amount) == (40000, Decimal("399.99999"))
    assert report.invoice.totals is not None and report.invoice.totals.tax_amount == 33125
    assert report.warnings == ()
    assert b"399.99999" in to_xml(report.invoice)


def test_sub_cent_amounts_are_rounded_with_a_warning() -> None:
    text = _base().replace('<cbc:Amount currencyID="EUR">25</cbc:Amount>',
                           '<cbc:Amount currencyID="EUR">-3.005</cbc:Amount>')
    report = parse_report(text.encode())
    assert report.invoice.charges is not None and report.invoice.charges[0].amount == -301
    assert [(w.code, w.xpath) for w in report.warnings] == [
        ("rounded", "/*:Invoice[1]/*:AllowanceCharge[1]/*:Amount[1]")]


def test_an_amount_in_another_currency_is_a_warning() -> None:
    text = _base().replace('<cbc:PayableAmount currencyID="EUR">',
                           '<cbc:PayableAmount currencyID="SEK">')
    report = parse_report(text.encode())
    assert [(w.code, w.value) for w in report.warnings] == [("currency", "SEK")]


def test_missing_optional_parts_are_absent() -> None:
    text = re.sub(r"<cac:Delivery>.*?</cac:Delivery>|<cac:PaymentMeans>.*?</cac:PaymentMeans>",
                  "", _base(), flags=re.S)
    invoice = parse(text.encode())
    assert (invoice.delivery, invoice.payment and invoice.payment.payments) == (None, None)


def test_extensions_and_unknown_elements_are_unmapped_with_their_place() -> None:
    extension = (
        '<ext:UBLExtensions xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:'
        'CommonExtensionComponents-2"><ext:UBLExtension><ext:ExtensionContent>'
        '<x:Signed xmlns:x="urn:example" level="2">yes</x:Signed>'
        "</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>"
    )
    text = _base().replace("<cbc:CustomizationID>", extension + "<cbc:CustomizationID>", 1)
    text = text.replace("<cbc:Name>Lisa Johnson</cbc:Name>",
                        '<cbc:Name languageID="en">Lisa Johnson</cbc:Name><cbc:Telefax>1</cbc:Telefax>')
    unmapped = {(u.xpath, u.value) for u in parse_report(text.encode()).unmapped}
    signed = "/*:Invoice[1]/*:UBLExtensions[1]/*:UBLExtension[1]/*:ExtensionContent[1]/*:Signed[1]"
    contact = "/*:Invoice[1]/*:AccountingCustomerParty[1]/*:Party[1]/*:Contact[1]"
    assert unmapped == {
        (signed, "yes"), (f"{signed}/@level", "2"),
        (f"{contact}/*:Name[1]/@languageID", "en"), (f"{contact}/*:Telefax[1]", "1"),
    }


def test_repeated_single_values_keep_the_first_and_report_the_rest() -> None:
    text = _base().replace("<cbc:BuyerReference>0150abc</cbc:BuyerReference>",
                           "<cbc:BuyerReference>0150abc</cbc:BuyerReference>"
                           "<cbc:BuyerReference>other</cbc:BuyerReference>")
    report = parse_report(text.encode())
    assert report.invoice.header.buyer_reference == "0150abc"
    assert [(u.xpath, u.value) for u in report.unmapped] == [
        ("/*:Invoice[1]/*:BuyerReference[2]", "other")]


def test_credit_note_due_date_and_type_code_are_read() -> None:
    report = parse_report(CREDIT)
    assert report.invoice.is_credit_note
    assert report.invoice.header.invoice_type_code == "381"
    assert report.unmapped == ()


def test_sbdh_envelope_is_unwrapped() -> None:
    body = BASE.read_bytes().split(b"?>", 1)[1]
    wrapped = (b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/'
               b'StandardBusinessDocumentHeader"><StandardBusinessDocumentHeader><HeaderVersion>'
               b"1.0</HeaderVersion></StandardBusinessDocumentHeader>" + body +
               b"</StandardBusinessDocument>")
    report = parse_report(wrapped)
    assert report.invoice == parse(BASE)
    assert report.unmapped == ()


# --- values the contract refuses -------------------------------------------------------

def test_an_invalid_optional_value_is_left_out_and_reported() -> None:
    text = _base().replace("<cbc:IdentificationCode>SE</cbc:IdentificationCode>",
                           "<cbc:IdentificationCode>Sweden</cbc:IdentificationCode>", 1)
    text = text.replace("<cbc:DueDate>2017-12-01</cbc:DueDate>", "<cbc:DueDate>1.12.2017</cbc:DueDate>")
    report = parse_report(text.encode())
    address = report.invoice.buyer.address
    assert address is not None and address.country is None
    assert report.invoice.header.due_date is None
    reported = {w.xpath for w in report.warnings if w.code == "invalid"}
    assert reported == {u.xpath for u in report.unmapped} == {
        "/*:Invoice[1]/*:AccountingCustomerParty[1]/*:Party[1]/*:PostalAddress[1]/*:Country[1]"
        "/*:IdentificationCode[1]",
        "/*:Invoice[1]/*:DueDate[1]",
    }


@pytest.mark.parametrize(("old", "new", "field", "xpath"), [
    ('<cbc:InvoicedQuantity unitCode="DAY">7</cbc:InvoicedQuantity>',
     '<cbc:InvoicedQuantity unitCode="DAY">seven</cbc:InvoicedQuantity>', "items[0].quantity",
     "/*:Invoice[1]/*:InvoiceLine[1]/*:InvoicedQuantity[1]"),
    ("<cbc:RegistrationName>Buyer Official Name</cbc:RegistrationName>", "", "buyer.name", "/*:Invoice[1]"),
    ('<cbc:PriceAmount currencyID="EUR">400</cbc:PriceAmount>', "", "items[0].price", "/*:Invoice[1]"),
])
def test_a_missing_or_invalid_required_value_is_a_parse_error(old: str, new: str, field: str, xpath: str) -> None:
    text = _base()
    assert old in text
    text = text.replace(old, new, 1)
    if field == "buyer.name":
        text = text.replace("<cbc:Name>BuyerTradingName AS</cbc:Name>", "")
    with pytest.raises(ParseError, match=re.escape(field)) as raised:
        parse(text.encode())
    assert raised.value.xpath == xpath  # the value refused, or the document a required one is missing from


def test_a_refused_input_is_a_parse_error_with_its_input_rule() -> None:
    with pytest.raises(ParseError) as raised:
        parse(b"<Invoice><unclosed></Invoice>")
    assert raised.value.rule_id == "PU-INPUT-NOT-XML" and raised.value.xpath is None


def test_a_document_without_lines_is_a_parse_error() -> None:
    text = re.sub(r"<cac:InvoiceLine>.*?</cac:InvoiceLine>", "", _base(), flags=re.S)
    with pytest.raises(ParseError, match="items"):
        parse(text.encode())


def test_a_type_code_contradicting_the_root_is_kept_and_reported() -> None:
    text = _base().replace("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>",
                           "<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>")
    report = parse_report(text.encode())
    assert report.invoice.header.invoice_type_code == "381"
    assert [(w.code, w.xpath) for w in report.warnings] == [
        ("document-type", "/*:Invoice[1]/*:InvoiceTypeCode[1]")]


def test_a_base_quantity_in_another_unit_is_unmapped() -> None:
    price = '<cbc:PriceAmount currencyID="EUR">400</cbc:PriceAmount>'
    text = _base().replace(price, price + '<cbc:BaseQuantity unitCode="HUR">1</cbc:BaseQuantity>', 1)
    report = parse_report(text.encode())
    assert [(u.xpath, u.value) for u in report.unmapped] == [
        ("/*:Invoice[1]/*:InvoiceLine[1]/*:Price[1]/*:BaseQuantity[1]/@unitCode", "HUR")]


def test_a_document_reference_with_another_type_code_is_an_attachment() -> None:
    text = _base().replace(
        "<cac:AccountingSupplierParty>",
        "<cac:AdditionalDocumentReference><cbc:ID>Doc-7</cbc:ID><cbc:DocumentTypeCode>916"
        "</cbc:DocumentTypeCode></cac:AdditionalDocumentReference><cac:AccountingSupplierParty>", 1)
    report = parse_report(text.encode())
    assert [a.id for a in report.invoice.attachments or []] == ["Doc-7"]
    assert [(u.xpath, u.value) for u in report.unmapped] == [
        ("/*:Invoice[1]/*:AdditionalDocumentReference[1]/*:DocumentTypeCode[1]", "916")]


def test_unmapped_paths_count_positions_among_same_named_siblings() -> None:
    text = _base().replace("<cbc:InvoicedQuantity", "<cbc:UUID>u</cbc:UUID><cbc:InvoicedQuantity")
    report = parse_report(text.encode())
    assert [u.xpath for u in report.unmapped] == [
        "/*:Invoice[1]/*:InvoiceLine[1]/*:UUID[1]", "/*:Invoice[1]/*:InvoiceLine[2]/*:UUID[1]"]
    root = etree.fromstring(text.encode())
    lines = root.findall(f"{{{CAC}}}InvoiceLine")
    selected = [find_element(root, u.xpath) for u in report.unmapped]
    assert selected == [line.find(f"{{{CBC}}}UUID") for line in lines]


def test_source_is_bytes_or_a_path_of_either_kind() -> None:
    assert parse(str(BASE)) == parse(BASE) == parse(BASE.read_bytes())
