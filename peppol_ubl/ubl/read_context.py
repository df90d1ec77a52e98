"""Reading state shared by the area readers: which nodes were taken, and typed values.

Every value the readers take from the document is wrapped in a :class:`Sourced`, which
remembers the element (and attribute) it came from, so that a value the contract refuses
can be traced back to its place in the document. The :class:`ReadContext` records every
element and attribute taken; whatever is left over is reported as *unmapped*
(:mod:`peppol_ubl.ubl.unmapped`). Values are read tolerantly: surrounding whitespace is
ignored, amounts may have any number of decimals, booleans follow ``xs:boolean``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache
from typing import Generic, NamedTuple, TypeVar

from lxml import etree

from ..errors import ParseError
from ..model import DEFAULT_TAX_SCHEME
from ..money import AmountRangeError, cents_from_decimal, parse_amount
from ..xml.namespaces import CAC, CBC
from ..xml.paths import path_of
from .unmapped import ParseWarning, WarningCode

__all__ = ["INVALID", "Node", "ReadContext", "Sourced", "compact"]

Node = etree._Element
_T_co = TypeVar("_T_co", covariant=True)  # Sourced is immutable: Sourced[str] is a Sourced[object]

_PREFIXES = {"cac": CAC, "cbc": CBC}
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class _Invalid:
    """Marker for text that is not a value of its type (``"12,50"`` as an amount)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()


class Sourced(NamedTuple, Generic[_T_co]):
    """A value read from the document, with the node (and attribute) that holds it."""

    value: _T_co | _Invalid
    node: Node
    attribute: str | None = None

    @property
    def xpath(self) -> str:
        """Where the value is, as an XPath (see :func:`~peppol_ubl.xml.paths.path_of`)."""
        return path_of(self.node, self.attribute)

    @property
    def raw(self) -> str:
        """The text as it is in the document."""
        text = self.node.get(self.attribute) if self.attribute else self.node.text
        return text or ""


