"""Findings on a document built from a model point back at the contract field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from peppol_ubl.model import Invoice
from peppol_ubl.contract import validate_invoice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "invoices"


def _data(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _paths(data: dict[str, Any]) -> dict[str, set[str | None]]:
    report = validate_invoice(Invoice.model_validate(data))
    found: dict[str, set[str | None]] = {}
    for finding in report.findings:
        found.setdefault(finding.rule_id, set()).add(finding.contract_path)
    return found


def test_valid_fixture_has_no_findings() -> None:
    assert validate_invoice(Invoice.model_validate(_data("allowances-charges"))).findings == []


@pytest.mark.parametrize(
    ("mutate", "rule", "path"),
    [
        (lambda d: d["items"][1].update(price=-5), "BR-27", "items[1].price"),
        (lambda d: d["buyer"]["address"].update(country="XX"), "BR-CL-14", "buyer.address.country"),
        (lambda d: d["charges"][0].update(reason=None, reason_code=None), "BR-38", "charges[0]"),
        (lambda d: d["seller"]["endpoint_id"].update(scheme="9999"), "PEPPOL-EN16931-CL008",
         "seller.endpoint_id.scheme"),
        (lambda d: d["header"].update(currency="XYZ"), "BR-CL-04", "header.currency"),
        (lambda d: d["items"][0].update(unit_code="NOPE"), "BR-CL-23", "items[0].unit_code"),
        (lambda d: d["seller"].update(vat_number="XX123"), "BR-CO-09", "seller.vat_number"),
    ],
)
def test_finding_names_the_contract_field(mutate: Any, rule: str, path: str) -> None:
    data = _data("allowances-charges")
    mutate(data)
    found = _paths(data)
    assert rule in found, sorted(found)
    assert path in found[rule]


def test_cli_build_validate_shows_the_contract_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peppol_ubl.cli import main

    data = _data("zero-rated")
    data["items"][0]["price"] = -100
    source = tmp_path / "invoice.json"
    source.write_text(json.dumps(data))
    assert main(["build", str(source), "-o", str(tmp_path / "out.xml"), "--validate"]) == 1
    out = capsys.readouterr().out
    assert "BR-27" in out and "[items[0].price]" in out


def test_preflight_reasons_for_a_model_name_the_contract_field() -> None:
    from peppol_ubl import preflight

    data = _data("zero-rated")
    data["items"][0]["price"] = -100
    result = preflight(Invoice.model_validate(data))
    assert result.status == 412
    assert ("BR-27", "items[0].price") in {(r.rule_id, r.contract_path) for r in result.reasons}
