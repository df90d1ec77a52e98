"""Rule sets: named, versioned selections of official rules a document is validated against.

Like phive's VESIDs, a rule set names exactly what ran: the UBL 2.1 XSDs and the
Schematron files, each a pinned official artefact (bundle, path, SHA-256, version).
Running a rule set's Schematron layer runs each of its Schematron files on the
document and concatenates the findings.

* ``peppol-bis-3`` (the default): UBL 2.1 + CEN EN 16931 rules 1.3.14.1 + Peppol BIS
  Billing 3.0.19 rules, as OpenPeppol ships them together;
* ``en16931``: UBL 2.1 + CEN EN 16931 rules 1.3.16 (the CEN release with its official
  compiled XSLT).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..artifacts import PinnedFile, artifact_path, bundles

__all__ = ["DEFAULT_RULESET", "RuleSet", "SchematronSource", "get_ruleset", "rulesets"]

DEFAULT_RULESET = "peppol-bis-3"
_UBL_XSD = (("ubl-2.1", "maindoc/UBL-Invoice-2.1.xsd"), ("ubl-2.1", "maindoc/UBL-CreditNote-2.1.xsd"))


@dataclass(frozen=True, slots=True)
class SchematronSource:
    """One official Schematron file (and the files it includes) of a pinned bundle."""

    bundle: str
    path: str
    title: str
    version: str
    includes: tuple[str, ...] = ()

    @property
    def pinned(self) -> PinnedFile:
        """The manifest entry of the main file: official URL, size and SHA-256."""
        return bundles()[self.bundle].files[self.path]

    @property
    def sha256(self) -> str:
        """The pinned SHA-256 of the main file."""
        return self.pinned.sha256

    def local_path(self) -> Path:
        """The verified local main file, with every file it includes made available too."""
        for included in self.includes:
            artifact_path(self.bundle, included)
        return artifact_path(self.bundle, self.path)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A named, versioned validation target: XSDs plus Schematron files, run in order."""

    name: str
    version: str
    description: str
    xsd: tuple[tuple[str, str], ...]
    schematron: tuple[SchematronSource, ...]
    peppol_rules: bool = False
    """Whether the Peppol BIS rules are part of the set (the totals layer then also
    checks their arithmetic: PEPPOL-EN16931-R040, R046, R120, R121)."""

    @property
    def id(self) -> str:
        """``name:version``, the identifier a report names."""
        return f"{self.name}:{self.version}"

    def schematron_paths(self) -> list[Path]:
        """The local, hash-verified Schematron files, in the order they run."""
        return [source.local_path() for source in self.schematron]


_CEN_1_3_16_INCLUDES = (
    "schematron/abstract/EN16931-model.sch",
    "schematron/abstract/EN16931-syntax.sch",
    "schematron/UBL/EN16931-UBL-model.sch",
    "schematron/UBL/EN16931-UBL-syntax.sch",
    "schematron/codelist/EN16931-UBL-codes.sch",
)

_RULESETS = (
    RuleSet(
        name="peppol-bis-3",
        version="3.0.19",
        description="Peppol BIS Billing 3.0.19: UBL 2.1 XSD, CEN EN 16931 rules 1.3.14.1 and the Peppol rules",
        xsd=_UBL_XSD,
        schematron=(
            SchematronSource(
                "peppol-bis-billing-3", "sch/CEN-EN16931-UBL.sch", "CEN EN 16931 rules for UBL", "1.3.14.1"
            ),
            SchematronSource(
                "peppol-bis-billing-3", "sch/PEPPOL-EN16931-UBL.sch", "Peppol BIS Billing 3.0 rules", "3.0.19"
            ),
        ),
        peppol_rules=True,
    ),
    RuleSet(
        name="en16931",
        version="1.3.16",
        description="EN 16931 core: UBL 2.1 XSD and the CEN EN 16931 rules for UBL 1.3.16",
        xsd=_UBL_XSD,
        schematron=(
            SchematronSource(
                "cen-en16931-ubl",
                "schematron/EN16931-UBL-validation.sch",
                "CEN EN 16931 rules for UBL",
                "1.3.16",
                _CEN_1_3_16_INCLUDES,
            ),
        ),
    ),
)


def rulesets() -> tuple[RuleSet, ...]:
    """Every known rule set, the default first."""
    return _RULESETS


def get_ruleset(name: str = DEFAULT_RULESET) -> RuleSet:
    """The rule set called ``name``; an unknown name raises ``ValueError`` listing the known ones."""
    for ruleset in _RULESETS:
        if ruleset.name == name:
            return ruleset
    known = ", ".join(r.name for r in _RULESETS)
    raise ValueError(f"unknown rule set {name!r}; known rule sets: {known}")
