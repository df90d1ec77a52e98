"""Pre-flight: may this invoice be sent on the Peppol network now? (seeds 000 and 003)

:func:`preflight` runs the checks a sending platform makes before submitting, and
answers like the send endpoint: ``204`` (accepted for processing) or ``412``
(precondition failed) with every reason. Checks, each a ``PU-PREFLIGHT-…`` finding
(fatal, layer ``preflight``) when it fails:

* the document can be built from the model (``PU-PREFLIGHT-BUILD``, naming the field;
  also when a calculated amount does not fit 64-bit cents);
* sender and receiver are ISO 6523 participant ids ``XXXX:identifier`` whose scheme is
  in the Peppol EAS list of the rule set that runs (for a rule set without one, such as
  ``en16931``, that of the Peppol BIS version in force on the same date) and whose
  identifier passes that scheme's check digit or format
  (:mod:`peppol_ubl.participant`): ``PU-PREFLIGHT-SENDER-SYNTAX`` / ``-SCHEME`` /
  ``-IDENTIFIER`` and the same for ``RECEIVER``. They default to the seller's and the
  buyer's endpoint ids (BT-34, BT-49) as ``schemeID:value``;
* the sum of the line net amounts (Σ BT-131) matches the sum the document states
  (BT-106) within ``tolerance_cents`` (``PU-PREFLIGHT-LINE-SUM``);
* full validation (:func:`peppol_ubl.validation.validate`: input, UBL XSD, the rule
  set, by default the Peppol BIS version in force on ``on``, totals) finds nothing
  fatal; its findings, warnings included, are added to the reasons;
* ``reachable(receiver)``, when given, is true (``PU-PREFLIGHT-UNREACHABLE``); it is
  only asked about a receiver id that passed its checks, and its exceptions propagate.

The fingerprint is :func:`peppol_ubl.fingerprints.fingerprint` of a model source, and
:func:`peppol_ubl.fingerprints.document_fingerprint` of an XML source (``None`` when the
XML cannot be read).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from lxml import etree

from .catalogue import AUTO, RuleSet, Selection, default_ruleset, get_ruleset, select
from .contract import build_and_validate
from .errors import BuildError, CalculationError
from .findings import Finding
from .fingerprints import document_fingerprint, fingerprint
from .model import Invoice
from .money import AmountRangeError, format_cents
from .participant import check_participant_id
from .ubl.amounts import read_document
from .validation import validate
from .xml.namespaces import CAC, CBC
from .xml.safe import hardened_parser, parse_document

__all__ = ["PreflightResult", "preflight"]

_ACCEPTED: Final = 204
_PRECONDITION_FAILED: Final = 412
_ENDPOINTS = {"SENDER": "AccountingSupplierParty", "RECEIVER": "AccountingCustomerParty"}


@dataclass(frozen=True, slots=True)
class PreflightResult:
    """The answer of :func:`preflight`: ``status`` 204 when ``accepted``, else 412."""

    accepted: bool
    status: Literal[204, 412]
    reasons: tuple[Finding, ...]
    fingerprint: str | None


def _reason(rule_id: str, message: str, location: str | None = None) -> Finding:
    return Finding(f"PU-PREFLIGHT-{rule_id}", "fatal", "preflight", message, location)


def _endpoint(root: etree._Element, party: str) -> str | None:
    """``schemeID:value`` of a party's EndpointID (BT-34 seller, BT-49 buyer)."""
    element = root.find(f"{{{CAC}}}{party}/{{{CAC}}}Party/{{{CBC}}}EndpointID")
    if element is None:
        return None
    return f"{(element.get('schemeID') or '').strip()}:{(element.text or '').strip()}"


def _participant(role: str, participant: str | None, ruleset: RuleSet) -> list[Finding]:
    """PU-PREFLIGHT-{SENDER,RECEIVER}-{SYNTAX,SCHEME,IDENTIFIER}."""
    if participant is None:
        return [_reason(f"{role}-SYNTAX", f"no {role.lower()} participant id: give one or "
                        f"an EndpointID on the {_ENDPOINTS[role]}")]
    problem = check_participant_id(participant, ruleset)
    if problem is None:
        return []
    return [_reason(f"{role}-{problem.kind.upper()}", f"{role.lower()} {participant!r}: "
                    f"{problem.message}")]


