"""Kind 'relation': quantities a note states apart must agree with the formula tying them.

A relation rule names a result role and a formula over input roles, e.g.
``compute = 6 * parameters * training_tokens``.  Each claim of the result role that is
not part of a written calculation is checked against the claims of the input roles in
its sentence, or else its paragraph, whenever every role is clear there: each input role
has at least one claim, and all its claims state the same value.  Where a role is stated
with several values ("7B" and "70B") mclint cannot tell which belong together and says
nothing.

A result the note concludes ("so", "gives", "=", "for a total of") is held to its digits
(and the rule's tolerance); a result it only lists beside its inputs is flagged only when
off by `plain_factor` or more, since estimates by different methods legitimately differ
(6·N·D and the hardware method by up to about 2x).  Where the formula has variants (6·N·D
with or without an epoch count the note also states), every variant whose roles are
clear is a reading; readings that disagree on the verdict make the rule abstain.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..arithmetic.expressions import evaluate
from ..arithmetic.judge import explained_ratio
from ..model.claims import Claim, leaves, single
from ..model.intervals import Interval, Undefined
from ..model.numbers import fmt, significant_digits
from ..ruleset.formula import Formula, parse_formula
from .build import finding
from .context import EntryContext

CONSUMES = ("claims",)
OPTIONS = {
    "tolerance": (float, 0.02, "band beyond the stated digits for a concluded result"),
    "approx_tolerance": (float, 0.10, "band for a two-digit result written with ~, about"),
    "plain_factor": (float, 3.0, "a result the note only lists is flagged only when off by "
                                 "this factor or more"),
    "material": (float, 0.10, "a problem off by this fraction or more is material"),
    "variants": (list, [], "other formulas for the same result, tried as readings when "
                           "their roles are clear: [{formula: ...}]"),
    "prefer": (dict, {}, "role -> role used instead when the paragraph states it"),
    "hardware_peak": (bool, False, "take peak_flops from the hardware table for the chip the "
                                   "paragraph names, when it states none"),
    "method": (str, "", "what the formula is called in messages ('operation counting')"),
    "implausible": (float, 1e4, "an unexplained discrepancy beyond this factor is a "
                                "misreading, not judged"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "formula", "inputs", "method", "result"}
NEEDS_FORMULA = True


def prepare(options: dict) -> dict:
    """Validate the variants' formulas when the rule file is loaded."""
    for v in options.get("variants", []):
        if not isinstance(v, dict) or "formula" not in v:
            raise ValueError("each variant needs a formula")
        unknown = set(v) - {"formula"}
        if unknown:
            raise ValueError(f"unknown variant key {sorted(unknown)[0]!r}")
        if not isinstance(v["formula"], str):
            raise ValueError("a variant's formula must be a string")
        _formula(v["formula"])
    return options


def formulas(rule) -> list[Formula]:
    """The rule's formula and its variants (every role any of them names must be known)."""
    return [rule.formula] + [_formula(v["formula"]) for v in rule.options["variants"]]


@lru_cache(maxsize=256)
def _formula(text: str) -> Formula:
    return parse_formula(text)


@dataclass(frozen=True)
class Value:
    """A value an input role takes: from claims of the note or the hardware table."""

    label: str
    value: float
    claims: tuple[Claim, ...] = ()

    @property
    def interval(self) -> Interval:
        """The value, widened by a hedge on its claim ("≈15min/iter": ±10%)."""
        c = self.claims[0] if len(self.claims) == 1 else None
        if c is None or not c.hedge:
            return Interval.point(self.value)
        band = 0.10 / 10 ** max(0, significant_digits(c.number) - 2)
        return Interval.point(self.value).widen(band)


def check(rule, ctx: EntryContext):
    """Yield a finding for each result its clear inputs contradict (and, if asked, each
    they confirm or that cannot be judged)."""
    result_role = ctx.registry.canonical(rule.formula.result)
    for note in ctx.notes:
        consumed = ctx.in_calculations(note)
        for result in ctx.with_role(note, result_role):
            if id(result) in consumed:
                continue
            if result.ambiguous_unit or result.bound or result.high is not None:
                continue
            if not math.isfinite(result.value) or result.value == 0:
                continue
            f = _check_result(rule, ctx, note, result, consumed)
            if f is not None:
                yield f


