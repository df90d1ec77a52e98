"""UBL 2.1 namespaces and the Peppol BIS Billing 3.0 identifiers."""

from __future__ import annotations

__all__ = [
    "CAC",
    "CBC",
    "CREDIT_NOTE",
    "INVOICE",
    "NSMAP_CREDIT_NOTE",
    "NSMAP_INVOICE",
    "PEPPOL_CUSTOMIZATION_ID",
    "PEPPOL_PROFILE_ID",
    "SBDH",
]

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
SBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"

NSMAP_INVOICE = {None: INVOICE, "cac": CAC, "cbc": CBC}
NSMAP_CREDIT_NOTE = {None: CREDIT_NOTE, "cac": CAC, "cbc": CBC}

PEPPOL_CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
"""BT-24 default: Peppol BIS Billing 3.0."""
PEPPOL_PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
"""BT-23 default: Peppol billing process 01."""
