"""``not((A|B)/path)`` tested as ``not(A/path) and not(B/path)``: one plain path per branch.

CEN's UBL-syntax rule on the document root asks 131 times whether a line holds an
element it may not: ``not((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cbc:Keyword)``.
Saxon evaluates a path that starts with a union by merging both branches into document
order before every further step; a path per branch is a plain child walk, and the
branch a document does not use ends at its first step. Exact: a union is empty exactly
when each of its branches is, and ``/`` distributes over ``|``. The reported test stays
the one written.
"""

from __future__ import annotations

import re

from .xpath_text import QNAME

__all__ = ["fires_per_branch"]

_UNION_HEADED = re.compile(
    rf"\s*not\s*\(\s*\(\s*(?P<union>{QNAME}(?:\s*\|\s*{QNAME})+)\s*\)"
    rf"(?P<rest>(?:\s*/\s*{QNAME})*(?:\s*/\s*@{QNAME})?)\s*\)\s*")


def fires_per_branch(test: str) -> str | None:
    """For an assert whose test is ``not((A|B|…)/steps)`` (names only), the condition on
    which it fails, a branch at a time: ``exists(A/steps) or exists(B/steps) …``;
    ``None`` for any other test."""
    match = _UNION_HEADED.fullmatch(test)
    if match is None:
        return None
    rest = "".join(match.group("rest").split())
    return " or ".join(f"exists({branch.strip()}{rest})" for branch in match.group("union").split("|"))
