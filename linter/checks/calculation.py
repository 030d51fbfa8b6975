"""Kind 'calculation': a stated calculation must give the result stated with it.

Each step of each calculation the extractor found ("a * b = c", prose, "X, or Y days") is
judged by linter.arithmetic.judge: one reading, tolerance from the stated digits, a grade
for every problem.  `report` splits the verdicts between rules: `arithmetic` (numbers that
do not agree) and `units` (right numbers in units that do not multiply out as written).
Calculations the extractor could not parse whole, and steps the judge sets aside, are
listed under --show-verified with the reason.
"""

from __future__ import annotations

from ..arithmetic.judge import Tolerance, Verdict, chained, labelled
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
                if k == 0 and calc.label:
                    v = labelled(v, calc.label)
                if k + 1 < len(calc.steps):
                    v = chained(v, step, calc.steps[k + 1], tol)
                about_units = v.grade == "notation" and v.reason.startswith(UNITS)
                if units != about_units:
                    continue
                if v.status == "problem" or ctx.show_verified:
                    yield from_verdict(rule, note.field, step, v)


def from_verdict(rule, field, step, v: Verdict):
    """The finding for a step's verdict: at the stated number (a problem is where the
    changed digits are), or over the whole step when it was not judged."""
    where = v.stated_claim
    start, end = (where.start, where.end) if where is not None and v.status != "skipped" \
        else (step.start, step.end)
    return finding(rule, status=v.status, field=field, start=start, end=end, text=step.text,
                   grade=v.grade, stated=v.stated, computed=v.computed, unit=v.unit,
                   reason=v.reason, reading=v.reading, sources=claim_sources(v.inputs))
