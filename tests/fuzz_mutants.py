"""Seeded mutants of valid UBL documents for the fuzz test (tests/test_fuzz.py).

``mutant(seed_bytes, rng)`` applies one to three mutations, each named in the returned
description so that a failure can be reproduced from its seed: structural ones on the
tree (delete, duplicate or move an element, change its namespace or name, odd values,
attributes removed or added) and textual ones on the bytes (control characters, invalid
UTF-8, a BOM, UTF-16, comments and processing instructions in odd places, prefixes
swapped, an SBDH envelope around it, truncation).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from lxml import etree

from peppol_ubl.xml.namespaces import CAC, CBC, SBDH

VALUES = ["", " ", "0", "-0", "-0.00", "+1", "1E5", "1e-3", "NaN", "INF", "-INF", "0x10", "1,50",
          "١٢٣", "12.345", "-1", "9" * 40, "9" * 5_000, "0." + "0" * 40 + "1", "2026-02-30",
          "2026-13-01", "99999-01-01", "true", "   12.50   ", "<tag>", "a" * 100_000, "\u00e9\u20ac\u4e2d"]
NAMESPACES = [CAC, CBC, "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
              "urn:example:foreign", "relative/uri", ""]


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter(tag=etree.Element) if e is not root]


def _delete(root: etree._Element, rng: random.Random) -> str:
    node = rng.choice(_elements(root))
    parent = node.getparent()
    assert parent is not None
    parent.remove(node)
    return f"delete {etree.QName(node).localname}"


def _duplicate(root: etree._Element, rng: random.Random) -> str:
    node = rng.choice(_elements(root))
    node.addnext(etree.fromstring(etree.tostring(node)))
    return f"duplicate {etree.QName(node).localname}"


def _move(root: etree._Element, rng: random.Random) -> str:
    node = rng.choice(_elements(root))
    targets = [e for e in root.iter(tag=etree.Element) if node not in (e, *e.iterancestors())]
    target = rng.choice(targets)
    target.insert(rng.randint(0, len(target)), node)
    return f"move {etree.QName(node).localname} into {etree.QName(target).localname}"


def _namespace(root: etree._Element, rng: random.Random) -> str:
    node = rng.choice([root, *_elements(root)])
    uri = rng.choice(NAMESPACES)
    local = etree.QName(node).localname
    node.tag = f"{{{uri}}}{local}" if uri else local
    return f"namespace of {local} -> {uri!r}"


def _rename(root: etree._Element, rng: random.Random) -> str:
    node = rng.choice(_elements(root))
    qname = etree.QName(node)
    # "\u0132" (Ĳ) is a name character of XML 1.0 fifth edition only: libxml2 takes it, Saxon not
    node.tag = etree.QName(qname.namespace, qname.localname + rng.choice(["X", "s", "_1", "\u0132"])).text
    return f"rename {qname.localname}"


def _value(root: etree._Element, rng: random.Random) -> str:
    leaves = [e for e in _elements(root) if len(e) == 0]
    node = rng.choice(leaves)
    value = rng.choice(VALUES)
    node.text = value
    return f"value of {etree.QName(node).localname} -> {value[:20]!r}"


def _attribute_removed(root: etree._Element, rng: random.Random) -> str:
    owners = [e for e in root.iter(tag=etree.Element) if e.attrib]
    node = rng.choice(owners)
    name = rng.choice(list(node.attrib))
    del node.attrib[name]
    return f"remove @{name} of {etree.QName(node).localname}"


def _attribute_added(root: etree._Element, rng: random.Random) -> str:
    node = rng.choice([root, *_elements(root)])
    name = rng.choice(["currencyID", "schemeID", "unitCode", "{urn:example:foreign}x", "languageID",
                       "{http://www.w3.org/XML/1998/namespace}lang", "mimeCode"])
    node.set(name, rng.choice(VALUES[:20]))
    return f"add @{name} to {etree.QName(node).localname}"


TREE_MUTATIONS: list[Callable[[etree._Element, random.Random], str]] = [
    _delete, _duplicate, _move, _namespace, _rename, _value, _value, _attribute_removed, _attribute_added,
]


def _position(data: bytes, rng: random.Random) -> int:
    return rng.randint(0, len(data))


def _tag_boundary(data: bytes, rng: random.Random) -> int:
    boundaries = [i + 1 for i, byte in enumerate(data) if byte == ord(">")]
    return rng.choice(boundaries)


def _bytes_control(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = _position(data, rng)
    char = rng.choice([b"\x00", b"\x01", b"\x0b", b"\x1f", b"\x7f", b"&#1;", b"&#xFFFE;"])
    return data[:at] + char + data[at:], f"control {char!r} at {at}"


def _bytes_invalid_utf8(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = _position(data, rng)
    junk = rng.choice([b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
    return data[:at] + junk + data[at:], f"invalid UTF-8 {junk!r} at {at}"


def _bytes_bom(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return b"\xef\xbb\xbf" + data, "UTF-8 BOM"


def _bytes_utf16(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    text = data.decode("utf-8", errors="replace")
    declared = rng.choice(["UTF-16", "UTF-8"])
    text = text.replace('encoding="UTF-8"', f'encoding="{declared}"', 1).replace(
        "encoding='UTF-8'", f"encoding='{declared}'", 1)
    codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be"])
    return text.encode(codec), f"{codec} declared {declared}"


def _bytes_comment_or_pi(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    insert = rng.choice([b"<!-- c -->", b"<?pi data?>", b"<?xml-stylesheet href='x'?>", b"<!-- -- -->",
                         b"<![CDATA[x]]>", b"<?xml version='1.0'?>", b"<!DOCTYPE Invoice>"])
    at = rng.choice([0, len(data), _tag_boundary(data, rng), _position(data, rng)])
    return data[:at] + insert + data[at:], f"insert {insert!r} at {at}"


def _bytes_prefix(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    old = rng.choice([b"cbc", b"cac"])
    new = rng.choice([b"x", b"cac" if old == b"cbc" else b"cbc", b"ns0", b"a" * 50])
    if rng.random() < 0.5:
        changed = data.replace(b"<" + old + b":", b"<" + new + b":").replace(b"</" + old + b":", b"</" + new + b":")
        changed = changed.replace(b"xmlns:" + old + b"=", b"xmlns:" + new + b"=")
        return changed, f"prefix {old!r} -> {new!r}"
    return data.replace(b"xmlns:" + old + b"=", b"xmlns:" + new + b"=", 1), f"declaration of {old!r} -> {new!r}"


def _bytes_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = _position(data, rng)
    return data[:at], f"truncate at {at}"


def _bytes_repeat(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    start = _position(data, rng)
    end = min(len(data), start + rng.randint(1, 200))
    return data[:end] + data[start:end] + data[end:], f"repeat bytes {start}..{end}"


def _bytes_sbdh(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    payload = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    after = rng.choice([b"", b"\n  ", b"x", b"<!-- after -->", b"<!-- after -->x", b"<?pi?>\n"])
    second = payload if rng.random() < 0.1 else b""
    envelope = (f'<?xml version="1.0" encoding="UTF-8"?><sh:StandardBusinessDocument xmlns:sh="{SBDH}">'
                "<sh:StandardBusinessDocumentHeader><sh:HeaderVersion>1.0</sh:HeaderVersion>"
                "</sh:StandardBusinessDocumentHeader>").encode()
    return envelope + payload + after + second + b"</sh:StandardBusinessDocument>", (
        f"SBDH around it, {after!r} after the payload" + (", two payloads" if second else ""))


BYTE_MUTATIONS: list[Callable[[bytes, random.Random], tuple[bytes, str]]] = [
    _bytes_control, _bytes_invalid_utf8, _bytes_bom, _bytes_utf16, _bytes_comment_or_pi, _bytes_comment_or_pi,
    _bytes_prefix, _bytes_truncate, _bytes_repeat, _bytes_sbdh, _bytes_sbdh,
]


def mutant(seed: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One mutant of ``seed`` and what was done to it."""
    root = etree.fromstring(seed)
    done = [rng.choice(TREE_MUTATIONS)(root, rng) for _ in range(rng.choice([0, 1, 1, 2]))]
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    for _ in range(rng.choice([0, 0, 1, 1, 2]) if done else rng.choice([1, 2])):
        data, what = rng.choice(BYTE_MUTATIONS)(data, rng)
        done.append(what)
    return data, "; ".join(done)