def _check_result(rule, ctx: EntryContext, note, result: Claim, consumed: set[int]):
    opts = rule.options
    if id(result) in ctx.once(("factors", id(note)), lambda: _factors(note)):
        return None
    eligible = ctx.once(("relation scope", id(note)), lambda: _eligible(ctx, note))
    by_role = eligible.get(result.paragraph, {})

    def scope(role: str | None) -> list[Claim]:
        """The paragraph's possible inputs of a role, other than the result itself."""
        return [c for c in by_role.get(role, ()) if c is not result
                and not (c.chip and result.chip and c.chip != result.chip)]

    def sentence(role: str | None) -> list[Claim]:
        """The sentence's possible inputs of a role: the narrowest scope, read first."""
        return [c for c in scope(role) if c.sentence == result.sentence]

    role = ctx.role_of(result)
    # the result's own sentence first ("2.2 step/s for the LSUN model, 1.15M steps so 702.8
    # hours", below a line about another model): where it holds every role, it is the reading
    readings, unclear = [], ""
    scopes = [(sentence, "sentence"), (scope, "paragraph")]
    if ctx.once(("one sentence", id(note), result.paragraph), lambda: len(
            {c.sentence for cs in by_role.values() for c in cs}) <= 1):
        scopes = scopes[:1]      # a paragraph of one sentence: the second pass is the first
    for within, where in scopes:
        if _several(result, within(role)):
            # several results in one scope (stages, models): which inputs go with which?
            # Said only where the rule had something to check: every input of a formula
            if ctx.show_verified and _inputs_stated(rule, ctx, note, scope, result):
                return finding(rule, status="skipped", field=note.field, start=result.start,
                               end=result.end, text=result.text,
                               reason=f"the {where} states several values of {role}")
            return None
        readings, why = _readings(rule, ctx, note, within, result)
        unclear = unclear or why
        if readings:
            break
    if not readings:
        if unclear and ctx.show_verified:
            return finding(rule, status="skipped", field=note.field, start=result.start,
                           end=result.end, text=result.text, reason=unclear)
        return None
    verdicts = [(f, v, c, _judge(rule, result, c, spread, _concluded_from(result, v)))
                for f, v, c, spread in readings]
    statuses = {j[0] for *_, j in verdicts}
    if len(statuses) > 1:
        if ctx.show_verified:
            return finding(rule, status="skipped", field=note.field, start=result.start,
                           end=result.end, text=result.text,
                           reason="its readings (" + "; ".join(f.text for f, *_ in verdicts)
                                  + ") disagree")
        return None
    formula, values, computed, (status, grade, reason) = verdicts[0]
    if status != "problem" and not ctx.show_verified:
        return None
    per = result.factor or 1.0
    inputs = ", ".join(f"{name} {v.label}" for name, v in values.items())
    unit = result.unit_text
    return finding(
        rule, status=status, field=note.field, start=result.start, end=result.end,
        text=result.text, grade=grade, stated=result.number.value, computed=computed / per,
        unit=unit, reason=reason, reading=f"{formula.text} from {inputs}",
        sources=tuple((name, v.label, v.value) for name, v in values.items()),
        formula=formula.text, inputs=inputs, result=result.text,
        method=opts["method"] or formula.text)


def _inputs_stated(rule, ctx: EntryContext, note, scope, result: Claim) -> bool:
    """Whether the paragraph states every input role of one of the rule's formulas (with
    the hardware table's peak where the rule may take it): without that the rule has
    nothing to check, and there is no judgment to abstain from."""
    for formula in formulas(rule):
        for name in formula.names:
            role = ctx.registry.canonical(name) or name
            if _pool(ctx, note, role, scope, result):
                continue
            if role == "peak_flops" and rule.options["hardware_peak"] \
                    and _table_peaks(ctx, note, result):
                continue
            break
        else:
            return True
    return False


def _several(result: Claim, others: list[Claim]) -> bool:
    """Whether a scope states the result's quantity with another value as well."""
    # one of each written value: what _agree reads of a claim (a paragraph of 300 "70B"s)
    distinct = {(c.number, c.factor, c.high, c.spread): c for c in others}
    mine = Value(result.text, result.value, (result,))
    return any(not _agree(mine, Value(c.text, c.value, (c,))) for c in distinct.values())


def _readings(rule, ctx: EntryContext, note, scope, result: Claim) -> tuple[list, str]:
    """(formula, values, computed, spread) for each formula whose roles are clear in the
    scope, and why a formula whose roles are all there is not clear."""
    readings, unclear = [], ""
    for formula in formulas(rule):
        values, why = _inputs(rule, ctx, note, formula, scope, result)
        if values is None:
            unclear = unclear or why     # only said when every role is there but unclear
            continue
        try:
            computed = evaluate(formula.expression,
                                lambda n: Interval.point(values[n.name].value)).mid
            spread = evaluate(formula.expression, lambda n: values[n.name].interval)
        except (Undefined, KeyError, ZeroDivisionError, OverflowError):
            continue
        readings.append((formula, values, computed, spread))
    return readings, unclear


