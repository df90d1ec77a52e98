"""What a stylesheet costs when the caches hold something else: the state of the benchmark.

``targets.py`` times ours right after the reference's run and the other way round, so each
side finds the processor's caches full of the other's data. On the official examples our
stylesheets then take two to three times what they take run back to back. This profile,
for Peppol BIS 3.0.21 (the rules in force), in one process, tells where that goes:

1. each stylesheet (ours and the reference's, ph-schematron's) on ``base-example.xml``,
   timed right after: itself on the same document (warm); ``evict_caches``, a write
   over twice the last-level cache of the machines we measure on (evicted); that write and
   then a copy of the same stylesheet, compiled apart, on the same document (Saxon's
   code and the document warm again, not this stylesheet's own objects); that write and
   then the stylesheet itself on another parse of the document (its own objects warm
   again, not the document); and the reference's whole run;
2. per pattern of our two stylesheets, measured right after the reference's run on a few
   official examples: the stylesheet without that pattern's rules against the whole one.

Read it so: when "+ copy warm" costs what "evicted" does and "+ own data warm" what
"warm" does, the time lost is in reading the stylesheet's own compiled objects (its
expression trees) back from memory, not in Saxon's code or the document; fewer
expressions asked per document is then what pays, not cheaper ones.

The reference stylesheets (``shared/oracle/phive-xslt/2026.5``) are a benchmark-time
oracle only. Run: ``.venv/bin/python benchmarks/cold.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from functools import partial

from validate_peppol import Reference, reference, ubl_schemas
from validate_schematron import SHARED, best_after, evict_caches, stylesheet_runner

from peppol_ubl.catalogue import get_ruleset
from peppol_ubl.validation.schematron.compile import emit_xslt
from peppol_ubl.validation.schematron.include import assemble
from peppol_ubl.validation.schematron.model import Pattern, Schema, read_schema
from peppol_ubl.validation.schematron.run import _processor

RULESET = "peppol-bis-3@3.0.21"
RELEASE = "2026.5"
EXAMPLES = SHARED / "examples" / "peppol" / "examples"
BASE = EXAMPLES / "base-example.xml"
PATTERN_EXAMPLES = ("base-example.xml", "vat-category-E.xml", "Allowance-example.xml")


def _both(first: Callable[[], object], second: Callable[[], object]) -> Callable[[], object]:
    def both() -> None:
        first()
        second()
    return both


def _states(texts: dict[str, str], official: Reference, runs: int) -> None:
    xml = BASE.read_bytes()
    text = xml.decode("utf-8")
    node, other = (_processor().parse_xml(xml_text=text) for _ in range(2))

    print(f"\n1. {BASE.name}: each stylesheet right after … (best of {runs}, ms)")
    states = ("warm", "evicted", "+ copy warm", "+ own data warm", "reference run")
    print(f"  {'stylesheet':<44}" + "".join(f"{state:>16}" for state in states))
    for name, stylesheet in texts.items():
        run, copy = stylesheet_runner(stylesheet), stylesheet_runner(stylesheet)
        befores: list[Callable[[], object]] = [
            partial(run, node), evict_caches, _both(evict_caches, partial(copy, node)),
            _both(evict_caches, partial(run, other)),
            partial(official.run, xml)]
        times = [best_after(before, partial(run, node), runs) for before in befores]
        print(f"  {name:<44}" + "".join(f"{seconds * 1000:16.2f}" for seconds in times))


def _without(schema: Schema, index: int) -> Schema:
    patterns = tuple(Pattern(p.id, p.lets, ()) if i == index else p for i, p in enumerate(schema.patterns))
    return dataclasses.replace(schema, patterns=patterns)


def _patterns(schemas: dict[str, Schema], official: Reference, runs: int) -> None:
    """Each stylesheet and its variants without one pattern, asked in turn in each round
    (so that all see the machine in the same state), each right after the reference's run."""
    documents = [(EXAMPLES / name).read_bytes() for name in PATTERN_EXAMPLES]
    print(f"\n2. per pattern, right after the reference's run (mean over {', '.join(PATTERN_EXAMPLES)} "
          f"of each one's best of {runs}, the variants taking turns; ms)")
    for name, schema in schemas.items():
        kept = [index for index, pattern in enumerate(schema.patterns) if pattern.rules]
        variants = [stylesheet_runner(emit_xslt(schema)),
                    *(stylesheet_runner(emit_xslt(_without(schema, index))) for index in kept)]
        best = [[float("inf")] * len(documents) for _ in variants]
        for _ in range(runs):
            for variant, times in zip(variants, best, strict=True):
                for number, xml in enumerate(documents):
                    official.run(xml)
                    node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
                    started = time.perf_counter()
                    variant(node)
                    times[number] = min(times[number], time.perf_counter() - started)
        whole, *without = [statistics.mean(times) for times in best]
        print(f"  {name}: {whole * 1000:.2f} ms")
        costs = sorted(zip((whole - cost for cost in without), kept, strict=True), key=lambda pair: -pair[0])
        for saved, index in costs:
            pattern = schema.patterns[index]
            checks = sum(len(rule.checks) for rule in pattern.rules)
            label = pattern.id or f"pattern {index + 1}"
            print(f"    {saved * 1000:7.2f} ms {100 * saved / whole:6.1f} %  {label} "
                  f"({len(pattern.rules)} rules, {checks} checks)")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="runs per measurement (best kept)")
    args = parser.parse_args()
    os.environ.setdefault("PEPPOL_UBL_ARTIFACTS", str(SHARED / "artifacts"))
    schemas = {path.name: read_schema(assemble(path).root) for path in get_ruleset(RULESET).schematron_paths()}
    phive = SHARED / "oracle" / "phive-xslt" / RELEASE
    texts = {f"ours {name}": emit_xslt(schema) for name, schema in schemas.items()}
    texts |= {f"reference {path.name}": path.read_text(encoding="utf-8")
              for path in (phive / "CEN-EN16931-UBL.xslt", phive / "PEPPOL-EN16931-UBL.xslt")}
    official = reference(RELEASE, ubl_schemas())
    _states(texts, official, args.runs)
    _patterns({f"ours {name}": schema for name, schema in schemas.items()}, official, max(10, args.runs // 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
