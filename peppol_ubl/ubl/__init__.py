"""UBL 2.1 syntax: the writer (model -> XML), the reader (XML -> model), and the facts both use.

Owns: the per-area writer (``write_*``) and reader (``read_*``) code, element order and
the Invoice/CreditNote differences; the term table (:mod:`.terms`, each business term's
BT id, contract path and UBL path, stated once); the canonical form of a model
(:mod:`.read_canonical`); the amounts reader the totals layer and pre-flight share
(:mod:`.amounts`). It may import :mod:`peppol_ubl.xml`, the model, the calculation and
the money helpers, and nothing above. Its modules are internal; ``to_xml``, ``parse`` and
``parse_report`` are public through :mod:`peppol_ubl`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .read_canonical import canonical as canonical
    from .reader import ParseReport as ParseReport
    from .reader import parse as parse
    from .reader import parse_report as parse_report
    from .unmapped import ParseWarning as ParseWarning
    from .unmapped import Unmapped as Unmapped
    from .writer import serialize as serialize
    from .writer import to_tree as to_tree
    from .writer import to_xml as to_xml

__all__ = [
    "ParseReport", "ParseWarning", "Unmapped", "canonical", "parse", "parse_report", "serialize",
    "to_tree", "to_xml",
]

_HOMES = {
    "canonical": "read_canonical", "ParseReport": "reader", "parse": "reader", "parse_report": "reader",
    "ParseWarning": "unmapped", "Unmapped": "unmapped", "serialize": "writer", "to_tree": "writer",
    "to_xml": "writer",
}


def __getattr__(name: str) -> Any:
    """The reader and writer load on first use: the totals layer imports ``ubl.amounts``
    alone, without the model, pydantic and the calculation they need."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value
