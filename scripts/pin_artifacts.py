"""Regenerate our manifests of the pinned official artefacts.

Reads a folder laid out like ``../shared/artifacts`` (default), recomputes the SHA-256
and size of every file listed in its MANIFEST.json, and writes one manifest per bundle,
``peppol_ubl/manifests/<bundle>.json`` (the rule-set catalogue ``rulesets.json`` beside
them is written by hand). Only facts (names, versions, URLs, hashes) are recorded; the
files are never copied into the repository.

    python scripts/pin_artifacts.py [ARTIFACTS_DIR]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "peppol_ubl" / "manifests"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "artifacts"
    upstream = json.loads((source / "MANIFEST.json").read_text(encoding="utf-8"))
    for bundle, meta in sorted(upstream.items()):
        files = {}
        for rel, info in sorted(meta["files"].items()):
            data = (source / bundle / rel).read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest != info["sha256"]:
                raise SystemExit(f"{bundle}/{rel}: hash differs from upstream MANIFEST.json")
            files[rel] = {"sha256": digest, "bytes": len(data), "url": info["url"]}
        pinned = {
            "bundle": bundle,
            "title": meta["title"],
            "version": meta["version"],
            "license": meta["license"],
            "upstream": meta["upstream"],
            "provenance": f"recorded by scripts/pin_artifacts.py from {source.name}/MANIFEST.json",
            "files": files,
        }
        out = TARGET / f"{bundle}.json"
        out.write_text(json.dumps(pinned, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)} ({len(files)} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
