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

A total that writes its sum out ("Total compute: 195532800000+12000000=...") is judged by
the arithmetic; here its addends are held to the lines above whose label names what the
total's label names: all but one of them those lines' figures and exactly one line's
figure left out means that addend was copied wrong.
"""

from __future__ import annotations

import math
import re

from ..model.claims import Claim, leaves, single, summands
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
                written = _written_total(rule, note.text, line)
                if written is not None:
                    f = _copied_addend(rule, note, written, lines[previous_total + 1:k])
                    previous_total = k
                    if f is not None:
                        yield f
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


def _written_total(rule, text: str, line: _Line):
    """(label words, step) of a total that writes its sum out ("Total compute: a + b = c"),
    or None."""
    if not line.steps or not line.claims:
        return None
    step = line.steps[0]
    addends = summands(step.left, "+")
    m = LABEL.match(text[line.start:line.claims[0].start])
    if m is None or addends is None or len(addends) < 2 or addends[0] is not line.claims[0]:
        return None
    words = m.group(1).lower().split()
    if not words or words[0] not in rule.options["total_labels"] or len(words) > 3:
        return None
    return words[1:], step, addends


def _copied_addend(rule, note, written, above: list[_Line]):
    """A total that writes its sum out adds the results of the lines above it (those whose
    label names what the total's label names: "Total compute" adds the "... compute"
    lines).  When every addend but one is a line's figure and exactly one line's figure is
    not added, that addend was copied wrong: 'Lissom compute: ... = 195532800000',
    'Perceptron compute: ... = 20400000000', 'Total compute: 195532800000+12000000'."""
    nouns, step, addends = written
    lines = []
    for ln in reversed(above):
        stripped = ln.text.strip()
        if not stripped or stripped.endswith(":") or not ln.claims:
            break
        label = note.text[ln.start:ln.claims[0].start].lower()
        if all(w in label for w in nouns):
            lines.append(ln)
    lines.reverse()
    if len(lines) < 2:
        return None
    values = [[c for c in ln.results] or ln.claims[:1] for ln in lines]
    used = [False] * len(lines)
    unmatched = []
    for a in addends:
        k = next((k for k, vs in enumerate(values) if not used[k] and any(
            _same_figure(a, v) for v in vs)), None)
        if k is None:
            unmatched.append(a)
        else:
            used[k] = True
    unused = [k for k, u in enumerate(used) if not u]
    if len(unmatched) != 1 or len(unused) != 1 or len(addends) != len(lines):
        return None
    a, ln = unmatched[0], lines[unused[0]]
    right = values[unused[0]]
    right = next((v for v in right if v.number.magnitude == 1 and not v.number.abbreviated),
                 right[0])            # the figure written out in full, as the addends are
    if a.kind != right.kind or a.dimension != right.dimension or not math.isfinite(
            right.value) or right.value <= 0:
        return None
    stated = sum(c.value for c in addends)
    computed = stated - a.value + right.value
    rel = (stated - computed) / computed
    grade = "material" if abs(rel) >= rule.options["material"] or abs(
        computed / stated - 1) >= rule.options["material"] else "minor"
    line_text = " ".join(ln.text.split())
    reason = f"'{a.text}' is none of the lines above; '{line_text}' gives {right.text}"
    return finding(rule, status="problem", field=note.field, start=a.start, end=a.end,
                   text=step.text, grade=grade, stated=stated, computed=computed,
                   unit=a.unit_text, reason=reason, reading="the sum of the lines above",
                   parts=" + ".join(right.text if c is a else c.text for c in addends),
                   sources=(("line", right.text, right.value),))


def _same_figure(a: Claim, b: Claim) -> bool:
    """Whether an addend is a line's figure: equal, or the line's figure within the
    addend's rounding."""
    if math.isclose(a.value, b.value, rel_tol=1e-9):
        return True
    lo, hi = a.base_interval(as_result=True)
    return a.number.abbreviated and lo <= b.value <= hi


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
