"""The layout: layers import downward only, heavy parts load on first use, each namespace
URI is written in one module, and the public API is exactly the intended set."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import peppol_ubl

PACKAGE = Path(__file__).resolve().parents[1] / "peppol_ubl"

LAYERS: list[set[str]] = [
    {"errors", "findings", "codes", "money", "files"},
    {"xml"},
    {"artifacts", "catalogue", "codelists"},
    {"model"},
    {"arithmetic"},
    {"calculation"},
    {"ubl"},
    {"validation"},
    {"contract"},
    {"participant", "fingerprints", "sending"},
    {"batch"},
    {"server"},
    {"cli", "testing"},
    {"__main__"},
]
"""Lowest first: a unit (a top-level module or package of peppol_ubl) may import units of
its own layer or below. The package root is the public API facade and is not a unit."""

PUBLIC = {
    "ArtifactError", "BuildError", "CalculationError", "Finding", "Invoice", "ParseError", "ParseReport",
    "PeppolUblError", "PreflightResult", "Report", "RuleSet", "SchematronError", "__version__",
    "artifact_path", "artifact_status", "calculate", "compile_schematron", "fetch_all", "fingerprint",
    "get_ruleset", "is_valid", "parse", "parse_report", "preflight", "report_schema", "rulesets", "to_xml",
    "validate", "validate_invoice",
}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> set[str]:
    """The peppol_ubl units a module imports at run time (``TYPE_CHECKING`` blocks aside)."""
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    module = ".".join(relative.parts)
    package = module.removesuffix(".__init__") if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                targets.add(".".join([*base, *([node.module] if node.module else [])]))
            elif node.module:
                targets.add(node.module)
        elif isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
    return {_unit(t) for t in targets if t.startswith("peppol_ubl")} - {""}


def _layer(unit: str) -> int:
    for number, units in enumerate(LAYERS):
        if unit in units:
            return number
    raise AssertionError(f"{unit} is in no layer of LAYERS")


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_its_layer_or_below(path: Path) -> None:
    unit = _unit(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    upward = {target for target in _imports(path) if _layer(target) > _layer(unit)}
    assert upward == set(), f"{unit} imports {upward}, which sit above it"


def test_no_package_imports_a_package_that_imports_it_back() -> None:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        unit = _unit(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        graph.setdefault(unit, set()).update(_imports(path) - {unit})
    for unit, targets in graph.items():
        for target in targets:
            assert unit not in graph.get(target, set()), f"{unit} <-> {target}"


@pytest.mark.parametrize("module", ["peppol_ubl.money", "peppol_ubl.model", "peppol_ubl.testing.plugin",
                                    "peppol_ubl"])
def test_light_imports_load_neither_saxon_nor_the_validation_package(module: str) -> None:
    probe = (f"import sys, {module}; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'saxonche' "
             "or m.startswith('peppol_ubl.validation')))")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


COLD_VALIDATE_NEEDS_NONE_OF = (
    "multiprocessing", "concurrent.futures.process", "importlib.metadata", "pydantic", "urllib.request",
    "peppol_ubl.batch.many", "peppol_ubl.batch.remote", "peppol_ubl.batch.formats.sarif",
    "peppol_ubl.validation.schematron.compile", "peppol_ubl.validation.schematron.include",
    "peppol_ubl.validation.schematron.model", "peppol_ubl.validation.schematron.policy",
)
"""What ``peppol-ubl validate one.xml`` does not load when its stylesheets are in the
machine cache: the pools, the server client, the SARIF rule texts, the version
metadata, the contract model and the Schematron compiler itself."""


def test_a_cold_validate_of_one_file_loads_only_what_it_uses() -> None:
    example = Path(__file__).resolve().parents[2] / "shared" / "examples" / "peppol" / "examples" / "base-example.xml"
    subprocess.run([sys.executable, "-m", "peppol_ubl", "validate", str(example)], capture_output=True, check=True)
    # the process ends inside run_module (``cli._leave``), after the exit handlers
    probe = ("import atexit, runpy, sys\n"
             f"atexit.register(lambda: print(sorted(set(sys.modules) & set({COLD_VALIDATE_NEEDS_NONE_OF!r})),"
             " file=sys.stderr))\n"
             f"sys.argv = ['peppol-ubl', 'validate', {str(example)!r}]\n"
             "runpy.run_module('peppol_ubl', run_name='__main__')")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert output.stderr.strip().splitlines()[-1] == "[]"


def test_saxon_loads_when_a_schematron_layer_first_runs() -> None:
    probe = ("import sys, peppol_ubl; peppol_ubl.validate(b'x'); a = 'saxonche' in sys.modules; "
             "peppol_ubl.validate(b'<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>',"
             " schema=False, totals=False); print(a, 'saxonche' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert output.stdout.split() == ["False", "True"]


_URI = re.compile(r"""["'](?:urn:(?:oasis|fdc:difi|peppol-ubl)|http://(?:www\.w3\.org|purl\.oclc|www\.unece))[^"']*["']""")


def test_each_namespace_uri_is_written_in_one_module() -> None:
    writers = {}
    for path in MODULES:
        for uri in _URI.findall(path.read_text(encoding="utf-8")):
            writers.setdefault(uri.strip("'\""), set()).add(path.relative_to(PACKAGE).as_posix())
    assert {uri: modules for uri, modules in writers.items() if modules != {"xml/namespaces.py"}} == {}


def test_the_public_api_is_exactly_the_intended_set() -> None:
    assert set(peppol_ubl.__all__) == PUBLIC
    assert set(dir(peppol_ubl)) >= PUBLIC
    with pytest.raises(AttributeError):
        peppol_ubl.not_a_name  # noqa: B018


PUBLIC_MODULES = {"model", "errors", "codes", "money", "catalogue", "testing"}


def test_modules_are_public_or_documented_internal() -> None:
    """Top-level modules are covered by the package docstring's list; each subpackage says
    in its own docstring whether it is public or internal."""
    assert all(f"``peppol_ubl.{name}``" in (peppol_ubl.__doc__ or "") for name in PUBLIC_MODULES)
    for init in PACKAGE.glob("*/__init__.py"):
        name = init.parent.name
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert name in PUBLIC_MODULES or "internal" in doc.lower(), f"{name}: say whether it is internal"


def test_no_module_shares_its_name_with_a_public_function() -> None:
    """``peppol_ubl.calculate`` must stay the function: a submodule of that name would
    replace it on the package once imported."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert modules & PUBLIC == set()
