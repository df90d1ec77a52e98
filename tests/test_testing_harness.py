"""The user-facing harness: strategies, assert_valid and the pytest fixture."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peppol_ubl import to_xml, validate
from peppol_ubl.model import Invoice
from peppol_ubl.testing.assertions import assert_valid
from peppol_ubl.testing.strategies import BREAKABLE_RULES, invalid_invoices, invoices

pytest_plugins = ["pytester"]


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_generated_invoices_pass_our_full_validation(invoice: Invoice) -> None:
    # issue 6: 1,000 generated invoices, each without a fatal finding under peppol-bis-3
    report = validate(to_xml(invoice))
    assert report.ok, report.to_text()


@pytest.mark.parametrize("rule", BREAKABLE_RULES)
def test_invalid_invoices_break_the_chosen_rule(rule: str) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    @given(invalid_invoices(rule))
    def check(invoice: Invoice) -> None:
        report = validate(to_xml(invoice))
        assert rule in {f.rule_id for f in report.findings if f.severity == "fatal"}, report.to_text()

    check()


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="BR-CO-10"):
        invalid_invoices("BR-NOPE")


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["credit", "invoice"]).flatmap(
    lambda kind: invoices(credit_notes=kind == "credit", scenarios=["K"], max_lines=2)))
def test_strategy_options_are_honoured(invoice: Invoice) -> None:
    assert len(invoice.items) <= 2
    assert {item.tax_category for item in invoice.items} == {"K"}


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(invalid_invoices("BR-27"))
def test_assert_valid_reports_findings_with_contract_paths(invoice: Invoice) -> None:
    with pytest.raises(AssertionError) as err:
        assert_valid(invoice)
    assert "BR-27" in str(err.value) and "items[0].price" in str(err.value)


def test_pytest_fixture_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_fixture(assert_peppol_valid):
            assert assert_peppol_valid(b"not xml") is None
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*PU-INPUT-NOT-XML*"])

