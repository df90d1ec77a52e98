"""Peppol participant identifiers: ISO 6523 ``scheme:identifier`` with an EAS scheme.

A participant (the sender or receiver of a document, BT-34/BT-49 endpoint ids) is named
``XXXX:identifier``: a four-digit Electronic Address Scheme code from the Peppol EAS code
list of the rule-set version in force (:func:`peppol_ubl.codelists.codes`: its
``codelist/eas.xml``, or the ``eaid`` list of its Schematron) and the identifier within
that scheme. :func:`check_participant_id` checks the three in turn: syntax,
scheme, identifier.

Identifiers are checked per scheme (:func:`scheme_check`):

* **check digit** (python-stdnum, or the Peppol rule where Peppol is more lenient than
  stdnum): 0002 SIREN, 0007 Swedish organisation number (Luhn, PEPPOL-COMMON-R049),
  0009 SIRET, 0037 Finnish Y-tunnus, 0088 GLN (GS1 mod 10, PEPPOL-COMMON-R040), 0151
  ABN (PEPPOL-COMMON-R050), 0183 Swiss UID, 0188 Japanese corporate number, 0192
  Norwegian organisation number (mod 11, PEPPOL-COMMON-R041), 0195 Singapore UEN, 0196
  Icelandic kennitala, 0199 LEI, 0204 Leitweg-ID, 0208 Belgian enterprise number (mod
  97, PEPPOL-COMMON-R043), 0210 Italian codice fiscale (16 characters; the 11-digit
  form is format only), 0211 Italian partita IVA (with or without ``IT``), 0213 Finnish
  VAT, 0216 OVT code (its Y-tunnus), 0221 Japanese invoice issuer (``T`` + corporate
  number), 9918 BIC, 9959 US EIN, and the VAT-number schemes 9910 … 9957 of countries
  stdnum knows (prefix optional);
* **format only**: 0060 D-U-N-S (9 digits), 0106 KvK (8 digits), 0184 Danish CVR
  (``DK`` + 8 digits or 8 digits, as PEPPOL-COMMON-R042), 0190 Dutch OIN (20 digits),
  0200 Lithuanian legal entity code (9 digits), 0201 Codice IPA (6 letters or digits,
  PEPPOL-COMMON-R044), 0218 Latvian registration number (11 digits); every other
  scheme of the list (and 9924, 9936, 9953, whose countries stdnum does not cover) gets
  the generic format: 1 to 50 printable ASCII characters without spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from stdnum import bic, ean, lei
from stdnum.au import abn
from stdnum.ch import uid
from stdnum.de import leitweg
from stdnum.fi import alv, ytunnus
from stdnum.fr import siren, siret
from stdnum.is_ import kennitala
from stdnum.it import codicefiscale, iva
from stdnum.jp import cn
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr
from stdnum.sg import uen
from stdnum.us import ein
from stdnum.util import get_cc_module

from .catalogue import RuleSet, get_ruleset
from .codelists import codes

__all__ = [
    "CheckKind",
    "ParticipantId",
    "ParticipantProblem",
    "check_participant_id",
    "eas_codes",
    "parse_participant_id",
    "scheme_check",
]

CheckKind = Literal["check digit", "format"]
_SYNTAX = re.compile(r"^(?P<scheme>[0-9]{4}):(?P<identifier>.+)$", re.DOTALL)
_GENERIC = re.compile(r"^[!-~]{1,50}$")


@dataclass(frozen=True, slots=True)
class ParticipantId:
    """A participant identifier: EAS ``scheme`` and the ``identifier`` within it."""

    scheme: str
    identifier: str

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}"


@dataclass(frozen=True, slots=True)
class ParticipantProblem:
    """Why a participant id is refused: bad ``syntax``, unknown ``scheme``, or an
    ``identifier`` that fails its scheme's check digit or format."""

    kind: Literal["syntax", "scheme", "identifier"]
    message: str


def parse_participant_id(text: str) -> ParticipantId:
    """Split ``XXXX:identifier``; ``ValueError`` when it is not of that shape."""
    match = _SYNTAX.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 6523 participant id 'XXXX:identifier' "
                         "(four-digit scheme, colon, identifier)")
    return ParticipantId(match["scheme"], match["identifier"])


def eas_codes(ruleset: RuleSet | None = None) -> frozenset[str]:
    """The scheme codes of the Peppol EAS code list of ``ruleset`` (default: the Peppol
    BIS version in force today)."""
    return codes(ruleset or get_ruleset(), "eas")


def _digits(length: int) -> Callable[[str], bool]:
    pattern = re.compile(rf"^[0-9]{{{length}}}$")
    return lambda value: pattern.match(value) is not None


def _gln(value: str) -> bool:
    """GS1 GLN: 13 digits with a mod-10 check digit. Stricter than PEPPOL-COMMON-R040,
    which accepts any length: a 3-digit "GLN" cannot address a real participant."""
    return value.isascii() and value.isdigit() and len(value) == 13 and \
        ean.calc_check_digit(value[:-1]) == value[-1]


