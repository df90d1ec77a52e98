"""Calculation: an invoice's amounts computed from its lines (EN 16931 / BIS 3.0 chapter
"Calculation"; BT-131, BT-92 … BT-101, BT-136 … BT-143, BG-23, BT-106 … BT-115).

:func:`calculate` returns a new :class:`~peppol_ubl.model.Invoice` whose line net
amounts, allowance and charge amounts, VAT breakdown and document totals are computed;
the input model is never changed. It computes whatever ``calculate_totals`` says (the
flag only tells the writer whether to call it). Computed values replace given ones;
inputs that are kept: the paid amount BT-113 (``totals.paid_amount``), the rounding
amount BT-114 (``invoice.rounding_amount``), the VAT total in the VAT accounting
currency BT-111 (and the totals without and with VAT in it) and every text.

Arithmetic is on integer cents and exact ``Decimal`` quantities and rates; each computed
amount is rounded once, to whole cents, with :func:`peppol_ubl.money.round_half_away`
(the parts of a line net amount separately, as the BIS asks). Results computed from
already rounded amounts (totals) are sums and need no rounding.

Decisions (VAT categories, UNCL 5305):

* the categories are those of the document's tax scheme (``header.tax_scheme``, VAT
  when absent; :data:`peppol_ubl.arithmetic.TAX_SCHEMES`: VAT's EN 16931 table, GST's
  PINT A-NZ and SG codes); the arithmetic is the same in every scheme. A VAT breakdown
  group in another scheme (``tax_breakdown[].tax_scheme``, e.g. PINT MY's tourism tax
  AAL, charged per night) is not a rate of the lines: it is kept as given (its taxable
  and tax amounts are needed) after the computed groups, and counts in BT-110;
* a line or document allowance/charge without a VAT category is ``S`` when its rate is
  above zero; a document allowance/charge with neither category nor rate takes the one
  VAT group of the lines when all lines share it; anything else is an error;
* ``O`` has no rate (a rate of 0 is dropped, another one refused); ``Z``, ``E``, ``AE``,
  ``K`` and ``G`` have rate 0 (filled in when absent); ``S`` needs a rate above 0
  (BR-S-05), ``L``, ``M`` and ``B`` need a rate (in GST: A-NZ's S, Z, E, G, O alike;
  Singapore's codes need a rate, NG none);
* the exemption reason (BT-120) and code (BT-121) of a VAT group come from the given
  ``tax_breakdown`` entry of the same group, its lines and its document allowances and
  charges; two different values are an error. Groups ``E``, ``AE``, ``K``, ``G``, ``O``
  need one (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10); ``S``, ``Z``, ``L``, ``M``
  must not have one (BR-S-10, BR-Z-10, BR-AF-10, BR-AG-10); in GST, A-NZ's ``S`` and
  ``Z`` must not have one and the other codes may;
* an allowance or charge with a percentage and an amount keeps the amount when it is
  within 0.02 of base × percentage (PEPPOL-EN16931-R040), else it is an error; a base
  amount without a percentage is an error (PEPPOL-EN16931-R042);
* when ``header.vat_currency`` differs from ``header.currency``, BT-111 cannot be
  computed without an exchange rate: ``totals.tax_amount_in_vat_currency`` must be given
  (with the sign of BT-110, PEPPOL-EN16931-R055);
* the allowance and charge totals BT-107/BT-108 are absent when there are no document
  allowances / charges.

Impossible arithmetic raises :class:`~peppol_ubl.errors.CalculationError` naming the
field, e.g. ``items[3].allowances[0].percentage``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from .arithmetic import (
    R040_SLACK_CENTS,
    TAX_SCHEMES,
    VatCategory,
    line_gross,
    payable_amount,
    percentage_of,
    tax_exclusive_amount,
    tax_inclusive_amount,
    vat_amount,
)
from .errors import CalculationError
from .model import (
    DEFAULT_TAX_SCHEME,
    AllowanceCharge,
    DocumentAllowanceCharge,
    Invoice,
    Item,
    TaxBreakdown,
    Totals,
)
from .money import round_half_away

__all__ = [
    "VatKey",
    "allowance_charge_amount",
    "calculate",
    "categories",
    "document_allowance_charge_amounts",
    "document_totals",
    "line_amounts",
    "line_net_amount",
    "vat_breakdown",
    "vat_categories",
    "vat_key",
]

VatKey = tuple[str, Decimal | None]
"""A VAT group: category code (BT-118) and rate (BT-119, ``None`` for category O)."""

_AC = TypeVar("_AC", bound=AllowanceCharge)
_VatEntry = TypeVar("_VatEntry", Item, DocumentAllowanceCharge)


def categories(scheme: str) -> dict[str, VatCategory]:
    """The category table of tax scheme ``scheme``; a scheme without one is an error."""
    table = TAX_SCHEMES.get(scheme)
    if table is None:
        raise CalculationError(
            "PU-CALC-TAX-SCHEME-UNKNOWN",
            "header.tax_scheme",
            f"no VAT categories are known for the tax scheme {scheme!r} ({', '.join(TAX_SCHEMES)} are)",
        )
    return table


def vat_key(
    category: str | None,
    rate: Decimal | None,
    path: str,
    fields: tuple[str, str] = ("tax_category", "tax_rate"),
    scheme: str = DEFAULT_TAX_SCHEME,
) -> VatKey:
    """The VAT group (BT-151/BT-152, BT-95/BT-96, BT-102/BT-103) of a line or document
    allowance/charge at ``path`` in tax scheme ``scheme``, with the category defaults of
    this module; ``fields`` names the category and rate fields there for errors."""
    category_field, rate_field = fields
    table = categories(scheme)
    if category is None:
        if rate is not None and rate > 0:
            return ("S", rate)
        raise CalculationError(
            "PU-CALC-VAT-CATEGORY-MISSING",
            f"{path}.{category_field}",
            "a VAT category code is needed (it defaults to S only when a VAT rate above 0 is given)",
        )
    known = table.get(category)
    if known is None:
        raise CalculationError(
            "PU-CALC-VAT-CATEGORY-UNKNOWN",
            f"{path}.{category_field}",
            f"unknown {scheme} category code {category!r} (UNCL 5305: {', '.join(table)})",
        )
    if known.rate == "none":
        if rate:
            raise CalculationError(
                "PU-CALC-VAT-RATE",
                f"{path}.{rate_field}",
                f"category {category} (not subject to VAT) has no VAT rate",
            )
        return (category, None)
    if known.rate == "zero":
        if rate:
            raise CalculationError(
                "PU-CALC-VAT-RATE", f"{path}.{rate_field}", f"category {category} has VAT rate 0"
            )
        return (category, Decimal(0))
    if rate is None:
        raise CalculationError(
            "PU-CALC-VAT-RATE", f"{path}.{rate_field}", f"category {category} needs a VAT rate"
        )
    if known.rate == "positive" and rate == 0:
        raise CalculationError(
            "PU-CALC-VAT-RATE",
            f"{path}.{rate_field}",
            f"category {category} needs a VAT rate above 0 ({known.positive_rule}); use Z for zero-rated goods",
        )
    return (category, rate)


def allowance_charge_amount(entry: _AC, default_base: int, path: str) -> _AC:
    """Allowance or charge amount (BT-92/BT-99 document, BT-136/BT-141 line) from its base
    amount (BT-93/BT-100, BT-137/BT-142) × percentage (BT-94/BT-101, BT-138/BT-143) ÷ 100.

    The base amount defaults to ``default_base``; the amount and base used are filled in.
    """
    if entry.percentage is None:
        if entry.amount is None:
            raise CalculationError(
                "PU-CALC-ALLOWANCE-AMOUNT",
                f"{path}.percentage",
                "an allowance or charge needs an amount or a percentage",
            )
        if entry.base_amount is not None:
            raise CalculationError(
                "PU-CALC-ALLOWANCE-BASE",
                f"{path}.percentage",
                "a base amount needs a percentage (PEPPOL-EN16931-R042)",
            )
        return entry
    base = default_base if entry.base_amount is None else entry.base_amount
    exact = percentage_of(base, entry.percentage)
    computed = round_half_away(exact)
    if entry.amount is not None:
        if abs(entry.amount - exact) > R040_SLACK_CENTS:
            raise CalculationError(
                "PU-CALC-ALLOWANCE-MISMATCH",
                f"{path}.amount",
                f"amount {entry.amount} cents differs "
                f"from base {base} × {entry.percentage} % = {computed} cents "
                "by more than 2 cents (PEPPOL-EN16931-R040)",
            )
        computed = entry.amount
    return entry.model_copy(update={"amount": computed, "base_amount": base})


def _amounts(entries: Sequence[_AC] | None, default_base: int, path: str) -> list[_AC] | None:
    if entries is None:
        return None
    return [
        allowance_charge_amount(entry, default_base, f"{path}[{index}]")
        for index, entry in enumerate(entries)
    ]


def _sum(entries: Sequence[AllowanceCharge] | None) -> int:
    return sum(entry.amount or 0 for entry in entries or [])


def line_net_amount(item: Item, path: str) -> Item:
    """Invoice line net amount BT-131 = round(price BT-146 × quantity BT-129 ÷ base quantity
    BT-149) − Σ line allowances BT-136 + Σ line charges BT-141; the price is the exact
    ``price_amount`` when given, else ``price``.

    Percentage allowances and charges default their base to the line's gross amount
    round(price × quantity ÷ base quantity). Returns the line with BT-131 and the
    allowance/charge amounts filled in.
    """
    base_quantity = Decimal(1) if item.base_quantity is None else item.base_quantity
    if base_quantity <= 0:
        raise CalculationError(
            "PU-CALC-BASE-QUANTITY",
            f"{path}.base_quantity",
            "the price base quantity must be above 0 (PEPPOL-EN16931-R121)",
        )
    price = item.price if item.price_amount is None else item.price_amount.scaleb(2)
    gross = round_half_away(line_gross(price, item.quantity, base_quantity))
    allowances = _amounts(item.allowances, gross, f"{path}.allowances")
    charges = _amounts(item.charges, gross, f"{path}.charges")
    return item.model_copy(
        update={
            "line_extension_amount": gross - _sum(allowances) + _sum(charges),
            "allowances": allowances,
            "charges": charges,
        }
    )


def line_amounts(invoice: Invoice) -> Invoice:
    """Every line's net amount BT-131 and line allowance/charge amounts BT-136/BT-141."""
    return invoice.model_copy(
        update={
            "items": [line_net_amount(item, f"items[{index}]") for index, item in enumerate(invoice.items)]
        }
    )


