"""Kind 'relation': quantities a note states apart must agree with the formula tying them.

A relation rule names a result role and a formula over input roles, e.g.
``compute = chips * peak_flops * utilization * duration``.  For every claim of the
result role that the note presents as an outcome ("we get 1.9e24 FLOP", "this
implies ... 7,659,574 seconds"), the nearest claims of each input role are tried
(nearest first: same sentence, then earlier sentences).  The result is verified when
some combination agrees.  It is flagged only when no combination agrees AND every
input role is unambiguous in the note (all its claims state the same value): with two
chip counts or two stages in a note mclint cannot tell which belong together, and
stays silent rather than guess.

A result already checked as the stated side of a written-out calculation (MC101) is
left to that rule.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache

from ..model.claims import Claim, Leaf
from ..model.entries import Note
from .context import EntryContext
from ..arithmetic.expressions import evaluate
from ..model.findings import Finding
from ..ruleset.formula import Formula, parse_formula
from ..model.intervals import Interval, Undefined
from ..model.numbers import fmt

OPTIONS = {
    "tolerance": (float, 0.02, "relative band around the stated result (authors round inputs)"),
    "approx_tolerance": (float, 0.10, "band for numbers written with ~, about, roughly"),
    "gross_factor": (float, 3.0, "off by this factor or more is an error"),
    "variants": (list, [], "other formulas for the same result: [{formula, when: [words]}]"),
    "prefer": (dict, {}, "role -> role used instead when the note states it"),
    "hardware_peak": (bool, False, "take peak_flops from the hardware table for the named chip"),
    "require_conclusion": (bool, True, "only check results the text presents as outcomes"),
    "candidates": (int, 3, "nearest claims tried per input role"),
}
PLACEHOLDERS = {"result", "stated", "computed", "relative_error", "formula", "inputs", "off"}
NEEDS_FORMULA = True
DEFAULT_PRECISIONS = ("bf16", "fp16", "tf32", "fp32")


def prepare(options: dict) -> dict:  # noqa: D103 (documented below)
    """Validate the variants' formulas when the rule file is loaded."""
    for v in options.get("variants", []):
        if not isinstance(v, dict) or "formula" not in v:
            raise ValueError("each variant needs a formula")
        unknown = set(v) - {"formula", "when"}
        if unknown:
            raise ValueError(f"unknown variant key {sorted(unknown)[0]!r}")
        if not isinstance(v["formula"], str):
            raise ValueError("a variant's formula must be a string")
        if "when" in v and not (isinstance(v["when"], list)
                                and all(isinstance(w, str) for w in v["when"])):
            raise ValueError("a variant's when must be a list of words")
        _formula(v["formula"])
    return options


@lru_cache(maxsize=256)
def _formula(text: str) -> Formula:
    return parse_formula(text)


@dataclass(frozen=True)
class Candidate:
    """A value an input role may take: a claim of the note or a hardware-table figure."""

    label: str
    interval: Interval
    claim: Claim | None = None
    order: tuple = ()


def check(rule, ctx: EntryContext):
    """Yield a finding for each outcome that its inputs in the note contradict."""
    for note in ctx.notes:
        claims = note.extraction.claims
        if not claims:
            continue
        explicit = _explicit_results(note)
        ratio_parts = _ratio_parts(note)
        formulas = _formulas(rule, note)
        in_ratio = {id(c) for pair in ratio_parts for c in pair}
        for result in claims:
            if result.role != rule.formula.result or id(result) in explicit | in_ratio:
                continue
            if result.ambiguous_unit or _after_equals(note.text, result):
                continue
            if rule.options["require_conclusion"] and not result.concluded:
                continue
            if not math.isfinite(result.value) or result.value == 0:
                continue
            finding = _check_result(rule, ctx, note, result, formulas, ratio_parts)
            if finding is not None:
                yield finding


def _after_equals(text: str, c: Claim) -> bool:
    """A result after '=' on a line with operators was written out as a calculation;
    if mclint could not parse it, a relation must not second-guess it."""
    line = text[text.rfind("\n", 0, c.start) + 1:c.start]
    return any(s in line for s in ("=", "≈")) and any(o in line for o in "*×/+")


