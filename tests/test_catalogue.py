"""The rule-set catalogue: pinned versions with dates, resolution by date, notices,
code lists per version, and the comparison with the next version."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from shared import SHARED

from peppol_ubl.artifacts import bundles
from peppol_ubl.catalogue import get_ruleset, next_version, rulesets, select
from peppol_ubl.codelists import codes
from peppol_ubl.validation import validate

BASE_EXAMPLE = SHARED / "examples" / "peppol" / "examples" / "base-example.xml"
D = dt.date

CATALOGUE = [
    # name, version, published, mandatory from
    ("peppol-bis-3", "3.0.19", D(2025, 5, 21), D(2025, 8, 25)),
    ("peppol-bis-3", "3.0.20", D(2025, 11, 24), D(2026, 2, 23)),
    ("peppol-bis-3", "3.0.21", D(2026, 5, 20), D(2026, 8, 24)),
    ("en16931", "1.3.15", D(2025, 10, 20), D(2025, 10, 20)),
    ("en16931", "1.3.16", D(2026, 4, 10), D(2026, 4, 10)),
]


def test_the_catalogue_holds_the_pinned_versions_with_their_dates() -> None:
    listed = [(r.name, r.version, r.published, r.mandatory_from) for r in rulesets()
              if r.name in ("peppol-bis-3", "en16931")]
    assert listed == CATALOGUE


def test_every_file_a_version_runs_is_pinned_and_versions_are_in_date_order() -> None:
    for ruleset in rulesets():
        assert ruleset.xsd_bundle in bundles()
        for source in ruleset.schematron:
            for path in (source.path, *source.includes):
                assert path in bundles()[source.bundle].files, (ruleset.id, path)
        for code_list in ruleset.code_lists:
            assert code_list.path in bundles()[code_list.bundle].files
        following = next_version(ruleset)
        if following is not None and ruleset.mandatory_from and following.mandatory_from:
            assert ruleset.mandatory_from < following.mandatory_from


def test_the_peppol_versions_run_the_cen_release_they_ship_with() -> None:
    cen = {r.version: r.schematron[0].version for r in rulesets() if r.name == "peppol-bis-3"}
    assert cen == {"3.0.19": "1.3.14.1", "3.0.20": "1.3.15", "3.0.21": "1.3.16"}
    # the files say so themselves
    for ruleset in rulesets():
        if ruleset.name == "peppol-bis-3":
            cen_file = ruleset.schematron[0].local_path().read_text(encoding="utf-8")
            assert f"Schematron version {ruleset.schematron[0].version}" in cen_file
            peppol_file = ruleset.schematron[1].local_path().read_text(encoding="utf-8")
            assert f"release {ruleset.version}." in peppol_file


@pytest.mark.parametrize(("spec", "on", "version", "reason"), [
    ("peppol-bis-3", D(2025, 8, 25), "3.0.19", "in force on 2025-08-25"),
    ("peppol-bis-3", D(2026, 2, 22), "3.0.19", "in force on 2026-02-22"),
    ("peppol-bis-3", D(2026, 2, 23), "3.0.20", "in force on 2026-02-23"),
    ("peppol-bis-3", D(2026, 6, 1), "3.0.20", "in force on 2026-06-01"),
    ("peppol-bis-3", D(2026, 8, 24), "3.0.21", "in force on 2026-08-24"),
    ("peppol-bis-3", D(2026, 12, 1), "3.0.21", "in force on 2026-12-01"),
    ("peppol-bis-3", D(2024, 1, 1), "3.0.19", "oldest pinned version (none was in force on 2024-01-01)"),
    ("peppol-bis-3@3.0.20", D(2026, 12, 1), "3.0.20", "pinned by the caller"),
    ("peppol-bis-3@latest", D(2026, 6, 1), "3.0.21", "newest published on 2026-06-01"),
    ("peppol-bis-3@latest", D(2026, 5, 19), "3.0.20", "newest published on 2026-05-19"),
    ("peppol-bis-3@latest", D(2025, 1, 1), "3.0.19", "oldest pinned version (none published by 2025-01-01)"),
    ("en16931", D(2026, 4, 9), "1.3.15", "in force on 2026-04-09"),
    ("en16931", D(2026, 4, 10), "1.3.16", "in force on 2026-04-10"),
])
def test_resolution_by_date(spec: str, on: dt.date, version: str, reason: str) -> None:
    selection = select(spec, on)
    assert (selection.ruleset.version, selection.reason) == (version, reason)
    assert get_ruleset(spec, on) == selection.ruleset


@pytest.mark.parametrize(("spec", "on", "notices"), [
    # 3.0.21 was published on 2026-05-20 and becomes mandatory on 2026-08-24
    ("peppol-bis-3", D(2026, 6, 1), [("PU-RULESET-UPCOMING", "information")]),
    ("peppol-bis-3", D(2026, 5, 26), [("PU-RULESET-UPCOMING", "information")]),  # 90 days before
    ("peppol-bis-3", D(2026, 5, 25), []),  # 91 days before
    ("peppol-bis-3", D(2026, 5, 19), []),  # not yet published
    ("peppol-bis-3", D(2026, 8, 24), []),  # in force
    ("peppol-bis-3@3.0.21", D(2026, 6, 1), []),  # nothing newer
    ("peppol-bis-3@3.0.19", D(2026, 12, 1), [("PU-RULESET-SUPERSEDED", "information")]),
    ("peppol-bis-3@3.0.20", D(2026, 6, 1), [("PU-RULESET-UPCOMING", "information")]),
    ("peppol-bis-3", D(2024, 1, 1), [("PU-RULESET-ARCHIVE", "warning")]),
])
def test_notices(spec: str, on: dt.date, notices: list[tuple[str, str]]) -> None:
    assert [(n.rule_id, n.severity) for n in select(spec, on).notices] == notices


def test_the_upcoming_notice_says_when_and_how_to_prepare() -> None:
    [notice] = select("peppol-bis-3", D(2026, 6, 1)).notices
    assert "3.0.21" in notice.message and "2026-08-24" in notice.message and "in 84 days" in notice.message
    assert "compare" in notice.message


@pytest.mark.parametrize("spec", ["peppol-bis-2", "peppol-bis-3@3.0.18", "peppol-bis-3@", "@3.0.21"])
def test_unknown_names_and_versions_list_the_known_ones(spec: str) -> None:
    with pytest.raises(ValueError) as raised:
        select(spec, D(2026, 12, 1))
    text = str(raised.value)
    assert "peppol-bis-3" in text or "3.0.21" in text


def test_an_unknown_version_lists_the_known_versions() -> None:
    with pytest.raises(ValueError, match="3.0.19, 3.0.20, 3.0.21"):
        select("peppol-bis-3@3.0.18")


def test_a_selection_is_kept_per_spec_and_day_and_a_misuse_raises_each_time() -> None:
    """Every validation asks ``select``: its answer for a spec on a day is kept, and is
    the one it computes (the date in the reason and the notices is the day asked)."""
    first = select("peppol-bis-3", D(2026, 6, 1))
    assert select("peppol-bis-3", D(2026, 6, 1)) is first
    later = select("peppol-bis-3", D(2026, 12, 1))
    assert later is not first and later.on == D(2026, 12, 1)
    assert (first.ruleset.version, first.reason) == ("3.0.20", "in force on 2026-06-01")
    assert (later.ruleset.version, later.reason) == ("3.0.21", "in force on 2026-12-01")
    for _ in range(2):
        with pytest.raises(ValueError, match="3.0.19, 3.0.20, 3.0.21"):
            select("peppol-bis-3@3.0.18", D(2026, 6, 1))


def test_a_report_carries_the_version_its_reason_and_the_notices() -> None:
    report = validate(BASE_EXAMPLE, on=D(2026, 6, 1))
    assert (report.ruleset, report.ruleset_version, report.ruleset_reason) == (
        "peppol-bis-3", "3.0.20", "in force on 2026-06-01")
    assert [(f.rule_id, f.severity, f.layer) for f in report.findings] == [
        ("PU-RULESET-UPCOMING", "information", "ruleset")]
    assert report.ok
    archive = validate(BASE_EXAMPLE, on=D(2020, 1, 1), schema=False, rules=False, totals=False)
    assert [(f.rule_id, f.severity) for f in archive.findings] == [("PU-RULESET-ARCHIVE", "warning")]
    assert archive.ok and archive.ruleset_version == "3.0.19"  # archives get a verdict, labelled


# --- code lists per version ------------------------------------------------------------


def _schematron_codes(ruleset_spec: str, let: str) -> frozenset[str]:
    """The code list as the version's own Peppol Schematron holds it, read directly."""
    from lxml import etree

    source = get_ruleset(ruleset_spec).schematron[1].local_path()
    [value] = etree.parse(str(source)).xpath(
        "//s:let[@name = $n]/@value", namespaces={"s": "http://purl.oclc.org/dsdl/schematron"}, n=let)
    return frozenset(str(value).split("'")[1].split())


