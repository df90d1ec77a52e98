"""No silent data loss in the writer: every contract field lands in the document, or the
README lists it as not written.

Each model (the fixtures, and hypothesis invoices from ``peppol_ubl.testing.strategies``)
is calculated, then changed one field at a time to a different value (text + "Q",
number + 1, date + 1 day, flag flipped); a change the contract or the writer accepts must
change the XML, unless the field is in the README's "Not written to UBL" list.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from model_paths import is_model_path
from pydantic import ValidationError

from peppol_ubl.calculation import calculate
from peppol_ubl.errors import BuildError, CalculationError
from peppol_ubl.model import Identifier, Invoice
from peppol_ubl.testing.strategies import invoices
from peppol_ubl.ubl.writer import to_xml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "fixtures" / "invoices").glob("*.json"))


def not_written() -> set[str]:
    """The field paths the README lists under "Not written to UBL" (before each colon)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Not written to UBL", 1)[1].split("\n## ", 1)[0]
    bullets = " ".join(section.split("\n")).split(" - ")[1:]
    return {name for bullet in bullets for name in re.findall(r"`([^`]+)`", bullet.split(":", 1)[0])}


NOT_WRITTEN = not_written()


def listed(name: str) -> bool:
    """Whether the list names the field (a bare name such as ``scheme``: in any group)."""
    return name in NOT_WRITTEN or name.rpartition(".")[2] in {n for n in NOT_WRITTEN if "." not in n}


def leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif value is not None:
        yield path, value


def changed(value: Any) -> Any:
    """A different value of the same type that no normal form equates with ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | Decimal):
        return value + 1
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, str):
        return value + "Q"
    raise AssertionError(f"no change for {value!r}")


def field_name(path: tuple[str | int, ...]) -> str:
    """``("items", 2, "price")`` -> ``items[].price``."""
    return ".".join("[]" if isinstance(part, int) else part for part in path).replace(".[]", "[]")


def set_at(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    container: Any = data
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = value


def lost_fields(invoice: Invoice) -> dict[str, int]:
    """Fields whose change the XML does not show, with how many times, outside the list;
    and (under the key ``""``) how many changes were built at all."""
    model = calculate(invoice).model_copy(update={"calculate_totals": False}) if invoice.calculate_totals else invoice
    xml = to_xml(model)
    lost: dict[str, int] = {"": 0}
    for path, value in leaves(model.model_dump(mode="python")):
        data = model.model_dump(mode="python")
        set_at(data, path, changed(value))
        try:
            other = to_xml(Invoice.model_validate(data))
        except (ValidationError, BuildError, CalculationError):
            continue  # a value the contract or the writer refuses: not lost, refused
        lost[""] += 1
        name = field_name(path)
        if other == xml and not listed(name):
            lost[name] = lost.get(name, 0) + 1
    return lost


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_field_of_the_fixtures_lands_in_the_document(path: Path) -> None:
    lost = lost_fields(Invoice.model_validate_json(path.read_text(encoding="utf-8")))
    assert lost.pop("") > 20
    assert lost == {}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_every_field_of_generated_invoices_lands_in_the_document(invoice: Invoice) -> None:
    lost = lost_fields(invoice)
    lost.pop("")
    assert lost == {}


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_every_field_lands_in_the_document_many_invoices(invoice: Invoice) -> None:
    lost = lost_fields(invoice)
    lost.pop("")
    assert lost == {}


def test_the_list_names_real_fields() -> None:
    assert {"calculate_totals", "items[].tax_exemption_reason", "scheme"} <= NOT_WRITTEN
    assert [path for path in NOT_WRITTEN if not is_model_path(path) and path != "scheme"] == []
    assert is_model_path("scheme", Identifier)


def json_of(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "fixtures" / "invoices" / f"{name}.json").read_text())
    return data


# the party names ---------------------------------------------------------------------

def _with_names(party: str, **names: str | None) -> Invoice:
    data = json_of("standard-several-rates")
    data[party].update(names)
    return Invoice.model_validate(data)


@pytest.mark.parametrize("party", ["seller", "buyer"])
def test_a_third_name_of_a_party_is_refused_not_dropped(party: str) -> None:
    with pytest.raises(BuildError) as caught:
        to_xml(_with_names(party, name="Third", legal_name="Legal", trading_name="Trading"))
    assert caught.value.path == f"{party}.name"


@pytest.mark.parametrize("party", ["seller", "buyer"])
@pytest.mark.parametrize("same_as", ["legal_name", "trading_name"])
def test_a_name_equal_to_one_of_the_two_is_written_as_that_one(party: str, same_as: str) -> None:
    names = {"legal_name": "Legal", "trading_name": "Trading"}
    with_name = to_xml(_with_names(party, name=names[same_as], **names))
    assert b"Legal" in with_name and b"Trading" in with_name
    if party == "seller":  # the buyer's name is required
        assert with_name == to_xml(_with_names(party, name=None, **names))
