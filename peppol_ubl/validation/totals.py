"""The totals layer: every amount of a UBL document recomputed from its own data, in cents.

Each stated amount is compared with the value recomputed from the amounts it is made
of, one level down (a wrong line net amount is reported on the line and on BT-106, not
on every total above it):

=====================================  ===========================================  =========
amount                                 recomputed as                                rule id
=====================================  ===========================================  =========
allowance/charge amount BT-92/99/136/141  base × percentage ÷ 100                   PEPPOL-EN16931-R040
item net price BT-146                  gross price BT-148 − price discount BT-147   PEPPOL-EN16931-R046
line net amount BT-131                 quantity × price ÷ base quantity + line      PEPPOL-EN16931-R120
                                       charges − line allowances
price base quantity BT-149             must be above 0                              PEPPOL-EN16931-R121
BT-106 / BT-107 / BT-108               Σ BT-131 / Σ BT-92 / Σ BT-99                 BR-CO-10 / 11 / 12
BT-109                                 BT-106 − BT-107 + BT-108                     BR-CO-13
BT-110                                 Σ BT-117                                     BR-CO-14
BT-112                                 BT-109 + BT-110                              BR-CO-15
BT-115                                 BT-112 − BT-113 + BT-114                     BR-CO-16
BT-116 of a VAT group                  Σ its BT-131 + BT-99 − BT-92                 BR-S/Z/E/AE/IC/G/O/AF/AG-08
                                                                                    (PU-TOTALS-VAT-TAXABLE for B)
BT-117 of a VAT group                  round(BT-116 × BT-119 ÷ 100); 0 for Z, E,    BR-S/AF/AG-09, BR-CO-17;
                                       AE, K, G, O                                  BR-Z/E/AE/IC/G/O-09
a VAT group used but not in BG-23      —                                            PU-TOTALS-VAT-GROUP-MISSING
=====================================  ===========================================  =========

Every difference is reported, with the expected and found amounts. The severity follows
the tolerance of the official rule (read from its Schematron test): ``fatal`` beyond it,
``warning`` within it ("rounding drift" the official rules let through). Tolerances:
none for the sums BR-CO-10 … 16 and the zero-rated groups; 0.02 against the unrounded
value for R040 and R120; less than 1.00 for BR-S-08/09 (and L, M: BR-AF, BR-AG) and
BR-CO-17 (less than 0.50 when the group has no rate). BR-CO-17 is reported for groups
whose category has no rule of its own (B, or none). The categories, formulas and
tolerances are those of :mod:`peppol_ubl.arithmetic`, which :mod:`peppol_ubl.calculation`
uses to fill the same amounts in; the amounts are read by :mod:`peppol_ubl.ubl.amounts`.
A part whose numbers are too large to recompute in cents (beyond a signed 64-bit integer,
see :mod:`peppol_ubl.money`) gets one ``PU-TOTALS-RANGE`` finding instead of its checks.
Amounts that are absent are left to the schema and Schematron layers; the VAT total in
the accounting currency BT-111 cannot be recomputed (no exchange rate) and is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, DecimalException

from lxml import etree

from ..arithmetic import (
    CATEGORIES,
    R040_SLACK_CENTS,
    UNDER_HALF_CENTS,
    UNDER_ONE_CENTS,
    VatCategory,
    line_gross,
    payable_amount,
    percentage_of,
    tax_exclusive_amount,
    tax_inclusive_amount,
)
from ..findings import Finding
from ..money import AmountRangeError, format_cents, round_half_away
from ..ubl.amounts import AllowanceCharge, Amount, Document, Line, Subtotal, read_document
from ..xml.paths import Place

__all__ = ["check_totals"]

_UNCATEGORISED = VatCategory("", None, "required", "optional")
"""A group whose category is unknown or absent: checked as B (BR-CO-17)."""


def _category(code: str) -> VatCategory:
    return CATEGORIES.get(code, _UNCATEGORISED)


def _difference(rule: str, what: str, found: Amount, expected: int, tolerance: int,
                exact: Decimal | None = None) -> Iterator[Finding]:
    """A finding when ``found`` is not ``expected`` cents; fatal beyond ``tolerance`` cents
    of ``exact`` (the unrounded value the official rule compares with, if it does)."""
    if found.cents == expected:
        return
    reference = Decimal(expected) if exact is None else exact
    fatal = abs(found.cents - reference) > tolerance
    drift = "" if fatal else " (within the tolerance of the official rule)"
    yield Finding(rule, "fatal" if fatal else "warning", "totals",
                  f"{what}: expected {format_cents(expected)}, found {format_cents(found.cents)}"
                  f"{drift}", found.location.path)


def _guarded(checks: Iterator[Finding], what: str, location: Place) -> Iterator[Finding]:
    """The findings of ``checks``, or, from where its numbers became too large to recompute
    in cents (beyond a signed 64-bit integer, or decimal's exponent range), one
    PU-TOTALS-RANGE finding on the part that could not be checked."""
    try:
        yield from checks
    except (AmountRangeError, DecimalException) as exc:
        reason = str(exc) if isinstance(exc, AmountRangeError) else "its numbers are too large"
        yield Finding("PU-TOTALS-RANGE", "fatal", "totals",
                      f"{what} cannot be recomputed in cents: {reason}", location.path)


def _allowance_charge(entry: AllowanceCharge) -> Iterator[Finding]:
    """PEPPOL-EN16931-R040: amount = base × percentage ÷ 100, ±0.02."""
    if entry.amount is None or entry.base is None or entry.percentage is None:
        return
    exact = percentage_of(entry.base.cents, entry.percentage)
    yield from _difference("PEPPOL-EN16931-R040", "allowance/charge amount = base amount × "
                           "percentage ÷ 100", entry.amount, round_half_away(exact),
                           R040_SLACK_CENTS, exact)


def _line(line: Line) -> Iterator[Finding]:
    """PEPPOL-EN16931-R046, R120 and R121 on one line and its allowances and charges."""
    for entry in line.allowance_charges:
        yield from _guarded(_allowance_charge(entry), "the line allowance or charge", entry.location)
    if line.price_discount is not None and line.price is not None:
        gross, discount, location = line.price_discount
        if gross - discount != line.price:
            yield Finding("PEPPOL-EN16931-R046", "fatal", "totals",
                          f"item net price = gross price − price discount: expected "
                          f"{gross - discount}, found {line.price}", location.path)
    base_quantity = line.base_quantity
    if base_quantity is not None and base_quantity <= 0:
        yield Finding("PEPPOL-EN16931-R121", "fatal", "totals",
                      f"price base quantity must be above 0, found {base_quantity}",
                      line.base_quantity_location.path if line.base_quantity_location else None)
    if line.net is None or line.price is None:
        return
    divisor = base_quantity if base_quantity else Decimal(1)  # as R120: 0 counts as 1
    quantity = Decimal(1) if line.quantity is None else line.quantity
    gross = line_gross(line.price.scaleb(2), quantity, divisor)  # price in cents
    adjustments = sum(_signed(entry) or 0 for entry in line.allowance_charges)
    yield from _difference("PEPPOL-EN16931-R120", "line net amount = quantity × price ÷ base "
                           "quantity + charges − allowances", line.net,
                           round_half_away(gross) + adjustments, R040_SLACK_CENTS,
                           gross + adjustments)


def _signed(entry: AllowanceCharge) -> int | None:
    """A charge's cents, an allowance's negated; None without amount or indicator."""
    if entry.amount is None or entry.charge is None:
        return None
    return entry.amount.cents if entry.charge else -entry.amount.cents


def _sum(amounts: Iterable[Amount | None]) -> int:
    return sum(amount.cents for amount in amounts if amount is not None)


def _monetary(document: Document) -> Iterator[Finding]:
    """BR-CO-10 … BR-CO-16: the document totals BG-22 from their parts, exactly."""
    stated = document.monetary

    def cents(name: str) -> int:
        amount = stated.get(name)
        return amount.cents if amount is not None else 0

    def check(rule: str, name: str, what: str, expected: int) -> Iterator[Finding]:
        found = stated.get(name)
        if found is not None:
            yield from _difference(rule, what, found, expected, 0)

    entries = document.allowance_charges
    yield from check("BR-CO-10", "LineExtensionAmount", "sum of line net amounts BT-106",
                     _sum(line.net for line in document.lines))
    yield from check("BR-CO-11", "AllowanceTotalAmount", "sum of document allowances BT-107",
                     _sum(entry.amount for entry in entries if entry.charge is False))
    yield from check("BR-CO-12", "ChargeTotalAmount", "sum of document charges BT-108",
                     _sum(entry.amount for entry in entries if entry.charge is True))
    yield from check("BR-CO-13", "TaxExclusiveAmount", "total without VAT BT-109 = BT-106 − "
                     "BT-107 + BT-108", tax_exclusive_amount(
                         cents("LineExtensionAmount"), cents("AllowanceTotalAmount"), cents("ChargeTotalAmount")))
    if document.tax_total is not None:
        yield from check("BR-CO-15", "TaxInclusiveAmount", "total with VAT BT-112 = BT-109 + "
                         "BT-110", tax_inclusive_amount(cents("TaxExclusiveAmount"), document.tax_total.cents))
    yield from check("BR-CO-16", "PayableAmount", "amount due BT-115 = BT-112 − BT-113 + "
                     "BT-114", payable_amount(cents("TaxInclusiveAmount"), cents("PrepaidAmount"),
                                              cents("PayableRoundingAmount")))
    if document.tax_total is not None and document.subtotals:
        yield from _difference("BR-CO-14", "total VAT BT-110 = Σ VAT category amounts BT-117",
                               document.tax_total, _sum(group.tax for group in document.subtotals), 0)


@dataclass(frozen=True, slots=True)
class _Member:
    """A line or document allowance/charge as a contribution to a VAT group."""

    category: str
    rate: Decimal | None
    cents: int
    location: Place


def _members(document: Document) -> list[_Member]:
    members = [_Member(line.category, line.rate, line.net.cents, line.category_location)
               for line in document.lines if line.category and line.net is not None]
    members += [_Member(entry.category, entry.rate, signed, entry.category_location)
                for entry in document.allowance_charges
                if entry.category and (signed := _signed(entry)) is not None]
    return members


def _in_group(member: _Member, category: str, rate: Decimal | None) -> bool:
    if member.category != category:
        return False
    return not _category(category).by_rate or member.rate == rate


def _group_taxable(group: Subtotal, members: list[_Member]) -> Iterator[Finding]:
    """BR-x-08: the group's taxable amount BT-116 from its lines and allowances/charges."""
    if group.category is None or group.taxable is None:
        return  # a group without category is BR-CO-18's and the schema's business
    rules = _category(group.category)
    expected = sum(member.cents for member in members
                   if _in_group(member, group.category, group.rate))
    yield from _difference(rules.taxable_rule, f"VAT category {group.category} taxable amount "
                           "BT-116 = Σ line net amounts + charges − allowances of the group",
                           group.taxable, expected, rules.taxable_tolerance)


def _group_tax(group: Subtotal) -> Iterator[Finding]:
    """BR-x-09 / BR-CO-17: the group's VAT amount BT-117 from BT-116 and the rate."""
    if group.tax is None:
        return
    rules = _category(group.category or "")
    what = f"VAT category {group.category or '(none)'} VAT amount BT-117"
    if rules.zero_tax:
        yield from _difference(rules.tax_rule, f"{what} must be 0", group.tax, 0, 0)
    elif rules.rules is None and not group.rate:
        yield from _difference(rules.tax_rule, f"{what} must be 0 without a VAT rate",
                               group.tax, 0, UNDER_HALF_CENTS)
    elif group.taxable is not None and group.rate is not None:
        exact = percentage_of(group.taxable.cents, group.rate)
        yield from _difference(rules.tax_rule, f"{what} = BT-116 × rate ÷ 100", group.tax,
                               round_half_away(exact), UNDER_ONE_CENTS)


def _vat_groups(document: Document) -> Iterator[Finding]:
    """BR-x-08, BR-x-09, BR-CO-17 per VAT group; PU-TOTALS-VAT-GROUP-MISSING."""
    members = _members(document)
    for group in document.subtotals:
        yield from _group_taxable(group, members)
        yield from _guarded(_group_tax(group), "the VAT amount of the group", group.location)
    yield from _missing_groups(document, members)


def _missing_groups(document: Document, members: list[_Member]) -> Iterator[Finding]:
    reported: set[tuple[str, Decimal | None]] = set()
    for member in members:
        key = (member.category, member.rate if _category(member.category).by_rate else None)
        if key in reported:
            continue
        covered = any(group.category == member.category
                      and _in_group(member, member.category, group.rate)
                      for group in document.subtotals)
        if not covered:
            reported.add(key)
            rate = "" if key[1] is None else f" rate {key[1]}"
            yield Finding("PU-TOTALS-VAT-GROUP-MISSING", "fatal", "totals",
                          f"VAT category {member.category}{rate} is used but has no VAT "
                          "breakdown (BG-23)", member.location.path)


def check_totals(
    root: etree._Element | etree._ElementTree, *, peppol_rules: bool = True
) -> list[Finding]:
    """Recompute every amount of a UBL Invoice or CreditNote from its own line data and
    report each difference (layer ``totals``). Any other root gives no findings: the
    input layer is the one that refuses it. ``peppol_rules=False`` leaves out the checks
    that only Peppol BIS makes (line and allowance/charge arithmetic, R040 … R121)."""
    element = root.getroot() if isinstance(root, etree._ElementTree) else root
    document = read_document(element)
    if document is None:
        return []
    findings = list(document.findings)
    if peppol_rules:
        for line in document.lines:
            findings.extend(_guarded(_line(line), "the line", line.location))
        for entry in document.allowance_charges:
            findings.extend(_guarded(_allowance_charge(entry), "the allowance or charge", entry.location))
    findings.extend(_monetary(document))
    findings.extend(_vat_groups(document))
    return findings
