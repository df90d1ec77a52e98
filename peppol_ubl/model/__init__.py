"""The invoice contract as pydantic models, one module per business group.

Owns the shape of the JSON contract (seed 002) and its constraints: amounts as integer
cents, quantities and rates as exact decimals, unknown keys refused. It imports only
:mod:`peppol_ubl.money` (and pydantic). Public: the models exported here.
"""

from .allowance import AllowanceCharge, DocumentAllowanceCharge
from .attachment import Attachment
from .delivery import Delivery
from .header import CREDIT_NOTE_TYPE_CODES, DEFAULT_TAX_SCHEME, Header, Period
from .invoice import Invoice
from .line import Attribute, Classification, Item, ItemIdentifiers, StandardIdentifier
from .party import Address, Buyer, Contact, Identifier, Payee, Seller, TaxRepresentative
from .payment import BankAccount, Card, DirectDebit, Payment, PaymentMeans, iban_shaped
from .references import PrecedingInvoice, References
from .tax import TaxBreakdown, Totals

__all__ = [
    "CREDIT_NOTE_TYPE_CODES",
    "DEFAULT_TAX_SCHEME",
    "Address",
    "AllowanceCharge",
    "Attachment",
    "Attribute",
    "BankAccount",
    "Buyer",
    "Card",
    "Classification",
    "Contact",
    "Delivery",
    "DirectDebit",
    "DocumentAllowanceCharge",
    "Header",
    "Identifier",
    "Invoice",
    "Item",
    "ItemIdentifiers",
    "Payee",
    "Payment",
    "PaymentMeans",
    "Period",
    "PrecedingInvoice",
    "References",
    "Seller",
    "StandardIdentifier",
    "TaxBreakdown",
    "TaxRepresentative",
    "Totals",
    "iban_shaped",
]
