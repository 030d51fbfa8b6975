"""Kind 'peak': a per-chip peak FLOP/s must be one of that chip's figures in the hardware table."""

from __future__ import annotations

import math
import re

from ..model.claims import Leaf, leaves
from .context import EntryContext
from ..model.findings import Finding
from ..model.numbers import fmt

OPTIONS = {
    "tolerance": (float, 0.05, "relative difference accepted against the table"),
}
PEAK_WORDS = ("peak", "theoretical", "max ", "maximum", "spec", "rated", "datasheet")
SPECIFIC = re.compile(r"sxm|pcie|nvl|dgxs|(?<!\d)\d+\s?gb", re.I)
PLACEHOLDERS = {"text", "chip", "stated", "figures", "hint"}
ORDER = ("bf16", "fp16", "fp8", "tf32", "fp32", "fp16_nontensor", "int8", "fp64", "fp4")
# Precision words a note may name next to a figure, and the table columns they mean.
PRECISION_WORDS = {
    "bf16": ("bf16",), "bfloat16": ("bf16",), "fp16": ("fp16", "fp16_nontensor"),
    "float16": ("fp16", "fp16_nontensor"), "half-precision": ("fp16", "fp16_nontensor"),
    "fp8": ("fp8",), "tf32": ("tf32",), "fp32": ("fp32",), "float32": ("fp32",),
    "single-precision": ("fp32",), "int8": ("int8",), "fp64": ("fp64",),
}


def check(rule, ctx: EntryContext):
    """Yield a finding for each per-chip peak that matches no precision of its chip."""
    hw = ctx.hardware
    if hw is None:
        return
    for note in ctx.notes:
        ex = note.extraction
        named = {m.chip for m in ex.chips}
        used_as_peak = _used_with_utilization(note)
        for c in ex.claims:
            if not math.isfinite(c.value) or c.kind != "flop_rate":
                continue
            if c.role == "peak_flops":
                if not (c.chip or _called_peak(note, c) or id(c) in used_as_peak):
                    continue  # "at 180 TFLOPS per GPU" may be an achieved throughput
            elif not (c.role == "throughput" and id(c) in used_as_peak and 1e11 <= c.value <= 1e16):
                continue  # "1.60e+14 FLOP/s x 1 GPU x 336,000s x 0.4": a chip's peak by use
            found = _chip_for(c, ex, named, hw)
            if found is None or not found[0].peaks:
                continue
            yield from _judge(rule, ctx, note, c, *found)


def _called_peak(note, c) -> bool:
    """Called a peak, or given as the chip's figure: "8x NVIDIA H100 SXM5 (7.56e14 FLOP/s)"."""
    window = note.text[max(0, c.start - 50):c.end + 25].lower()
    if any(w in window for w in PEAK_WORDS):
        return True
    before = note.text[:c.start].rstrip()
    if before.endswith("("):
        head = before[:-1].rstrip()
        return any(m.end == len(head) or m.end == len(head.rstrip(",:")) for m in note.extraction.chips)
    return False


def _used_with_utilization(note) -> set[int]:
    """Claims multiplied by a utilization in a written calculation: peaks by construction."""
    out: set[int] = set()
    for calc in note.extraction.calculations:
        for step in calc.steps:
            computed = step.left if not isinstance(step.left, Leaf) else step.right
            claims = leaves(computed)
            if any(x.role == "utilization" or (x.unit is None and 0 < x.number.value < 1)
                   or x.kind == "percent" for x in claims):
                out |= {id(x) for x in claims}
    return out


def _chip_for(c, ex, named, hw):
    """The chip a peak is about (named in its unit, in its sentence, or alone in the note)
    and whether the text named a specific variant ("H100 SXM5") rather than a family."""
    if c.chip:
        return hw.lookup(c.chip), bool(SPECIFIC.search(c.unit_text))
    same = [m for m in ex.chips if m.sentence == c.sentence]
    if len({m.chip for m in same}) == 1:
        return hw.lookup(same[0].chip), any(SPECIFIC.search(m.text) for m in same)
    if not same and len(named) == 1:
        mentions = [m for m in ex.chips]
        return hw.lookup(mentions[0].chip), any(SPECIFIC.search(m.text) for m in mentions)
    return None


def _named_precisions(note, c) -> set[str]:
    """Precisions the text names next to the figure ("... teraFLOP/s in BF16")."""
    window = note.text[max(0, c.start - 60):c.end + 30].lower()
    words = set(re.findall(r"[a-z0-9-]+", window))
    return {p for w in words for p in PRECISION_WORDS.get(w, ())}


def _judge(rule, ctx, note, c, chip, specific):
    lo, hi = c.base_interval(as_result=True)
    tol = rule.options["tolerance"]
    lo, hi = lo * (1 - tol), hi * (1 + tol)
    matches = [p for p, v in chip.peaks.items() if lo <= v <= hi]
    if not matches and not specific:
        # "V100" names a family: any variant's figure will do (V100S PCIe is 130)
        for other in ctx.hardware.family(chip):
            hit = [p for p, v in other.peaks.items() if lo <= v <= hi]
            if hit:
                chip, matches = other, hit
                break
    named = _named_precisions(note, c) & set(chip.peaks)
    if named and matches and not named & set(matches):
        hint = (f"; it is the {matches[0]} figure, but the text says "
                f"{'/'.join(sorted(named))} ({fmt(chip.peaks[sorted(named)[0]] / 1e12)} TFLOP/s)")
        yield _finding(rule, note, c, chip, verified=False, hint=hint)
        return
    per_core = [p for p, v in chip.peaks.items()
                if chip.cores_per_chip > 1 and lo <= v / chip.cores_per_chip <= hi]
    if not matches and not per_core and chip.family in ("TPU v2", "TPU v3"):
        # a Cloud TPU v2/v3 "device" is a board of four chips: 180 TFLOP/s for TPUv2
        per_core = [f"{p} per 4-chip device" for p, v in chip.peaks.items() if lo <= 4 * v <= hi]
    if matches or per_core:
        if ctx.show_verified:
            which = matches[0] if matches else f"{per_core[0]} per core"
            yield _finding(rule, note, c, chip, verified=True,
                           message=f"verified: {c.text} is the {which} peak of {chip.name}")
        return
    sparse = [p for p, v in chip.peaks.items() if lo <= 2 * v <= hi]
    hint = (f"; it is twice the dense {sparse[0]} figure, i.e. the 2:4 sparse one"
            if sparse else "")
    yield _finding(rule, note, c, chip, verified=False, hint=hint)


def _finding(rule, note, c, chip, verified, message=None, hint=""):
    figures = ", ".join(f"{p} {fmt(chip.peaks[p] / 1e12)}" for p in ORDER if p in chip.peaks)
    text = rule.render(text=c.text, chip=chip.name, stated=f"{fmt(c.value / 1e12)} TFLOP/s",
                       figures=f"{figures} TFLOP/s", hint=hint)
    return Finding(rule=rule.id, slug=rule.slug,
                   severity="info" if verified else rule.severity,
                   message=message or text, start=c.start, end=c.end, field=note.field,
                   text=c.text, stated=c.value,
                   computed=min(chip.peaks.values(), key=lambda v: abs(math.log(v / c.value)))
                   if c.value > 0 else None,
                   inputs=tuple((p, f"{chip.name} {p}", v) for p, v in chip.peaks.items()),
                   verified=verified)
