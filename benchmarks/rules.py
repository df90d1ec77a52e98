"""Where a small document's Schematron time goes: the marginal cost of each rule.

For Peppol BIS 3.0.21, on a few official examples (small invoices, where the targets'
median is decided), each of our two stylesheets is compiled once with no rule at all
(every variable kept: the walk over the document and the global variables), once with
one rule only for each rule, and once whole. All of them are then timed in turns, one
run each per round, so that the machine's drift and whatever one run leaves behind
(Saxon's heap, the caches) falls on every variant alike; a rule's cost is the median of
its rounds minus that of the variant with no rule. Timed one variant after another
instead, a rule came out at 0.68 ms that showed no cost at all timed in turns a minute
later (most rules cost under 0.1 ms).

A rule's cost holds matching its context at the nodes the walk asks its pattern at, and
its checks where it fires. It is an upper bound of what the rule costs in the whole
stylesheet, and the costs do not add up to the whole: a variable several rules read is
paid by each of them here, once in the whole; a rule that may match any element (CEN's
``//*[ends-with(name(), 'Amount') …]``) is asked here at every element, where in the
whole the walk does not ask its pattern at the names ``patterns.cannot_match`` rules out;
and in a pattern a node fires its first matching rule only. ``--checks N`` also splits
the N costliest rules of each stylesheet by check, each check alone in its rule (the
rule's own variables kept), so a check's cost includes the variables it reads.
``benchmarks/cold.py`` measures the other side of the same time: what a stylesheet loses
when the reference ran just before it.

Run: ``.venv/bin/python benchmarks/rules.py [--rounds N] [--top N] [--checks N]
[EXAMPLE ...]`` (examples relative to ``shared/examples``). Under a minute.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable, Sequence

from breakdown import RULESET, our_stylesheets
from validate_schematron import SHARED, stylesheet_runner

from peppol_ubl.validation.schematron.compile import emit_xslt
from peppol_ubl.validation.schematron.model import Check, Pattern, Rule, Schema
from peppol_ubl.validation.schematron.run import _processor

EXAMPLES = ("peppol/examples/base-example.xml", "peppol/examples/vat-category-O.xml", "cen/ubl-tc434-example1.xml")
"""Three small invoices: Peppol's base example, one VAT category, CEN's first test example."""


@dataclasses.dataclass(frozen=True)
class _Variant:
    label: str
    run: Callable[[object], object]


def _keeping(schema: Schema, kept: dict[tuple[int, int], Rule]) -> Schema:
    """The schema with only the rules in ``kept`` (keyed by pattern and rule index, each
    rule as given there), every variable kept so that the stylesheet still compiles."""
    patterns = tuple(
        Pattern(pattern.id, pattern.lets, tuple(kept[(p, r)] for r in range(len(pattern.rules)) if (p, r) in kept))
        for p, pattern in enumerate(schema.patterns))
    return dataclasses.replace(schema, patterns=patterns)


def _round_robin(variants: Sequence[_Variant], nodes: Sequence[object], rounds: int) -> list[float]:
    """Each variant's median time over ``rounds`` rounds, one run on every node per round
    (after one round that is not counted), in seconds."""
    timings: list[list[float]] = [[] for _ in variants]
    for round_number in range(rounds + 1):
        for index, variant in enumerate(variants):
            started = time.perf_counter()
            for node in nodes:
                variant.run(node)
            if round_number:
                timings[index].append(time.perf_counter() - started)
    return [statistics.median(times) for times in timings]


def _short(text: str, length: int) -> str:
    """``text`` on one line, cut at ``length`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[:length] + "…"


def _rule_label(pattern: Pattern, number: int, rule: Rule) -> str:
    return f"{pattern.id or f'pattern {number + 1}'}: {_short(rule.context, 90)}"


def _profile(name: str, schema: Schema, nodes: Sequence[object], rounds: int, top: int, split: int) -> None:
    rules = [(p, r) for p, pattern in enumerate(schema.patterns) for r in range(len(pattern.rules))]
    started = time.perf_counter()
    variants = [_Variant("no rule", stylesheet_runner(emit_xslt(_keeping(schema, {})))),
                _Variant("whole", stylesheet_runner(emit_xslt(schema)))]
    for p, r in rules:
        rule = schema.patterns[p].rules[r]
        variants.append(_Variant(_rule_label(schema.patterns[p], p, rule),
                                 stylesheet_runner(emit_xslt(_keeping(schema, {(p, r): rule})))))
    compiled = time.perf_counter() - started
    medians = _round_robin(variants, nodes, rounds)
    walk, whole = medians[0], medians[1]
    costs = sorted(((median - walk, variant.label, rules[index])
                    for index, (median, variant) in enumerate(zip(medians[2:], variants[2:], strict=True))),
                   reverse=True)
    print(f"\n{name}: {len(rules)} rules on {len(nodes)} documents ({rounds} rounds; "
          f"{len(variants)} stylesheets compiled in {compiled:.0f} s)")
    print(f"  whole {whole * 1000:.3f} ms, no rule (walk and variables) {walk * 1000:.3f} ms, "
          f"sum of the rules' costs {sum(c for c, _, _ in costs) * 1000:.3f} ms")
    for cost, label, _ in costs[:top]:
        print(f"  {cost * 1000:8.3f} ms  {label}")
    for cost, label, (p, r) in costs[:split]:
        _split(schema, p, r, label, variants[0], nodes, rounds)


def _split(schema: Schema, p: int, r: int, label: str, no_rule: _Variant, nodes: Sequence[object],
           rounds: int) -> None:
    """The cost of each check of one rule, alone in it. A rule left with fewer than
    ``GUARDED`` plain-path asserts has no absence guard (``absent``): what the guard
    costs the whole rule is in neither figure."""
    rule = schema.patterns[p].rules[r]
    checks = [(i, item) for i, item in enumerate(rule.body) if isinstance(item, Check)]

    def alone(keep: int | None) -> Schema:
        body = tuple(item for i, item in enumerate(rule.body) if not isinstance(item, Check) or i == keep)
        return _keeping(schema, {(p, r): dataclasses.replace(rule, body=body)})

    variants = [no_rule, _Variant("no check", stylesheet_runner(emit_xslt(alone(None))))]
    variants += [_Variant(f"{check.id}: {_short(check.test, 110)}", stylesheet_runner(emit_xslt(alone(i))))
                 for i, check in checks]
    medians = _round_robin(variants, nodes, rounds)
    costs = sorted(((m - medians[1], v.label) for m, v in zip(medians[2:], variants[2:], strict=True)), reverse=True)
    print(f"\n  {label}: {len(checks)} checks; the rule without them costs {(medians[1] - medians[0]) * 1000:.3f} ms "
          "(matching its context, its variables)")
    for cost, text in costs[:8]:
        print(f"    {cost * 1000:8.3f} ms  {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("examples", nargs="*", default=EXAMPLES, help="examples, relative to shared/examples")
    parser.add_argument("--rounds", type=int, default=60, help="rounds of the round robin")
    parser.add_argument("--top", type=int, default=15, help="rules shown per stylesheet")
    parser.add_argument("--checks", type=int, default=2, help="rules split by check per stylesheet")
    args = parser.parse_args()
    nodes = [_processor().parse_xml(xml_text=(SHARED / "examples" / name).read_text(encoding="utf-8"))
             for name in args.examples]
    print(f"{RULESET}, our stylesheets, on {', '.join(args.examples)}")
    for name, schema in our_stylesheets():
        _profile(name, schema, nodes, args.rounds, args.top, args.checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
