"""EN 16931 business terms (BT-/BG- ids) and where the contract holds them.

``CONTRACT_PATHS`` maps each business term the contract carries to its path template
in the :class:`~peppol_ubl.model.Invoice` model; ``[*]`` stands for a list index.
It lets a finding that names a business term ("… the Item net price (BT-146)") be
pointed at the field that holds it (``items[2].price``).
"""

from __future__ import annotations

__all__ = ["CONTRACT_PATHS"]

_PARTY = {
    # seller BG-4, buyer BG-7: (seller BT, buyer BT, field)
    "legal_name": ("27", "44"), "trading_name": ("28", "45"), "identifiers": ("29", "46"),
    "company_id": ("30", "47"), "vat_number": ("31", "48"), "endpoint_id": ("34", "49"),
    "address.street": ("35", "50"), "address.additional_line": ("36", "51"),
    "address.city": ("37", "52"), "address.postal_code": ("38", "53"),
    "address.subdivision": ("39", "54"), "address.country": ("40", "55"),
    "address.third_line": ("162", "163"), "contact.name": ("41", "56"),
    "contact.phone": ("42", "57"), "contact.email": ("43", "58"),
    "address": ("BG-5", "BG-8"), "contact": ("BG-6", "BG-9"),
}
_ALLOWANCE_CHARGE = {
    # document allowance BG-20, document charge BG-21, line allowance BG-27, line charge BG-28
    "amount": ("92", "99", "136", "141"), "base_amount": ("93", "100", "137", "142"),
    "percentage": ("94", "101", "138", "143"), "reason": ("97", "104", "139", "144"),
    "reason_code": ("98", "105", "140", "145"),
}


def _term(code: str) -> str:
    return code if code.startswith("BG-") else f"BT-{code}"


