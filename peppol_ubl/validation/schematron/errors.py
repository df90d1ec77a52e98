"""Schematron errors: a schema this engine cannot read or compile."""

from __future__ import annotations

from ...errors import PeppolUblError

__all__ = ["SchematronError"]


class SchematronError(PeppolUblError, ValueError):
    """A Schematron schema is malformed or uses a feature this engine does not support."""
