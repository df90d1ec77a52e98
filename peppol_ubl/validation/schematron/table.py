"""The check table of a compiled stylesheet: what a failure of each check reports wherever it fails.

The compiler numbers the checks of a schema as it emits them. What a check reports is
the same at every failure: its id, flag, role and test, and its message when that is text
alone. These fields go into the table, one row per number, and a failure in the
stylesheet's result carries only what changes from one failure to the next: its number
and location, then its message when that is built from the document, and the text of the
dynamic error that stopped the check (see ``entries``). Saxon then compiles an array
constructor of two members for each assert (four in an ``xsl:catch``) rather than one of
seven: CEN's stylesheet is 13 % smaller and compiles about 6 % faster, which every cold
start pays, and a document with many failures sends much less text back.

The table is a JSON array (``[[id, flag, role, test, message], …]``, ``null`` for an
absent field) held in one element of ``TABLE`` (a user-defined data element, which an
XSLT processor ignores), the stylesheet's first child: the text stays the whole of what
a run needs, and the runner reads it back without parsing the rest (``read_table``).
A static message is normalised here as the stylesheet would have done it
(``normalize-space``, the message and each diagnostic joined with " — ", empty ones left
out, see ``entries.message_expression``).
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from lxml import etree

from ...xml.namespaces import OWN

__all__ = ["TABLE", "Row", "normalized", "read_table", "table_element"]

TABLE = f"{{{OWN}}}checks"
"""The element that holds the table (Clark name)."""
Row = tuple[str, str | None, str | None, str, str | None]
"""One check's fixed fields: id, flag, role, test, and its message if it is text alone."""
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def normalized(text: str) -> str:
    """``text`` as XPath's ``normalize-space`` gives it (XML white space only)."""
    return _XML_SPACE.sub(" ", text).strip(" \t\r\n")


def table_element(rows: list[Row]) -> etree._Element:
    """The data element holding ``rows`` (ASCII JSON: no control character is written raw)."""
    element = etree.Element(TABLE, nsmap={"pu": OWN})
    element.text = json.dumps(rows, ensure_ascii=True)
    return element


def read_table(stylesheet: str) -> tuple[Row, ...]:
    """The table of a stylesheet the compiler wrote, read up to its end tag only."""
    events = etree.iterparse(io.BytesIO(stylesheet.encode("utf-8")), events=("end",), tag=TABLE,
                             resolve_entities=False, load_dtd=False, no_network=True)
    for _, element in events:
        rows: list[list[Any]] = json.loads(element.text or "[]")
        return tuple((row[0], row[1], row[2], row[3], row[4]) for row in rows)
    raise ValueError("the stylesheet holds no check table")
