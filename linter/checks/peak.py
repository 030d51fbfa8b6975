"""Kind 'peak': a chip's throughput figure must be one of that chip's figures in the table.

A FLOP/s figure the note attributes to a named chip ("989 peak teraFLOP/s for each H100",
"each A100 delivers 312 TFLOPS of dense BF16", "3.12e14 FLOP/s per GPU" with one chip
named) is compared with the chip's dense peaks at every precision in rules/hardware.yaml
(built from Epoch AI's hardware table).  The word "peak" is not needed; a figure the note
calls achieved, effective or sustained (role effective_flops) is not a peak and is not
checked.  A figure given for several chips together ("8 GPUs with 2.5 PFLOP/s") is divided
by their number first.  A figure exactly twice a dense one is the 2:4 sparse headline.
"""

from __future__ import annotations

import math
import re

from ..model.claims import Claim, leaves, single
from ..model.numbers import fmt
from .build import finding
from .context import EntryContext

CONSUMES = ("claims",)
OPTIONS = {
    "tolerance": (float, 0.05, "relative difference accepted against the table"),
    "material": (float, 0.10, "a figure off by this fraction or more is material"),
}
SPECIFIC = re.compile(r"sxm|pcie|nvl|dgxs|(?<!\d)\d+\s?gb", re.I)
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "chip", "figures"}
ORDER = ("bf16", "fp16", "fp8", "tf32", "fp32", "fp16_nontensor", "int8", "fp64", "fp4")
# Precision words a note may name next to a figure, and the table columns they mean.
PRECISION_WORDS = {
    "bf16": ("bf16",), "bfloat16": ("bf16",), "fp16": ("fp16", "fp16_nontensor"),
    "float16": ("fp16", "fp16_nontensor"), "half-precision": ("fp16", "fp16_nontensor"),
    "fp8": ("fp8",), "tf32": ("tf32",), "fp32": ("fp32",), "float32": ("fp32",),
    "single-precision": ("fp32",), "int8": ("int8",), "fp64": ("fp64",),
}
CHECKED_ROLES = ("peak_flops", "throughput")
TRAINING_PRECISIONS = ("bf16", "fp16", "fp16_nontensor", "tf32", "fp32", "fp8")


def check(rule, ctx: EntryContext):
    """Yield a finding for each chip figure that matches none of its chip's figures."""
    hw = ctx.hardware
    if hw is None:
        return
    for note in ctx.notes:
        ex = note.extraction
        named = {m.chip for m in ex.chips}
        derived = _derived_values(ex)
        for c in ex.claims:
            if c.kind != "flop_rate" or ctx.role_of(c) not in CHECKED_ROLES:
                continue
            if not math.isfinite(c.value) or c.value <= 0 or c.bound or c.high is not None:
                continue
            if any(math.isclose(c.number.value, v, rel_tol=1e-9) for v in derived):
                f = _skip(rule, ctx, note, c, "the note computes this figure as a product of "
                                              "others: the arithmetic checks it, not the table")
                if f is not None:
                    yield f
                continue
            found = _chip_for(c, ex, named, hw)
            if found is None or not found[0].peaks:
                continue
            chip, specific = found
            count = _chips_together(c, ex)
            f = _judge(rule, ctx, note, c, chip, specific, count)
            if f is not None:
                yield f


def _derived_values(ex) -> list[float]:
    """The numbers, as written, that a step of the note states as the result of a product
    ("1.248e14 × 8 = 9.984e14 FLOP/s"): a figure for several chips or for the run, not one
    chip's."""
    out = []
    for calc in ex.calculations:
        for step in calc.steps:
            result = single(step.right)
            if result is not None and single(step.left) is None and len(leaves(step.left)) > 1:
                out.append(result.number.value)
    return out


def _chip_for(c: Claim, ex, named: set, hw):
    """The chip a figure is about (named in its unit, in its sentence, or alone in the note)
    and whether the text named a specific variant ("H100 SXM5") rather than a family."""
    if c.chip:
        return hw.lookup(c.chip), bool(SPECIFIC.search(c.unit_text))
    same = [m for m in ex.chips if m.sentence == c.sentence]
    if len({m.chip for m in same}) == 1:
        return hw.lookup(same[0].chip), any(SPECIFIC.search(m.text) for m in same)
    if not same and len(named) == 1:
        mentions = list(ex.chips)
        return hw.lookup(mentions[0].chip), any(SPECIFIC.search(m.text) for m in mentions)
    return None


def _chips_together(c: Claim, ex) -> Claim | None:
    """'8 GPUs with 2.5 PFLOP/s': a chip count just before a figure that is not per chip."""
    if c.unit and "chip" in c.unit:
        return None
    before = [x for x in ex.claims if x.kind == "chips" and x.sentence == c.sentence
              and x.end <= c.start and c.start - x.end <= 30]
    return before[-1] if before and before[-1].value > 1 else None


def _named_precisions(text: str, c: Claim) -> set[str]:
    """Precisions the text names next to the figure ("... teraFLOP/s in BF16")."""
    window = text[max(0, c.start - 60):c.end + 30].lower()
    words = set(re.findall(r"[a-z0-9-]+", window))
    return {p for w in words for p in PRECISION_WORDS.get(w, ())}


