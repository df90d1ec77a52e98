"""UBL 2.1 syntax: namespaces, the writer (model -> XML) and the reader (XML -> model)."""

from .writer import to_tree, to_xml

__all__ = ["to_tree", "to_xml"]
