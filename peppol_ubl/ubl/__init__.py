"""UBL 2.1 syntax: the writer (model -> XML), the reader (XML -> model), and the facts both use.

Owns: the per-area writer (``write_*``) and reader (``read_*``) code, element order and
the Invoice/CreditNote differences; the term table (:mod:`.terms`, each business term's
BT id, contract path and UBL path, stated once); the canonical form of a model
(:mod:`.read_canonical`); the amounts reader the totals layer and pre-flight share
(:mod:`.amounts`). It may import :mod:`peppol_ubl.xml`, the model, the calculation and
the money helpers, and nothing above. Its modules are internal; ``to_xml``, ``parse`` and
``parse_report`` are public through :mod:`peppol_ubl`.
"""

from .read_canonical import canonical
from .reader import ParseReport, parse, parse_report
from .unmapped import ParseWarning, Unmapped
from .writer import serialize, to_tree, to_xml

__all__ = [
    "ParseReport", "ParseWarning", "Unmapped", "canonical", "parse", "parse_report", "serialize",
    "to_tree", "to_xml",
]
