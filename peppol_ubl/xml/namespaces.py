"""Every XML namespace URI the library reads or writes, stated once.

UBL 2.1 document and component namespaces, the SBDH envelope, XInclude (refused), the
W3C namespaces of XML Schema, XSLT and XPath (for the Schematron compiler), ISO
Schematron itself, the VEFA code-list format, and our own namespace for the names the
compiled stylesheets define. Other modules import these constants and never spell a URI.
"""

from __future__ import annotations

__all__ = [
    "CAC",
    "CBC",
    "CREDIT_NOTE",
    "DS",
    "EXT",
    "INVOICE",
    "NSMAP_CREDIT_NOTE",
    "NSMAP_INVOICE",
    "OWN",
    "SAC",
    "SBC",
    "SBDH",
    "SCHEMATRON",
    "SIG",
    "UBL_PREFIXES",
    "VEFA_CODE_LIST",
    "XINCLUDE",
    "XPATH_ARRAY",
    "XPATH_ERRORS",
    "XPATH_FUNCTIONS",
    "XPATH_MAP",
    "XPATH_MATH",
    "XS",
    "XSL",
]

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
INVOICE = f"{_UBL}Invoice-2"
CREDIT_NOTE = f"{_UBL}CreditNote-2"
CAC = f"{_UBL}CommonAggregateComponents-2"
CBC = f"{_UBL}CommonBasicComponents-2"
EXT = f"{_UBL}CommonExtensionComponents-2"
SIG = f"{_UBL}CommonSignatureComponents-2"
SAC = f"{_UBL}SignatureAggregateComponents-2"
SBC = f"{_UBL}SignatureBasicComponents-2"
DS = "http://www.w3.org/2000/09/xmldsig#"

NSMAP_INVOICE = {None: INVOICE, "cac": CAC, "cbc": CBC}
NSMAP_CREDIT_NOTE = {None: CREDIT_NOTE, "cac": CAC, "cbc": CBC}
UBL_PREFIXES = {INVOICE: "", CREDIT_NOTE: "", CAC: "cac", CBC: "cbc", EXT: "ext", SIG: "sig",
                SAC: "sac", SBC: "sbc", DS: "ds"}
"""The prefix each UBL namespace conventionally has (none for the document namespaces)."""

SBDH = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
"""The XInclude namespaces (the Recommendation's and the 2003 draft's), both refused."""

XS = "http://www.w3.org/2001/XMLSchema"
XSL = "http://www.w3.org/1999/XSL/Transform"
XPATH_ERRORS = "http://www.w3.org/2005/xqt-errors"
XPATH_FUNCTIONS = "http://www.w3.org/2005/xpath-functions"
XPATH_MAP = f"{XPATH_FUNCTIONS}/map"
XPATH_MATH = f"{XPATH_FUNCTIONS}/math"
XPATH_ARRAY = f"{XPATH_FUNCTIONS}/array"
SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"
VEFA_CODE_LIST = "urn:fdc:difi.no:2017:vefa:structure:CodeList-1"
OWN = "urn:peppol-ubl:schematron"
"""Our own namespace: the functions, modes and variables of compiled stylesheets."""
