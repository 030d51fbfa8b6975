"""Kind 'one-epoch': a 6·N·D product over the dataset size counts the epochs the entry
states.

LIMA's entry: "Epochs: 15", "Training dataset size: 750000" and the note
"6*750000*65000000000 = 292500000000000000": the product counts the 750,000 tokens once,
so the compute is 15 times too small while the arithmetic holds.

Judged only when the entry's epochs field is 1.5 or more, a step's left side is a pure
product with the factor 6 (the forward and backward passes of 6·N·D), one factor is the
entry's parameters field and one its dataset size field (each within its rounding), and
no factor is the epoch count; then the product is the compute of one epoch.  Reported on
the compute field that holds the product's result, where the slip lands in the database:
a product the entry does not use (an alternative estimate set aside) is left alone.
"""

from __future__ import annotations

import math

from ..model.numbers import fmt
from .build import claim_sources, finding
from .context import EntryContext
from .fields import field_values

CONSUMES = ("calculations", "claims", "fields")
OPTIONS = {
    "min_epochs": (float, 1.5, "an epochs field below this is one pass: nothing to count"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "field", "value", "step", "used", "epochs", "size"}


def check(rule, ctx: EntryContext):
    """Yield a finding at each compute field that holds a 6·N·D product over the dataset
    size that omits the epochs."""
    epochs = field_values(ctx, "epochs")
    sizes = field_values(ctx, "dataset_size")
    params = field_values(ctx, "parameters")
    if len(epochs) != 1 or len(sizes) != 1 or len(params) != 1 or \
            epochs[0].value < rule.options["min_epochs"]:
        return
    e, d, n = epochs[0].value, sizes[0].value, params[0].value
    for _note, step, parts, result in ctx.products():
        if not any(c.unit is None and c.value == 6 for c in parts):
            continue
        used = [c for c in parts if _within(c, d)]
        if not any(_within(c, n) for c in parts if c not in used):
            continue        # no N: not 6·N·D
        if len(used) != 1 or any(_within(c, e) or math.isclose(c.value, e, rel_tol=0.02)
                                 for c in parts):
            continue
        computed = result.value * e
        for fv in _copies(ctx, result):
            yield finding(
                rule, status="problem", field=fv.name, start=0, end=len(fv.raw),
                text=fv.raw.strip(), grade="material", stated=fv.value, computed=computed,
                sources=claim_sources(parts), value=fmt(fv.value), step=step.text,
                used=used[0].text, epochs=fmt(e), size=fmt(d))


def _copies(ctx: EntryContext, result):
    """The compute fields that hold the step's stated result: where the slip lands."""
    lo, hi = result.base_interval(as_result=True)
    return [fv for role in ("compute", "finetune_compute") for fv in field_values(ctx, role)
            if lo <= fv.value <= hi or math.isclose(fv.value, result.value, rel_tol=1e-6)]


def _within(c, value: float) -> bool:
    """Whether a figure as written stands for `value` (its rounding, or the same value)."""
    lo, hi = c.base_interval(as_result=True)
    return lo <= value <= hi or math.isclose(c.value, value, rel_tol=1e-9)
