"""UBL 2.1 syntax: namespaces, the writer (model -> XML) and the reader (XML -> model)."""

from .read_canonical import canonical
from .reader import ParseReport, parse, parse_report
from .unmapped import ParseWarning, Unmapped
from .writer import serialize, to_tree, to_xml

__all__ = [
    "ParseReport", "ParseWarning", "Unmapped", "canonical", "parse", "parse_report", "serialize",
    "to_tree", "to_xml",
]
