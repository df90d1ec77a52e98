"""The reader on every official example: read, rebuild with the writer, and account for
every value.

For each document of ``examples/cen``, ``examples/peppol/examples`` and
``examples/peppol/snippets``: the model read from it is written again; the rebuilt XML
must pass the UBL XSD and get no fatal finding (official CEN XSLT, our ``peppol-bis-3``
rules) that the original did not get. Then, generically over all leaves: every element
text and attribute value of the original must occur in the rebuilt document under the
same element path (local names, positions ignored) or be reported by the reader as
unmapped or in a warning. "Occurs" means equal up to whitespace, and for numbers and
booleans equal as values (``400`` and ``400.00``, ``0`` and ``false``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from official import official_cen, xsd_errors
from shared import EXAMPLES

from peppol_ubl.money import parse_amount
from peppol_ubl.ubl import to_xml
from peppol_ubl.ubl.read_canonical import canonical
from peppol_ubl.ubl.reader import ParseReport, parse_report
from peppol_ubl.validation.api import validate
from peppol_ubl.xml.paths import path_of

DOCUMENTS = sorted(
    path
    for folder in ("cen", "peppol/examples", "peppol/snippets")
    for path in (EXAMPLES / folder).iterdir()
    if path.suffix.lower() == ".xml"
)


def _id(path: Path) -> str:
    return str(path.relative_to(EXAMPLES))


def _key(node: etree._Element) -> str:
    """The element path without positions: ``/Invoice/AccountingSupplierParty/Party``."""
    names = [etree.QName(n).localname for n in reversed(list(node.iterancestors()))]
    return "/" + "/".join([*names, etree.QName(node).localname])


def _leaves(root: etree._Element) -> Iterator[tuple[str, str, str]]:
    """``(path key, xpath, value)`` of every element text and attribute with content."""
    for node in root.iter(tag=etree.Element):
        key = _key(node)
        if (node.text or "").strip():
            yield key, path_of(node), node.text.strip()
        for name, value in node.attrib.items():
            if value.strip():
                yield f"{key}/@{etree.QName(name).localname}", path_of(node, name), value.strip()


_BOOLEAN = {"true": "true", "1": "true", "false": "false", "0": "false"}


def _same(a: str, b: str) -> bool:
    """Equal up to whitespace, as numbers, or as booleans (``0`` and ``false``)."""
    if "".join(a.split()) == "".join(b.split()) or _BOOLEAN.get(a, a) == _BOOLEAN.get(b):
        return True
    try:
        return parse_amount(a) == parse_amount(b)
    except ValueError:
        return False


def _unaccounted(original: bytes, rebuilt: bytes, report: ParseReport) -> list[str]:
    reported = {u.xpath for u in report.unmapped} | {w.xpath for w in report.warnings}
    values: dict[str, list[str]] = defaultdict(list)
    for key, _, value in _leaves(etree.fromstring(rebuilt)):
        values[key].append(value)
    return [
        f"{xpath} = {value[:60]!r}"
        for key, xpath, value in _leaves(etree.fromstring(original))
        if xpath not in reported and not any(_same(value, v) for v in values[key])
    ]


def _fatal_ids(xml: bytes) -> set[str]:
    cen = {rule for rule, flag, _ in official_cen(xml) if flag == "fatal"}
    ours = validate(xml, ruleset="peppol-bis-3", schema=False, totals=False)
    return cen | {f.rule_id for f in ours.fatal}


@pytest.fixture(scope="module", params=DOCUMENTS, ids=_id)
def example(request: pytest.FixtureRequest) -> tuple[bytes, ParseReport, bytes]:
    original = request.param.read_bytes()
    report = parse_report(request.param)
    return original, report, to_xml(report.invoice)


def test_the_example_set_is_complete() -> None:
    assert len(DOCUMENTS) == 43


def test_every_value_is_rebuilt_or_reported(example: tuple[bytes, ParseReport, bytes]) -> None:
    original, report, rebuilt = example
    assert _unaccounted(original, rebuilt, report) == []


def test_rebuilt_document_is_schema_valid(example: tuple[bytes, ParseReport, bytes]) -> None:
    _, _, rebuilt = example
    assert xsd_errors(rebuilt) == []


def test_rebuilt_document_gets_no_new_fatal_finding(example: tuple[bytes, ParseReport, bytes]) -> None:
    original, _, rebuilt = example
    assert _fatal_ids(rebuilt) - _fatal_ids(original) == set()


def test_reading_the_rebuilt_document_is_stable(example: tuple[bytes, ParseReport, bytes]) -> None:
    _, report, rebuilt = example
    again = parse_report(rebuilt)
    assert again.invoice == canonical(report.invoice)
    assert (again.unmapped, again.warnings) == ((), ())
    assert to_xml(again.invoice) == rebuilt


def test_the_check_detects_a_lost_value() -> None:
    """The generic comparison is not vacuous: a value dropped from the rebuilt XML is found."""
    path = EXAMPLES / "peppol" / "examples" / "base-example.xml"
    report = parse_report(path)
    rebuilt = to_xml(report.invoice).replace(b"Lisa Johnson", b"")
    assert any("Contact[1]/*:Name[1]" in entry for entry in _unaccounted(
        path.read_bytes(), rebuilt, report))


def test_exact_prices_and_price_discounts_are_kept() -> None:
    report = parse_report(EXAMPLES / "cen" / "sample-discount-price.xml")
    item = report.invoice.items[0]
    assert (item.price, item.price_amount) == (12, Decimal("0.1212"))
    assert (item.price_discount_amount, item.gross_price_amount) == (Decimal("0.0022"),
                                                                    Decimal("0.1234"))
    assert report.warnings == ()