def _concluded_from(result: Claim, values: dict[str, Value]) -> bool:
    """Whether the note concludes the result from these inputs: a conclusion ("so", "=>",
    "we get") draws on what was said before it, so every input of the note comes first
    ("=> 10m H100 hours (c 30m A100 hrs), 3 months at 4k H100s" concludes the 10m from
    something else, and lists 3 months at 4k beside it)."""
    return result.concluded and all(c.start < result.start for v in values.values()
                                    for c in v.claims)


def _judge(rule, result: Claim, computed: float, spread: Interval,
           concluded: bool) -> tuple[str, str | None, str]:
    """(status, grade, reason) of a result against the value its inputs give (`spread`: the
    interval the inputs' hedges allow, "≈15min/iter"; `concluded`: from these inputs)."""
    opts = rule.options
    lo, hi = result.base_interval(as_result=True)
    band = Interval.of(lo, hi, result.value)
    if result.hedge:
        band = band.widen(opts["approx_tolerance"] / 10 ** max(
            0, significant_digits(result.number) - 2))
    band = band.widen(opts["tolerance"])
    if band.lo <= computed <= band.hi or band.overlaps(spread):
        return "verified", None, ""
    ratio = abs(result.value / computed) if computed else math.inf
    big = max(ratio, 1 / ratio) if ratio else math.inf
    if big > opts["implausible"] and not explained_ratio(big):
        return "skipped", None, (f"off by ×{fmt(big, 2)}, which no magnitude word, power of "
                                 "ten or unit explains: probably not the same quantity")
    if not concluded:
        if big < opts["plain_factor"]:
            return "skipped", None, (f"stated beside its inputs, not concluded from them, and "
                                     f"off by less than ×{opts['plain_factor']:g}: different "
                                     "estimates may differ that much")
        reason = f"stated beside its inputs; off by more than ×{opts['plain_factor']:g}"
    else:
        reason = ""
    rel = (result.value - computed) / abs(computed) if computed else math.inf
    grade = "material" if abs(rel) >= opts["material"] or big >= 1 + opts["material"] \
        else "minor"
    return "problem", grade, reason


def _inputs(rule, ctx: EntryContext, note, formula: Formula, scope,
            result: Claim) -> tuple[dict[str, Value] | None, str]:
    """The one value of each input role in the paragraph, or (None, why not)."""
    values: dict[str, Value] = {}
    for name in formula.names:
        role = ctx.registry.canonical(name) or name
        prefer = rule.options["prefer"].get(name)
        if prefer and scope(ctx.registry.canonical(prefer)):
            role = ctx.registry.canonical(prefer)
        pool = _pool(ctx, note, role, scope, result)
        if not pool and role == "peak_flops" and rule.options["hardware_peak"]:
            peaks = _table_peaks(ctx, note, result)
            if len({p.value for p in peaks}) == 1:
                pool = peaks[:1]
            elif peaks:
                return None, (f"the chip's peak depends on the precision "
                              f"({', '.join(p.label for p in peaks[:3])})")
        if not pool:
            return None, ""
        first = pool[0]
        if any(not _agree(first, other) for other in pool[1:]):
            total = _total(pool)
            if total is None:
                shown = ", ".join(dict.fromkeys(v.label for v in pool))
                return None, f"the paragraph states several values of {role} ({shown})"
            first = total
        values[name] = first
    return values, ""


def _eligible(ctx: EntryContext, note) -> dict[int, dict[str | None, list[Claim]]]:
    """The claims of a note that may be inputs, by paragraph and role: not a side of a stated ratio
    ("1 token = 0.75 words" states a ratio, not a token count), not a factor of a product
    left unevaluated, finite."""
    paired = {id(c) for calc in note.extraction.calculations for st in calc.steps
              if single(st.left) is not None and single(st.right) is not None
              for c in (single(st.left), single(st.right))}
    factors = ctx.once(("factors", id(note)), lambda: _factors(note))
    out: dict[int, dict[str | None, list[Claim]]] = {}
    for c in note.extraction.claims:
        if id(c) not in paired and id(c) not in factors and math.isfinite(c.value):
            out.setdefault(c.paragraph, {}).setdefault(ctx.role_of(c), []).append(c)
    return out


_OPERATOR_GLUE = re.compile(r"^\s*[x×*·/÷]\s*$")