def _line_total(invoice: Invoice) -> int:
    return sum(item.line_extension_amount or 0 for item in invoice.items)


def document_allowance_charge_amounts(invoice: Invoice) -> Invoice:
    """Document level allowance amounts BT-92 and charge amounts BT-99; percentage bases
    (BT-93/BT-100) default to the sum of line net amounts BT-106. Needs line amounts."""
    line_total = _line_total(invoice)
    return invoice.model_copy(
        update={
            "allowances": _amounts(invoice.allowances, line_total, "allowances"),
            "charges": _amounts(invoice.charges, line_total, "charges"),
        }
    )


def _with_vat(entry: _VatEntry, key: VatKey) -> _VatEntry:
    return entry.model_copy(update={"tax_category": key[0], "tax_rate": key[1]})


def vat_categories(invoice: Invoice) -> Invoice:
    """VAT category and rate of every line (BT-151/BT-152) and document allowance/charge
    (BT-95/BT-96, BT-102/BT-103), resolved with this module's defaults in the document's
    tax scheme and filled in."""
    scheme = invoice.tax_scheme
    keys = [
        vat_key(item.tax_category, item.tax_rate, f"items[{index}]", scheme=scheme)
        for index, item in enumerate(invoice.items)
    ]
    items = [_with_vat(item, key) for item, key in zip(invoice.items, keys, strict=True)]
    line_keys = set(keys)

    def resolve(
        entries: Sequence[DocumentAllowanceCharge] | None, field: str
    ) -> list[DocumentAllowanceCharge] | None:
        if entries is None:
            return None
        resolved: list[DocumentAllowanceCharge] = []
        for index, entry in enumerate(entries):
            if entry.tax_category is None and entry.tax_rate is None and len(line_keys) == 1:
                key = next(iter(line_keys))
            else:
                key = vat_key(entry.tax_category, entry.tax_rate, f"{field}[{index}]", scheme=scheme)
            resolved.append(_with_vat(entry, key))
        return resolved

    return invoice.model_copy(
        update={
            "items": items,
            "allowances": resolve(invoice.allowances, "allowances"),
            "charges": resolve(invoice.charges, "charges"),
        }
    )