def _line_sum(root: etree._Element, tolerance_cents: int) -> list[Finding]:
    """PU-PREFLIGHT-LINE-SUM: Σ line net amounts BT-131 against BT-106."""
    document = read_document(root)
    if document is None:
        return []
    stated = document.monetary.get("LineExtensionAmount")
    nets = [line.net for line in document.lines]
    if stated is None or any(net is None for net in nets):
        return [_reason("LINE-SUM", "the line net amounts (BT-131) or their sum (BT-106) are "
                        "missing or unreadable",
                        document.monetary_location.path if document.monetary_location else None)]
    total = sum(net.cents for net in nets if net is not None)
    if abs(total - stated.cents) <= tolerance_cents:
        return []
    return [_reason("LINE-SUM", f"the line net amounts add up to {format_cents(total)}, the "
                    f"document states {format_cents(stated.cents)} (tolerance "
                    f"{format_cents(tolerance_cents)})", stated.location.path)]


def _document(source: Invoice | bytes | str | os.PathLike[str], spec: str, on: dt.date
              ) -> tuple[etree._Element | None, list[Finding], str | None]:
    """The document's root, the reasons met getting and validating it (validation
    findings of a model name their contract field), and the source's fingerprint."""
    if isinstance(source, Invoice):
        try:
            xml, report = build_and_validate(source, ruleset=spec, on=on)
        except (BuildError, CalculationError) as exc:
            return None, [_reason("BUILD", f"the invoice cannot be built: {exc.reason}",
                                  exc.path)], fingerprint(source)
        except AmountRangeError as exc:  # calculated amounts beyond 64-bit cents
            return None, [_reason("BUILD", f"the invoice cannot be built: {exc}")], fingerprint(source)
        return etree.fromstring(xml, hardened_parser()), list(report.findings), fingerprint(source)
    parsed = parse_document(source)
    if parsed.root is None:
        return None, list(parsed.findings), None
    report = validate(parsed.xml, ruleset=spec, on=on)
    return parsed.root, list(report.findings), document_fingerprint(parsed.root)


def _eas_rules(selection: Selection) -> RuleSet:
    """The rule-set version whose EAS list checks the participant ids."""
    if any(source.name == "eas" for source in selection.ruleset.code_lists):
        return selection.ruleset
    return get_ruleset(default_ruleset(), selection.on)


def _model_endpoint(invoice: Invoice, role: str) -> str | None:
    party = invoice.seller if role == "SENDER" else invoice.buyer
    endpoint = party.endpoint_id if party else None
    if endpoint is None:
        return None
    return f"{endpoint.scheme or ''}:{endpoint.value or ''}"


def preflight(
    source: Invoice | bytes | str | os.PathLike[str],
    *,
    sender: str | None = None,
    receiver: str | None = None,
    reachable: Callable[[str], bool] | None = None,
    tolerance_cents: int = 2,
    ruleset: str | None = None,
    on: dt.date | None = None,
) -> PreflightResult:
    """Check that ``source`` (a model, or UBL XML bytes or a file path) can be sent from
    ``sender`` to ``receiver`` under ``ruleset`` (a spec as for ``validate``, resolved on
    ``on``, default today); see the module docstring for the checks."""
    if tolerance_cents < 0:
        raise ValueError(f"tolerance_cents must not be negative, got {tolerance_cents}")
    spec = ruleset or default_ruleset()
    selection = select(default_ruleset() if spec == AUTO else spec, on)
    eas_rules = _eas_rules(selection)
    root, findings, print_ = _document(source, spec, selection.on)
    reasons: list[Finding] = []
    for role, given in (("SENDER", sender), ("RECEIVER", receiver)):
        if given is None:
            if isinstance(source, Invoice):
                given = _model_endpoint(source, role)
            elif root is not None:
                given = _endpoint(root, _ENDPOINTS[role])
            else:
                continue  # an unreadable document: its input finding says it all
        found = _participant(role, given, eas_rules)
        reasons += found
        if role == "RECEIVER" and not found and given and reachable and not reachable(given):
            reasons.append(_reason("UNREACHABLE", f"receiver {given!r} is not reachable on "
                                   "the Peppol network"))
    if root is not None:
        reasons += _line_sum(root, tolerance_cents)
    reasons += findings
    accepted = not any(reason.severity == "fatal" for reason in reasons)
    return PreflightResult(accepted, _ACCEPTED if accepted else _PRECONDITION_FAILED,
                           tuple(reasons), print_)
