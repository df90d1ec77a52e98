"""The Schematron engine: ISO Schematron compiled to XSLT 3.0 and run with Saxon-HE.

``compile_schematron`` assembles a schema (includes, abstract patterns and rules),
reads it into a model and emits an XSLT 3.0 stylesheet, cached per machine;
``run_schematron`` runs a rule set (or one Schematron file) on a document and returns
``Finding``\\s of layer ``"schematron"``. A test that raises a dynamic error on a broken
document fails its own rule instead of aborting the run; a rule context that raises
does not match there (as in XSLT). Every stylesheet runs in a Saxon that fetches
nothing, and files given by path are user rules, checked by ``policy`` before they run.
A schema that uses the prefix ``xs`` or ``xsd`` undeclared gets it bound to XML Schema,
with an information finding (``prefixes``).
"""

from __future__ import annotations

from .errors import SchematronError
from .run import compile_schematron, run_schematron, severity_of

__all__ = ["SchematronError", "compile_schematron", "run_schematron", "severity_of"]
