"""What the compiler did on its own to a schema, for every report of its runs to mention."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Notice"]


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the compiler did on its own that a report should mention."""

    rule_id: str
    message: str
