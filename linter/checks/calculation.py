"""Kind 'calculation': a stated calculation must give the result stated with it.

Each step of each calculation the extractor found ("a * b = c", prose, "X, or Y days") is
judged by linter.arithmetic.judge: one reading, tolerance from the stated digits, a grade
for every problem.  `report` splits the verdicts between rules: `arithmetic` (numbers that
do not agree) and `units` (right numbers in units that do not multiply out as written).
Calculations the extractor could not parse whole, and steps the judge sets aside, are
listed under --show-verified with the reason.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from ..arithmetic.judge import Tolerance, Verdict, chained, judge, labelled
from ..model.claims import Claim, Step, leaves, substituted
from ..model.numbers import Number, fmt
from .build import claim_sources, finding
from .context import EntryContext

CONSUMES = ("calculations", "claims")
OPTIONS = {
    "calculations": (list, ["chain", "prose"], "which calculations: chain, prose, conversion, "
                                                "restatement, rounded"),
    "report": (str, "arithmetic", "which verdicts: arithmetic, or units (numbers right, units "
                                  "that do not multiply out)"),
    "tolerance": (float, 1e-9, "relative difference always accepted (floating-point noise)"),
    "approx_tolerance": (float, 0.10, "band around a two-digit result written with ~, ≈, "
                                      "about (ten times narrower per further digit)"),
    "material": (float, 0.10, "a problem off by this fraction or more is material"),
    "implausible": (float, 1e4, "an unexplained discrepancy beyond this factor is a "
                                "misreading, not judged"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade"}
UNITS = "the units do not multiply out"
NEARBY_RESULTS = 32     # results above an input looked at for its unrounded value


def check(rule, ctx: EntryContext):
    """Yield a finding per judged step (verified and skipped ones only when asked)."""
    opts = rule.options
    tol = Tolerance(relative=opts["tolerance"], approx=opts["approx_tolerance"],
                    material=opts["material"], implausible=opts["implausible"])
    units = opts["report"] == "units"
    for note in ctx.notes:
        for calc in note.extraction.calculations:
            if calc.kind not in opts["calculations"]:
                continue
            if calc.skip:
                if ctx.show_verified and not units:
                    yield finding(rule, status="skipped", field=note.field, start=calc.start,
                                  end=calc.end, text=note.text[calc.start:calc.end],
                                  reason=calc.skip)
                continue
            for k, step in enumerate(calc.steps):
                v = ctx.judged(step, tol)
                if v.status == "problem" and v.grade == "minor":
                    v = _as_computed_above(ctx, note, step, v, tol)
                if k == 0 and calc.label:
                    v = labelled(v, calc.label)
                if calc.kind == "mean" and v.status != "skipped":
                    v = _of_estimates(v, step)
                if k + 1 < len(calc.steps):
                    v = chained(v, step, calc.steps[k + 1], tol)
                about_units = v.grade == "notation" and v.reason.startswith(UNITS)
                if units != about_units:
                    continue
                if v.status == "problem" or ctx.show_verified:
                    yield from_verdict(rule, note.field, step, v)


def _of_estimates(v: Verdict, step: Step) -> Verdict:
    """Name the estimates a mean stated on its own line was taken of."""
    of = "the geometric mean of " + " and ".join(f"'{c.text}'" for c in leaves(step.left)) \
        + ", computed above"
    return replace(v, reading=f"{of}; {v.reading}" if v.reading else of,
                   reason=f"{of}; {v.reason}" if v.reason else of)


def from_verdict(rule, field, step, v: Verdict):
    """The finding for a step's verdict: at the stated number (a problem is where the
    changed digits are), or over the whole step when it was not judged."""
    where = v.stated_claim
    start, end = (where.start, where.end) if where is not None and v.status != "skipped" \
        else (step.start, step.end)
    return finding(rule, status=v.status, field=field, start=start, end=end, text=step.text,
                   grade=v.grade, stated=v.stated, computed=v.computed, unit=v.unit,
                   reason=v.reason, reading=v.reading, sources=claim_sources(v.inputs))


def _as_computed_above(ctx: EntryContext, note, step: Step, v: Verdict, tol: Tolerance
                       ) -> Verdict:
    """A minor miss whose rounded inputs the note computed above ("... = 2.1T training
    passes", then "340 million * 6 * 2 trillion = 4.3e21"): the inputs taken at the values
    their calculations give.  Verified if the step then holds, else the miss as it was."""
    results = ctx.once(("verified results", id(note), tol),
                       lambda: _verified_results(ctx, note, tol))
    if not results:
        return v
    mapping: dict[int, Claim] = {}
    ends = ctx.once(("verified result ends", id(note), tol), lambda: [s.end for s, _ in results])
    for c in leaves(step.left):
        k = bisect.bisect_right(ends, c.start)
        for s, computed in reversed(results[max(0, k - NEARBY_RESULTS):k]):
            if s is c or None not in (s.unit, c.unit) and s.unit != c.unit:
                continue
            lo, hi = c.number.as_input()
            if c.number.value == s.number.value or (c.number.abbreviated and lo <= computed <= hi):
                mapping[id(c)] = replace(c, number=Number(computed, ulp=abs(computed) * 1e-12))
                break
    if not mapping:
        return v
    again = judge(replace(step, left=substituted(step.left, mapping)), tol)
    if again.status != "verified":
        return v
    taken = ", ".join(f"'{c.text}' as {fmt(mapping[id(c)].number.value)}"
                      for c in leaves(step.left) if id(c) in mapping)
    return replace(again, reading=f"{again.reading}; {taken}, as computed above",
                   inputs=v.inputs)


def _verified_results(ctx: EntryContext, note, tol: Tolerance) -> list[tuple[Claim, float]]:
    """(stated result, the value its calculation gives, in the result's written units) for
    each step of a note that holds, in the note's order."""
    out = []
    for calc in note.extraction.calculations:
        if calc.skip:
            continue
        for step in calc.steps:
            r = ctx.judged(step, tol)
            s = r.stated_claim
            if r.status == "verified" and s is not None and r.computed and \
                    r.stated == s.number.value:
                out.append((s, r.computed))
    out.sort(key=lambda x: x[0].end)
    return out
