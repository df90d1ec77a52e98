"""The pytest fixture used the obvious way: with ``@given(invoices())``, exactly as the
README shows it (the block is taken from the README and run by pytest itself)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def readme_fixture_block() -> str:
    blocks = [body for body in re.findall(r"^```python\n(.*?)^```", README, re.S | re.M)
              if "assert_peppol_valid" in body and "@given(invoices(" in body]
    assert len(blocks) == 1, "the README shows the fixture with @given in one python block"
    return blocks[0]


def test_the_readme_fixture_example_passes_under_pytest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_readme_example=readme_fixture_block())
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=1)
    assert "function_scoped_fixture" not in result.stdout.str()


def test_the_fixture_is_session_scoped(pytester: pytest.Pytester) -> None:
    # a session-scoped fixture may use it only if it is session-scoped too (else ScopeMismatch)
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture(scope="session")
        def checker(assert_peppol_valid):
            return assert_peppol_valid

        def test_scope(checker):
            assert callable(checker)
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
