"""The conventional XML Schema prefixes, declared when a schema uses them undeclared.

Every PINT base file and both A-NZ Peppol files write ``xsd:integer`` (and the like)
without declaring ``xsd`` (see ``shared/packs/README.md``, known source defects): the
official compiled stylesheets declare it on their root, ph-schematron declares it
itself, SchXslt refuses the schema. This compiler binds ``xs`` and ``xsd`` to the XML
Schema namespace when, and only when, a schema uses one of them where nothing binds it
(neither ``sch:ns`` nor, in copied XSLT content, a declaration in scope); a binding the
schema declares is never overridden. Each such prefix gives a ``Notice`` that
``run_schematron`` reports once per run of the stylesheet, as an information finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...xml.namespaces import XS
from .include import SCH_NS, Assembled
from .notices import Notice
from .queries import queries
from .xpath_text import names

__all__ = ["CONVENTIONAL", "PREFIX_DECLARED", "UndeclaredPrefix", "undeclared_prefixes"]

CONVENTIONAL = ("xs", "xsd")
"""The prefixes conventionally bound to the XML Schema namespace."""
PREFIX_DECLARED = "PU-SCHEMATRON-PREFIX-DECLARED"


@dataclass(frozen=True, slots=True)
class UndeclaredPrefix:
    """A conventional prefix a file uses without declaring it."""

    prefix: str
    file: Path

    @property
    def binding(self) -> tuple[str, str]:
        """The declaration the compiled stylesheet gets: the prefix and the XML Schema namespace."""
        return self.prefix, XS

    @property
    def notice(self) -> Notice:
        """The notice for the report: which file, which prefix, what it was bound to."""
        return Notice(
            PREFIX_DECLARED,
            f"{self.file}: the prefix {self.prefix} is used without being declared; the compiler bound it "
            f"to the XML Schema namespace {XS}, as the official compiled stylesheets do",
        )


def undeclared_prefixes(assembled: Assembled) -> tuple[UndeclaredPrefix, ...]:
    """The conventional prefixes ``assembled`` uses unbound, with the file of each use."""
    root = assembled.root
    declared = {ns.get("prefix") for ns in root.iter(f"{{{SCH_NS}}}ns")}
    found: dict[tuple[str, Path], UndeclaredPrefix] = {}
    for query in queries(root):
        for name in names(query.text):
            prefix = name.prefix
            if prefix not in CONVENTIONAL or prefix in declared or (query.copied and prefix in query.element.nsmap):
                continue
            file = assembled.file_of(query.element)
            found.setdefault((prefix, file), UndeclaredPrefix(prefix, file))
    return tuple(found.values())