@dataclass
class _Group:
    """One VAT group being summed, with where its exemption reason came from."""

    key: VatKey
    category: VatCategory
    first_path: str
    taxable: int = 0
    code: str | None = None
    code_path: str = ""
    reason: str | None = None
    reason_path: str = ""

    def carry(
        self, code: str | None, reason: str | None, path: str, code_field: str, reason_field: str
    ) -> None:
        """Take the exemption code/reason of one member, refusing a second, different one."""
        if code is not None:
            if self.code is not None and code != self.code:
                raise CalculationError(
                    "PU-CALC-EXEMPTION-CONFLICT",
                    f"{path}.{code_field}",
                    f"exemption reason code {code!r} "
                    f"differs from {self.code!r} ({self.code_path}) in the "
                    "same VAT group",
                )
            self.code, self.code_path = code, self.code_path or f"{path}.{code_field}"
        if reason is not None:
            if self.reason is not None and reason != self.reason:
                raise CalculationError(
                    "PU-CALC-EXEMPTION-CONFLICT",
                    f"{path}.{reason_field}",
                    f"exemption reason differs from the one at {self.reason_path} in the same VAT group",
                )
            self.reason, self.reason_path = reason, self.reason_path or f"{path}.{reason_field}"

    def breakdown(self) -> TaxBreakdown:
        """The group's BG-23: BT-116 … BT-121 with VAT = round(taxable × rate ÷ 100)."""
        category, rate = self.key
        rules = self.category
        exempted = self.code is not None or self.reason is not None
        if rules.exemption == "required" and not exempted:
            raise CalculationError(
                "PU-CALC-EXEMPTION-MISSING",
                f"{self.first_path}.tax_exemption_reason",
                f"VAT category {category} needs an exemption reason or reason code ({rules.exemption_rule})",
            )
        if rules.exemption == "forbidden" and exempted:
            raise CalculationError(
                "PU-CALC-EXEMPTION-FORBIDDEN",
                self.code_path or self.reason_path,
                f"VAT category {category} must not have an exemption reason ({rules.exemption_rule})",
            )
        tax = vat_amount(self.taxable, rate)
        return TaxBreakdown(
            category_code=category,
            rate=rate,
            taxable_amount=self.taxable,
            tax_amount=tax,
            exemption_reason=self.reason,
            exemption_reason_code=self.code,
        )


