"""Participant ids: syntax, EAS scheme (the list of the version in force), per-scheme check
digits and formats. The tables were written for the 3.0.19 EAS list and pin it."""

from __future__ import annotations

import pytest

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.participant import (
    ParticipantId,
    check_participant_id,
    eas_codes,
    parse_participant_id,
    scheme_check,
)

VALID = [
    "0088:5790000435951",          # GLN
    "0088:5412345000006",
    "0192:974760673",              # Brønnøysundregistrene itself
    "0208:0412345614",
    "0007:5560125790",
    "0151:51824753556",            # ABN
    "0184:DK12345678",             # format only
    "0184:12345678",
    "9930:DE136695976",            # German VAT, with and without prefix
    "9930:136695976",
    "9944:NL004495445B01",
    "9957:FR40303265045",
    "0204:04011000-1234512345-06",  # Leitweg-ID
    "0196:4504013150",
    "0199:213800D1EI4B9WTWWD28",   # LEI
    "0002:552008443",              # SIREN
    "0009:73282932000074",         # SIRET
    "0037:2077474-0",
    "0216:003720774740",
    "0211:IT00743110157",
    "0211:00743110157",
    "0210:RSSMRA85T10A562S",
    "0221:T5835678256246",
    "9918:DEUTDEFF",
    "0201:ABC123",
    "0106:12345678",
    "0060:123456789",
    "0096:anything-goes.1",        # generic format
]

INVALID = [
    ("0088:5790000435950", "identifier"),
    ("0088:579000043595X", "identifier"),
    ("0192:974760674", "identifier"),
    ("0192:97476067", "identifier"),
    ("0208:0412345615", "identifier"),
    ("0007:5560125791", "identifier"),
    ("0007:556012-5790", "identifier"),
    ("0151:51824753557", "identifier"),
    ("0184:DK1234567", "identifier"),
    ("9930:DE136695977", "identifier"),
    ("0204:04011000-1234512345-07", "identifier"),
    ("0211:IT00743110158", "identifier"),
    ("0201:ABC1234", "identifier"),
    ("0106:1234567", "identifier"),
    ("0096:has space", "identifier"),
    ("0096:" + "x" * 51, "identifier"),
    ("0000:123", "scheme"),
    ("9999:123", "scheme"),
    ("088:5790000435951", "syntax"),
    ("0088-5790000435951", "syntax"),
    ("0088:", "syntax"),
    ("", "syntax"),
]


V3_0_19 = get_ruleset("peppol-bis-3@3.0.19")


@pytest.mark.parametrize("text", VALID)
def test_valid_participant_ids(text: str) -> None:
    assert check_participant_id(text, V3_0_19) is None


@pytest.mark.parametrize(("text", "kind"), INVALID)
def test_invalid_participant_ids(text: str, kind: str) -> None:
    problem = check_participant_id(text, V3_0_19)
    assert problem is not None and problem.kind == kind


@pytest.mark.parametrize(("text", "version", "kind"), [
    ("0037:2077474-0", "3.0.20", None),       # Finnish OVT: in the list until 3.0.21
    ("0037:2077474-0", "3.0.21", "scheme"),
    ("0245:1234567890", "3.0.19", "scheme"),  # added by the 3.0.20 hotfix
    ("0245:1234567890", "3.0.20", None),
    ("0245:1234567890", "3.0.21", None),
])
def test_the_scheme_list_is_the_one_of_the_version(text: str, version: str, kind: str | None) -> None:
    problem = check_participant_id(text, get_ruleset(f"peppol-bis-3@{version}"))
    assert (problem.kind if problem else None) == kind
    if problem:
        assert f"3.0.{version[-2:]}" in problem.message  # names the version whose list it used


def test_parse() -> None:
    assert parse_participant_id("0088:5790000435951") == ParticipantId("0088", "5790000435951")
    assert str(ParticipantId("0192", "974760673")) == "0192:974760673"
    with pytest.raises(ValueError):
        parse_participant_id("GLN:5790000435951")


def test_eas_list_is_read_from_the_pinned_code_list() -> None:
    codes = eas_codes(V3_0_19)
    assert {"0088", "0192", "0208", "9930", "0007"} <= codes
    assert "0000" not in codes and len(codes) > 80


def test_every_scheme_of_the_list_has_a_check() -> None:
    kinds = {code: scheme_check(code)[0] for code in eas_codes(V3_0_19) | eas_codes()}
    assert kinds["0088"] == kinds["0192"] == kinds["9930"] == "check digit"
    assert kinds["0184"] == kinds["0190"] == "format"


def test_gln_must_have_thirteen_digits() -> None:
    from peppol_ubl.participant import check_participant_id

    assert check_participant_id("0088:5412345000006") is None
    assert check_participant_id("0088:123") is not None  # valid mod-10, but not a GLN