def _build() -> dict[str, str]:
    paths = {
        "BT-1": "header.invoice_number", "BT-2": "header.issue_date",
        "BT-3": "header.invoice_type_code", "BT-5": "header.currency",
        "BT-6": "header.vat_currency", "BT-7": "header.tax_point_date",
        "BT-8": "header.invoice_period.description", "BT-9": "header.due_date",
        "BT-10": "header.buyer_reference", "BT-11": "header.project_reference",
        "BT-12": "header.contract_reference", "BT-13": "references.purchase_order",
        "BT-14": "references.sales_order", "BT-15": "references.receipt_advice",
        "BT-16": "references.despatch_advice", "BT-17": "header.tender_or_lot_reference",
        "BT-18": "references.invoiced_object", "BT-19": "header.accounting_cost",
        "BT-20": "payment.terms", "BT-22": "header.notes", "BT-23": "header.business_process",
        "BT-24": "header.specification", "BG-3": "references.preceding_invoices[*]",
        "BT-25": "references.preceding_invoices[*].number",
        "BT-26": "references.preceding_invoices[*].issue_date",
        "BT-33": "seller.legal_information", "BT-32": "seller.tax_registration_id",
        "BG-4": "seller", "BG-7": "buyer", "BT-44": "buyer.name",
        "BG-10": "payee", "BT-59": "payee.name", "BT-60": "payee.identifiers",
        "BT-61": "payee.company_id",
        "BG-11": "tax_representative", "BT-62": "tax_representative.name",
        "BT-63": "tax_representative.vat_number", "BG-12": "tax_representative.address",
        "BG-13": "delivery", "BT-70": "delivery.party_name", "BT-71": "delivery.location_id",
        "BT-72": "delivery.date", "BG-14": "header.invoice_period",
        "BT-73": "header.invoice_period.start_date", "BT-74": "header.invoice_period.end_date",
        "BG-15": "delivery.address", "BT-75": "delivery.address.street",
        "BT-76": "delivery.address.additional_line", "BT-77": "delivery.address.city",
        "BT-78": "delivery.address.postal_code", "BT-79": "delivery.address.subdivision",
        "BT-80": "delivery.address.country", "BT-165": "delivery.address.third_line",
        "BG-16": "payment.payments[*]", "BT-81": "payment.payments[*].means_code",
        "BT-82": "payment.payments[*].means_text", "BT-83": "payment.payments[*].payment_id",
        "BG-17": "payment.payments[*].bank_accounts[*]",
        "BT-84": "payment.payments[*].bank_accounts[*].iban",
        "BT-85": "payment.payments[*].bank_accounts[*].account_name",
        "BT-86": "payment.payments[*].bank_accounts[*].bic",
        "BG-18": "payment.payments[*].card", "BT-87": "payment.payments[*].card.pan",
        "BT-88": "payment.payments[*].card.holder_name",
        "BG-19": "payment.payments[*].direct_debit",
        "BT-89": "payment.payments[*].direct_debit.mandate_id", "BT-90": "seller.identifiers",
        "BT-91": "payment.payments[*].direct_debit.debited_account",
        "BG-20": "allowances[*]", "BT-95": "allowances[*].tax_category",
        "BT-96": "allowances[*].tax_rate", "BG-21": "charges[*]",
        "BT-102": "charges[*].tax_category", "BT-103": "charges[*].tax_rate",
        "BG-22": "totals", "BT-106": "totals.line_extension_amount",
        "BT-107": "totals.allowance_total_amount", "BT-108": "totals.charge_total_amount",
        "BT-109": "totals.tax_exclusive_amount", "BT-110": "totals.tax_amount",
        "BT-111": "totals.tax_amount_in_vat_currency", "BT-112": "totals.tax_inclusive_amount",
        "BT-113": "totals.paid_amount", "BT-114": "totals.payable_rounding_amount",
        "BT-115": "totals.payable_amount", "BG-23": "tax_breakdown[*]",
        "BT-116": "tax_breakdown[*].taxable_amount", "BT-117": "tax_breakdown[*].tax_amount",
        "BT-118": "tax_breakdown[*].category_code", "BT-119": "tax_breakdown[*].rate",
        "BT-120": "tax_breakdown[*].exemption_reason",
        "BT-121": "tax_breakdown[*].exemption_reason_code", "BG-24": "attachments[*]",
        "BT-122": "attachments[*].id", "BT-123": "attachments[*].description",
        "BT-124": "attachments[*].external_reference", "BT-125": "attachments[*].data",
        "BG-25": "items[*]", "BT-126": "items[*].id", "BT-127": "items[*].note",
        "BT-128": "items[*].invoiced_object", "BT-129": "items[*].quantity",
        "BT-130": "items[*].unit_code", "BT-131": "items[*].line_extension_amount",
        "BT-132": "items[*].order_line_reference", "BT-133": "items[*].accounting_cost",
        "BG-26": "items[*].period", "BT-134": "items[*].period.start_date",
        "BT-135": "items[*].period.end_date", "BG-27": "items[*].allowances[*]",
        "BG-28": "items[*].charges[*]", "BG-29": "items[*]", "BT-146": "items[*].price",
        "BT-147": "items[*].price_discount_amount", "BT-148": "items[*].gross_price_amount",
        "BT-149": "items[*].base_quantity", "BG-30": "items[*]",
        "BT-151": "items[*].tax_category", "BT-152": "items[*].tax_rate", "BG-31": "items[*]",
        "BT-153": "items[*].name", "BT-154": "items[*].description",
        "BT-155": "items[*].identifiers.sellers_item_id",
        "BT-156": "items[*].identifiers.buyers_item_id",
        "BT-157": "items[*].identifiers.standard", "BT-158": "items[*].classifications[*]",
        "BT-159": "items[*].origin_country", "BG-32": "items[*].attributes[*]",
        "BT-160": "items[*].attributes[*].name", "BT-161": "items[*].attributes[*].value",
    }
    for field, (seller, buyer) in _PARTY.items():
        paths.setdefault(_term(seller), f"seller.{field}")
        paths.setdefault(_term(buyer), f"buyer.{field}")
    for field, codes in _ALLOWANCE_CHARGE.items():
        for owner, code in zip(("allowances[*]", "charges[*]", "items[*].allowances[*]",
                                "items[*].charges[*]"), codes, strict=True):
            paths[_term(code)] = f"{owner}.{field}"
    return paths


CONTRACT_PATHS: dict[str, str] = _build()