class ReadContext:
    """The document being read: taken nodes, warnings, the document currency and tax
    scheme."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.currency: str | None = None
        self.tax_scheme = DEFAULT_TAX_SCHEME
        self.taken: set[Node] = set()
        self.taken_attributes: set[tuple[Node, str]] = set()
        self.warnings: list[ParseWarning] = []

    # navigation -------------------------------------------------------------------

    @staticmethod
    @cache
    def _tag(name: str) -> str:
        prefix, _, local = name.partition(":")
        return f"{{{_PREFIXES[prefix]}}}{local}"

    def all(self, parent: Node | None, name: str) -> list[Node]:
        """The children ``name`` (``cac:X`` or ``cbc:X``) of ``parent``, in document order."""
        return [] if parent is None else list(parent.iterchildren(self._tag(name)))

    def one(self, parent: Node | None, name: str) -> Node | None:
        """The first child ``name``; later ones stay unread (and so are reported unmapped)."""
        return None if parent is None else next(parent.iterchildren(self._tag(name)), None)

    def path(self, parent: Node | None, *names: str) -> Node | None:
        """Follow first children along ``names``: ``path(party, "cac:PartyName", "cbc:Name")``."""
        node = parent
        for name in names:
            node = self.one(node, name)
        return node

    # taking values ------------------------------------------------------------------

    def take(self, node: Node, attribute: str | None = None) -> None:
        """Mark an element's text (or one attribute) as carried by the model."""
        if attribute is None:
            self.taken.add(node)
        else:
            self.taken_attributes.add((node, attribute))

    def release(self, value: Sourced[object]) -> None:
        """Undo :meth:`take` for a value the model refused, so it is reported unmapped."""
        if value.attribute is None:
            self.taken.discard(value.node)
        else:
            self.taken_attributes.discard((value.node, value.attribute))

    def warn(self, value: Sourced[object], code: WarningCode, reason: str) -> None:
        """Record that ``value`` is held only approximately (or not at all)."""
        self.warnings.append(ParseWarning(value.xpath, value.raw.strip(), code, reason))

    def node_text(self, node: Node | None) -> Sourced[str] | None:
        """The stripped text of ``node``; None for a missing or empty element."""
        if node is None:
            return None
        text = (node.text or "").strip()
        if not text:
            return None
        self.take(node)
        return Sourced(text, node)

    def text(self, parent: Node | None, name: str) -> Sourced[str] | None:
        """The stripped text of the first child ``name``."""
        return self.node_text(self.one(parent, name))

    def attr(self, node: Node | None, name: str) -> Sourced[str] | None:
        """The stripped value of attribute ``name`` of ``node``; None when absent or empty."""
        if node is None:
            return None
        value = (node.get(name) or "").strip()
        if not value:
            return None
        self.take(node, name)
        return Sourced(value, node, name)

    def fixed(self, parent: Node | None, name: str, expected: str) -> bool:
        """Take the child ``name`` when it holds the fixed value ``expected``."""
        value = self.text(parent, name)
        if value is None:
            return False
        if value.value != expected:
            self.release(value)
            return False
        return True

    def node_decimal(self, node: Node | None) -> Sourced[Decimal] | None:
        """The text of ``node`` as an exact decimal (quantity, rate, percentage, price)."""
        value = self.node_text(node)
        if value is None:
            return None
        try:
            return Sourced(parse_amount(str(value.value)), value.node)
        except ValueError:
            return Sourced(INVALID, value.node)

    def decimal(self, parent: Node | None, name: str) -> Sourced[Decimal] | None:
        """The first child ``name`` as an exact decimal."""
        return self.node_decimal(self.one(parent, name))

    def _currency(self, node: Node, expected: str | None) -> None:
        currency = self.attr(node, "currencyID")
        if currency is not None and expected is not None and currency.value != expected:
            self.warn(currency, "currency", f"the amount is in {currency.value} but the model "
                      f"holds it as {expected}")

    def unit_amount(self, parent: Node | None, name: str) -> Sourced[Decimal] | None:
        """An exact amount in currency units (unit prices), taking its ``currencyID``."""
        value = self.decimal(parent, name)
        if value is not None:
            self._currency(value.node, self.currency)
        return value

    def amount(self, parent: Node | None, name: str, currency: str | None = None) -> Sourced[int] | None:
        """An amount in cents, taking its ``currencyID`` (expected: the document currency).

        An amount with more than two significant decimals is rounded to cents with the
        library's rounding rule and reported as a warning.
        """
        value = self.decimal(parent, name)
        if value is None:
            return None
        self._currency(value.node, currency or self.currency)
        if isinstance(value.value, _Invalid):
            return Sourced(INVALID, value.node)
        cents = self.cents(value.value, value)
        if cents != value.value * 100:
            self.warn(value, "rounded", f"rounded to {cents} cents")
        return Sourced(cents, value.node)

    @staticmethod
    def cents(exact: Decimal, value: Sourced[object]) -> int:
        """``exact`` (read from ``value``) in cents; a ``ParseError`` at its XPath when the
        cents do not fit (see :class:`~peppol_ubl.money.AmountRangeError`)."""
        try:
            return cents_from_decimal(exact)
        except AmountRangeError as exc:
            name = etree.QName(value.node).localname
            raise ParseError(f"cannot read {name} as an amount: {exc}", xpath=value.xpath) from None

    def date(self, parent: Node | None, name: str) -> Sourced[dt.date] | None:
        """A date ``YYYY-MM-DD``; a time zone suffix is dropped with a warning."""
        value = self.text(parent, name)
        if value is None:
            return None
        match = _DATE.fullmatch(str(value.value))
        try:
            day = dt.date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            day = None
        if day is None or match is None:
            return Sourced(INVALID, value.node)
        if match.group(2):
            self.warn(value, "approximate", "the time zone of the date is not kept")
        return Sourced(day, value.node)

    def boolean(self, parent: Node | None, name: str) -> Sourced[bool] | None:
        """An ``xs:boolean`` (``true``, ``false``, ``1``, ``0``)."""
        value = self.text(parent, name)
        if value is None:
            return None
        flag = _BOOLEANS.get(str(value.value))
        return Sourced(INVALID if flag is None else flag, value.node)


def compact(**fields: object) -> dict[str, object] | None:
    """The given fields without the absent ones; None when nothing is left."""
    present = {key: value for key, value in fields.items()
               if value is not None and not (isinstance(value, (list, dict)) and not value)}
    return present or None
