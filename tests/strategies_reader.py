"""Hypothesis strategies for the reader's round trip: the shared valid invoices
(:func:`peppol_ubl.testing.strategies.invoices`) with the contract shapes the reader must
normalise or that only the reader's model extensions have.

``reader_invoices()`` adds, at random: the legacy single-payment fields, several bank
accounts in one payment means, a header rounding amount, a sales order without purchase
order, a due date (on a credit note in its payment means), despatch/receipt advice and invoiced object references (BT-15, BT-16, BT-18), a
tax representative (BG-11), a payee, seller trading names and tax registrations, and on
lines exact sub-cent prices, price discounts and gross prices (BT-146 … BT-148), line
object identifiers (BT-128), periods, classifications, attributes and padded texts; and
PINT's: the document in GST (when its categories are GST ones too), a breakdown group of
another tax scheme (AAL), account identifiers that are not IBANs, a UUID, an issue time
and totals in the VAT currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from peppol_ubl.arithmetic import GST_CATEGORIES
from peppol_ubl.model import Invoice
from peppol_ubl.money import cents_from_decimal
from peppol_ubl.testing.strategies import invoices

__all__ = ["reader_invoices"]

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789éß€&<>'\"", min_size=1,
                max_size=12)
_padded = st.builds(lambda left, word, right: f"{left}{word}{right}",
                    st.sampled_from(("", " ", "\n  ")), _word, st.sampled_from(("", " ", "\t\n")))
_identifier = st.fixed_dictionaries({"value": _word},
                                    optional={"scheme": st.sampled_from(("AAA", "0088", "ABZ"))})
_unit_price = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("9999"), places=4)


def _maybe(draw: st.DrawFn, data: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        data[key] = draw(strategy)


@st.composite
def _line(draw: st.DrawFn, item: dict[str, Any]) -> dict[str, Any]:
    if draw(st.booleans()):
        exact = draw(_unit_price)
        item["price_amount"] = exact
        item["price"] = cents_from_decimal(exact)
    if draw(st.booleans()):
        item["price_discount_amount"] = draw(_unit_price)
        _maybe(draw, item, "gross_price_amount", _unit_price)
    _maybe(draw, item, "invoiced_object", _identifier)
    _maybe(draw, item, "note", _padded)
    _maybe(draw, item, "period", st.fixed_dictionaries(
        {"start_date": st.dates().map(str)}, optional={"description": _word}))
    _maybe(draw, item, "classifications", st.lists(st.fixed_dictionaries(
        {"value": _word}, optional={"list_id": st.just("STI"), "list_version": st.just("2")}),
        max_size=2))
    _maybe(draw, item, "attributes", st.lists(st.fixed_dictionaries(
        {"name": _padded}, optional={"value": _word}), max_size=2))
    return item


@st.composite
def reader_invoices(draw: st.DrawFn) -> Invoice:
    """A valid invoice with the shapes and extensions listed in the module docstring."""
    data = draw(invoices(max_lines=3)).model_dump(exclude_none=True)
    data["items"] = [draw(_line(item)) for item in data["items"]]
    refs = data.setdefault("references", {})
    _maybe(draw, refs, "despatch_advice", _word)
    _maybe(draw, refs, "receipt_advice", _word)
    _maybe(draw, refs, "invoiced_object", _identifier)
    _maybe(draw, refs, "sales_order", _word)
    _maybe(draw, data, "tax_representative", st.fixed_dictionaries(
        {"name": _padded, "address": st.fixed_dictionaries({"country": st.just("BE")})},
        optional={"vat_number": st.just("BE0412345614")}))
    _maybe(draw, data, "payee", st.fixed_dictionaries(
        {"name": _word}, optional={"identifiers": st.lists(_identifier, max_size=1)}))
    _maybe(draw, data["seller"], "trading_name", _padded)
    seller = data["seller"]
    if "legal_name" in seller and "trading_name" in seller:  # a party has two names in UBL, no third
        seller["name"] = seller["legal_name"]
    _maybe(draw, data["seller"], "tax_registration_id", st.fixed_dictionaries(
        {"value": _word}, optional={"scheme": st.just("FC")}))
    _maybe(draw, data["header"], "rounding_amount", st.integers(-49, 49))
    _maybe(draw, data["header"], "due_date", st.dates().map(str))
    payment = data.setdefault("payment", {})
    if draw(st.booleans()):
        payment.update(means_code="30", payment_id=draw(_word),
                       bank_account={"iban": "BE68539007547034", "bic": "GKCCBEBB"})
    if draw(st.booleans()):
        payment["payments"] = [{"means_code": "58", "bank_accounts": [
            {"iban": "BE68539007547034"}, {"iban": "NL91ABNA0417164300", "account_name": "x"}]}]
    _pint(draw, data)
    return Invoice.model_validate(data)


def _pint(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """PINT's additions to the contract, at random."""
    header, totals = data["header"], data.setdefault("totals", {})
    categories = {entry.get("tax_category") for key in ("items", "allowances", "charges")
                  for entry in data.get(key) or []}
    if categories <= set(GST_CATEGORIES) and draw(st.booleans()):
        header["tax_scheme"] = "GST"
    _maybe(draw, header, "uuid", st.uuids().map(str))
    _maybe(draw, header, "issue_time", st.sampled_from(("09:30:00", "17:38:00+04:00", "23:59:59.5Z")))
    for field in ("tax_exclusive_amount_in_vat_currency", "tax_inclusive_amount_in_vat_currency"):
        _maybe(draw, totals, field, st.integers(0, 10**9))
    if draw(st.booleans()):
        data.setdefault("tax_breakdown", []).append(
            {"tax_scheme": "AAL", "category_code": "TTX", "taxable_amount": 20000, "tax_amount": 2000})
    if draw(st.booleans()):
        data["payment"].setdefault("payments", []).append({"means_code": "30", "bank_accounts": [
            {"account_id": draw(st.sampled_from(("12345678", "https://pay.example.com.au/x", "UEN201912345R")))}]})
