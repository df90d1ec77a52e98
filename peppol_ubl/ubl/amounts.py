"""Reading the amounts of a UBL Invoice or CreditNote: what the totals layer checks and
pre-flight sums, read once per document.

Elements are found by namespace URI (any prefixes). Every amount is read as written
(an exact ``Decimal``) and in cents (rounded half away from zero); an amount with more
than two decimals gets a ``PU-TOTALS-DECIMALS`` finding (fatal, as the official BR-DEC
rules are), a value that is not a number a ``PU-TOTALS-NUMBER`` finding (fatal), an
amount whose cents do not fit (:class:`~peppol_ubl.money.AmountRangeError`) a
``PU-TOTALS-RANGE`` finding (fatal), and the checks that need it are skipped. Locations
are element paths (:mod:`peppol_ubl.xml.paths`), written only when a finding needs one
(each record keeps a :class:`~peppol_ubl.xml.paths.Place`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from ..findings import Finding
from ..money import AmountRangeError, cents_from_decimal, parse_amount
from ..xml.namespaces import CAC, CBC
from ..xml.paths import Locator, Place
from ..xml.safe import document_type_of

__all__ = ["AllowanceCharge", "Amount", "Document", "Line", "Subtotal", "read_document"]

def _cac(name: str) -> str:
    return f"{{{CAC}}}{name}"


def _cbc(name: str) -> str:
    return f"{{{CBC}}}{name}"


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount as written (``exact``, currency units) and in whole ``cents``."""

    exact: Decimal
    cents: int
    location: Place


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """A document (BG-20/BG-21) or line (BG-27/BG-28) allowance or charge."""

    charge: bool | None
    """True for a charge, False for an allowance, None when ChargeIndicator is neither
    (then it counts in no sum, as in the official rules)."""
    amount: Amount | None
    base: Amount | None
    percentage: Decimal | None
    category: str | None
    rate: Decimal | None
    category_location: Place
    location: Place


@dataclass(frozen=True, slots=True)
class Line:
    """An invoice or credit note line (BG-25) with what its net amount BT-131 is made of."""

    net: Amount | None
    quantity: Decimal | None
    price: Decimal | None
    base_quantity: Decimal | None
    base_quantity_location: Place | None
    price_discount: tuple[Decimal, Decimal, Place] | None
    """(gross price BT-148, discount BT-147, location) of a price allowance with a base."""
    allowance_charges: list[AllowanceCharge]
    category: str | None
    rate: Decimal | None
    category_location: Place
    location: Place


@dataclass(frozen=True, slots=True)
class Subtotal:
    """One VAT breakdown (BG-23): BT-116, BT-117, BT-118, BT-119."""

    taxable: Amount | None
    tax: Amount | None
    category: str | None
    rate: Decimal | None
    location: Place


@dataclass
class Document:
    """The amounts of one document, and the findings met while reading them."""

    lines: list[Line] = field(default_factory=list)
    allowance_charges: list[AllowanceCharge] = field(default_factory=list)
    subtotals: list[Subtotal] = field(default_factory=list)
    tax_total: Amount | None = None
    monetary: dict[str, Amount | None] = field(default_factory=dict)
    monetary_location: Place | None = None
    findings: list[Finding] = field(default_factory=list)


class _Reader:
    """Locates elements and parses numbers, collecting findings as it goes."""

    def __init__(self, root: etree._Element, root_name: str) -> None:
        self.root = root
        self.root_name = root_name
        self.findings: list[Finding] = []
        self._locator = Locator()

    def place(self, element: etree._Element) -> Place:
        """Where the element is; its path is written when a finding asks for it."""
        return Place(self._locator, element)

    def number(self, element: etree._Element | None) -> Decimal | None:
        """A quantity, price, percentage or rate; ``None`` when absent or not a number."""
        if element is None:
            return None
        try:
            return parse_amount(element.text or "")
        except ValueError:
            self.findings.append(Finding(
                "PU-TOTALS-NUMBER", "fatal", "totals",
                f"{etree.QName(element).localname} {_shown(element.text or '')!r} is not a decimal "
                "number; the totals that need it were not checked", self._locator.path(element)))
            return None

    def amount(self, element: etree._Element | None) -> Amount | None:
        """An amount in cents; more than two decimals is a PU-TOTALS-DECIMALS finding."""
        exact = self.number(element)
        if exact is None or element is None:
            return None
        location = self.place(element)
        text = (element.text or "").strip()
        if len(text.partition(".")[2]) > 2:
            self.findings.append(Finding(
                "PU-TOTALS-DECIMALS", "fatal", "totals",
                f"{etree.QName(element).localname} {_shown(text)} has more than two decimals (the "
                "BR-DEC rules allow two); checked as rounded to cents", location.path))
        try:
            cents = cents_from_decimal(exact)
        except AmountRangeError as exc:
            self.findings.append(Finding(
                "PU-TOTALS-RANGE", "fatal", "totals", f"{etree.QName(element).localname}: {exc}; "
                "the totals that need it were not checked", location.path))
            return None
        return Amount(exact, cents, location)


