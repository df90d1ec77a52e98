"""pytest plugin (registered as ``peppol_ubl``): the ``assert_peppol_valid`` fixture.

Installed with the package; a test asks for the fixture and calls it::

    def test_my_invoice(assert_peppol_valid):
        assert_peppol_valid(build_my_invoice())   # model, XML bytes or a path

A failing document fails the test with every finding on its own line. The fixture is
session-scoped (it holds no state), so a Hypothesis test may take it next to drawn
examples without tripping the ``function_scoped_fixture`` health check::

    @given(invoices())
    def test_generated(assert_peppol_valid, generated):
        assert_peppol_valid(generated)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["assert_peppol_valid"]


@pytest.fixture(scope="session")
def assert_peppol_valid() -> Callable[..., Any]:
    """:func:`peppol_ubl.testing.assertions.assert_valid`, ready to call."""
    from .assertions import assert_valid  # imported lazily: keeps pytest start-up light

    return assert_valid