def _kept(invoice: Invoice) -> list[TaxBreakdown]:
    """The given VAT breakdown groups of another tax scheme than the document's, which
    are not a rate of the lines: kept as given, with their amounts."""
    kept = []
    for index, given in enumerate(invoice.tax_breakdown or []):
        if given.tax_scheme in (None, invoice.tax_scheme):
            continue
        for field in ("taxable_amount", "tax_amount"):
            if getattr(given, field) is None:
                raise CalculationError(
                    "PU-CALC-TAX-GROUP-AMOUNT",
                    f"tax_breakdown[{index}].{field}",
                    f"a group of the tax scheme {given.tax_scheme} is not computed from the lines "
                    f"(they are in {invoice.tax_scheme}); give its amounts",
                )
        kept.append(given)
    return kept


def vat_breakdown(invoice: Invoice) -> list[TaxBreakdown]:
    """VAT breakdown BG-23, one group per (category BT-118, rate BT-119) in order of first
    appearance: taxable amount BT-116 = Σ line net amounts BT-131 + document charges BT-99
    − document allowances BT-92 of the group; VAT BT-117 = round(BT-116 × BT-119 ÷ 100),
    0 for category O; then the given groups of other tax schemes, as given. Needs
    computed amounts and resolved VAT categories."""
    scheme = invoice.tax_scheme
    table = categories(scheme)
    groups: dict[VatKey, _Group] = {}
    members: list[tuple[str, int, Item | DocumentAllowanceCharge]] = [
        (f"items[{index}]", item.line_extension_amount or 0, item) for index, item in enumerate(invoice.items)
    ]
    members += [
        (f"allowances[{index}]", -(entry.amount or 0), entry)
        for index, entry in enumerate(invoice.allowances or [])
    ]
    members += [
        (f"charges[{index}]", entry.amount or 0, entry) for index, entry in enumerate(invoice.charges or [])
    ]
    for path, amount, entry in members:
        key = vat_key(entry.tax_category, entry.tax_rate, path, scheme=scheme)
        group = groups.setdefault(key, _Group(key, table[key[0]], path))
        group.taxable += amount
        group.carry(
            entry.tax_exemption_reason_code,
            entry.tax_exemption_reason,
            path,
            "tax_exemption_reason_code",
            "tax_exemption_reason",
        )
    for index, given in enumerate(invoice.tax_breakdown or []):
        if given.tax_scheme not in (None, scheme) or (
                given.exemption_reason is None and given.exemption_reason_code is None):
            continue
        path = f"tax_breakdown[{index}]"
        key = vat_key(given.category_code, given.rate, path, ("category_code", "rate"), scheme)
        if key in groups:
            groups[key].carry(
                given.exemption_reason_code,
                given.exemption_reason,
                path,
                "exemption_reason_code",
                "exemption_reason",
            )
    return [group.breakdown() for group in groups.values()] + _kept(invoice)


