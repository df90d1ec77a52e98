"""Hypothesis strategies for invoice contract models.

``invoices()`` draws :class:`~peppol_ubl.model.Invoice` models with ``calculate_totals``
set, built to satisfy the official CEN EN 16931 and Peppol BIS 3.0 rules once
calculated: valid participant identifiers (GLN 0088 and Belgian 0208 check digits),
VAT identifiers prefixed with the party's country, code-list values (UNCL 4461, 5189,
7161, UN/ECE Rec 20, VATEX, MIME), exemption reasons where a category needs one, and a
VAT scenario per document that the rules allow together:

* ``domestic``: lines in S (several rates), Z and E;
* ``AE`` reverse charge, ``K`` intra-community supply (with delivery data),
  ``G`` export (buyer outside the EU), ``O`` not subject to VAT (no VAT identifiers).

Countries with national Peppol rules (DE, DK, GR, IS, IT, NL, NO, SE) are avoided as
seller or buyer so that every generated document is valid under the base rules.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum import ean

from ..calculation import calculate
from ..model import Invoice

__all__ = ["BREAKABLE_RULES", "SCENARIOS", "invalid_invoices", "invoices"]

SCENARIOS = ("domestic", "AE", "K", "G", "O")

_EU = ("BE", "FR", "AT", "FI", "ES", "PT", "LU", "IE")
_NON_EU = ("US", "CH", "JP", "CA", "AU")
_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "SEK")
_UNITS = ("C62", "HUR", "KGM", "MTR", "DAY", "EA", "LTR")
_RATES = (Decimal("21"), Decimal("6"), Decimal("12"), Decimal("5.5"), Decimal("25"), Decimal("20"))
_ALLOWANCE_CODES = ("95", "100", "41", "42", "60", "64", "65", "66", "104", "105")
_CHARGE_CODES = ("FC", "ABK", "AAA", "ABL", "ADC", "ACF", "AAS")
_EXEMPTION = {
    "E": ("VATEX-EU-132-1I", "Exempt based on article 132 of Council Directive 2006/112/EC"),
    "AE": ("VATEX-EU-AE", "Reverse charge"),
    "K": ("VATEX-EU-IC", "Intra-community supply"),
    "G": ("VATEX-EU-G", "Export outside the EU"),
    "O": ("VATEX-EU-O", "Not subject to VAT"),
}
_FIRST_DAY, _LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
_MIME = ("application/pdf", "image/png", "image/jpeg", "text/csv")

_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N"), include_characters=" -&'.,/"),
    min_size=1, max_size=40,
).map(str.strip).filter(bool)
_code_text = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-", min_size=1, max_size=20)


@st.composite
def _gln(draw: st.DrawFn) -> dict[str, str]:
    body = draw(st.text(alphabet="0123456789", min_size=12, max_size=12))
    return {"scheme": "0088", "value": body + ean.calc_check_digit(body)}


@st.composite
def _be_enterprise(draw: st.DrawFn) -> str:
    first = draw(st.integers(min_value=2_000_000, max_value=19_999_999))
    return f"{first:08d}{97 - first % 97:02d}"


@st.composite
def _address(draw: st.DrawFn, country: str) -> dict[str, Any]:
    address: dict[str, Any] = {"country": country}
    for key, strategy in (("street", _text), ("additional_line", _text), ("city", _text),
                          ("postal_code", st.from_regex(r"\A[0-9]{4,5}\Z")),
                          ("subdivision", _text)):
        if draw(st.booleans()):
            address[key] = draw(strategy)
    return address


@st.composite
def _party(draw: st.DrawFn, country: str, vat: bool, seller: bool) -> dict[str, Any]:
    party: dict[str, Any] = {"name": draw(_text)}
    if country == "BE" and draw(st.booleans()):
        number = draw(_be_enterprise())
        party["endpoint_id"] = {"scheme": "0208", "value": number}
        party["company_id"] = {"scheme": "0208", "value": number}
    else:
        party["endpoint_id"] = draw(_gln())
    if draw(st.booleans()):
        party["legal_name"] = draw(_text)
    if draw(st.booleans()):
        party["trading_name"] = draw(_text)
    if "legal_name" in party and "trading_name" in party:  # UBL has two names of a party, no third
        party["name"] = draw(st.sampled_from((party["legal_name"], party["trading_name"])))
    if vat:
        prefix = "EL" if country == "GR" else country
        party["vat_number"] = prefix + draw(st.from_regex(r"\A[0-9]{9,10}\Z"))
    elif seller and "company_id" not in party:
        party["company_id"] = {"value": draw(_code_text)}  # BR-CO-26 needs one of them
    party["address"] = draw(_address(country))
    if draw(st.booleans()):
        party["contact"] = {"name": draw(_text), "email": "billing@example.com"}
    if seller and draw(st.booleans()):
        party["legal_information"] = draw(_text)
    return party


def _money(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=low, max_value=high)


_quantity = st.decimals(min_value=Decimal("-50"), max_value=Decimal("500"), places=3,
                        allow_nan=False, allow_infinity=False).filter(lambda q: q != 0)
_base_quantity = st.sampled_from((Decimal("1"), Decimal("10"), Decimal("100"), Decimal("0.5"),
                                  Decimal("12")))
_percentage = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("50"), places=2,
                          allow_nan=False, allow_infinity=False)


@st.composite
def _allowance_charge(draw: st.DrawFn, charge: bool, tax: dict[str, Any] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    codes = _CHARGE_CODES if charge else _ALLOWANCE_CODES
    if draw(st.booleans()):
        entry["reason_code"] = draw(st.sampled_from(codes))
    if "reason_code" not in entry or draw(st.booleans()):
        entry["reason"] = draw(_text)
    if draw(st.booleans()):
        entry["percentage"] = draw(_percentage)
        if draw(st.booleans()):
            entry["base_amount"] = draw(_money(0, 200_000))
    else:
        entry["amount"] = draw(_money(0, 20_000))
    if tax is not None:
        entry.update(tax)
    return entry


def _line_tax(category: str, rate: Decimal | None) -> dict[str, Any]:
    tax: dict[str, Any] = {"tax_category": category}
    if category != "O":
        tax["tax_rate"] = rate if category == "S" else Decimal(0)
    if category in _EXEMPTION:
        tax["tax_exemption_reason_code"], tax["tax_exemption_reason"] = _EXEMPTION[category]
    return tax


@st.composite
def _item(draw: st.DrawFn, categories: Sequence[tuple[str, Decimal | None]], index: int) -> dict[str, Any]:
    category, rate = draw(st.sampled_from(categories))
    item: dict[str, Any] = {
        "name": draw(_text),
        "price": draw(_money(0, 1_000_000)),
        "quantity": draw(_quantity),
        "unit_code": draw(st.sampled_from(_UNITS)),
        **_line_tax(category, rate),
    }
    if draw(st.booleans()):
        item["id"] = f"L{index + 1}"
    if draw(st.booleans()):
        item["base_quantity"] = draw(_base_quantity)
    for key, strategy in (("description", _text), ("note", _text),
                          ("order_line_reference", _code_text), ("accounting_cost", _code_text),
                          ("origin_country", st.sampled_from(_EU + _NON_EU))):
        if draw(st.integers(0, 3)) == 0:
            item[key] = draw(strategy)
    if draw(st.integers(0, 3)) == 0:
        item["identifiers"] = {"sellers_item_id": draw(_code_text),
                               "standard": {"scheme": "0160", **_gtin(draw)}}
    if draw(st.integers(0, 3)) == 0:
        item["classifications"] = [{"list_id": "STI", "value": draw(st.from_regex(r"\A[0-9]{8}\Z"))}]
    if draw(st.integers(0, 3)) == 0:
        item["attributes"] = [{"name": draw(_text), "value": draw(_text)}]
    if draw(st.integers(0, 3)) == 0:
        item["allowances"] = draw(st.lists(_allowance_charge(False, None), min_size=1, max_size=2))
    if draw(st.integers(0, 4)) == 0:
        item["charges"] = [draw(_allowance_charge(True, None))]
    return item


def _gtin(draw: st.DrawFn) -> dict[str, str]:
    body = draw(st.text(alphabet="0123456789", min_size=12, max_size=12))
    return {"value": body + ean.calc_check_digit(body)}


@st.composite
def _payment(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(("transfer", "sepa", "card", "debit")))
    means: dict[str, Any]
    if kind in ("transfer", "sepa"):
        accounts: list[dict[str, str]] = draw(st.lists(
            st.builds(dict, iban=st.from_regex(r"\ABE[0-9]{14}\Z")), min_size=1, max_size=2))
        means = {"means_code": "30" if kind == "transfer" else "58", "bank_accounts": accounts}
    elif kind == "card":
        means = {"means_code": "48", "card": {"pan": draw(st.from_regex(r"\A[0-9]{4}\Z")),
                                               "network": "VISA"}}
    else:
        means = {"means_code": "59", "direct_debit": {"mandate_id": draw(_code_text),
                                                      "debited_account": "BE71096123456769"}}
    if draw(st.booleans()):
        means["payment_id"] = draw(_code_text)
    return {"terms": draw(_text), "payments": [means]}


def _scenario_parties(draw: st.DrawFn, scenario: str) -> tuple[dict[str, Any], dict[str, Any]]:
    seller_country = draw(st.sampled_from(_EU))
    if scenario == "K":
        buyer_country = draw(st.sampled_from([c for c in _EU if c != seller_country]))
    elif scenario == "G":
        buyer_country = draw(st.sampled_from(_NON_EU))
    else:
        buyer_country = draw(st.sampled_from(_EU))
    seller = draw(_party(seller_country, vat=scenario != "O", seller=True))
    buyer_vat = scenario in ("AE", "K") or (scenario == "domestic" and draw(st.booleans()))
    buyer = draw(_party(buyer_country, vat=buyer_vat, seller=False))
    return seller, buyer


def _categories(draw: st.DrawFn, scenario: str) -> list[tuple[str, Decimal | None]]:
    if scenario == "domestic":
        rates = draw(st.lists(st.sampled_from(_RATES), min_size=1, max_size=3, unique=True))
        found: list[tuple[str, Decimal | None]] = [("S", r) for r in rates]
        if draw(st.booleans()):
            found.append(("Z", Decimal(0)))
        if draw(st.booleans()):
            found.append(("E", Decimal(0)))
        return found
    return [(scenario, None)]


@st.composite
def invoices(
    draw: st.DrawFn,
    *,
    scenarios: Sequence[str] = SCENARIOS,
    credit_notes: bool | None = None,
    currencies: Sequence[str] = _CURRENCIES,
    max_lines: int = 5,
    allowances_charges: bool = True,
    attachments: bool = True,
) -> Invoice:
    """Draw a valid invoice contract model (``calculate_totals`` is true).

    ``credit_notes``: None for both kinds, True only credit notes (type 381), False none.
    ``scenarios``: the VAT scenarios to draw from (see the module docstring).
    """
    scenario = draw(st.sampled_from(scenarios))
    credit = draw(st.booleans()) if credit_notes is None else credit_notes
    seller, buyer = _scenario_parties(draw, scenario)
    categories = _categories(draw, scenario)
    header: dict[str, Any] = {
        "invoice_number": draw(_code_text),
        "issue_date": draw(st.dates(_FIRST_DAY, _LAST_DAY)).isoformat(),
        "invoice_type_code": "381" if credit else draw(st.sampled_from(("380", "380", "383", "386"))),
        "currency": draw(st.sampled_from(currencies)),
        "buyer_reference": draw(_code_text),
    }
    if draw(st.booleans()):
        header["notes"] = [draw(_text)]
    data: dict[str, Any] = {
        "calculate_totals": True,
        "header": header,
        "seller": seller,
        "buyer": buyer,
        "items": [draw(_item(categories, i)) for i in range(draw(st.integers(1, max_lines)))],
        "payment": draw(_payment()),
    }
    if credit:
        data["references"] = {"preceding_invoices": [{"number": draw(_code_text)}]}
    if scenario == "K":
        data["delivery"] = {"date": header["issue_date"],
                            "address": {"country": buyer["address"]["country"]}}
    if allowances_charges and draw(st.integers(0, 2)) == 0:
        tax = _line_tax(*draw(st.sampled_from(categories)))
        data["allowances"] = [draw(_allowance_charge(False, tax))]
    if allowances_charges and draw(st.integers(0, 2)) == 0:
        tax = _line_tax(*draw(st.sampled_from(categories)))
        data["charges"] = [draw(_allowance_charge(True, tax))]
    if attachments and draw(st.integers(0, 3)) == 0:
        payload = draw(st.binary(min_size=1, max_size=64))
        data["attachments"] = [{"id": draw(_code_text), "filename": "document.bin",
                                "mime_type": draw(st.sampled_from(_MIME)),
                                "data": base64.b64encode(payload).decode()}]
    return Invoice.model_validate(data)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation setting ``path`` (dotted, with list indexes as numbers) to ``value``."""
    *parents, leaf = path.split(".")

    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        if value is _DELETE:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return mutate


