"""Where validation time goes: per layer, per stylesheet, per pattern, and peak memory.

For Peppol BIS 3.0.21 (the rules in force), in one process, warm:

1. per document size (the official examples' median, 1,000, 10,000 and, with ``--large``,
   100,000 lines made from ``base-example.xml``): the time of each layer of ``validate``
   (input, xsd, schematron, totals) from the report, the Saxon parse of the document
   alone, each of our two stylesheets alone on the parsed document, and the reference's
   (ph-schematron's) two stylesheets alone; for the examples, the parse and each
   stylesheet also with the caches evicted before each run (``evict_caches``: what a
   stylesheet loses there is the reading of its own data from memory);
2. per pattern of each of our stylesheets, on the 10,000-line invoice: the time of a
   stylesheet holding only that pattern's rules (every pattern's variables kept) minus
   the time of one holding no rules at all — the marginal cost of the pattern, ranked;
3. peak memory (maximum resident set size) of a fresh process validating each large
   invoice once, and of one running the reference stack on it.

The reference stylesheets (``shared/oracle/phive-xslt/2026.5``) are a test-time and
benchmark-time oracle only. Run: ``.venv/bin/python benchmarks/breakdown.py [--large]
[--patterns N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from fresh import PHIVE_PARTS, peak_memory
from validate_schematron import SHARED, best_time, evicted_time, invoice_with_lines, stylesheet_runner

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation import validate
from peppol_ubl.validation.schematron.compile import emit_xslt
from peppol_ubl.validation.schematron.include import assemble
from peppol_ubl.validation.schematron.model import Pattern, Schema, read_schema
from peppol_ubl.validation.schematron.run import _processor

RULESET = "peppol-bis-3@3.0.21"
PHIVE = SHARED / "oracle" / "phive-xslt" / "2026.5"


def our_stylesheets() -> list[tuple[str, Schema]]:
    """Each Schematron file of the rule set, by name, read as our compiler reads it."""
    return [(path.name, read_schema(assemble(path).root)) for path in get_ruleset(RULESET).schematron_paths()]


def _only(schema: Schema, keep: int | None) -> Schema:
    """The schema with the rules of pattern ``keep`` only (none when ``None``), every
    pattern's variables kept so the stylesheet still compiles."""
    patterns = tuple(p if index == keep else Pattern(p.id, p.lets, ())
                     for index, p in enumerate(schema.patterns))
    return dataclasses.replace(schema, patterns=patterns)


def _stages(xml: bytes, runs: int, evicted: bool = False) -> dict[str, float]:
    """Seconds per stage for one document (best of ``runs``); with ``evicted``, the parse
    and each stylesheet also right after ``evict_caches`` (``… evicted``)."""
    timings: dict[str, float] = {}
    best: dict[str, float] = {}
    for _ in range(runs):
        report = validate(xml, ruleset=RULESET)
        for layer in report.layers:
            best[layer.layer] = min(best.get(layer.layer, 1e9), layer.duration_ms / 1000)
    timings.update({f"ours {name}": value for name, value in best.items()})
    text = xml.decode("utf-8")
    node = _processor().parse_xml(xml_text=text)
    actions = {"saxon parse": lambda: _processor().parse_xml(xml_text=text)}
    for name, schema in our_stylesheets():
        actions[f"ours {name}"] = partial(stylesheet_runner(emit_xslt(schema)), node)
    for part in PHIVE_PARTS:
        actions[f"reference {part}"] = partial(stylesheet_runner((PHIVE / part).read_text(encoding="utf-8")), node)
    for name, action in actions.items():
        timings[name] = best_time(action, runs)
        if evicted:
            timings[f"{name} evicted"] = evicted_time(action, runs)
    return timings


def _print_stages(label: str, timings: dict[str, float]) -> None:
    print(f"\n{label}")
    for name, seconds in timings.items():
        print(f"  {name:<40} {seconds * 1000:10.2f} ms")


def _patterns(xml: bytes, top: int) -> None:
    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    for name, schema in our_stylesheets():
        baseline = best_time(partial(stylesheet_runner(emit_xslt(_only(schema, None))), node), 3)
        costs = []
        for index, pattern in enumerate(schema.patterns):
            if not pattern.rules:
                continue
            run = stylesheet_runner(emit_xslt(_only(schema, index)))
            cost = best_time(partial(run, node), 3) - baseline
            costs.append((cost, pattern.id or f"pattern {index + 1}", len(pattern.rules)))
        total = sum(cost for cost, _, _ in costs)
        print(f"\n{name}: {len(costs)} patterns, baseline walk {baseline * 1000:.1f} ms, "
              f"sum of marginal costs {total * 1000:.1f} ms (10,000 lines)")
        for cost, label, rules in sorted(costs, reverse=True)[:top]:
            print(f"  {cost * 1000:9.1f} ms  {100 * cost / total:5.1f} %  {label} ({rules} rules)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also profile a 100,000-line invoice")
    parser.add_argument("--patterns", type=int, default=12, metavar="N", help="show the N costliest patterns")
    args = parser.parse_args()
    examples = sorted(p for p in (SHARED / "examples").rglob("*") if p.suffix.lower() == ".xml")
    per_example = [_stages(path.read_bytes(), 5, evicted=True) for path in examples]
    _print_stages(f"official examples ({len(examples)}), median per stage",
                  {name: statistics.median(t[name] for t in per_example) for name in per_example[0]})
    sizes = [1000, 10000] + ([100000] if args.large else [])
    documents = {size: invoice_with_lines(size) for size in sizes}
    for size, xml in documents.items():
        started = time.perf_counter()
        _print_stages(f"{size:,} lines", _stages(xml, 3 if size <= 10000 else 1))
        print(f"  (profiled in {time.perf_counter() - started:.0f} s)")
    _patterns(documents[10000], args.patterns)
    print("\npeak memory of one fresh process (max RSS)")
    memory = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size, xml in documents.items():
            if size >= 10000:
                document = Path(tmp) / f"{size}-lines.xml"
                document.write_bytes(xml)
                memory[size] = peak_memory(document, RULESET, PHIVE.name)
    for size, (ours, reference) in memory.items():
        print(f"  {size:>7,} lines: ours {ours / 1024:8.1f} MiB, reference {reference / 1024:8.1f} MiB, "
              f"ratio {ours / reference:.2f}")
    print(json.dumps({"memory_kib": {str(k): v for k, v in memory.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