def _formulas(rule, note: Note) -> list[Formula]:
    text = note.text.lower()
    out = [rule.formula]
    for v in rule.options["variants"]:
        when = v.get("when") or []
        if not when or any(w.lower() in text for w in when):
            out.append(_formula(v["formula"]))
    return out


def _explicit_results(note: Note) -> set[int]:
    """Claims stated as the result of a written-out calculation (MC101's business)."""
    out = set()
    for calc in note.extraction.calculations:
        if calc.kind not in ("chain", "prose"):
            continue
        for step in calc.steps:
            for side in (step.left, step.right):
                if isinstance(side, Leaf):
                    out.add(id(side.claim))
    return out


def _ratio_parts(note: Note) -> list[tuple[Claim, Claim]]:
    """'1 token = 0.75 words': (tokens claim, words claim) pairs stated as a ratio."""
    out = []
    for calc in note.extraction.calculations:
        for step in calc.steps:
            a, b = step.left, step.right
            if isinstance(a, Leaf) and isinstance(b, Leaf):
                kinds = {a.claim.kind: a.claim, b.claim.kind: b.claim}
                if set(kinds) == {"tokens", "words"}:
                    out.append((kinds["tokens"], kinds["words"]))
    return out


def _candidates(role: str, rule, ctx: EntryContext, note: Note, result: Claim,
                ratio_parts) -> list[Candidate]:
    """Values the role may take, nearest to the result first."""
    prefer = rule.options["prefer"].get(role)
    claims = note.extraction.claims
    if prefer and any(c.role == prefer for c in claims):
        role = prefer
    in_ratio = {id(c) for pair in ratio_parts for c in pair}
    out = []
    for c in claims:
        if c is result or c.role != role or id(c) in in_ratio or not math.isfinite(c.value):
            continue
        if c.chip and result.chip and c.chip != result.chip:
            continue  # "30m A100 hrs" is not made of "4k H100s"
        out.append(Candidate(c.text, _interval(c, rule), c, _order(c, result)))
    if role == "words_per_token":
        for tokens, words in ratio_parts:
            value = words.value / tokens.value if tokens.value else math.nan
            if math.isfinite(value):
                out.append(Candidate(f"{tokens.text} = {words.text}", Interval.point(value),
                                     words, _order(words, result)))
        for c in claims:
            if c.kind in ("words/tokens", "tokens/words") and c.value:
                v = c.value if c.kind == "words/tokens" else 1 / c.value
                out.append(Candidate(c.text, Interval.point(v), c, _order(c, result)))
    if role == "peak_flops" and not out and rule.options["hardware_peak"]:
        out = _table_peaks(ctx, note, result)
    out.sort(key=lambda c: c.order)
    return out


def _interval(c: Claim, rule) -> Interval:
    lo, hi = c.base_interval(as_result=False)
    iv = Interval.of(lo, hi, c.value)
    return iv.widen(rule.options["approx_tolerance"]) if c.hedge else iv


def _order(c: Claim, result: Claim) -> tuple:
    """Nearness to the result: same sentence first, then earlier sentences, then later."""
    before = c.start < result.start
    return (c.sentence != result.sentence, abs(c.sentence - result.sentence),
            not before, abs(c.start - result.start))


def _table_peaks(ctx: EntryContext, note: Note, result: Claim) -> list[Candidate]:
    """The dense peaks of the chip the note names, the usual training precision first."""
    hw = ctx.hardware
    mentions = [m for m in note.extraction.chips]
    names = {m.chip for m in mentions}
    if hw is None or len(names) != 1:
        return []  # no chip, or several: cannot tell which one did the work
    chip = hw.lookup(names.pop())
    if chip is None or not chip.peaks:
        return []
    out = []
    precisions = [p for p in DEFAULT_PRECISIONS if p in chip.peaks]
    precisions += [p for p in chip.peaks if p not in precisions]
    for rank, p in enumerate(precisions):
        out.append(Candidate(f"{chip.family} {p} peak {fmt(chip.peaks[p])} FLOP/s (hardware table)",
                             Interval.point(chip.peaks[p]), None, (0, 0, False, rank)))
    return out


