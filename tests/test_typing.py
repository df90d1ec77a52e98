"""The package type-checks under ``mypy --strict``.

mypy runs in a subprocess from the repository root, so it reads its configuration from
``[tool.mypy]`` in pyproject.toml (strict, ``files = ["peppol_ubl"]``, Python 3.11, the
saxonche override). Its incremental cache lives in ``.mypy_cache``: a warm run takes a
few seconds, a cold one well under a minute.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_reports_no_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"mypy failed (exit {done.returncode}):\n{output}"
