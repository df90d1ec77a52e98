"""UBL 2.1 syntax: namespaces, the writer (model -> XML) and the reader (XML -> model)."""

from .reader import ParseReport, parse, parse_report
from .writer import serialize, to_tree, to_xml

__all__ = ["ParseReport", "parse", "parse_report", "serialize", "to_tree", "to_xml"]
