"""Print the lowest allowed version of every direct dependency, as pip constraints.

Reads ``pyproject.toml``: each requirement of ``[project] dependencies`` and of the
``test`` extra (with the extras of this project it names: ``server``, ``dask``) must have
a floor (``>=X``), and is printed as ``name==X``. CI installs
the project with these constraints in a second environment and runs the test suite
there (``.ci/run``), so a floor that no longer works fails CI instead of a user:

    python scripts/floors.py > floors.txt
    pip install -c floors.txt -e '.[test]'
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
_FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def _requirements(project: dict[str, object]) -> list[str]:
    """The runtime requirements and those of the ``test`` extra, with a reference to this
    project's own extras (``peppol-ubl[server,dask]``) replaced by theirs."""
    extras: dict[str, list[str]] = project["optional-dependencies"]  # type: ignore[assignment]
    pending = [*project["dependencies"], *extras["test"]]  # type: ignore[misc]
    found: list[str] = []
    while pending:
        requirement = pending.pop(0)
        match = _FLOOR.match(requirement.split(";")[0])
        assert match, requirement
        if match.group(1).lower() == str(project["name"]).lower():
            named = re.search(r"\[([^\]]*)\]", requirement)
            pending += [r for extra in (named.group(1).split(",") if named else []) for r in extras[extra.strip()]]
        else:
            found.append(requirement)
    return found


def floors(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """``{name: lowest version}`` of every direct dependency, the ``test`` extra (and the
    extras it names) included."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found: dict[str, str] = {}
    for requirement in _requirements(project):
        match = _FLOOR.match(requirement.split(";")[0])
        assert match, requirement
        name, spec = match.groups()
        lowest = [part.strip()[2:].strip() for part in spec.split(",") if part.strip().startswith(">=")]
        if len(lowest) != 1:
            raise SystemExit(f"pyproject.toml: {requirement!r} has no floor (>=X); every dependency needs one")
        found[name.lower()] = lowest[0]
    return found


def main() -> None:
    sys.stdout.write("".join(f"{name}=={version}\n" for name, version in floors().items()))


if __name__ == "__main__":
    main()
