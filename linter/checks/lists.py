"""Kind 'list-total': a 'Total = X' line must be the sum of the lines above it.

Notes list the parts of an estimate one per line and close with a total:

    Base: 3.12e14 × 2 × 777,600 × 0.4 = 1.94e20 FLOPs
    SCOPe: 3.12e14 × 12 × 1,209,600 × 0.4 = 1.81e21 FLOPs
    Total = 2.06e21 FLOPs

A line whose label is one of `total_labels` ("Total", "Sum", "Overall") followed by "=" or
":" and a number is a total.  Its parts are the lines above it, up to a blank line, a
heading (a line that ends with ':'), a line without numbers or the previous total: each
line's result (the stated side of its last calculation) or its only number.  The list is
not judged when a line holds several numbers and no calculation, or when the parts are not
all of the total's unit kind.  The total is compared within its own digits; a difference
the rounding of the parts explains is minor.
"""

from __future__ import annotations

import math
import re

from ..model.claims import Claim, leaves, single
from .build import finding
from .context import EntryContext

CONSUMES = ("claims", "calculations")
OPTIONS = {
    "total_labels": (list, ["total", "sum", "overall", "altogether"],
                     "line labels that make a line the total of the lines above"),
    "material": (float, 0.10, "a problem off by this fraction or more is material"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "parts"}
LABEL = re.compile(r"^[\s>*\-•(\d).]*([A-Za-z][A-Za-z ]{0,40}?)\s*(=|:)\s*$")


def check(rule, ctx: EntryContext):
    for note in ctx.notes:
        if note.text.count("\n") < 2 or not note.extraction.claims:
            continue        # a total needs two lines of parts above it, one part a line
        lines = _lines(note)
        previous_total = -1
        for k, line in enumerate(lines):
            t = _total(rule, note.text, line)
            if t is None:
                continue
            parts = _parts(lines[previous_total + 1:k])
            previous_total = k
            if parts is None or len(parts) < 2:
                continue
            f = _judge(rule, ctx, note, t, parts)
            if f is not None:
                yield f


class _Line:
    def __init__(self, start: int, end: int, text: str):
        self.start, self.end, self.text = start, end, text
        self.claims: list[Claim] = []
        self.results: list[Claim] = []      # stated sides of the line's calculations
        self.steps: list = []


def _lines(note) -> list[_Line]:
    out, pos = [], 0
    for raw in note.text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    starts = [ln.start for ln in out]

    def line_of(offset: int) -> _Line:
        lo, hi = 0, len(out) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return out[lo]

    ex = note.extraction
    for c in ex.claims:
        line_of(c.start).claims.append(c)
    for calc in ex.calculations:
        for step in calc.steps:
            ln = line_of(step.start)
            if line_of(max(step.start, step.end - 1)) is not ln:
                continue
            ln.steps.append(step)
            result = single(step.right)
            if result is not None:
                ln.results.append(result)
    return out


def _total(rule, text: str, line: _Line) -> Claim | None:
    """The stated total of a 'Total = X' line, or None."""
    if not line.claims:
        return None
    first = line.claims[0]
    m = LABEL.match(text[line.start:first.start])
    if m is None:
        return None
    words = m.group(1).lower().split()
    if not words or words[0] not in rule.options["total_labels"] or len(words) > 3:
        return None
    if any(single(s.left) is None and any(c is first for c in leaves(s.left))
           for s in line.steps):
        return None                 # "Total = a + b = c": the arithmetic judges it
    if first.high is not None or first.bound:
        return None
    return first


def _parts(lines: list[_Line]) -> list[Claim] | None:
    """The parts above a total, nearest block first: None when a line cannot be read."""
    parts: list[Claim] = []
    for ln in reversed(lines):
        stripped = ln.text.strip()
        if not stripped or stripped.endswith(":") or not ln.claims:
            break
        if ln.results:
            parts.append(ln.results[-1])
        elif len(ln.claims) == 1:
            parts.append(ln.claims[0])
        else:
            return None             # several numbers and no calculation: which one?
    parts.reverse()
    return parts


def _judge(rule, ctx: EntryContext, note, t: Claim, parts: list[Claim]):
    if any(p.kind != t.kind or p.dimension != t.dimension or p.high is not None or p.bound
           or not math.isfinite(p.value) for p in parts):
        return None
    per = t.factor or 1.0
    computed = sum(p.value for p in parts) / per
    lo, hi = (x / per for x in t.base_interval(as_result=True))
    joined = " + ".join(p.text for p in parts)
    reading = f"the sum of the {len(parts)} lines above"
    if lo <= computed <= hi:
        if not ctx.show_verified:
            return None
        return finding(rule, status="verified", field=note.field, start=t.start, end=t.end,
                       text=t.text, stated=t.number.value, computed=computed,
                       unit=t.unit_text, reading=reading, parts=joined)
    p_lo = sum(p.base_interval(as_result=True)[0] for p in parts) / per
    p_hi = sum(p.base_interval(as_result=True)[1] for p in parts) / per
    rel = (t.number.value - computed) / computed if computed else math.inf
    if p_lo <= hi and lo <= p_hi:
        grade, reason = "minor", "within the rounding of the lines"
    else:
        grade = "material" if abs(rel) >= rule.options["material"] else "minor"
        reason = ""
    return finding(rule, status="problem", field=note.field, start=t.start, end=t.end,
                   text=t.text, grade=grade, stated=t.number.value, computed=computed,
                   unit=t.unit_text, reason=reason, reading=reading, parts=joined,
                   sources=tuple(("line", p.text, p.value) for p in parts))