@pytest.mark.parametrize("spec", ["peppol-bis-3@3.0.19", "peppol-bis-3@3.0.20", "peppol-bis-3@3.0.21"])
def test_the_eas_list_of_each_version_is_the_one_its_rules_use(spec: str) -> None:
    assert codes(get_ruleset(spec), "eas") == _schematron_codes(spec, "eaid")


def test_eas_lists_differ_between_versions() -> None:
    v19, v20, v21 = (codes(get_ruleset(f"peppol-bis-3@{v}"), "eas") for v in ("3.0.19", "3.0.20", "3.0.21"))
    assert v20 - v19 == {"0244", "0245"}  # 0245 by the hotfix of 2026-01-21
    assert {"0037", "0213"} <= v20 - v21  # removed in 3.0.21
    assert "0037" in v19 and "0245" in v21


def test_a_version_without_a_code_list_file_reads_its_schematron() -> None:
    source = get_ruleset("peppol-bis-3@3.0.20").code_list("eas")
    assert (source.path, source.let) == ("sch/PEPPOL-EN16931-UBL.sch", "eaid")
    assert "codelist/eas.xml" not in bundles()["peppol-bis-billing-3.0.20"].files


def test_the_catalogue_is_data() -> None:
    """Every version comes from our catalogue file, in its order; none is defined in code."""
    data = json.loads((Path(__file__).resolve().parents[1] / "peppol_ubl" / "manifests" / "rulesets.json").read_text())
    listed = [(e["name"], e["version"]) for e in data["rulesets"]]
    assert sorted(listed) == sorted((r.name, r.version) for r in rulesets())
    for name in {n for n, _ in listed}:
        assert [v for n, v in listed if n == name] == [r.version for r in rulesets() if r.name == name]
    assert data["default"] == "peppol-bis-3" == rulesets()[0].name


