"""Code lists per rule-set version: one source of truth for each release.

A rule-set version names where each code list it uses is read (see
:class:`~peppol_ubl.catalogue.CodeListSource`): the release's own code-list file
(``codelist/eas.xml``, the VEFA ``CodeList-1`` format, codes in ``Code/Id``), or, when the
release ships none, the Schematron variable its rules test against
(``<let name="eaid" value="tokenize('0002 0007 …', '\\s')"/>``). Either way the codes are
those the version's own rules accept.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree

from .artifacts import artifact_path
from .catalogue import CodeListSource, RuleSet
from .errors import ArtifactError
from .xml.namespaces import SCHEMATRON, VEFA_CODE_LIST

__all__ = ["codes"]

_TOKENIZED = re.compile(r"\s*tokenize\(\s*'([^']*)'\s*,\s*'\\s\+?'\s*\)\s*")


def codes(ruleset: RuleSet, name: str) -> frozenset[str]:
    """The codes of the code list ``name`` (``eas`` …) of this rule-set version."""
    return _read(ruleset.code_list(name))


@cache
def _read(source: CodeListSource) -> frozenset[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.parse(str(artifact_path(source.bundle, source.path)), parser)
    if source.let is None:
        found = tree.xpath("//c:Code/c:Id/text()", namespaces={"c": VEFA_CODE_LIST})
        return frozenset(str(code).strip() for code in found)
    values = tree.xpath("//s:let[@name = $name]/@value", namespaces={"s": SCHEMATRON}, name=source.let)
    if len(values) != 1 or (match := _TOKENIZED.fullmatch(str(values[0]))) is None:
        raise ArtifactError(f"{source.bundle}/{source.path}: no single let {source.let!r} holding "
                         "tokenize('…', '\\s') to read the code list from")
    return frozenset(match.group(1).split())
