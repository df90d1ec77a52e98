"""Exceptions raised by peppol-ubl.

Errors are raised only for unusable input or misuse, never for an invoice that is
merely invalid (that is what a validation ``Report`` is for)::

    PeppolUblError
    ├── ArtifactError      a pinned official file is missing, unreachable or corrupted
    ├── BuildError         (also ValueError) the writer cannot express a model in UBL
    ├── CalculationError   (also ValueError) impossible arithmetic in the input
    ├── ParseError         (also ValueError) bytes that cannot be read as a UBL document
    └── SchematronError    (also ValueError) a Schematron file our compiler cannot read
                           (defined in peppol_ubl.validation.schematron)

Model validation errors are pydantic's ``ValidationError`` (a ``ValueError``).
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
    """The amounts of the model cannot be computed; ``path`` names the field."""


class ParseError(PeppolUblError, ValueError):
    """The input is not a readable UBL Invoice or CreditNote document."""
