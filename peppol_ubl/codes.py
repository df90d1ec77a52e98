"""Every ``PU-…`` id of the library, in one registry: findings of our own checks and the
codes of the errors we raise.

Official rule ids (``BR-…``, ``PEPPOL-…``, ``UBL-…``, national ``DE-R-…`` …) come from the
rule sets themselves; the ids here are ours and stable: once published, an id keeps its
meaning. Each :class:`Code` has the layer that reports it (``calculation`` for the codes
of :class:`~peppol_ubl.errors.CalculationError`, which is raised, not reported; ``server``
for the problems ``peppol-ubl serve`` answers a request with), its
default severity and a one-line meaning. The README's "What we check" table lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .findings import Severity

__all__ = ["CODES", "Code", "code"]

CodeLayer = Literal["ruleset", "input", "xsd", "schematron", "totals", "preflight", "calculation", "server"]


@dataclass(frozen=True, slots=True)
class Code:
    """One id of ours: where it comes from, how severe it is by default, what it means."""

    id: str
    layer: CodeLayer
    severity: Severity | Literal["error"]
    """``error`` for the codes of raised errors; the finding severity otherwise."""
    meaning: str


def _codes(layer: CodeLayer, severity: Severity | Literal["error"], *entries: tuple[str, str]) -> list[Code]:
    return [Code(id_, layer, severity, meaning) for id_, meaning in entries]


CODES: dict[str, Code] = {c.id: c for c in [
    *_codes("ruleset", "information",
            ("PU-RULESET-UPCOMING", "a newer published version of the rule set becomes mandatory within 90 days"),
            ("PU-RULESET-SUPERSEDED", "the version that ran is no longer the one in force on the date"),
            ("PU-RULESET-DATE-UNKNOWN", "the catalogue knows no mandatory date for the rule set; its newest "
                                        "pinned version ran"),
            ("PU-RULESET-NEWER-UNPINNED", "a newer release is reported in force but is not pinned here")),
    *_codes("ruleset", "warning",
            ("PU-RULESET-ARCHIVE", "no pinned version was in force on the date; the oldest pinned one ran"),
            ("PU-RULESET-DEPRECATED", "the rule set was deprecated upstream")),
    *_codes("ruleset", "fatal",
            ("PU-RULESET-UNKNOWN", "ruleset auto: the document's CustomizationID names no rule set of the "
                                   "catalogue")),
    *_codes("input", "fatal",
            ("PU-INPUT-EMPTY", "no bytes, or only whitespace"),
            ("PU-INPUT-TOO-LARGE", "more bytes than the input limit, or a text or attribute value over libxml2's limit"),
            ("PU-INPUT-ENCODING", "bytes that are not valid in the document's encoding, or an unsupported encoding"),
            ("PU-INPUT-NOT-XML", "not well-formed XML"),
            ("PU-INPUT-DOCTYPE", "a DOCTYPE declaration (refused outright: UBL has no DTD)"),
            ("PU-INPUT-TOO-DEEP", "elements nested deeper than the depth limit"),
            ("PU-INPUT-TOO-MANY-ATTRIBUTES", "an element with more attributes and namespace declarations than the "
                                             "limit"),
            ("PU-INPUT-NAME-TOO-LONG", "a prefix, local name, processing-instruction target or namespace URI "
                                       "longer than the limit"),
            ("PU-INPUT-XINCLUDE", "an XInclude element (refused, never expanded)"),
            ("PU-INPUT-SBDH", "an SBDH envelope without exactly one payload element"),
            ("PU-INPUT-SBDH-TEXT", "an SBDH envelope with text beside its header and payload"),
            ("PU-INPUT-ROOT", "a root (or SBDH payload) that is not a UBL Invoice or CreditNote"),
            ("PU-INPUT-NOT-A-FILE", "a path that is not a regular file (directory, named pipe, device, socket); "
                                    "it is not opened")),
    *_codes("xsd", "fatal",
            ("PU-XSD", "the document breaks the OASIS UBL 2.1 schema of its type")),
    *_codes("schematron", "information",
            ("PU-SCHEMATRON-PREFIX-DECLARED", "an official Schematron file uses the xs/xsd prefix without "
                                              "declaring it; the compiler declared the XML Schema namespace")),
    *_codes("schematron", "fatal",
            ("PU-SCHEMATRON-UNREADABLE", "Saxon's XML parser cannot read a document the input layer accepted "
                                         "(a name character of XML 1.0 fifth edition only); no rule ran"),
            ("PU-SCHEMATRON-ENGINE", "Saxon failed while running one Schematron file on the document (an error "
                                     "no check could catch, e.g. unbounded recursion in a rule's function, or "
                                     "an internal error of Saxon); that file gave no verdict")),
    *_codes("totals", "fatal",
            ("PU-TOTALS-NUMBER", "a quantity, price, rate or amount that is not a decimal number"),
            ("PU-TOTALS-DECIMALS", "an amount with more than two decimals"),
            ("PU-TOTALS-RANGE", "an amount whose cents do not fit a signed 64-bit integer or cannot be rounded "
                                "exactly (over 28 significant digits), or numbers too large to recompute in cents"),
            ("PU-TOTALS-VAT-TAXABLE", "the taxable amount of a VAT group without a rule of its own (B) is not "
                                      "the sum of its lines and allowances/charges"),
            ("PU-TOTALS-VAT-GROUP-MISSING", "a VAT category used by a line or allowance/charge has no VAT "
                                            "breakdown")),
    *_codes("preflight", "fatal",
            ("PU-PREFLIGHT-BUILD", "the invoice model cannot be built into a document"),
            ("PU-PREFLIGHT-SENDER-SYNTAX", "no sender participant id, or not of the form XXXX:identifier"),
            ("PU-PREFLIGHT-SENDER-SCHEME", "the sender's scheme is not in the EAS list of the rules in force"),
            ("PU-PREFLIGHT-SENDER-IDENTIFIER", "the sender's identifier fails its scheme's check digit or format"),
            ("PU-PREFLIGHT-RECEIVER-SYNTAX", "no receiver participant id, or not of the form XXXX:identifier"),
            ("PU-PREFLIGHT-RECEIVER-SCHEME", "the receiver's scheme is not in the EAS list of the rules in force"),
            ("PU-PREFLIGHT-RECEIVER-IDENTIFIER", "the receiver's identifier fails its scheme's check digit or "
                                                 "format"),
            ("PU-PREFLIGHT-LINE-SUM", "the line net amounts do not add up to the stated sum within the "
                                      "tolerance"),
            ("PU-PREFLIGHT-UNREACHABLE", "the receiver is not reachable on the Peppol network")),
    *_codes("calculation", "error",
            ("PU-CALC-VAT-CATEGORY-MISSING", "a line or allowance/charge has no VAT category and no rate above 0"),
            ("PU-CALC-VAT-CATEGORY-UNKNOWN", "a VAT category code that is not in UNCL 5305's EN 16931 subset "
             "(in GST: not a PINT A-NZ or SG code)"),
            ("PU-CALC-TAX-SCHEME-UNKNOWN", "a document tax scheme without a category table (VAT and GST have one)"),
            ("PU-CALC-TAX-GROUP-AMOUNT", "a VAT breakdown group of another tax scheme than the document's without its "
             "taxable or tax amount"),
            ("PU-CALC-VAT-RATE", "a VAT rate the category does not allow (or none where it needs one)"),
            ("PU-CALC-ALLOWANCE-AMOUNT", "an allowance or charge with neither amount nor percentage"),
            ("PU-CALC-ALLOWANCE-BASE", "an allowance or charge base amount without a percentage"),
            ("PU-CALC-ALLOWANCE-MISMATCH", "an allowance or charge amount more than 0.02 from base × percentage"),
            ("PU-CALC-BASE-QUANTITY", "a price base quantity of 0 or less"),
            ("PU-CALC-EXEMPTION-CONFLICT", "two different exemption reasons (or codes) in one VAT group"),
            ("PU-CALC-EXEMPTION-MISSING", "a VAT group whose category needs an exemption reason has none"),
            ("PU-CALC-EXEMPTION-FORBIDDEN", "an exemption reason in a VAT group whose category forbids one"),
            ("PU-CALC-VAT-CURRENCY-TOTAL", "the VAT total in the VAT accounting currency (BT-111) is needed"),
            ("PU-CALC-VAT-CURRENCY-SIGN", "BT-111 has the opposite sign of the VAT total BT-110")),
    *_codes("server", "error",
            ("PU-SERVER-UNAUTHORIZED", "401: no bearer token, or not the server's (--token-file)"),
            ("PU-SERVER-NOT-FOUND", "404: no such endpoint"),
            ("PU-SERVER-METHOD", "405: the endpoint does not take this method"),
            ("PU-SERVER-QUERY", "400: an unknown query parameter, or a value it cannot take (an unknown rule "
                                "set, a date that is not YYYY-MM-DD …)"),
            ("PU-SERVER-LENGTH", "400: a Content-Length header that is not a number"),
            ("PU-SERVER-TOO-LARGE", "413: a request body over the server's --max-bytes, refused before it is "
                                    "read"),
            ("PU-SERVER-MEDIA-TYPE", "415: a Content-Type the endpoint does not take"),
            ("PU-SERVER-CONTRACT", "422: a body that is not a valid contract invoice; errors lists each field"),
            ("PU-SERVER-NOT-UBL", "400: /parse: bytes that cannot be read as a UBL Invoice or CreditNote"),
            ("PU-SERVER-IDEMPOTENCY-KEY", "400: an Idempotency-Key that is empty, over 128 characters or not "
                                          "printable ASCII"),
            ("PU-SERVER-IDEMPOTENCY-REUSED", "422: an Idempotency-Key already used with a different request"),
            ("PU-SERVER-OVERLOADED", "503: the queue of requests waiting for a validation process is full; "
                                     "retry after Retry-After seconds"),
            ("PU-SERVER-WORKER-CRASHED", "503: the validation process handling the request died; it has been "
                                         "replaced, retry after Retry-After seconds"),
            ("PU-SERVER-NOT-READY", "503: the validation processes could not compile the rule sets they "
                                    "warm at start"),
            ("PU-SERVER-INTERNAL", "500: an unexpected error in the server; detail says which")),
]}
"""Every id of ours, by id."""


def code(id_: str) -> Code:
    """The registry entry of ``id_``; ``KeyError`` for an id that is not ours."""
    return CODES[id_]
