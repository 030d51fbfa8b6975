"""Kind 'calculation': a stated calculation must give the result stated with it."""

from __future__ import annotations

from ..model.claims import Leaf
from .context import EntryContext
from ..model.findings import Finding
from ..model.numbers import fmt
from ..arithmetic.recompute import Outcome, Tolerance, recompute, skip_reason, units_note

OPTIONS = {
    "calculations": (list, ["chain", "prose"], "which calculations: chain, prose, conversion, "
                                                "restatement"),
    "tolerance": (float, 1e-4, "relative difference always accepted (digit-level noise)"),
    "approx_tolerance": (float, 0.10, "band around a result written with ~, ≈, about"),
    "gross_factor": (float, 3.0, "a result off by this factor or more is an error"),
    "truncation": (bool, False, "also accept a result of 3+ digits cut off instead of "
                                "rounded (2.69e18 for 2.6957e18)"),
    "input_rounding": (bool, True, "an abbreviated input (9T, 3.12e14) may stand for any value "
                                   "that rounds to it, as statcheck does for test statistics"),
}
PLACEHOLDERS = {"text", "stated", "computed", "relative_error", "unit", "off", "mode", "why"}


def check(rule, ctx: EntryContext):
    """Yield a finding for each stated step that does not hold (and, if asked, each that does)."""
    opts = rule.options
    tol = tolerance(opts, ctx.hardware)
    for note in ctx.notes:
        for calc in note.extraction.calculations:
            if calc.kind not in opts["calculations"]:
                continue
            for step in calc.steps:
                if skip_reason(step):
                    continue
                outcome = recompute(step, tol, label=calc.label)
                if outcome is None:
                    continue
                if outcome.agrees and not ctx.show_verified:
                    continue
                yield finding(rule, note.field, step, outcome, opts["gross_factor"])


def tolerance(opts: dict, hardware=None) -> Tolerance:
    """The rule's options as a Tolerance; the hardware table's peaks are exact inputs."""
    return Tolerance(approx=opts["approx_tolerance"], relative=opts["tolerance"],
                     truncated=opts["truncation"], exact_inputs=not opts["input_rounding"],
                     exact_figures=hardware.exact_figures if hardware is not None
                     else frozenset())


def finding(rule, field, step, outcome: Outcome, gross_factor: float) -> Finding:
    """Build the finding for one step's outcome."""
    where = outcome.stated_claim
    start, end = (where.start, where.end) if where is not None else (step.start, step.end)
    unit = _unit_label(outcome)
    off = _off(outcome)
    values = dict(
        text=step.text, stated=fmt(outcome.stated), computed=fmt(outcome.computed),
        relative_error=f"{outcome.relative_error:+.1%}" if outcome.computed else "n/a",
        unit=f" {unit}" if unit else "", off=off, mode=outcome.mode,
        why=units_note(step, outcome),
    )
    if outcome.agrees:
        severity = "info"
        message = (f"verified: {step.text.strip()!s} (recomputed {values['computed']}"
                   f"{values['unit']}, stated {values['stated']}; {outcome.mode} reading)")
    else:
        severity = rule.severity
        if outcome.ratio >= gross_factor or outcome.ratio <= 1 / gross_factor:
            severity = "error"
        message = rule.render(**values)
    return Finding(
        rule=rule.id, slug=rule.slug, severity=severity, message=message,
        start=start, end=end, field=field, text=step.text,
        stated=outcome.stated, computed=outcome.computed,
        relative_error=outcome.relative_error if outcome.computed else None,
        unit=unit or None,
        inputs=tuple((c.role or c.kind or "number", c.text, c.value) for c in outcome.inputs),
        verified=outcome.agrees,
    )


def _unit_label(outcome: Outcome) -> str:
    c = outcome.stated_claim
    if c is None or c.unit is None:
        return ""
    return c.unit_text


def _off(outcome: Outcome) -> str:
    r = outcome.ratio
    if r == float("inf") or r == 0:
        return ""
    big = max(r, 1 / r)
    if big >= 9.5:
        return f" (off by {fmt(big, 2)}x)"
    return ""


def is_stated_result(calc, claim) -> bool:
    """Whether a claim is the stated side of one of a calculation's steps."""
    return any(isinstance(s.right, Leaf) and s.right.claim == claim for s in calc.steps)