def _factors(note) -> set[int]:
    """Claims written as factors of a product left unevaluated ("4x8 Nvidia A100", "8 *
    40GB"): none of them is a value of its own."""
    claims = note.extraction.claims
    out: set[int] = set()
    for a, b in zip(claims, claims[1:]):
        if _OPERATOR_GLUE.match(note.text[a.end:b.start]):
            out |= {id(a), id(b)}
    return out


def _total(pool: list[Value]) -> Value | None:
    """The one value of a pool that is the sum of others: 'an 8T token dataset and then an
    additional 1T tokens' beside '9T training tokens' state a total and its parts, and a
    relation about the whole reads the total.  None when no such value stands out."""
    distinct: list[Value] = []
    for v in sorted(pool, key=lambda v: -v.value):
        if not any(_agree(v, d) for d in distinct):
            distinct.append(v)
    largest, parts = distinct[0], distinct[1:]
    for r in range(2, min(len(parts), 4) + 1):
        for combo in itertools.combinations(parts, r):
            if math.isclose(sum(v.value for v in combo), largest.value, rel_tol=0.01):
                return largest
    return None


def _pool(ctx: EntryContext, note, role: str, scope, result: Claim) -> list[Value]:
    """The values the paragraph states for a role, nearest to the result first."""
    mine = [c for c in scope(role) if c.high is None]
    out = [Value(c.text, c.value, (c,)) for c in sorted(mine, key=lambda c: _order(c, result))]
    if role == "words_per_token":
        out += _ratios(note, result)
    return out


def _ratios(note, result: Claim) -> list[Value]:
    """'1 token = 0.75 words', '0.75 words per token', '4/3 tokens per word'."""
    out = []
    for calc in note.extraction.calculations:
        for step in calc.steps:
            a, b = single(step.left), single(step.right)
            if a is None or b is None or a.paragraph != result.paragraph:
                continue
            kinds = {a.kind: a, b.kind: b}
            if set(kinds) == {"tokens", "words"} and kinds["tokens"].value:
                out.append(Value(f"{step.text.strip()}",
                                 kinds["words"].value / kinds["tokens"].value,
                                 (kinds["tokens"], kinds["words"])))
    for c in note.extraction.claims:
        if c.paragraph == result.paragraph and c.kind in ("words/tokens", "tokens/words") \
                and c.value:
            out.append(Value(c.text, c.value if c.kind == "words/tokens" else 1 / c.value, (c,)))
    return out


def _agree(a: Value, b: Value) -> bool:
    """Two statements of a role agree when their digits' intervals overlap."""
    if not a.claims or not b.claims:
        return math.isclose(a.value, b.value, rel_tol=1e-9)
    if len(a.claims) > 1 or len(b.claims) > 1:
        return math.isclose(a.value, b.value, rel_tol=0.01)
    ca, cb = a.claims[0], b.claims[0]
    if math.isclose(ca.value, cb.value, rel_tol=1e-9):
        return True
    if not all(x.number.abbreviated or significant_digits(x.number) >= 2 for x in (ca, cb)):
        return False   # "1 word/token" and "0.75 word/token": a plain small number is exact
    alo, ahi = ca.base_interval(as_result=True)
    blo, bhi = cb.base_interval(as_result=True)
    # half-open intervals: "9T" [8.5T, 9.5T) and "8T" [7.5T, 8.5T) do not meet
    return alo < bhi and blo < ahi


def _order(c: Claim, result: Claim) -> tuple:
    """Nearness to the result: same sentence first, then earlier sentences, then later."""
    return (c.sentence != result.sentence, abs(c.sentence - result.sentence),
            c.start > result.start, abs(c.start - result.start))


def _table_peaks(ctx: EntryContext, note, result: Claim) -> list[Value]:
    """The dense peaks of the one chip the paragraph names, from the hardware table."""
    hw = ctx.hardware
    names = {m.chip for m in note.extraction.chips if m.paragraph == result.paragraph}
    if hw is None or len(names) != 1:
        return []
    chip = hw.lookup(names.pop())
    if chip is None or not chip.peaks:
        return []
    return [Value(f"{chip.family} {p} peak {fmt(v)} FLOP/s (hardware table)", v)
            for p, v in chip.peaks.items() if p in ("bf16", "fp16", "tf32", "fp32")]


def explicit(note) -> set[int]:
    """Ids of the claims of a note's written calculations (for other kinds)."""
    return {id(c) for calc in note.extraction.calculations for s in calc.steps
            for c in leaves(s.left) + leaves(s.right)}
