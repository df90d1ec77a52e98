"""The term table: every business term the contract carries, with its BT/BG id, contract
path, scope and UBL path, stated once (EN 16931 / Peppol BIS 3.0 syntax binding).

A :class:`Term` says where a contract field lands in UBL: ``path`` is the field in the
:class:`~peppol_ubl.model.Invoice` model (``items[*].price``, ``[*]`` standing for a list
index), ``scope`` the contract part whose element the writer traces (``items[*]``: the
``InvoiceLine``/``CreditNoteLine``; ``""``: the document root) and ``ubl`` an XPath
relative to that element (``cac:Price/cbc:PriceAmount``). A term without ``id`` is a
syntax element that EN 16931 gives no number but the writer emits for a field (the
``TaxScheme`` of a VAT identifier, the type code of an invoiced-object reference).
``default`` is the value the writer uses when the field is absent. The fixed values the
writer emits for syntax elements (:data:`PROJECT_DOCUMENT_TYPE`,
:data:`INVOICED_OBJECT_TYPE`) and the codes it accepts (:data:`VAT_POINT_DATE_CODES`) are constants here, used by the table and by the writer
and reader alike. Ids are EN 16931's (``BT-…``); a term only PINT numbers has PINT's id
(``IBT-168``).

The document's tax scheme (``header.tax_scheme``, VAT when absent) is the ``TaxScheme/ID``
of every line's tax category (the reader takes the first line's); a party's
``PartyTaxScheme`` under it holds its VAT (or GST) identifier BT-31/BT-48, any other one
the tax registration BT-32.

Derived from it, and from nothing else: :data:`CONTRACT_PATHS` (BT/BG id → field), the
writer's defaults (:data:`DEFAULTS`, read by the writer and by
:mod:`peppol_ubl.ubl.read_canonical`), and :func:`term_at`, which names the term of an
element (or attribute) of a written document. Element order and the Invoice/CreditNote
differences stay in the per-area writer and reader code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from lxml import etree

from ..xml.namespaces import CAC, CBC

__all__ = [
    "CONTRACT_PATHS",
    "DEFAULTS",
    "IBAN_FORM",
    "INVOICED_OBJECT_TYPE",
    "NAMESPACES",
    "PROJECT_DOCUMENT_TYPE",
    "TERMS",
    "VAT_CURRENCY_TOTALS",
    "VAT_POINT_DATE_CODES",
    "Term",
    "selected",
    "shape",
    "term_at",
    "terms_in",
    "vat_currency_total_code",
]

NAMESPACES = {"cac": CAC, "cbc": CBC}
"""The prefixes the ``ubl`` paths of the table use."""


@dataclass(frozen=True, slots=True)
class Term:
    """One business term (or syntax element) of the contract and where UBL holds it."""

    id: str
    path: str
    scope: str
    ubl: str
    default: str | None = None


def _t(id_: str, path: str, scope: str, ubl: str, default: str | None = None) -> Term:
    return Term(id_, path, scope, ubl, default)


PROJECT_DOCUMENT_TYPE = "50"
"""UNCL 1001 code of the ``AdditionalDocumentReference`` a credit note carries BT-11 in."""
INVOICED_OBJECT_TYPE = "130"
"""UNCL 1001 code (invoicing data sheet) of the references holding BT-18 and BT-128."""
VAT_POINT_DATE_CODES = frozenset({"3", "35", "432"})
"""The UNCL 2005 codes a VAT point date code BT-8 may have (the invoice period's
``DescriptionCode``)."""
VAT_CURRENCY_TOTALS = {"tax_exclusive_amount_in_vat_currency": "excl",
                       "tax_inclusive_amount_in_vat_currency": "incl"}
"""The totals a PINT document gives in its VAT accounting currency, each as an
``AdditionalDocumentReference`` whose ``ID`` is that currency, its ``DocumentTypeCode``
``<currency>total-<excl|incl>-<tax scheme>`` in lower case (PINT SG ``sgdtotal-incl-gst``,
PINT AE ``aedtotal-incl-vat``) and its ``DocumentDescription`` the amount; by field of
``totals``."""
_PROJECT = f"cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '{PROJECT_DOCUMENT_TYPE}']"
_OBJECT = f"cac:AdditionalDocumentReference[cbc:DocumentTypeCode = '{INVOICED_OBJECT_TYPE}']"
_LINE_SCHEME = "cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID"
_IN_DOCUMENT_SCHEME = f"cac:TaxScheme/cbc:ID = /*/*/{_LINE_SCHEME}"
_CAPITALS, _DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_COMPACT = "translate(., ' ', '')"
IBAN_FORM = (f"string-length({_COMPACT}) >= 5 and string-length({_COMPACT}) <= 34"
             f" and translate(substring({_COMPACT}, 1, 2), '{_CAPITALS}', '') = ''"
             f" and translate(substring({_COMPACT}, 3, 2), '{_DIGITS}', '') = ''"
             f" and translate({_COMPACT}, '{_CAPITALS}{_DIGITS}', '') = '' and not(contains(., '  '))")
"""XPath 1.0 of :func:`peppol_ubl.model.iban_shaped` on the context node: an account
identifier BT-84 in the form of an IBAN is ``iban``, any other ``account_id``."""

_PEPPOL_CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_PEPPOL_PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

_DOCUMENT = (
    _t("BT-24", "header.specification", "", "cbc:CustomizationID", _PEPPOL_CUSTOMIZATION_ID),
    _t("BT-23", "header.business_process", "", "cbc:ProfileID", _PEPPOL_PROFILE_ID),
    _t("BT-1", "header.invoice_number", "", "cbc:ID"),
    _t("", "header.uuid", "", "cbc:UUID"),
    _t("BT-2", "header.issue_date", "", "cbc:IssueDate"),
    _t("IBT-168", "header.issue_time", "", "cbc:IssueTime"),
    _t("BT-9", "header.due_date", "", "cbc:DueDate"),
    _t("BT-3", "header.invoice_type_code", "", "cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode", "380"),
    _t("BT-22", "header.notes", "", "cbc:Note"),
    _t("BT-7", "header.tax_point_date", "", "cbc:TaxPointDate"),
    _t("BT-5", "header.currency", "", "cbc:DocumentCurrencyCode"),
    _t("BT-6", "header.vat_currency", "", "cbc:TaxCurrencyCode"),
    _t("", "header.tax_scheme", "", f"cac:InvoiceLine/{_LINE_SCHEME} | cac:CreditNoteLine/{_LINE_SCHEME}"),
    _t("BT-19", "header.accounting_cost", "", "cbc:AccountingCost"),
    _t("BT-10", "header.buyer_reference", "", "cbc:BuyerReference"),
    _t("BT-13", "references.purchase_order", "", "cac:OrderReference/cbc:ID"),
    _t("BT-14", "references.sales_order", "", "cac:OrderReference/cbc:SalesOrderID"),
    _t("BT-16", "references.despatch_advice", "", "cac:DespatchDocumentReference/cbc:ID"),
    _t("BT-15", "references.receipt_advice", "", "cac:ReceiptDocumentReference/cbc:ID"),
    _t("BT-17", "header.tender_or_lot_reference", "", "cac:OriginatorDocumentReference/cbc:ID"),
    _t("BT-12", "header.contract_reference", "", "cac:ContractDocumentReference/cbc:ID"),
    _t("BT-11", "header.project_reference", "", f"cac:ProjectReference/cbc:ID | {_PROJECT}/cbc:ID"),
    _t("", "header.project_reference", "", f"{_PROJECT}/cbc:DocumentTypeCode"),
    _t("BT-18", "references.invoiced_object", "", f"{_OBJECT}/cbc:ID"),
    _t("", "references.invoiced_object.scheme", "", f"{_OBJECT}/cbc:ID/@schemeID"),
    _t("", "references.invoiced_object", "", f"{_OBJECT}/cbc:DocumentTypeCode"),
    _t("BT-20", "payment.terms", "", "cac:PaymentTerms/cbc:Note"),
    *(_t("", f"totals.{field}", "", f"cac:AdditionalDocumentReference[contains(cbc:DocumentTypeCode, "
         f"'total-{kind}-')]/{leaf}")
      for field, kind in VAT_CURRENCY_TOTALS.items()
      for leaf in ("cbc:DocumentDescription", "cbc:DocumentTypeCode", "cbc:ID")),
    _t("BT-111", "totals.tax_amount_in_vat_currency", "",
       "cac:TaxTotal[cbc:TaxAmount/@currencyID = ../cbc:TaxCurrencyCode]/cbc:TaxAmount"),
    _t("", "header.vat_currency", "",
       "cac:TaxTotal[cbc:TaxAmount/@currencyID = ../cbc:TaxCurrencyCode]/cbc:TaxAmount/@currencyID"),
    # every other amount is in the document currency BT-5
    _t("", "header.currency", "", ".//@currencyID"),
)

_PERIOD = (
    _t("BG-14", "header.invoice_period", "header.invoice_period", "."),
    _t("BT-73", "header.invoice_period.start_date", "header.invoice_period", "cbc:StartDate"),
    _t("BT-74", "header.invoice_period.end_date", "header.invoice_period", "cbc:EndDate"),
    _t("BT-8", "header.invoice_period.description", "header.invoice_period", "cbc:DescriptionCode"),
)

_PRECEDING = "references.preceding_invoices[*]"
_ATTACHMENT = "attachments[*]"
_REFERENCES = (
    _t("BG-3", _PRECEDING, _PRECEDING, "."),
    _t("BT-25", f"{_PRECEDING}.number", _PRECEDING, "cac:InvoiceDocumentReference/cbc:ID"),
    _t("BT-26", f"{_PRECEDING}.issue_date", _PRECEDING, "cac:InvoiceDocumentReference/cbc:IssueDate"),
    _t("BG-24", _ATTACHMENT, _ATTACHMENT, "."),
    _t("BT-122", f"{_ATTACHMENT}.id", _ATTACHMENT, "cbc:ID"),
    _t("BT-123", f"{_ATTACHMENT}.description", _ATTACHMENT, "cbc:DocumentDescription"),
    _t("BT-125", f"{_ATTACHMENT}.data", _ATTACHMENT, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"),
    _t("", f"{_ATTACHMENT}.mime_type", _ATTACHMENT,
       "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode"),
    _t("", f"{_ATTACHMENT}.filename", _ATTACHMENT,
       "cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename"),
    _t("BT-124", f"{_ATTACHMENT}.external_reference", _ATTACHMENT,
       "cac:Attachment/cac:ExternalReference/cbc:URI"),
)


def _address(owner: str, group: str, ids: tuple[str, ...]) -> Iterator[Term]:
    """A postal address BG-5/BG-8/BG-12/BG-15 (scope: the address element)."""
    scope = f"{owner}.address"
    yield _t(group, scope, scope, ".")
    fields = (("street", "cbc:StreetName"), ("additional_line", "cbc:AdditionalStreetName"),
              ("city", "cbc:CityName"), ("postal_code", "cbc:PostalZone"),
              ("subdivision", "cbc:CountrySubentity"), ("third_line", "cac:AddressLine/cbc:Line"),
              ("country", "cac:Country/cbc:IdentificationCode"))
    for bt, (field, ubl) in zip(ids, fields, strict=True):
        yield _t(bt, f"{scope}.{field}", scope, ubl)


def _party(owner: str, ids: dict[str, str]) -> Iterator[Term]:
    """Seller BG-4 or buyer BG-7 (scope: the ``cac:Party`` element)."""
    yield _t(ids["group"], owner, owner, ".")
    yield _t(ids["endpoint"], f"{owner}.endpoint_id", owner, "cbc:EndpointID")
    yield _t("", f"{owner}.endpoint_id.scheme", owner, "cbc:EndpointID/@schemeID")
    yield _t(ids["identifier"], f"{owner}.identifiers", owner, "cac:PartyIdentification/cbc:ID")
    yield _t("", f"{owner}.identifiers", owner, "cac:PartyIdentification/cbc:ID/@schemeID")
    yield _t(ids["trading_name"], f"{owner}.trading_name", owner, "cac:PartyName/cbc:Name")
    vat = f"cac:PartyTaxScheme[{_IN_DOCUMENT_SCHEME}]"
    yield _t(ids["vat"], f"{owner}.vat_number", owner, f"{vat}/cbc:CompanyID")
    yield _t("", f"{owner}.vat_number", owner, f"{vat}/cac:TaxScheme/cbc:ID")
    registration = f"cac:PartyTaxScheme[not({_IN_DOCUMENT_SCHEME})]"
    yield _t(ids.get("tax_registration", ""), f"{owner}.tax_registration_id", owner,
             f"{registration}/cbc:CompanyID")
    yield _t("", f"{owner}.tax_registration_id.scheme", owner, f"{registration}/cac:TaxScheme/cbc:ID", "TAX")
    yield _t(ids["legal_name"], f"{owner}.{ids['legal_field']}", owner,
             "cac:PartyLegalEntity/cbc:RegistrationName")
    yield _t(ids["company"], f"{owner}.company_id", owner, "cac:PartyLegalEntity/cbc:CompanyID")
    yield _t("", f"{owner}.company_id.scheme", owner, "cac:PartyLegalEntity/cbc:CompanyID/@schemeID")
    if "legal_form" in ids:
        yield _t(ids["legal_form"], f"{owner}.legal_information", owner, "cac:PartyLegalEntity/cbc:CompanyLegalForm")
    contact = f"{owner}.contact"
    yield _t(ids["contact"], contact, contact, ".")
    for bt, (field, ubl) in zip(ids["contact_fields"].split(), (
            ("name", "cbc:Name"), ("phone", "cbc:Telephone"), ("email", "cbc:ElectronicMail")), strict=True):
        yield _t(bt, f"{contact}.{field}", contact, ubl)


_PARTIES = (
    *_party("seller", {"group": "BG-4", "endpoint": "BT-34", "identifier": "BT-29", "trading_name": "BT-28",
                       "vat": "BT-31", "tax_registration": "BT-32", "legal_name": "BT-27",
                       "legal_field": "legal_name", "company": "BT-30", "legal_form": "BT-33",
                       "contact": "BG-6", "contact_fields": "BT-41 BT-42 BT-43"}),
    _t("BT-90", "seller.identifiers", "seller", "cac:PartyIdentification/cbc:ID[@schemeID = 'SEPA']"),
    *_address("seller", "BG-5", ("BT-35", "BT-36", "BT-37", "BT-38", "BT-39", "BT-162", "BT-40")),
    *_party("buyer", {"group": "BG-7", "endpoint": "BT-49", "identifier": "BT-46", "trading_name": "BT-45",
                      "vat": "BT-48", "legal_name": "BT-44", "legal_field": "name", "company": "BT-47",
                      "contact": "BG-9", "contact_fields": "BT-56 BT-57 BT-58"}),
    *_address("buyer", "BG-8", ("BT-50", "BT-51", "BT-52", "BT-53", "BT-54", "BT-163", "BT-55")),
    _t("BG-10", "payee", "payee", "."),
    _t("BT-60", "payee.identifiers", "payee", "cac:PartyIdentification/cbc:ID"),
    _t("", "payee.identifiers", "payee", "cac:PartyIdentification/cbc:ID/@schemeID"),
    _t("BT-59", "payee.name", "payee", "cac:PartyName/cbc:Name"),
    _t("BT-61", "payee.company_id", "payee", "cac:PartyLegalEntity/cbc:CompanyID"),
    _t("", "payee.company_id.scheme", "payee", "cac:PartyLegalEntity/cbc:CompanyID/@schemeID"),
    _t("BG-11", "tax_representative", "tax_representative", "."),
    _t("BT-62", "tax_representative.name", "tax_representative", "cac:PartyName/cbc:Name"),
    _t("BT-63", "tax_representative.vat_number", "tax_representative", "cac:PartyTaxScheme/cbc:CompanyID"),
    _t("", "tax_representative.vat_number", "tax_representative", "cac:PartyTaxScheme/cac:TaxScheme/cbc:ID"),
    *_address("tax_representative", "BG-12", ("BT-64", "BT-65", "BT-66", "BT-67", "BT-68", "BT-164", "BT-69")),
    _t("BG-13", "delivery", "delivery", "."),
    _t("BT-72", "delivery.date", "delivery", "cbc:ActualDeliveryDate"),
    _t("BT-71", "delivery.location_id", "delivery", "cac:DeliveryLocation/cbc:ID"),
    _t("", "delivery.location_scheme", "delivery", "cac:DeliveryLocation/cbc:ID/@schemeID"),
    _t("BT-70", "delivery.party_name", "delivery", "cac:DeliveryParty/cac:PartyName/cbc:Name"),
    *_address("delivery", "BG-15", ("BT-75", "BT-76", "BT-77", "BT-78", "BT-79", "BT-165", "BT-80")),
)


def _payment_means(scope: str, accounts: str) -> Iterator[Term]:
    """BG-16 … BG-19 in one ``PaymentMeans`` (the ``payments`` array, or the legacy fields)."""
    yield _t("BG-16", scope, scope, ".")
    yield _t("BT-81", f"{scope}.means_code", scope, "cbc:PaymentMeansCode")
    yield _t("BT-82", f"{scope}.means_text", scope, "cbc:PaymentMeansCode/@name")
    yield _t("BT-9", "header.due_date", scope, "cbc:PaymentDueDate")  # credit notes
    yield _t("BT-83", f"{scope}.payment_id", scope, "cbc:PaymentID")
    yield _t("BG-18", f"{scope}.card", scope, "cac:CardAccount")
    yield _t("BT-87", f"{scope}.card.pan", scope, "cac:CardAccount/cbc:PrimaryAccountNumberID")
    yield _t("", f"{scope}.card.network", scope, "cac:CardAccount/cbc:NetworkID")
    yield _t("BT-88", f"{scope}.card.holder_name", scope, "cac:CardAccount/cbc:HolderName")
    yield _t("BG-17", f"{scope}.{accounts}", scope, "cac:PayeeFinancialAccount")
    yield _t("BT-84", f"{scope}.{accounts}.iban", scope, f"cac:PayeeFinancialAccount/cbc:ID[{IBAN_FORM}]")
    yield _t("BT-84", f"{scope}.{accounts}.account_id", scope,
             f"cac:PayeeFinancialAccount/cbc:ID[not({IBAN_FORM})]")
    yield _t("BT-85", f"{scope}.{accounts}.account_name", scope, "cac:PayeeFinancialAccount/cbc:Name")
    yield _t("BT-86", f"{scope}.{accounts}.bic", scope,
             "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")
    yield _t("BG-19", f"{scope}.direct_debit", scope, "cac:PaymentMandate")
    yield _t("BT-89", f"{scope}.direct_debit.mandate_id", scope, "cac:PaymentMandate/cbc:ID")
    yield _t("BT-91", f"{scope}.direct_debit.debited_account", scope,
             "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")


_PAYMENT = (*_payment_means("payment.payments[*]", "bank_accounts[*]"), *_payment_means("payment", "bank_account"))


def _allowance_charge(scope: str, ids: tuple[str, ...], document_level: bool) -> Iterator[Term]:
    """An allowance BG-20/BG-27 or charge BG-21/BG-28 (scope: the ``AllowanceCharge``)."""
    group, amount, base, percentage, reason, reason_code, *vat = ids
    yield _t(group, scope, scope, ".")
    yield _t("", scope, scope, "cbc:ChargeIndicator")
    yield _t(amount, f"{scope}.amount", scope, "cbc:Amount")
    yield _t(base, f"{scope}.base_amount", scope, "cbc:BaseAmount")
    yield _t(percentage, f"{scope}.percentage", scope, "cbc:MultiplierFactorNumeric")
    yield _t(reason, f"{scope}.reason", scope, "cbc:AllowanceChargeReason")
    yield _t(reason_code, f"{scope}.reason_code", scope, "cbc:AllowanceChargeReasonCode")
    if document_level:
        category, rate = vat
        yield _t(category, f"{scope}.tax_category", scope, "cac:TaxCategory/cbc:ID")
        yield _t(rate, f"{scope}.tax_rate", scope, "cac:TaxCategory/cbc:Percent")
        yield _t("", f"{scope}.tax_category", scope, "cac:TaxCategory/cac:TaxScheme/cbc:ID")


_ALLOWANCES = (
    *_allowance_charge("allowances[*]", ("BG-20", "BT-92", "BT-93", "BT-94", "BT-97", "BT-98", "BT-95", "BT-96"), True),
    *_allowance_charge("charges[*]", ("BG-21", "BT-99", "BT-100", "BT-101", "BT-104", "BT-105", "BT-102", "BT-103"),
                       True),
    *_allowance_charge("items[*].allowances[*]", ("BG-27", "BT-136", "BT-137", "BT-138", "BT-139", "BT-140"), False),
    *_allowance_charge("items[*].charges[*]", ("BG-28", "BT-141", "BT-142", "BT-143", "BT-144", "BT-145"), False),
)

_TOTALS = (
    _t("BG-22", "totals", "totals", "."),
    _t("BT-110", "totals.tax_amount", "totals", "self::cac:TaxTotal/cbc:TaxAmount"),
    _t("BT-106", "totals.line_extension_amount", "totals", "cbc:LineExtensionAmount"),
    _t("BT-109", "totals.tax_exclusive_amount", "totals", "cbc:TaxExclusiveAmount"),
    _t("BT-112", "totals.tax_inclusive_amount", "totals", "cbc:TaxInclusiveAmount"),
    _t("BT-107", "totals.allowance_total_amount", "totals", "cbc:AllowanceTotalAmount"),
    _t("BT-108", "totals.charge_total_amount", "totals", "cbc:ChargeTotalAmount"),
    _t("BT-113", "totals.paid_amount", "totals", "cbc:PrepaidAmount"),
    _t("BT-114", "totals.payable_rounding_amount", "totals", "cbc:PayableRoundingAmount"),
    _t("BT-115", "totals.payable_amount", "totals", "cbc:PayableAmount"),
    _t("BG-23", "tax_breakdown[*]", "tax_breakdown[*]", "."),
    _t("BT-116", "tax_breakdown[*].taxable_amount", "tax_breakdown[*]", "cbc:TaxableAmount"),
    _t("BT-117", "tax_breakdown[*].tax_amount", "tax_breakdown[*]", "cbc:TaxAmount"),
    _t("BT-118", "tax_breakdown[*].category_code", "tax_breakdown[*]", "cac:TaxCategory/cbc:ID"),
    _t("BT-119", "tax_breakdown[*].rate", "tax_breakdown[*]", "cac:TaxCategory/cbc:Percent"),
    _t("BT-121", "tax_breakdown[*].exemption_reason_code", "tax_breakdown[*]",
       "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
    _t("BT-120", "tax_breakdown[*].exemption_reason", "tax_breakdown[*]", "cac:TaxCategory/cbc:TaxExemptionReason"),
    _t("", "tax_breakdown[*].tax_scheme", "tax_breakdown[*]", "cac:TaxCategory/cac:TaxScheme/cbc:ID"),
)

_LINE = "items[*]"
_ITEM = "cac:Item"
_LINES = (
    _t("BG-25", _LINE, _LINE, "."),
    _t("BT-126", f"{_LINE}.id", _LINE, "cbc:ID"),
    _t("BT-127", f"{_LINE}.note", _LINE, "cbc:Note"),
    _t("BT-129", f"{_LINE}.quantity", _LINE, "cbc:InvoicedQuantity | cbc:CreditedQuantity"),
    _t("BT-130", f"{_LINE}.unit_code", _LINE,
       "cbc:InvoicedQuantity/@unitCode | cbc:CreditedQuantity/@unitCode | cac:Price/cbc:BaseQuantity/@unitCode",
       "C62"),
    _t("BT-131", f"{_LINE}.line_extension_amount", _LINE, "cbc:LineExtensionAmount"),
    _t("BT-133", f"{_LINE}.accounting_cost", _LINE, "cbc:AccountingCost"),
    _t("BT-132", f"{_LINE}.order_line_reference", _LINE, "cac:OrderLineReference/cbc:LineID"),
    _t("BT-128", f"{_LINE}.invoiced_object", _LINE, "cac:DocumentReference/cbc:ID"),
    _t("", f"{_LINE}.invoiced_object.scheme", _LINE, "cac:DocumentReference/cbc:ID/@schemeID"),
    _t("", f"{_LINE}.invoiced_object", _LINE, "cac:DocumentReference/cbc:DocumentTypeCode"),
    _t("BG-26", f"{_LINE}.period", f"{_LINE}.period", "."),
    _t("BT-134", f"{_LINE}.period.start_date", f"{_LINE}.period", "cbc:StartDate"),
    _t("BT-135", f"{_LINE}.period.end_date", f"{_LINE}.period", "cbc:EndDate"),
    _t("BG-31", _LINE, _LINE, _ITEM),
    _t("BT-154", f"{_LINE}.description", _LINE, f"{_ITEM}/cbc:Description"),
    _t("BT-153", f"{_LINE}.name", _LINE, f"{_ITEM}/cbc:Name"),
    _t("BT-156", f"{_LINE}.identifiers.buyers_item_id", _LINE, f"{_ITEM}/cac:BuyersItemIdentification/cbc:ID"),
    _t("BT-155", f"{_LINE}.identifiers.sellers_item_id", _LINE, f"{_ITEM}/cac:SellersItemIdentification/cbc:ID"),
    _t("BT-157", f"{_LINE}.identifiers.standard", _LINE, f"{_ITEM}/cac:StandardItemIdentification/cbc:ID"),
    _t("", f"{_LINE}.identifiers.standard.scheme", _LINE,
       f"{_ITEM}/cac:StandardItemIdentification/cbc:ID/@schemeID"),
    _t("BT-159", f"{_LINE}.origin_country", _LINE, f"{_ITEM}/cac:OriginCountry/cbc:IdentificationCode"),
    _t("BT-158", f"{_LINE}.classifications[*]", _LINE, f"{_ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode"),
    _t("", f"{_LINE}.classifications[*].list_id", _LINE,
       f"{_ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode/@listID"),
    _t("", f"{_LINE}.classifications[*].list_version", _LINE,
       f"{_ITEM}/cac:CommodityClassification/cbc:ItemClassificationCode/@listVersionID"),
    _t("BG-30", _LINE, _LINE, f"{_ITEM}/cac:ClassifiedTaxCategory"),
    _t("BT-151", f"{_LINE}.tax_category", _LINE, f"{_ITEM}/cac:ClassifiedTaxCategory/cbc:ID"),
    _t("BT-152", f"{_LINE}.tax_rate", _LINE, f"{_ITEM}/cac:ClassifiedTaxCategory/cbc:Percent"),
    _t("", f"{_LINE}.tax_category", _LINE, f"{_ITEM}/cac:ClassifiedTaxCategory/cac:TaxScheme/cbc:ID"),
    _t("BG-32", f"{_LINE}.attributes[*]", _LINE, f"{_ITEM}/cac:AdditionalItemProperty"),
    _t("BT-160", f"{_LINE}.attributes[*].name", _LINE, f"{_ITEM}/cac:AdditionalItemProperty/cbc:Name"),
    _t("BT-161", f"{_LINE}.attributes[*].value", _LINE, f"{_ITEM}/cac:AdditionalItemProperty/cbc:Value"),
    _t("BG-29", _LINE, _LINE, "cac:Price"),
    _t("BT-146", f"{_LINE}.price", _LINE, "cac:Price/cbc:PriceAmount"),
    _t("BT-149", f"{_LINE}.base_quantity", _LINE, "cac:Price/cbc:BaseQuantity"),
    _t("BT-147", f"{_LINE}.price_discount_amount", _LINE, "cac:Price/cac:AllowanceCharge/cbc:Amount"),
    _t("BT-148", f"{_LINE}.gross_price_amount", _LINE, "cac:Price/cac:AllowanceCharge/cbc:BaseAmount"),
    _t("", f"{_LINE}.price_discount_amount", _LINE, "cac:Price/cac:AllowanceCharge/cbc:ChargeIndicator"),
)

TERMS: tuple[Term, ...] = (*_DOCUMENT, *_PERIOD, *_REFERENCES, *_PARTIES, *_PAYMENT, *_ALLOWANCES, *_TOTALS,
                           *_LINES)
"""Every term, in the order of the BIS syntax binding within each area."""

CONTRACT_PATHS: dict[str, str] = {}
"""BT/BG id → the contract path template of the field that holds it (first listed wins:
BT-9 is ``header.due_date`` wherever UBL puts it)."""
for _term in TERMS:
    if _term.id:
        CONTRACT_PATHS.setdefault(_term.id, _term.path)
del _term

DEFAULTS: dict[str, str] = {term.path: term.default for term in TERMS if term.default is not None}
"""The value the writer writes when a contract field is absent, by contract path template
(``header.specification``, ``items[*].unit_code`` …)."""


def vat_currency_total_code(kind: str, currency: str, scheme: str) -> str:
    """The ``DocumentTypeCode`` of a total in the VAT accounting currency (see
    :data:`VAT_CURRENCY_TOTALS`): ``vat_currency_total_code("incl", "SGD", "GST")`` is
    ``sgdtotal-incl-gst``."""
    return f"{currency.lower()}total-{kind}-{scheme.lower()}"


def shape(path: str) -> str:
    """A concrete contract path with every list index replaced by ``[*]``."""
    out: list[str] = []
    depth = 0
    for char in path:
        if char == "[":
            depth += 1
            out.append("[*")
        elif char == "]":
            depth -= 1
            out.append("]")
        elif depth == 0:
            out.append(char)
    return "".join(out)


@cache
def terms_in(scope: str) -> tuple[Term, ...]:
    """The terms whose scope is the contract part of shape ``scope``."""
    return tuple(term for term in TERMS if term.scope == scope)


@cache
def _compiled(ubl: str) -> etree.XPath:
    return etree.XPath(ubl, namespaces=NAMESPACES)


def selected(scope_element: etree._Element, term: Term) -> list[object]:
    """The elements and attribute values ``term``'s UBL path selects below ``scope_element``."""
    found = _compiled(term.ubl)(scope_element)
    return list(found) if isinstance(found, list) else []


def term_at(scope_element: etree._Element, scope: str, node: etree._Element,
            attribute: str | None = None) -> Term | None:
    """The term of ``scope`` (a shape) that selects ``node`` (or its ``attribute``, a
    local name) below ``scope_element``; ``None`` when none does."""
    for term in terms_in(scope):
        for item in selected(scope_element, term):
            if attribute is None and item is node:
                return term
            if (attribute is not None and isinstance(item, etree._ElementUnicodeResult)
                    and item.getparent() is node and item.attrname is not None
                    and etree.QName(item.attrname).localname == attribute):
                return term
    return None
