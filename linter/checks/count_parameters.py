"""Kind 'count-parameters': the N of a 6·N·D product is the model's parameter count.

Yi 6B's entry: "Parameters: 6000000000", the name's "6B", and the note "6*7*10^9*3*10^12 =
1.26e+23": the product counts 7 billion parameters, so the compute is 17% high while the
arithmetic holds.

Judged only when the entry's Parameters field and the size in the model's name agree (the
field within the name's rounding: two statements of one count), on a step whose left side
is a pure product with the factor 6 or 2 (the passes of 6·N·D or 2·N·D) and at least three
factors, none of which is that count; exactly one factor lies within `ratio` of it (that is
N, and it is not the count).  Nothing is said when the notes state that factor's value as
a count of their own ("7B non-embedding parameters"): then the product counts what they
say, and the field rules judge the field.
"""

from __future__ import annotations

import math

from ..model.claims import factors
from ..model.numbers import fmt
from .build import claim_sources, finding
from .context import EntryContext
from .fields import field_values
from .name_size import name_size

CONSUMES = ("calculations", "claims", "fields")
OPTIONS = {
    "ratio": (float, 2.0, "a factor within this ratio of the parameter count is the N"),
    "passes": (list, [6, 2], "the constant factors of an operation count (6·N·D, 2·N·D)"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "used", "value", "name", "size", "result", "corrected"}


def check(rule, ctx: EntryContext):
    """Yield a finding at each N of an operation count that is not the parameter count the
    field and the name agree on."""
    o = rule.options
    params = field_values(ctx, "parameters")
    found = name_size(ctx.entry.id) if ctx.entry.id else None
    if len(params) != 1 or found is None:
        return
    n = params[0].value
    part, _, (lo, hi) = found
    if not n or not lo <= n <= hi:
        return                  # the field and the name do not agree: which is the count?

    def is_count(c) -> bool:
        return lo <= c.value <= hi or math.isclose(c.value, n, rel_tol=1e-6)

    passes = set(o["passes"])
    stated = None
    for note, step, parts, result in ctx.products():
        if any(is_count(c) for c in parts) or not any(
                c.unit is None and c.value in passes for c in parts):
            continue
        near = [c for c in parts if (c.unit is None or c.kind == "parameters")
                and 1 / o["ratio"] <= c.value / n <= o["ratio"]]
        if len(near) != 1:
            continue
        used = near[0]
        if stated is None:
            stated = _stated_elsewhere(ctx)
        if any(math.isclose(v, used.value, rel_tol=1e-6) for v in stated):
            continue
        yield finding(
            rule, status="problem", field=note.field, start=used.start, end=used.end,
            text=step.text, grade="material" if abs(used.value / n - 1) >= 0.1 else "minor",
            stated=used.value, computed=n,
            sources=(("Parameters", params[0].raw.strip(), n),) + claim_sources(parts),
            used=used.text, value=fmt(n), name=ctx.entry.id, size=part, result=result.text,
            corrected=fmt(result.value / used.value * n))


def _stated_elsewhere(ctx: EntryContext) -> list[float]:
    """The values the notes state outside the factors of their products."""
    out = []
    for note in ctx.notes:
        inside = {id(c) for calc in note.extraction.calculations for s in calc.steps
                  for c in (factors(s.left) or ())}
        out += [c.value for c in note.extraction.claims if id(c) not in inside]
    return out