# --- compare_next -----------------------------------------------------------------------

_ENDPOINT = b'<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>'


def _with_seller_scheme(scheme: str) -> bytes:
    data = BASE_EXAMPLE.read_bytes()
    assert _ENDPOINT in data
    return data.replace(_ENDPOINT, _ENDPOINT.replace(b"0088", scheme.encode()), 1)


_SELLER_ENDPOINT = "/*:Invoice[1]/*:AccountingSupplierParty[1]/*:Party[1]/*:EndpointID[1]"
CL008 = ("PEPPOL-EN16931-CL008", "fatal", "schematron", _SELLER_ENDPOINT)
BR_CL_25 = ("BR-CL-25", "fatal", "schematron", _SELLER_ENDPOINT)


@pytest.mark.parametrize(("scheme", "spec", "on", "next_version_", "added", "removed", "next_ok"), [
    # 0037 (Finnish OVT) leaves the EAS list in 3.0.21: valid today under 3.0.20, not after
    ("0037", "peppol-bis-3", D(2026, 6, 1), "3.0.21", [CL008], [], False),
    # 0245 enters with 3.0.20 (CEN 1.3.15 and the Peppol hotfix): 3.0.19 refuses it twice
    ("0245", "peppol-bis-3@3.0.19", D(2026, 6, 1), "3.0.20", [], [BR_CL_25, CL008], True),
    ("0088", "peppol-bis-3", D(2026, 6, 1), "3.0.21", [], [], True),
])
def test_compare_next_lists_the_findings_that_would_change(
        scheme: str, spec: str, on: dt.date, next_version_: str,
        added: list[tuple[str, str, str, str]], removed: list[tuple[str, str, str, str]],
        next_ok: bool) -> None:
    report = validate(_with_seller_scheme(scheme), ruleset=spec, on=on, compare_next=True)
    comparison = report.compare_next
    assert comparison is not None and comparison.version == next_version_
    assert [(f.rule_id, f.severity, f.layer, f.location) for f in comparison.added] == added
    assert [(f.rule_id, f.severity, f.layer, f.location) for f in comparison.removed] == removed
    assert comparison.ok is next_ok
    assert f"compared with peppol-bis-3@{next_version_}" in report.to_text()


def test_compare_next_without_a_newer_version_runs_nothing_and_says_so() -> None:
    report = validate(BASE_EXAMPLE, on=D(2026, 12, 1), compare_next=True)
    assert report.compare_next is not None
    assert report.compare_next.version is None and report.compare_next.ok is None
    assert "no newer pinned version of peppol-bis-3 than 3.0.21" in report.compare_next.note
    assert report.compare_next.note in report.to_text()
    assert validate(BASE_EXAMPLE, on=D(2026, 12, 1)).compare_next is None


def test_compare_next_survives_the_json_round_trip() -> None:
    from peppol_ubl.validation.report import Report

    report = validate(_with_seller_scheme("0037"), on=D(2026, 6, 1), compare_next=True)
    assert Report.from_json(report.to_json()) == report
