"""Print the lowest allowed version of every direct dependency, as pip constraints.

Reads ``pyproject.toml``: each requirement of ``[project] dependencies`` and of the
``test`` extra must have a floor (``>=X``), and is printed as ``name==X``. CI installs
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


def floors(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """``{name: lowest version}`` of every direct dependency, the ``test`` extra included."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found: dict[str, str] = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
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