def _shown(text: str) -> str:
    """A value for a message, shortened: a document may hold megabytes in one element."""
    return text if len(text) <= 40 else f"{text[:30]}… ({len(text)} characters)"


def _text(element: etree._Element | None) -> str | None:
    return " ".join(element.text.split()) if element is not None and element.text else None


def _category(reader: _Reader, node: etree._Element | None,
              owner: etree._Element) -> tuple[str | None, Decimal | None, Place]:
    if node is None:
        return None, None, reader.place(owner)
    children = _first_children(node)
    return _text(children.get(_ID)), reader.number(children.get(_PERCENT)), reader.place(node)


_CHARGE = {"true": True, "1": True, "false": False, "0": False}


def _allowance_charge(reader: _Reader, node: etree._Element) -> AllowanceCharge:
    children = _first_children(node)
    category, rate, category_location = _category(reader, children.get(_TAX_CATEGORY), node)
    return AllowanceCharge(
        charge=_CHARGE.get(_text(children.get(_CHARGE_INDICATOR)) or ""),
        amount=reader.amount(children.get(_AMOUNT)),
        base=reader.amount(children.get(_BASE_AMOUNT)),
        percentage=reader.number(children.get(_MULTIPLIER)),
        category=category, rate=rate, category_location=category_location,
        location=reader.place(node))


def _price_discount(reader: _Reader, discount: etree._Element | None
                    ) -> tuple[Decimal, Decimal, Place] | None:
    """BT-148 and BT-147 of a line's price (its ``AllowanceCharge``), when both are given."""
    children = _first_children(discount)
    if discount is None or _BASE_AMOUNT not in children:
        return None
    gross = reader.number(children[_BASE_AMOUNT])
    amount = reader.number(children.get(_AMOUNT))
    if gross is None or amount is None:
        return None
    return gross, amount, reader.place(discount)


def _first_children(node: etree._Element | None) -> dict[str, etree._Element]:
    """The first child of each name (Clark notation) under ``node``: one pass over its
    children instead of one ``find`` per name (each ``find`` is a pass of its own)."""
    first: dict[str, etree._Element] = {}
    if node is not None:
        for child in node:
            if isinstance(child.tag, str):  # not a comment or processing instruction
                first.setdefault(child.tag, child)
    return first


def _children(node: etree._Element) -> dict[str, list[etree._Element]]:
    """The children of each name (Clark notation) under ``node``, in document order."""
    found: dict[str, list[etree._Element]] = {}
    for child in node:
        if isinstance(child.tag, str):
            found.setdefault(child.tag, []).append(child)
    return found


_PRICE, _ITEM, _ALLOWANCE_CHARGE = _cac("Price"), _cac("Item"), _cac("AllowanceCharge")
_CLASSIFIED, _TAX_CATEGORY = _cac("ClassifiedTaxCategory"), _cac("TaxCategory")
_TAX_TOTAL, _TAX_SUBTOTAL, _MONETARY_TOTAL = _cac("TaxTotal"), _cac("TaxSubtotal"), _cac("LegalMonetaryTotal")
_NET, _PRICE_AMOUNT, _BASE_QUANTITY = _cbc("LineExtensionAmount"), _cbc("PriceAmount"), _cbc("BaseQuantity")
_BASE_AMOUNT, _AMOUNT, _MULTIPLIER = _cbc("BaseAmount"), _cbc("Amount"), _cbc("MultiplierFactorNumeric")
_ID, _PERCENT, _CHARGE_INDICATOR = _cbc("ID"), _cbc("Percent"), _cbc("ChargeIndicator")
_TAX_AMOUNT, _TAXABLE_AMOUNT, _CURRENCY = _cbc("TaxAmount"), _cbc("TaxableAmount"), _cbc("DocumentCurrencyCode")