def _be_enterprise(value: str) -> bool:
    """PEPPOL-COMMON-R043: ten digits, the last two 97 − (the first eight mod 97)."""
    return _digits(10)(value) and int(value[8:]) == 97 - int(value[:8]) % 97


def _dk(value: str) -> bool:
    """PEPPOL-COMMON-R042: ``DK`` + 8 digits, or 8 digits."""
    return _digits(8)(value[2:] if value.startswith("DK") else value)


def _codice_fiscale(value: str) -> bool:
    return codicefiscale.is_valid(value) if len(value) == 16 else _digits(11)(value)


def _partita_iva(value: str) -> bool:
    return iva.is_valid(value[2:] if value.upper().startswith("IT") else value)


def _ovt(value: str) -> bool:
    """0216: ``0037`` + the 8-digit Y-tunnus + an optional suffix of up to 5 characters."""
    return (re.match(r"^0037[0-9]{8}[0-9A-Za-z]{0,5}$", value) is not None
            and ytunnus.is_valid(value[4:12]))


def _japan_invoice_issuer(value: str) -> bool:
    return value[:1] == "T" and cn.is_valid(value[1:])


def _digits_only(check: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda value: value.isascii() and value.isdigit() and check(value)


_VAT_COUNTRIES = {
    "9910": "hu", "9914": "at", "9920": "es", "9922": "ad", "9923": "al", "9925": "be",
    "9926": "bg", "9927": "ch", "9928": "cy", "9929": "cz", "9930": "de", "9931": "ee",
    "9932": "gb", "9933": "gr", "9934": "hr", "9935": "ie", "9937": "lt", "9938": "lu",
    "9939": "lv", "9940": "mc", "9941": "me", "9942": "mk", "9943": "mt", "9944": "nl",
    "9945": "pl", "9946": "pt", "9947": "ro", "9948": "rs", "9949": "si", "9950": "sk",
    "9951": "sm", "9952": "tr", "9957": "fr",
}


def _vat(country: str) -> Callable[[str], bool]:
    module = get_cc_module(country, "vat")
    if module is None:  # every country of _VAT_COUNTRIES has one; fail at import, not per call
        raise ImportError(f"python-stdnum has no VAT module for country {country!r}")
    return lambda value: bool(module.is_valid(value))


_CHECK_DIGIT: dict[str, Callable[[str], bool]] = {
    "0002": _digits_only(siren.is_valid),
    "0007": _digits_only(lambda value: len(value) == 10 and se_orgnr.is_valid(value)),
    "0009": _digits_only(siret.is_valid),
    "0037": ytunnus.is_valid,
    "0088": _gln,
    "0151": _digits_only(abn.is_valid),
    "0183": uid.is_valid,
    "0188": _digits_only(cn.is_valid),
    "0192": _digits_only(lambda value: len(value) == 9 and no_orgnr.is_valid(value)),
    "0195": uen.is_valid,
    "0196": kennitala.is_valid,
    "0199": lei.is_valid,
    "0204": leitweg.is_valid,
    "0208": _be_enterprise,
    "0210": _codice_fiscale,
    "0211": _partita_iva,
    "0213": alv.is_valid,
    "0216": _ovt,
    "0221": _japan_invoice_issuer,
    "9918": bic.is_valid,
    "9959": ein.is_valid,
    **{scheme: _vat(country) for scheme, country in _VAT_COUNTRIES.items()},
}

_FORMAT: dict[str, Callable[[str], bool]] = {
    "0060": _digits(9),
    "0106": _digits(8),
    "0184": _dk,
    "0190": _digits(20),
    "0200": _digits(9),
    "0201": lambda value: re.match(r"^[A-Za-z0-9]{6}$", value) is not None,
    "0218": _digits(11),
}


def scheme_check(scheme: str) -> tuple[CheckKind, Callable[[str], bool]]:
    """How identifiers of ``scheme`` are checked: kind and predicate."""
    if scheme in _CHECK_DIGIT:
        return "check digit", _CHECK_DIGIT[scheme]
    return "format", _FORMAT.get(scheme, lambda value: _GENERIC.match(value) is not None)


def check_participant_id(text: str, ruleset: RuleSet | None = None) -> ParticipantProblem | None:
    """``None`` for a usable participant id, else the first problem found; the scheme
    must be in the EAS list of ``ruleset`` (default: the Peppol BIS version in force today)."""
    try:
        participant = parse_participant_id(text)
    except ValueError as exc:
        return ParticipantProblem("syntax", str(exc))
    version = ruleset or get_ruleset()
    if participant.scheme not in eas_codes(version):
        return ParticipantProblem("scheme", f"scheme {participant.scheme} is not in the Peppol "
                                  f"EAS code list of {version.title}")
    kind, valid = scheme_check(participant.scheme)
    if not _GENERIC.match(participant.identifier) or not valid(participant.identifier):
        return ParticipantProblem("identifier", f"{participant.identifier!r} fails the "
                                  f"{kind} check of scheme {participant.scheme}")
    return None
