"""Kind 'field-relation': structured fields that a formula ties together must agree.

Example: compute = 6 * parameters * dataset_size * epochs, when the notes say the
estimate was operation-counted.  Fields hold rounded estimates, geometric means of two
methods (up to ~1.6x from either) and totals over stages, so the default band is wide:
this rule is for gross slips (a factor of 2 or more), not for rounding.
"""

from __future__ import annotations

import math

from .context import EntryContext
from ..arithmetic.expressions import evaluate
from ..model.findings import Finding
from ..model.intervals import Interval, Undefined
from ..model.numbers import fmt

OPTIONS = {
    "max_ratio": (float, 2.0, "flag only when the fields are off by this factor or more"),
    "when_words": (list, [], "only when the entry's notes contain one of these words"),
    "unless_words": (list, [], "never when the notes contain one of these words"),
    "defaults": (dict, {}, "values for roles whose field is empty (epochs: 1)"),
    "hardware_peak": (bool, False, "peak_flops from the hardware table for the hardware field"),
    "inputs_in_notes": (bool, False, "only when the notes state every input field's value "
                                     "(so the estimate used these very fields)"),
    "unless_fields": (list, [], "never when one of these fields is filled (finetune_compute:"
                                " the hardware fields may describe the fine-tuning)"),
}
PLACEHOLDERS = {"result", "stated", "computed", "formula", "inputs", "off"}
NEEDS_FORMULA = True


def check(rule, ctx: EntryContext):
    """Yield one finding when the fields contradict the formula by max_ratio or more."""
    o = rule.options
    text = " ".join(n.text for n in ctx.notes).lower()
    if o["when_words"] and not any(w.lower() in text for w in o["when_words"]):
        return
    if any(w.lower() in text for w in o["unless_words"]):
        return
    fields = {f.role: f for f in ctx.entry.fields.values()
              if f.role and f.value is not None and math.isfinite(f.value)}
    if any(r in fields for r in o["unless_fields"]):
        return
    result = fields.get(rule.formula.result)
    if result is None or result.value <= 0:
        return
    pools: dict[str, list[tuple[str, float]]] = {}
    for name in rule.formula.names:
        if name == "peak_flops" and o["hardware_peak"]:
            pools[name] = _peaks(ctx)
        elif name in fields:
            pools[name] = [(f"{fields[name].name} {fields[name].raw.strip()}", fields[name].value)]
        elif name in o["defaults"]:
            pools[name] = [(f"{name} {o['defaults'][name]} (assumed)", float(o["defaults"][name]))]
        else:
            return
        if not pools[name]:
            return
    if o["inputs_in_notes"]:
        claims = [c for n in ctx.notes for c in n.extraction.claims
                  if math.isfinite(c.value) and c.value >= 1000]
        for name in rule.formula.names:
            f = fields.get(name)
            if f is not None and not any(_states(c, f.value) for c in claims):
                return
    best = None
    for k in range(max(len(p) for p in pools.values())):
        values = {n: pool[min(k, len(pool) - 1)] for n, pool in pools.items()}
        try:
            computed = evaluate(rule.formula.expression,
                                lambda n: Interval.point(values[n.name][1])).mid
        except (Undefined, KeyError):
            continue
        if computed <= 0:
            continue
        ratio = result.value / computed
        if max(ratio, 1 / ratio) < o["max_ratio"]:
            return  # some reading agrees
        if best is None:
            best = (values, computed, ratio)
    if best is None:
        return
    values, computed, ratio = best
    inputs = ", ".join(label for label, _ in values.values())
    big = max(ratio, 1 / ratio)
    message = rule.render(result=f"{result.name} {result.raw.strip()}", stated=fmt(result.value),
                          computed=fmt(computed), formula=rule.formula.text, inputs=inputs,
                          off=f" (off by {fmt(big, 2)}x)")
    yield Finding(
        rule=rule.id, slug=rule.slug, severity="error" if big >= 10 else rule.severity,
        message=message, start=0, end=len(result.raw), field=result.name, text=result.raw,
        stated=result.value, computed=computed, relative_error=(result.value - computed) / computed,
        inputs=tuple((n, label, v) for n, (label, v) in values.items()),
    )


def _states(c, value: float) -> bool:
    lo, hi = c.base_interval(as_result=True)
    return lo * 0.98 <= value <= hi * 1.02


def _peaks(ctx: EntryContext) -> list[tuple[str, float]]:
    hw = ctx.hardware
    field = next((f for f in ctx.entry.fields.values() if f.role == "hardware"), None)
    if hw is None or field is None:
        return []
    names = [n.strip() for n in field.raw.split(",") if n.strip()]
    chips = [hw.lookup(n) for n in names]
    if len(chips) != 1 or chips[0] is None:
        return []  # several kinds of hardware: no single peak
    chip = chips[0]
    order = [p for p in ("bf16", "fp16", "tf32", "fp32", "fp8", "fp16_nontensor") if p in chip.peaks]
    return [(f"{chip.name} {p} peak {fmt(chip.peaks[p])} FLOP/s", chip.peaks[p]) for p in order]