def _check_result(rule, ctx, note, result: Claim, formulas, ratio_parts) -> Finding | None:
    opts = rule.options
    stated = Interval.of(*result.base_interval(as_result=True), result.value)
    if result.bound == "upper":
        stated = Interval(0.0, stated.hi, result.value)
    elif result.bound == "lower":
        stated = Interval(stated.lo, math.inf, result.value)
    band = stated.widen(opts["approx_tolerance"] if result.hedge else 0.0)
    band = band.widen(opts["tolerance"])
    best = None  # (formula, combination, computed) of the primary unambiguous reading
    for k, formula in enumerate(formulas):
        roles = formula.names
        pools = {r: _candidates(r, rule, ctx, note, result, ratio_parts) for r in roles}
        if any(not pool for pool in pools.values()):
            continue
        tops = [pools[r][:opts["candidates"]] for r in roles]
        for combo in itertools.product(*tops):
            values = dict(zip(roles, combo))
            try:
                computed = evaluate(formula.expression, lambda n: values[n.name].interval)
            except (Undefined, KeyError):
                continue
            if band.overlaps(computed):
                if ctx.show_verified:
                    return _finding(rule, note, result, formula, values, computed, verified=True)
                return None
        if best is None and all(_unambiguous(pools[r]) and _same_paragraph(pools[r][0], result)
                                for r in roles):
            values = {r: pools[r][0] for r in roles}
            try:
                computed = evaluate(formula.expression, lambda n: values[n.name].interval)
            except Undefined:
                continue
            best = (formula, values, computed)
    if best is None:
        return None
    formula, values, computed = best
    return _finding(rule, note, result, formula, values, computed, verified=False)


def _same_paragraph(c: Candidate, result: Claim) -> bool:
    """Inputs from another paragraph may describe another model or stage."""
    return c.claim is None or c.claim.paragraph == result.paragraph


def _unambiguous(pool: list[Candidate]) -> bool:
    """All the note's claims for a role say the same value (within their rounding)."""
    first = pool[0]
    if first.claim is None:  # hardware table: its first precision is the default
        return True
    return all(c.interval.overlaps(first.interval) for c in pool[1:])


def _finding(rule, note, result: Claim, formula: Formula, values, computed: Interval,
             verified: bool) -> Finding:
    factor = result.factor or 1.0
    stated_v = result.number.value
    computed_v = computed.mid / factor
    rel = (stated_v - computed_v) / abs(computed_v) if computed_v else math.inf
    ratio = abs(stated_v / computed_v) if computed_v and stated_v else math.inf
    unit = f" {result.unit_text}" if result.unit_text else ""
    inputs = ", ".join(f"{name} {c.label}" for name, c in values.items())
    off = f" (off by {fmt(max(ratio, 1 / ratio), 2)}x)" if ratio != math.inf and (
        ratio >= 9.5 or ratio <= 1 / 9.5) else ""
    fill = dict(result=result.text, stated=fmt(stated_v) + unit, computed=fmt(computed_v) + unit,
                relative_error=f"{rel:+.1%}" if math.isfinite(rel) else "n/a",
                formula=formula.text, inputs=inputs, off=off)
    if verified:
        severity = "info"
        message = (f"verified: {result.text} agrees with {formula.text} = {fill['computed']} "
                   f"from {inputs}")
    else:
        severity = rule.severity
        if ratio >= rule.options["gross_factor"] or ratio <= 1 / rule.options["gross_factor"]:
            severity = "error"
        message = rule.render(**fill)
    return Finding(
        rule=rule.id, slug=rule.slug, severity=severity, message=message,
        start=result.start, end=result.end, field=note.field, text=result.text,
        stated=stated_v, computed=computed_v, relative_error=rel if math.isfinite(rel) else None,
        unit=result.unit_text or None,
        inputs=tuple((name, c.label, c.interval.mid) for name, c in values.items()),
        verified=verified,
    )
