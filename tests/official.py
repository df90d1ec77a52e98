"""Test oracles: the official artefacts run directly, without our engine.

``official_cen`` runs the official compiled CEN EN 16931 XSLT (1.3.16) with saxonche
and returns its failed asserts as ``(rule_id, flag, location)``; ``svrl_findings`` does
the same for any compiled Schematron that reports in SVRL (such as the ph-schematron
compilations under ``shared/oracle``); ``saxon_parses`` says whether Saxon's XML parser
reads a document; ``xsd_errors`` checks a document against the official UBL 2.1 XSD with
lxml. ``phive`` and ``phive_part`` run a Peppol BIS release as ph-schematron (the
compiler Peppol access points use) compiled it, its CEN and Peppol stylesheets, and
report ``(rule id, severity)``. Each is loaded once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXsltExecutable

from peppol_ubl.artifacts import artifact_path, bundles

SVRL = "http://purl.oclc.org/dsdl/svrl"
PHIVE_DIR = Path(__file__).resolve().parents[2] / "shared" / "oracle" / "phive-xslt"
PHIVE_RELEASES = {"peppol-bis-3@3.0.20": "2025.11", "peppol-bis-3@3.0.21": "2026.5"}
"""Each Peppol BIS version with the phive-rules release whose compilation is its oracle."""
PHIVE_PARTS = ("CEN-EN16931-UBL.xslt", "PEPPOL-EN16931-UBL.xslt")
"""The stylesheets of a release, in the order of the rule set's Schematron files."""


@cache
def _processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@cache
def _stylesheet(path: Path) -> PyXsltExecutable:
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))


def saxon_parses(xml: bytes) -> bool:
    """Whether Saxon's XML parser (the one the Schematron layer uses) reads the document."""
    try:
        _processor().parse_xml(xml_text=xml.decode("utf-8"))
    except PySaxonApiError:
        return False
    return True


def svrl_findings(stylesheet: Path, xml: bytes) -> list[tuple[str, str, str]]:
    """Failed asserts and fired reports of a compiled Schematron: ``(id, flag, location)``."""
    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    svrl = _stylesheet(stylesheet).transform_to_string(xdm_node=node)
    root = etree.fromstring(svrl.encode("utf-8"))
    return [
        (f.get("id", ""), f.get("flag", ""), f.get("location", ""))
        for f in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")
    ]


def official_cen(xml: bytes) -> list[tuple[str, str, str]]:
    """Failed asserts of the official CEN XSLT: ``(id, flag, location)``."""
    return svrl_findings(artifact_path("cen-en16931-ubl", "xslt/EN16931-UBL-validation.xslt"), xml)


@cache
def _schema(root_name: str) -> etree.XMLSchema:
    for pinned in bundles()["ubl-2.1"].files.values():
        artifact_path(pinned.bundle, pinned.path)  # verify every imported file
    main = artifact_path("ubl-2.1", f"maindoc/UBL-{root_name}-2.1.xsd")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(main), parser))


def xsd_errors(xml: bytes) -> list[str]:
    """Messages of the official UBL 2.1 XSD for this document (empty when valid)."""
    doc = etree.fromstring(xml)
    schema = _schema(etree.QName(doc).localname)
    schema.validate(doc)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


OracleSeverity = Literal["fatal", "warning", "information"]


def oracle_severity(flag: str) -> OracleSeverity:
    """The severity an SVRL ``flag`` stands for: ``fatal`` and ``error`` are fatal,
    ``warning`` a warning, anything else (or no flag) information."""
    if flag in ("fatal", "error"):
        return "fatal"
    return "warning" if flag == "warning" else "information"


def phive_part(ruleset: str, part: str, xml: bytes) -> list[tuple[str, OracleSeverity, str]]:
    """One ph-schematron stylesheet (a name of ``PHIVE_PARTS``) of ``ruleset``'s release:
    ``(id, severity, location)`` of each failed assert and fired report.

    A dynamic error stops the whole transform, as in an access point: saxonche then
    raises ``PySaxonApiError``.
    """
    stylesheet = PHIVE_DIR / PHIVE_RELEASES[ruleset] / part
    return [(i, oracle_severity(flag), location) for i, flag, location in svrl_findings(stylesheet, xml)]


def phive(ruleset: str, xml: bytes) -> set[tuple[str, OracleSeverity]]:
    """The ``(id, severity)`` set of both ph-schematron stylesheets of ``ruleset``'s release."""
    return {(i, severity) for part in PHIVE_PARTS for i, severity, _ in phive_part(ruleset, part, xml)}
