"""Element construction for the writer: one place that turns values into UBL text.

Elements are only created when they will hold content, so the writer never emits the
empty elements Peppol forbids (PEPPOL-EN16931-R008). Amounts are formatted here, and
only here, from cents (via :func:`peppol_ubl.money.format_cents`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeVar

from lxml import etree

from ..errors import BuildError
from ..model import DEFAULT_TAX_SCHEME
from ..money import format_cents
from ..xml.namespaces import CAC, CBC

__all__ = ["Node", "Writer", "decimal_text", "require"]

Node = etree._Element

_T = TypeVar("_T")

_CAC = "{" + CAC + "}"
_CBC = "{" + CBC + "}"


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain positional text (no exponent): ``Decimal('1E+1')`` -> ``'10'``."""
    return format(value, "f")


def require(value: _T | None, path: str, what: str) -> _T:
    """Return ``value`` or raise ``BuildError`` naming the contract field it comes from."""
    if value is None or value == "":
        raise BuildError(path, f"{what} is required to write the UBL document")
    return value


class Writer:
    """Appends cac/cbc children to a parent element, formatting values consistently,
    optionally recording which contract path each aggregate element comes from.

    ``currency`` is the document currency BT-5, ``tax_scheme`` the document's tax scheme
    (the ``TaxScheme/ID`` of its tax categories and of the parties' VAT identifiers)."""

    def __init__(self, currency: str, trace: dict[Node, str] | None = None,
                 tax_scheme: str = DEFAULT_TAX_SCHEME) -> None:
        self.currency = currency
        self.trace = trace
        self.tax_scheme = tax_scheme

    def group(self, parent: Node, name: str, source: str | None = None) -> Node:
        """Append an aggregate (``cac:``) element.

        ``source`` is the contract path the element is written from (``items[2]``); it
        is recorded when the writer traces provenance, so findings can be mapped back.
        """
        node = etree.SubElement(parent, _CAC + name)
        if source is not None and self.trace is not None:
            self.trace[node] = source
        return node

    @staticmethod
    def text(parent: Node, tag: str, value: str | None, /, **attrs: str | None) -> Node | None:
        """Append ``cbc:tag`` holding ``value`` (nothing when value is None/empty)."""
        if value is None or value == "":
            return None
        node = etree.SubElement(parent, _CBC + tag)
        node.text = value
        for key, attr in attrs.items():
            if attr is not None and attr != "":
                node.set(key, attr)
        return node

    def date(self, parent: Node, name: str, value: dt.date | None) -> None:
        """Append a date as ``YYYY-MM-DD``."""
        self.text(parent, name, value.isoformat() if value else None)

    def amount(self, parent: Node, name: str, cents: int | None, currency: str | None = None) -> None:
        """Append an amount with two decimals and its ``currencyID``."""
        if cents is not None:
            self.text(parent, name, format_cents(cents), currencyID=currency or self.currency)

    def amount_text(self, parent: Node, name: str, cents: int) -> None:
        """Append an amount with two decimals as plain text, without ``currencyID`` (the
        totals PINT gives in a document reference's description)."""
        self.text(parent, name, format_cents(cents))

    def number(self, parent: Node, tag: str, value: Decimal | None, /, **attrs: str | None) -> None:
        """Append a decimal (quantity, rate, percentage) exactly as given."""
        if value is not None:
            self.text(parent, tag, decimal_text(value), **attrs)

    def scheme_id(self, parent: Node, name: str, value: str | None, scheme: str | None) -> None:
        """Append an identifier with its optional ``schemeID``."""
        self.text(parent, name, value, schemeID=scheme)

    def wrapped(self, parent: Node, group: str, tag: str, value: str | None, /,
                **attrs: str | None) -> None:
        """Append ``cac:group/cbc:tag`` when ``value`` is present."""
        if value:
            self.text(self.group(parent, group), tag, value, **attrs)
