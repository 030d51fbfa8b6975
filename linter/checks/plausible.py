"""Kind 'range': a quantity must lie in its possible range, and is suspicious outside a usual one.

Applies to the note's claims of a role and to the entry's structured field of the same
role (a database's "Hardware utilization" column is role utilization too).
"""

from __future__ import annotations

import math

from .context import EntryContext
from ..model.findings import Finding
from ..model.numbers import fmt

OPTIONS = {
    "role": (str, "utilization", "the role checked"),
    "minimum": (float, 0.0, "values at or below this are impossible"),
    "maximum": (float, 1.0, "values above this are impossible"),
    "suspicious_above": (float, math.inf, "values above this are flagged as suspicious"),
    "percent": (bool, True, "show values as percentages"),
}
PLACEHOLDERS = {"text", "value", "limit", "role", "why"}


def check(rule, ctx: EntryContext):
    """Yield findings for values of the role outside the possible or usual range."""
    role = rule.options["role"]
    for note in ctx.notes:
        for c in note.extraction.claims:
            if c.role == role and c.bound is None and not _hypothetical(note.text, c):
                values = [c.value] + ([c.high.value * c.factor] if c.high is not None else [])
                f = _judge(rule, max(values, key=abs), c.text)
                if f is not None:
                    yield f.__class__(**{**f.__dict__, "start": c.start, "end": c.end,
                                         "field": note.field})
    for fv in ctx.entry.fields.values():
        if fv.role == role and fv.value is not None:
            f = _judge(rule, fv.value, fv.raw)
            if f is not None:
                yield f.__class__(**{**f.__dict__, "start": 0, "end": len(fv.raw),
                                     "field": fv.name})


def _hypothetical(text: str, c) -> bool:
    """'1e19 would take 1.5 hours at 100% utilization': a what-if, not a claim."""
    window = text[max(0, c.start - 80):c.end + 20].lower()
    return any(w in window for w in (" would ", " if ", " could ", " even at ", " at most "))


def _judge(rule, value: float, text: str) -> Finding | None:
    o = rule.options
    show = (lambda v: f"{fmt(v * 100)}%") if o["percent"] else fmt
    if not math.isfinite(value):
        return None
    if value <= o["minimum"] or value > o["maximum"]:
        limit = o["minimum"] if value <= o["minimum"] else o["maximum"]
        why = "impossible"
        severity = "error"
    elif value > o["suspicious_above"]:
        limit, why, severity = o["suspicious_above"], "suspicious", rule.severity
    else:
        return None
    message = rule.render(text=text, value=show(value), limit=show(limit), role=o["role"], why=why)
    return Finding(rule=rule.id, slug=rule.slug, severity=severity, message=message, text=text,
                   stated=value, computed=None)