def _line(reader: _Reader, node: etree._Element, quantity_tag: str) -> Line:
    children = _children(node)
    first = {name: elements[0] for name, elements in children.items()}
    price = _first_children(first.get(_PRICE))
    base_quantity = price.get(_BASE_QUANTITY)
    item = _first_children(first.get(_ITEM))
    category, rate, category_location = _category(reader, item.get(_CLASSIFIED), node)
    return Line(
        net=reader.amount(first.get(_NET)),
        quantity=reader.number(first.get(quantity_tag)),
        price=reader.number(price.get(_PRICE_AMOUNT)),
        base_quantity=reader.number(base_quantity),
        base_quantity_location=reader.place(base_quantity) if base_quantity is not None else None,
        price_discount=_price_discount(reader, price.get(_ALLOWANCE_CHARGE)),
        allowance_charges=[_allowance_charge(reader, child) for child in children.get(_ALLOWANCE_CHARGE, ())],
        category=category, rate=rate, category_location=category_location,
        location=reader.place(node))


_MONETARY = ("LineExtensionAmount", "AllowanceTotalAmount", "ChargeTotalAmount",
             "TaxExclusiveAmount", "TaxInclusiveAmount", "PrepaidAmount",
             "PayableRoundingAmount", "PayableAmount")


def _tax_total(reader: _Reader, top: dict[str, list[etree._Element]], document: Document) -> None:
    """BT-110 (the TaxTotal amount in the document currency) and the BG-23 groups."""
    currency = _text(next(iter(top.get(_CURRENCY, ())), None))
    tax_totals = [(node, _children(node)) for node in top.get(_TAX_TOTAL, ())]
    with_groups = [(node, children) for node, children in tax_totals if _TAX_SUBTOTAL in children]
    in_currency = [(node, children) for node, children in tax_totals
                   if _TAX_AMOUNT in children and children[_TAX_AMOUNT][0].get("currencyID") == currency]
    chosen = next(iter(in_currency or with_groups or tax_totals), None)
    if chosen is not None:
        amounts = chosen[1].get(_TAX_AMOUNT)
        document.tax_total = reader.amount(amounts[0] if amounts else None)
    for _, children in with_groups:
        for node in children[_TAX_SUBTOTAL]:
            parts = _first_children(node)
            category, rate, _ = _category(reader, parts.get(_TAX_CATEGORY), node)
            document.subtotals.append(Subtotal(
                taxable=reader.amount(parts.get(_TAXABLE_AMOUNT)),
                tax=reader.amount(parts.get(_TAX_AMOUNT)),
                category=category, rate=rate, location=reader.place(node)))


def read_document(root: etree._Element) -> Document | None:
    """The amounts of a UBL Invoice or CreditNote root; ``None`` for any other root."""
    root_name = document_type_of(root)
    if root_name is None:
        return None
    reader = _Reader(root, root_name)
    document = Document()
    line_name, quantity_name = (("InvoiceLine", "InvoicedQuantity") if root_name == "Invoice"
                                else ("CreditNoteLine", "CreditedQuantity"))
    top = _children(root)
    document.lines = [_line(reader, node, _cbc(quantity_name)) for node in top.get(_cac(line_name), ())]
    document.allowance_charges = [_allowance_charge(reader, node) for node in top.get(_ALLOWANCE_CHARGE, ())]
    _tax_total(reader, top, document)
    monetary = next(iter(top.get(_MONETARY_TOTAL, ())), None)
    if monetary is not None:
        document.monetary_location = reader.place(monetary)
        stated = _first_children(monetary)
        document.monetary = {name: reader.amount(stated.get(_cbc(name))) for name in _MONETARY}
    document.findings = reader.findings
    return document