def _judge(rule, ctx, note, c: Claim, chip, specific: bool, count: Claim | None):
    """Per chip first; for a figure given beside a chip count, per chip of that count next.
    A figure far from every figure of the chip (beyond ×10) is not about its throughput; one
    at 20-70% of the nearest peak is an achieved throughput: neither is judged."""
    named = _named_precisions(note.text, c) & set(chip.peaks)
    lo, hi = c.base_interval(as_result=True)
    tol = rule.options["tolerance"]
    any_match = [p for p, v in chip.peaks.items() if lo * (1 - tol) <= v <= hi * (1 + tol)]
    if named and any_match and not named & set(any_match):
        want = sorted(named)[0]
        return _finding(rule, note, c, chip, "problem", c.value, chip.peaks[want],
                        _figures(chip), reason=f"it is the {any_match[0]} figure, but the text "
                                               f"says {'/'.join(sorted(named))}")
    attempts = [(c.value, 1.0, "")]
    if count is not None:
        attempts.append((c.value / count.value, count.value, f" (÷ {count.text})"))
    figures = None
    for value, divisor, per in attempts:
        lo, hi = c.base_interval(as_result=True)
        tol = rule.options["tolerance"]
        lo, hi = lo / divisor * (1 - tol), hi / divisor * (1 + tol)
        hit_chip, matches = _matching(ctx, chip, specific, lo, hi)
        if matches:
            if not ctx.show_verified:
                return None
            figures = _figures(hit_chip)
            return _finding(rule, note, c, hit_chip, "verified", value,
                            hit_chip.peaks[matches[0]], figures,
                            reading=f"the {matches[0]} peak of {hit_chip.name}{per}")
        per_core = _per_core(chip, lo, hi)
        if per_core:
            if not ctx.show_verified:
                return None
            return _finding(rule, note, c, chip, "verified", value, value, _figures(chip),
                            reading=f"the {per_core[0]} of {chip.name}{per}")
    value = c.value
    figures = _figures(chip)
    name, nearest = min(chip.peaks.items(), key=lambda kv: abs(math.log(kv[1] / value)))
    ratio = value / nearest
    prefix = _prefix_slip(ratio)
    if prefix:
        return _finding(rule, note, c, chip, "problem", value, nearest, figures,
                        grade="notation", reason=prefix)
    if not 0.1 <= ratio <= 10:
        return _skip(rule, ctx, note, c, f"{fmt(value / 1e12)} TFLOP/s is ×{fmt(max(ratio, 1 / ratio), 2)} "
                                          f"from every figure of {chip.name}: not a figure of one chip")
    achieved = [(p, value / v) for p, v in chip.peaks.items()
                if p in TRAINING_PRECISIONS and 0.2 <= value / v <= 0.7]
    if achieved and ctx.role_of(c) == "throughput":
        # a figure neither called a peak nor given per chip, at a share of a peak that
        # training runs reach: an achieved throughput ("167 TFLOPS" on A100s)
        p, share = achieved[0]
        return _skip(rule, ctx, note, c, f"{share:.0%} of the {p} peak of {chip.name}: an "
                                          "achieved throughput, not a peak")
    # the stated figure's own interval, widened once (lo and hi above are per chip of the
    # last attempt, already widened)
    lo, hi = c.base_interval(as_result=True)
    sparse = [p for p, v in chip.peaks.items() if lo * (1 - tol) <= 2 * v <= hi * (1 + tol)]
    reason = f"it is twice the dense {sparse[0]} figure, i.e. the 2:4 sparse one" if sparse else ""
    return _finding(rule, note, c, chip, "problem", value, nearest, figures, reason=reason)


def _matching(ctx, chip, specific: bool, lo: float, hi: float):
    """The chip (or, for a family name such as "V100", a variant) with a figure in [lo, hi]."""
    matches = [p for p, v in chip.peaks.items() if lo <= v <= hi]
    if not matches and not specific:
        for other in ctx.hardware.family(chip):
            hit = [p for p, v in other.peaks.items() if lo <= v <= hi]
            if hit:
                return other, hit
    return chip, matches


def _per_core(chip, lo: float, hi: float) -> list[str]:
    """A TPU v2/v3 core's figure (half a chip), or a Cloud TPU v2/v3 device's (four chips)."""
    out = [f"{p} peak per core" for p, v in chip.peaks.items()
           if chip.cores_per_chip > 1 and lo <= v / chip.cores_per_chip <= hi]
    if not out and chip.family in ("TPU v2", "TPU v3"):
        out = [f"{p} peak per 4-chip device" for p, v in chip.peaks.items() if lo <= 4 * v <= hi]
    return out


def _prefix_slip(ratio: float) -> str:
    """'123*10^12 TFLOPS': the SI prefix repeats the exponent (a factor of 1e12 exactly)."""
    for k, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if math.isclose(ratio, k, rel_tol=0.05):
            return f"the prefix {prefix} repeats a power of ten already written in the number"
    return ""


def _figures(chip) -> str:
    return ", ".join(f"{p} {fmt(chip.peaks[p] / 1e12)}" for p in ORDER if p in chip.peaks)


def _skip(rule, ctx, note, c: Claim, reason: str):
    if not ctx.show_verified:
        return None
    return finding(rule, status="skipped", field=note.field, start=c.start, end=c.end,
                   text=c.text, reason=reason)


def _finding(rule, note, c: Claim, chip, status: str, value: float, exact: float,
             figures: str, reason: str = "", reading: str = "", grade: str | None = None):
    rel = (value - exact) / exact if exact else 0.0
    if status == "problem" and grade is None:
        grade = "material" if abs(rel) >= rule.options["material"] else "minor"
    return finding(rule, status=status, field=note.field, start=c.start, end=c.end,
                   text=c.text, grade=grade, stated=value / 1e12, computed=exact / 1e12,
                   unit="TFLOP/s", reason=reason, reading=reading,
                   sources=tuple((p, f"{chip.name} {p}", v) for p, v in chip.peaks.items()),
                   chip=chip.name, figures=f"{figures} TFLOP/s")
