"""Element paths: one counting rule (siblings of the same local name, any namespace) that
selects exactly what ``*:Name[n]`` selects, for every layer that writes a location."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from peppol_ubl.validation import validate
from peppol_ubl.xml.paths import LocationIndex, Locator, find_element, path_of

DOCUMENT = b"""<r xmlns:a="urn:a" xmlns:b="urn:b"><a:Note>1</a:Note><x/><b:Note>2</b:Note><Note>3</Note></r>"""


def _xpath2_selects(root: etree._Element, location: str) -> list[etree._Element]:
    """What the location selects by XPath 2.0 semantics (``*:Name`` = any namespace)."""
    steps = [s for s in location.split("/") if s]
    nodes = [root] if steps[0].startswith(f"*:{etree.QName(root).localname}[") else []
    for step in steps[1:]:
        name, position = step[2:].rstrip("]").split("[")
        nodes = [[c for c in n.iterchildren(tag=etree.Element) if etree.QName(c).localname == name]
                 [int(position) - 1] for n in nodes]
    return nodes


def test_siblings_are_counted_by_local_name_in_any_namespace() -> None:
    root = etree.fromstring(DOCUMENT)
    notes = list(root.iter("{*}Note"))
    assert len(notes) == 3
    locator = Locator()
    for expected, note in enumerate(sorted(notes, key=lambda n: n.text), start=1):
        location = locator.path(note)
        assert location == f"/*:r[1]/*:Note[{expected}]" == path_of(note)
        assert _xpath2_selects(root, location) == [note]
        assert find_element(root, location) is note
        assert LocationIndex(root).element(location) is note


def test_attribute_steps_name_their_namespace() -> None:
    root = etree.fromstring(b'<r xmlns:x="urn:x"><e x:a="1" a="2"/></r>')
    element = root[0]
    assert path_of(element, "{urn:x}a") == "/*:r[1]/*:e[1]/@Q{urn:x}a"
    assert path_of(element, "a") == "/*:r[1]/*:e[1]/@a"
    assert find_element(root, "/*:r[1]/*:e[1]/@Q{urn:x}a") is element


def test_a_foreign_note_after_a_ubl_note_is_located_as_the_second_note(shared_dir: Path) -> None:
    data = (shared_dir / "examples" / "peppol" / "examples" / "base-example.xml").read_bytes()
    notes = b'</cbc:InvoiceTypeCode><cbc:Note>ours</cbc:Note><x:Note xmlns:x="urn:example:x">foreign</x:Note>'
    foreign = data.replace(b"</cbc:InvoiceTypeCode>", notes, 1)
    assert foreign != data
    report = validate(foreign, rules=False, totals=False)
    [xsd] = [f for f in report.findings if f.layer == "xsd"]
    assert xsd.location == "/*:Invoice[1]/*:Note[2]"
    root = etree.fromstring(foreign)
    assert find_element(root, xsd.location).tag == "{urn:example:x}Note"