def _bad_gln(data: dict[str, Any]) -> None:
    good = data["seller"]["endpoint_id"]["value"] if data["seller"]["endpoint_id"]["scheme"] == "0088" \
        else "5400000000003"
    data["seller"]["endpoint_id"] = {"scheme": "0088", "value": good[:-1] + str((int(good[-1]) + 1) % 10)}


def _no_seller_name(data: dict[str, Any]) -> None:
    for key in ("name", "legal_name"):
        data["seller"].pop(key, None)


def _no_buyer_reference(data: dict[str, Any]) -> None:
    data["header"].pop("buyer_reference", None)
    data.get("references", {}).pop("purchase_order", None)


def _off_total(field: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data["totals"][field] += 3  # beyond every official tolerance
    return mutate


_DELETE = object()
_BREAKERS: dict[str, tuple[bool, Callable[[dict[str, Any]], None]]] = {
    # rule id -> (mutate the calculated invoice?, mutation)
    "BR-06": (False, _no_seller_name),
    "BR-08": (False, _set("seller.address", _DELETE)),
    "BR-27": (False, _set("items.0.price", -100)),
    "BR-CL-04": (False, _set("header.currency", "ABC")),
    "BR-CL-14": (False, _set("buyer.address.country", "XX")),
    "BR-CL-23": (False, _set("items.0.unit_code", "NOPE")),
    "BR-CO-09": (False, _set("seller.vat_number", "XX123456789")),
    "BR-CO-10": (True, _off_total("line_extension_amount")),
    "BR-CO-15": (True, _off_total("tax_inclusive_amount")),
    "BR-CO-16": (True, _off_total("payable_amount")),
    "PEPPOL-COMMON-R040": (False, _bad_gln),
    "PEPPOL-EN16931-R003": (False, _no_buyer_reference),
    "PEPPOL-EN16931-R007": (False, _set("header.business_process", "urn:example:process")),
    "PEPPOL-EN16931-R010": (False, _set("buyer.endpoint_id", _DELETE)),
    "PEPPOL-EN16931-R020": (False, _set("seller.endpoint_id", _DELETE)),
}
BREAKABLE_RULES = tuple(sorted(_BREAKERS))
"""The official rule ids :func:`invalid_invoices` knows how to break."""


def _broken(invoice: Invoice, rule: str) -> Invoice:
    calculated, mutate = _BREAKERS[rule]
    source = calculate(invoice) if calculated else invoice
    data = source.model_dump(exclude_none=True)
    if calculated:
        data["calculate_totals"] = False
    mutate(data)
    return Invoice.model_validate(data)


def invalid_invoices(rule: str, **options: Any) -> st.SearchStrategy[Invoice]:
    """Draw invoices (as :func:`invoices`, same ``options``) that break exactly the
    official rule ``rule`` (one of :data:`BREAKABLE_RULES`) on top of being otherwise
    valid; other rules that follow from the same defect may fail too."""
    if rule not in _BREAKERS:
        raise ValueError(f"cannot break {rule!r}; known rules: {', '.join(BREAKABLE_RULES)}")
    return invoices(**options).map(lambda invoice: _broken(invoice, rule))
