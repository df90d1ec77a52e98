"""Exceptions raised by peppol-ubl.

Errors are raised only for unusable input or misuse, never for an invoice that is
merely invalid (that is what a validation ``Report`` is for)::

    PeppolUblError
    ├── ArtifactError      a pinned official file is missing, unreachable or corrupted
    ├── BuildError         (also ValueError) the writer cannot express a model in UBL; .path
    ├── CalculationError   (also ValueError) impossible arithmetic in the input; .path, .code
    ├── ParseError         (also ValueError) bytes that cannot be read as a UBL document;
    │                      .xpath where in the document, .rule_id when the input was refused
    └── SchematronError    (also ValueError) a Schematron file our compiler cannot read
                           (defined in peppol_ubl.validation.schematron)

Model validation errors are pydantic's ``ValidationError`` (a ``ValueError``). Every
``PU-…`` id, of findings and of errors, is listed in :mod:`peppol_ubl.codes`.
"""

from __future__ import annotations

__all__ = ["ArtifactError", "BuildError", "CalculationError", "ParseError", "PeppolUblError"]


class PeppolUblError(Exception):
    """Base class of every error this library raises on purpose."""


class ArtifactError(PeppolUblError):
    """An official artefact (XSD, Schematron, XSLT, code list) cannot be used."""


class _FieldError(PeppolUblError, ValueError):
    """An error about one field of the invoice contract, named by its path."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


class BuildError(_FieldError):
    """The UBL writer cannot express the given model; ``path`` names the field."""


class CalculationError(_FieldError):
    """The amounts of the model cannot be computed; ``path`` names the field and ``code``
    (a stable ``PU-CALC-…`` id of :mod:`peppol_ubl.codes`) says why."""

    def __init__(self, code: str, path: str, message: str) -> None:
        self.code = code
        super().__init__(path, message)


class ParseError(PeppolUblError, ValueError):
    """The input is not a readable UBL Invoice or CreditNote document.

    ``xpath`` names the place in the document (an element path, see
    :mod:`peppol_ubl.xml.paths`) when the problem has one; ``rule_id`` is the
    ``PU-INPUT-…`` id when the input layer refused the document.
    """

    def __init__(self, message: str, *, xpath: str | None = None, rule_id: str | None = None) -> None:
        self.xpath = xpath
        self.rule_id = rule_id
        self.reason = message
        super().__init__(f"{xpath}: {message}" if xpath else message)
