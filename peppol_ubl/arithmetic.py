"""The one arithmetic core: VAT categories, the EN 16931 formulas and their tolerances.

Used by :func:`peppol_ubl.calculate` to fill amounts in and by the totals layer
(:mod:`peppol_ubl.validation.totals`) to check them, so a rule changes in one place.
Amounts are integer cents; quantities, rates and percentages exact ``Decimal``\\s; the
only rounding is :func:`peppol_ubl.money.round_half_away` (half away from zero).

VAT categories (UNCL 5305, EN 16931 BR-x rules) — :data:`CATEGORIES`, the table of the
tax scheme ``VAT``:

=====  =========  =====================  ===========  ============================
code   rules      rate (BT-119)          exemption    groups (BG-23) by
=====  =========  =====================  ===========  ============================
S      BR-S       above 0 (BR-S-05)      forbidden    category and rate
L      BR-AF      required               forbidden    category and rate
M      BR-AG      required               forbidden    category and rate
Z      BR-Z       0                      forbidden    category
E      BR-E       0                      required     category
AE     BR-AE      0                      required     category
K      BR-IC      0                      required     category
G      BR-G       0                      required     category
O      BR-O       none                   required     category
B      —          required               optional     category and rate
=====  =========  =====================  ===========  ============================

GST categories — :data:`GST_CATEGORIES`, the table of the tax scheme ``GST``: the codes
PINT A-NZ allows (``aligned-ibrp-cl-01-aunz``: S, Z, E, G, O; A-NZ BIS has the same codes
and rules) and those PINT SG allows (``BR-CL-17/18-GST-SG``), which do not overlap. A-NZ
asks no exemption reason for E, G and O (it has no ``-10`` rule for them); Singapore
asks a rate of every group but NG (``BR-48-GST-SG``) and checks it only as
taxable × rate (``BR-CO-17-GST-SG``):

=============================================  ======================  =========  ==========
code                                           rules                   rate       exemption
=============================================  ======================  =========  ==========
S (A-NZ)                                       aligned-ibrp-s-nn-aunz  above 0    forbidden
Z (A-NZ)                                       aligned-ibrp-z-nn-aunz  0          forbidden
E, G (A-NZ)                                    aligned-ibrp-e/g-…      0          optional
O (A-NZ)                                       aligned-ibrp-o-nn-aunz  none       optional
SR SRCA-S SRCA-C ZR ES33 ESN33 DS OS NA        —                       required   optional
SRRC SROVR-RS SROVR-LVG SRLVG (SG)             —                       required   optional
NG (SG, not GST-registered)                    BR-NG-nn-GST-SG         none       optional
=============================================  ======================  =========  ==========

:data:`TAX_SCHEMES` gives the table of each scheme. Other schemes (PINT MY's tourism
tax ``AAL``, charged per night) have no table: their groups are not a rate of the lines.

Formulas (BIS 3.0 "Calculation" chapter; BT numbers in each function): an allowance or
charge amount is base × percentage ÷ 100; a line net amount BT-131 is
round(price × quantity ÷ base quantity) − line allowances + line charges; BT-109 =
BT-106 − BT-107 + BT-108; BT-112 = BT-109 + BT-110; BT-115 = BT-112 − BT-113 + BT-114; a
group's VAT BT-117 = round(BT-116 × BT-119 ÷ 100). Quotients are exact to 100
significant digits before the one rounding, so no false half-cent tie appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext
from typing import Literal

from .money import round_half_away

__all__ = [
    "CATEGORIES",
    "GST_CATEGORIES",
    "HUNDRED",
    "R040_SLACK_CENTS",
    "TAX_SCHEMES",
    "UNDER_HALF_CENTS",
    "UNDER_ONE_CENTS",
    "VatCategory",
    "exact_ratio",
    "line_gross",
    "payable_amount",
    "percentage_of",
    "ratio_cents",
    "tax_exclusive_amount",
    "tax_inclusive_amount",
    "vat_amount",
]

HUNDRED = Decimal(100)
R040_SLACK_CENTS = 2
"""PEPPOL-EN16931-R040/R120 accept 0.02 either side of the unrounded value (inclusive)."""
UNDER_ONE_CENTS = 99
"""BR-S/AF/AG-08 and -09, BR-CO-17 with a rate: the difference must be below 1.00."""
UNDER_HALF_CENTS = 49
"""BR-CO-17 without a rate: round(BT-117) must be 0, so below 0.50."""

_EXACT = Context(prec=100, traps=[InvalidOperation, DivisionByZero, Overflow])


@dataclass(frozen=True, slots=True)
class VatCategory:
    """One VAT category code and the official rules about it."""

    code: str
    rules: str | None
    """The prefix of its BR-x rules (``BR-S``), ``None`` for B (it has none)."""
    rate: Literal["positive", "required", "zero", "none"]
    exemption: Literal["required", "forbidden", "optional"]
    suffix: str = ""
    """What the ids of its rules end with (``-aunz`` for PINT A-NZ's ``aligned-ibrp-s-05-aunz``)."""

    @property
    def by_rate(self) -> bool:
        """Whether its VAT breakdown has one group per rate (else one per category)."""
        return self.rate in ("positive", "required")

    @property
    def zero_tax(self) -> bool:
        """Whether its VAT amount is always 0."""
        return self.rate in ("zero", "none")

    @property
    def taxable_rule(self) -> str:
        """The rule on its taxable amount BT-116 (``BR-x-08``; ours for B)."""
        return f"{self.rules}-08{self.suffix}" if self.rules else "PU-TOTALS-VAT-TAXABLE"

    @property
    def tax_rule(self) -> str:
        """The rule on its VAT amount BT-117 (``BR-x-09``; BR-CO-17 for B)."""
        return f"{self.rules}-09{self.suffix}" if self.rules else "BR-CO-17"

    @property
    def exemption_rule(self) -> str | None:
        """The rule requiring or forbidding an exemption reason (``BR-x-10``)."""
        return f"{self.rules}-10{self.suffix}" if self.rules else None

    @property
    def positive_rule(self) -> str:
        """The rule asking a rate above 0 of a line (``BR-S-05``)."""
        return f"{self.rules}-05{self.suffix}"

    @property
    def taxable_tolerance(self) -> int:
        """How many cents BT-116 may differ from the sum of its members (S, L, M: < 1.00)."""
        return UNDER_ONE_CENTS if self.by_rate and self.rules else 0


CATEGORIES: dict[str, VatCategory] = {category.code: category for category in (
    VatCategory("S", "BR-S", "positive", "forbidden"),
    VatCategory("L", "BR-AF", "required", "forbidden"),
    VatCategory("M", "BR-AG", "required", "forbidden"),
    VatCategory("Z", "BR-Z", "zero", "forbidden"),
    VatCategory("E", "BR-E", "zero", "required"),
    VatCategory("AE", "BR-AE", "zero", "required"),
    VatCategory("K", "BR-IC", "zero", "required"),
    VatCategory("G", "BR-G", "zero", "required"),
    VatCategory("O", "BR-O", "none", "required"),
    VatCategory("B", None, "required", "optional"),
)}
"""Every VAT category code of UNCL 5305 that EN 16931 allows, by code: the tax scheme VAT."""

_SG_RATED = ("SR", "SRCA-S", "SRCA-C", "ZR", "ES33", "ESN33", "DS", "OS", "NA", "SRRC", "SROVR-RS",
             "SROVR-LVG", "SRLVG")

GST_CATEGORIES: dict[str, VatCategory] = {category.code: category for category in (
    VatCategory("S", "aligned-ibrp-s", "positive", "forbidden", "-aunz"),
    VatCategory("Z", "aligned-ibrp-z", "zero", "forbidden", "-aunz"),
    VatCategory("E", "aligned-ibrp-e", "zero", "optional", "-aunz"),
    VatCategory("G", "aligned-ibrp-g", "zero", "optional", "-aunz"),
    VatCategory("O", "aligned-ibrp-o", "none", "optional", "-aunz"),
    *(VatCategory(code, None, "required", "optional") for code in _SG_RATED),
    VatCategory("NG", "BR-NG", "none", "optional", "-GST-SG"),
)}
"""The GST category codes of PINT A-NZ (and A-NZ BIS) and PINT SG, by code: the tax scheme GST."""

TAX_SCHEMES: dict[str, dict[str, VatCategory]] = {"VAT": CATEGORIES, "GST": GST_CATEGORIES}
"""The category table of each tax scheme (``TaxScheme/ID``) calculate can compute."""


def exact_ratio(value: Decimal | int, factor: Decimal | int, divisor: Decimal | int) -> Decimal:
    """``value × factor ÷ divisor`` to 100 significant digits (raises on overflow or ÷ 0)."""
    with localcontext(_EXACT):
        return Decimal(value) * factor / divisor


def ratio_cents(value: Decimal | int, factor: Decimal | int, divisor: Decimal | int) -> int:
    """``value × factor ÷ divisor`` (in cents) rounded once, half away from zero."""
    return round_half_away(exact_ratio(value, factor, divisor))


def line_gross(price_cents: Decimal | int, quantity: Decimal, base_quantity: Decimal) -> Decimal:
    """A line's price × quantity ÷ base quantity (BT-146 × BT-129 ÷ BT-149), in cents,
    before rounding; the price may be exact to fractions of a cent."""
    return exact_ratio(price_cents, quantity, base_quantity)


def percentage_of(base_cents: int, percentage: Decimal) -> Decimal:
    """An allowance or charge amount BT-92/99/136/141 before rounding: base × percentage ÷ 100."""
    return exact_ratio(base_cents, percentage, HUNDRED)


def vat_amount(taxable_cents: int, rate: Decimal | None) -> int:
    """A VAT group's BT-117: round(BT-116 × BT-119 ÷ 100); 0 without a rate."""
    return 0 if rate is None else ratio_cents(taxable_cents, rate, HUNDRED)


def tax_exclusive_amount(line_total: int, allowances: int, charges: int) -> int:
    """BT-109 = BT-106 − BT-107 + BT-108."""
    return line_total - allowances + charges


def tax_inclusive_amount(tax_exclusive: int, tax: int) -> int:
    """BT-112 = BT-109 + BT-110."""
    return tax_exclusive + tax


def payable_amount(tax_inclusive: int, paid: int, rounding: int) -> int:
    """BT-115 = BT-112 − BT-113 + BT-114."""
    return tax_inclusive - paid + rounding
