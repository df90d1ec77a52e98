"""The unmapped walk is linear in the attributes of one element.

lxml reads an attribute's value by looking its name up in the element's attribute list,
which libxml2 scans from the start; ``attrib.items()`` does that for every attribute, so
n attributes cost n(n+1)/2 steps (20,000 attributes: 1.6 s, 40,000: 8.3 s). Timings are
in ``benchmarks/parse.py``; here an element class charges every read by name with the
attributes libxml2 scans for it, and the walk must stay within a few steps per attribute.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from shared import EXAMPLES

from peppol_ubl.ubl.reader import parse_report
from peppol_ubl.ubl.unmapped import collect_unmapped
from peppol_ubl.xml.safe import InputLimits

BASE = EXAMPLES / "peppol" / "examples" / "base-example.xml"


class _Steps:
    count = 0


class _CountedAttributes:
    """``attrib`` of a counted element: reads by name are charged."""

    def __init__(self, element: etree._Element, attrib: Any) -> None:
        self._element, self._attrib = element, attrib

    def __len__(self) -> int:
        return len(self._attrib)

    def __iter__(self) -> Any:
        return iter(self._attrib)

    def keys(self) -> list[str]:
        return list(self._attrib.keys())

    def get(self, name: str, default: str | None = None) -> str | None:
        _Steps.count += len(self._attrib)
        return self._attrib.get(name, default)

    def __getitem__(self, name: str) -> str:
        _Steps.count += len(self._attrib)
        return self._attrib[name]

    def items(self) -> list[tuple[str, str]]:
        _Steps.count += len(self._attrib) * (len(self._attrib) + 1) // 2
        return list(self._attrib.items())

    def values(self) -> list[str]:
        _Steps.count += len(self._attrib) * (len(self._attrib) + 1) // 2
        return list(self._attrib.values())


class _Counted(etree.ElementBase):
    """An element whose by-name attribute reads are charged as libxml2 performs them."""

    @property
    def attrib(self) -> Any:
        return _CountedAttributes(self, super().attrib)

    def get(self, key: Any, default: Any = None) -> Any:
        return self.attrib.get(key, default)

    def items(self) -> Any:
        return self.attrib.items()

    def values(self) -> Any:
        return self.attrib.values()


def counted_tree(data: bytes) -> etree._Element:
    parser = etree.XMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=_Counted))
    return etree.fromstring(data, parser)


def with_attributes(count: int) -> bytes:
    attributes = " ".join(f'a{i}="v{i}"' for i in range(count)).encode()
    return BASE.read_bytes().replace(b"<cbc:Note>", b"<cbc:Note " + attributes + b">", 1)


def test_the_counting_element_charges_a_by_name_sweep_quadratically() -> None:
    root = counted_tree(with_attributes(1000))
    note = next(root.iter("{*}Note"))
    _Steps.count = 0
    note.attrib.items()
    assert _Steps.count == 1000 * 1001 // 2


def test_the_walk_takes_a_few_steps_per_attribute() -> None:
    for count in (1_000, 20_000):
        root = counted_tree(with_attributes(count))
        _Steps.count = 0
        found = collect_unmapped(root, set(), set())
        assert len([u for u in found if "/@a" in u.xpath]) == count
        assert _Steps.count <= 4 * count + 1_000  # the other elements' few attributes


def test_attributes_come_out_in_document_order_with_their_names_and_values() -> None:
    many = " ".join(f'a{i}="v{i}"' for i in range(30))
    element = etree.fromstring(f'<e xmlns:p="urn:p" {many} p:z=" last "/>'.encode())
    found = collect_unmapped(element, set(), set())
    assert [(u.xpath, u.value) for u in found] == [
        *((f"/*:e[1]/@a{i}", f"v{i}") for i in range(30)), ("/*:e[1]/@Q{urn:p}z", "last")]


def test_parse_report_with_the_limits_lifted_reports_every_attribute() -> None:
    report = parse_report(with_attributes(5_000), limits=InputLimits(max_attributes=10_000))
    assert len([u for u in report.unmapped if "/*:Note[1]/@a" in u.xpath]) == 5_000
