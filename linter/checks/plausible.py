"""Kind 'range': a quantity must lie in its possible range, and is suspicious outside a usual one.

Applies to the note claims of a role and to the entry's fields of the same role (a
database's "Hardware utilization" column is role utilization too).  A bound ("at most
100%") states a range, not a value, and is not judged.
"""

from __future__ import annotations

import math

from ..model.numbers import fmt
from .build import finding
from .context import EntryContext

CONSUMES = ("claims", "fields")
OPTIONS = {
    "role": (str, "utilization", "the role checked"),
    "minimum": (float, 0.0, "values at or below this are impossible"),
    "maximum": (float, 1.0, "values above this are impossible"),
    "suspicious_above": (float, math.inf, "values above this are flagged as suspicious"),
    "percent": (bool, True, "show values as percentages"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "value", "limit", "role", "why"}


def check(rule, ctx: EntryContext):
    """Yield findings for values of the role outside the possible or usual range."""
    role = ctx.registry.canonical(rule.options["role"]) or rule.options["role"]
    for note in ctx.notes:
        for c in ctx.with_role(note, role):
            if c.bound is None:
                values = [c.value] + ([c.high.value * c.factor] if c.high is not None else [])
                f = _judge(rule, max(values, key=abs), c.text, note.field, c.start, c.end)
                if f is not None:
                    yield f
    for fv in ctx.entry.fields.values():
        if fv.role == role and fv.value is not None:
            f = _judge(rule, fv.value, fv.raw.strip(), fv.name, 0, len(fv.raw))
            if f is not None:
                yield f


def _judge(rule, value: float, text: str, field, start: int, end: int):
    o = rule.options
    show = (lambda v: f"{fmt(v * 100)}%") if o["percent"] else fmt
    if not math.isfinite(value):
        return None
    if value <= o["minimum"] or value > o["maximum"]:
        limit = o["minimum"] if value <= o["minimum"] else o["maximum"]
        why, grade = "impossible", "material"
    elif value > o["suspicious_above"]:
        limit, why, grade = o["suspicious_above"], "suspicious", "minor"
    else:
        return None
    return finding(rule, status="problem", field=field, start=start, end=end, text=text,
                   grade=grade, stated=value, computed=limit, value=show(value),
                   limit=show(limit), role=o["role"], why=why)
