"""``python -m peppol_ubl``: the ``peppol-ubl`` command line."""

from __future__ import annotations

from .cli import run

if __name__ == "__main__":
    run()