def document_totals(invoice: Invoice) -> Totals:
    """Document totals BG-22: BT-106 = Σ BT-131, BT-107 = Σ BT-92, BT-108 = Σ BT-99,
    BT-109 = BT-106 − BT-107 + BT-108, BT-110 = Σ BT-117, BT-112 = BT-109 + BT-110,
    BT-115 = BT-112 − BT-113 + BT-114. BT-113, BT-114 and BT-111 are inputs. Needs the
    computed amounts and VAT breakdown."""
    given = invoice.totals or Totals()
    line_total = _line_total(invoice)
    allowance_total = _sum(invoice.allowances) if invoice.allowances else None
    charge_total = _sum(invoice.charges) if invoice.charges else None
    tax_exclusive = tax_exclusive_amount(line_total, allowance_total or 0, charge_total or 0)
    tax_amount = sum(group.tax_amount or 0 for group in invoice.tax_breakdown or [])
    tax_inclusive = tax_inclusive_amount(tax_exclusive, tax_amount)
    rounding = invoice.rounding_amount
    header = invoice.header
    in_vat_currency = given.tax_amount_in_vat_currency
    if header.vat_currency and header.vat_currency != header.currency:
        if in_vat_currency is None:
            raise CalculationError(
                "PU-CALC-VAT-CURRENCY-TOTAL",
                "totals.tax_amount_in_vat_currency",
                "the VAT total in the "
                f"VAT accounting currency {header.vat_currency} (BT-111) "
                "cannot be computed without an exchange rate; give it",
            )
        if in_vat_currency * tax_amount < 0:
            raise CalculationError(
                "PU-CALC-VAT-CURRENCY-SIGN",
                "totals.tax_amount_in_vat_currency",
                "BT-111 must have the "
                f"sign of the VAT total BT-110 ({tax_amount} cents) "
                "(PEPPOL-EN16931-R055)",
            )
    return Totals(
        line_extension_amount=line_total,
        allowance_total_amount=allowance_total,
        charge_total_amount=charge_total,
        tax_exclusive_amount=tax_exclusive,
        tax_amount=tax_amount,
        tax_amount_in_vat_currency=in_vat_currency,
        tax_exclusive_amount_in_vat_currency=given.tax_exclusive_amount_in_vat_currency,
        tax_inclusive_amount_in_vat_currency=given.tax_inclusive_amount_in_vat_currency,
        tax_inclusive_amount=tax_inclusive,
        paid_amount=given.paid_amount,
        payable_rounding_amount=rounding,
        payable_amount=payable_amount(tax_inclusive, given.paid_amount or 0, rounding or 0),
    )


def calculate(invoice: Invoice) -> Invoice:
    """Compute line net amounts, allowance/charge amounts, the VAT breakdown BG-23 and the
    document totals BT-106 … BT-115 of ``invoice``; returns a new model, in five steps:
    line amounts, document allowance/charge amounts, VAT categories, VAT breakdown,
    totals."""
    computed = vat_categories(document_allowance_charge_amounts(line_amounts(invoice)))
    computed = computed.model_copy(update={"tax_breakdown": vat_breakdown(computed)})
    return computed.model_copy(update={"totals": document_totals(computed)})
