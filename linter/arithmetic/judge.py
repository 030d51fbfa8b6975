"""Judge one stated step ('left = right'): read it one way, compare within the stated digits.

The reading is chosen by dimensional analysis, never by trying readings until one agrees:

* units are converted through pint, and conversion factors written as bare numbers next to
  a time are recognised by value and dimension ("6 days * 24 * 3600" is 6 days in seconds);
* a stated result with a unit decides how the left side is read: with the same dimension
  the two are compared in base units; a left side without units is read in the stated
  unit ("6 * 340B params * 9T tokens = 1.8E25 FLOP"); a left side whose units do not
  multiply out to the stated one is compared as written and, if its numbers agree, is a
  notation problem, unless a bare number may carry the unit left out ("67" hours); a
  'FLOPS' is an amount or a rate, whichever the stated unit asks;
* a bare stated result is read in the unit its conversion factors lead to, else in base
  units or as written, whichever its magnitude says ("= 1.9e25" after teraFLOP/s is FLOP);
* where the grouping of '/' and '*' or of '+' and '*' is in doubt and the readings that
  make dimensional sense disagree on the verdict, the step is not judged.

Tolerance comes from the stated result's digits (statcheck's rule: "1.8E25" stands for
[1.75e25, 1.85e25); "~", "≈", "about" widen it); inputs are taken as written.  A problem
gets a grade: material (off by 10% or more, a power of ten, a wrong unit), minor (outside
the digits, under 10%, or explained by the rounding of an abbreviated input), notation
(right numbers written in units or magnitude words that do not multiply out, a result cut
off rather than rounded).  A discrepancy of more than 10^4 that no magnitude word, power of
ten or unit explains is a misreading: the step is set aside, with the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ..model.claims import BinOp, Claim, Leaf, Paren, Step, Term, leaves, restates, single, summands
from ..model.intervals import Interval, Undefined
from ..model.numbers import fmt, significant_digits
from ..quantities.units import unit_info
from .expressions import dimension, evaluate, has_grouping
from .units import conversion_factors, signature, unit_parts, unit_seconds

ARROWS = {"→", "->", "=>"}
MAGNITUDE_WORDS = {1e3: "k", 1e6: "M", 1e9: "B", 1e12: "T"}
UNIT_RATIOS = (24.0, 60.0, 1440.0, 3600.0, 86400.0, 604800.0, 7.0, 168.0, 365.0, 8760.0,
               1024.0, 8.0)


@dataclass(frozen=True)
class Tolerance:
    """How strictly a step is judged (the options of a calculation rule)."""

    relative: float = 1e-9        # floating-point noise, always accepted
    approx: float = 0.10          # band of a hedged two-digit result ("~1.9e25")
    material: float = 0.10        # a problem off by this much or more is material
    implausible: float = 1e4      # beyond this, an unexplained discrepancy is a misreading


@dataclass(frozen=True)
class Verdict:
    """How a step came out, and everything a finding says about it."""

    status: str                           # verified | problem | skipped
    reason: str = ""                      # skipped: why; problem: a hint or an explanation
    grade: str | None = None              # material | minor | notation (problems only)
    stated: float | None = None           # in `unit`
    computed: float | None = None
    unit: str = ""                        # the unit stated and computed are shown in
    reading: str = ""                     # how the step was read
    stated_claim: Claim | None = None
    inputs: tuple[Claim, ...] = field(default=())

    @property
    def relative_error(self) -> float | None:
        if self.stated is None or self.computed is None or self.computed == 0:
            return None
        return (self.stated - self.computed) / abs(self.computed)

    @property
    def ratio(self) -> float | None:
        if not self.stated or not self.computed:
            return None
        return abs(self.stated / self.computed)


def skipped(reason: str, step: Step | None = None) -> Verdict:
    inputs = tuple(leaves(step.left) + leaves(step.right)) if step is not None else ()
    return Verdict("skipped", reason, inputs=inputs)


# A formula's name before its numbers: "6ND = 10.7B * 250B = 1.6e22", "C = 6 N D = ...".
FORMULA_LABEL = re.compile(r"(?:^|[\s=(:])(\d{1,2})\s*(?:[*×·]\s*)?[A-Z](?:\s*[*×·]?\s*[A-Z]){1,2}\s*$")


def labelled(verdict: Verdict, label: str) -> Verdict:
    """A problem on the first step of a chain whose label is a formula with a constant
    ("6ND = 10.7B * 250B = 1.6e22"): if the product leaves out just that constant and the
    result has it, the numbers are right and the written product is a notation slip."""
    m = FORMULA_LABEL.search(label)
    c = verdict.stated_claim
    if m is None or verdict.status != "problem" or verdict.grade == "notation" or c is None \
            or not verdict.computed:
        return verdict
    k = int(m.group(1))
    lo, hi = c.number.as_result()
    if k < 2 or not lo * (1 - 1e-6) <= verdict.computed * k <= hi * (1 + 1e-6):
        return verdict
    return replace(verdict, grade="notation",
                   reason=f"the factor {k} of '{m.group(0).strip(' =(:')}' is left out of the "
                          "written product; with it the numbers agree")


def chained(verdict: Verdict, step: Step, following: Step | None,
            tol: Tolerance = Tolerance()) -> Verdict:
    """'8 weeks = 56*24 = 1344 hours': a bare expression in the middle of a chain has the
    unit the chain states next, so the step is the quantity against that next result
    (whose own step checks the expression).  Other steps keep their verdict."""
    if following is None or following.left is not step.right or \
            any(c.unit for c in leaves(step.right)):
        return verdict
    quantity, result = single(step.left), single(following.right)
    if quantity is None or result is None or single(step.right) is not None or \
            not result.unit or result.dimension != quantity.dimension or \
            quantity.unit == result.unit:
        return verdict
    v = _restatement(step, result, quantity, tol)
    if v.status == "skipped":
        return verdict
    shown = step.text.rpartition(step.relation)[2].strip() if step.relation else ""
    return replace(v, reading=f"'{shown}' in the unit of '{result.text}', which the chain "
                              "states next")


# ------------------------------------------------------------------------------ entry

def judge(step: Step, tol: Tolerance = Tolerance()) -> Verdict:
    """Read one step one way and compare its sides within the stated digits."""
    claims = leaves(step.left) + leaves(step.right)
    for c in claims:
        if not math.isfinite(c.value) or not math.isfinite(c.number.value):
            return skipped("a number out of range", step)
        if c.unknown_unit:
            return skipped(f"the unit of '{c.text} {c.unknown_unit}' is not one mclint knows",
                           step)
        if c.kind == "other":
            return skipped(f"the unit of '{c.text}' is one mclint does not convert", step)
    if step.relation == "rounded":
        return _rounded(step, tol)
    left, right = single(step.left), single(step.right)
    if left is not None and right is not None:
        return _restatement(step, left, right, tol)
    if step.relation in ARROWS and not _same_kind_sides(step):
        first = _first_operand(step.right)
        if first is not None and left is None and _same_kind_sides(replace(
                step, right=Leaf(first))):
            # "885000×2+3072+2048 GPU-hours => 1775120 GPU-hours * 60 * 60 * ...": the
            # result is the first quantity, and the rest goes on from it
            v = _compare(step, Leaf(first), step.left, tol)
            if v.status == "skipped":
                return v
            return replace(v, reading=f"{v.reading}; the result is '{first.text}', the rest "
                                      "goes on from it")
        return skipped("an arrow between quantities of different kinds is a mapping, "
                       "not an equality", step)
    # The stated side is the single number; with expressions on both sides, the right one.
    if left is not None and right is None:
        stated_node, computed_node = step.left, step.right
    else:
        stated_node, computed_node = step.right, step.left
    operands = leaves(computed_node)
    for k, c in enumerate(operands):
        if c.high is None and c.bound and k == 0 and len(operands) > 1:
            continue    # "less than 6 * 9T * 58B = 3.132e24": the bound is on the whole
        if c.high is not None or c.bound:
            return skipped(f"'{c.text}' is a range or a bound, not a value to compute with",
                           step)
    stated_claim = single(stated_node)
    if stated_claim is not None and (stated_claim.high is not None or stated_claim.bound):
        return skipped(f"the result '{stated_claim.text}' is a range or a bound", step)
    verdict = _compare(step, stated_node, computed_node, tol)
    first = _first_operand(stated_node)
    if first is not None and verdict.status != "skipped":
        # "140k / 256 = 547 steps/epoch * 20 epochs": the result may be the 547 alone, the
        # rest a calculation that goes on from it
        alone = _compare(step, Leaf(first), computed_node, tol)
        if alone.status not in ("skipped", verdict.status):
            return skipped(f"the result may be '{first.text}' alone, with the rest going on "
                           "from it; the two readings disagree", step)
    return verdict


def _first_operand(node) -> Claim | None:
    """The leading quantity of a stated product that goes on with quantities of its own
    ('547 steps/epoch * 20 epochs * 1s/step'), if any; not a bare number ('348 * 8
    GPU-hours' is a product) nor a figure ('50.4 * 10^21')."""
    if isinstance(node, Term) and isinstance(node.first, Leaf) and node.first.claim.unit \
            and any(c.unit for c in leaves(node)[1:]):
        return node.first.claim
    return None


def _same_kind_sides(step: Step) -> bool:
    """An arrow equates only quantities of one kind ("7.66e6 s -> 89 days"), never a shape
    mapping ("32*32 -> 5*5*16") or a number to a label."""
    def kinds(node):
        return {(c.kind, c.dimension) for c in leaves(node) if c.unit is not None}
    left, right = kinds(step.left), kinds(step.right)
    if not left and right and any(c.number.abbreviated and abs(c.value) >= 1e6
                                  for c in leaves(step.left)):
        return True     # "1.823e21 * 0.3 → 5.51e20 FLOPs": figures in the stated unit
    return bool(left) and bool(right) and {d for _, d in left} == {d for _, d in right}


# ---------------------------------------------------------------- one number vs another

def _restatement(step: Step, a: Claim, b: Claim, tol: Tolerance) -> Verdict:
    """'7,659,574 seconds, or 89 days', '11,327,808 (1.13e7)': two statements of one value
    agree when the intervals their digits stand for overlap."""
    if step.relation in ARROWS and not (a.unit and b.unit):
        return skipped("an arrow between two numbers says what follows, not what is equal",
                       step)
    if step.relation in ARROWS and a.unit == b.unit:
        return skipped("an arrow between two values in one unit is a change, not an equality",
                       step)
    if a.unit and b.unit:
        if a.dimension != b.dimension:
            return skipped("two quantities of different dimensions", step)
        if a.kind != b.kind and {a.kind, b.kind} != {"flop_rate"}:
            if not a.dimension and not b.dimension:
                return skipped("a ratio between two kinds of count, not an equality", step)
            return skipped("two different kinds of quantity", step)
    elif a.unit or b.unit:
        # "224,742 = 2.24742e5 datapoints", "363M tokens (3.63e8)": one figure in two
        # notations, the unit written once
        if not (restates(a, b) or _figures(a, b)):
            return skipped("a number with a unit and one without", step)
    elif not (restates(a, b) or _figures(a, b) or _same_figure(a, b)):
        return skipped("two plain numbers: a label, not a calculation", step)
    if (step.approx or step.relation == "(" and _rounder(a) and not _rounder(b)) and \
            significant_digits(a.number) < significant_digits(b.number):
        a, b = b, a          # "1.13e7 (11,327,808)", "~3 hours (10,940 s)", "~89 GPU days ~
                             # 2133 GPU hours": in brackets or an approximate relation the
                             # rounded figure is the statement; after '=' or 'or' the second
                             # is ("1.25M seconds = 347.4 hours": 1.25M is the input)
    unit = b if b.unit else a
    ia = Interval.of(*(x * unit.factor for x in a.number.as_result()), a.number.value * unit.factor)
    ib = Interval.of(*(x * unit.factor for x in b.number.as_result()), b.number.value * unit.factor)
    if a.unit and b.unit:
        ia = Interval.of(*a.base_interval(as_result=True), a.value)
        ib = Interval.of(*b.base_interval(as_result=True), b.value)
    hedged = step.approx or a.hedge or b.hedge
    band = ib.widen(_approx_band(b, tol.approx)) if hedged else ib
    # the more precise figure is taken as written; its own rounding only grades the slip
    wide = band.widen(tol.relative)
    if b.bound == "lower":       # "more than 50B (50741643225)"
        wide = Interval(wide.lo, math.inf, wide.mid)
    elif b.bound == "upper":
        wide = Interval(-math.inf, wide.hi, wide.mid)
    agrees = wide.lo <= ia.mid <= wide.hi or a.number.order
    per = (b.factor if b.unit else unit.factor) or 1.0
    computed = ia.mid / per
    if not (a.unit and b.unit) and not agrees:
        big = max(ia.mid / ib.mid, ib.mid / ia.mid) if ia.mid and ib.mid else math.inf
        if big >= 3 and not explained_ratio(big):
            # "288 batches of 128k tokens = 36,864,000": not the figure written twice
            apart = f"×{fmt(big, 2)} apart" if math.isfinite(big) else "zero and not zero"
            return skipped(f"'{a.text}' and '{b.text}' are {apart}: not one figure written "
                           "twice", step)
    verdict = Verdict("verified" if agrees else "problem", stated=b.number.value,
                      computed=computed, unit=unit.unit_text, stated_claim=b, inputs=(a,),
                      reading="restated in another unit" if a.unit and b.unit else "restated")
    if agrees:
        return verdict
    if _truncated(b, computed):
        return _grade(verdict, tol, ("notation", _cut_off(b, computed)))
    rounding = a.text if wide.overlaps(ia) else ""
    return _grade(verdict, tol, explanation="", rounding=rounding)


def _rounder(c: Claim) -> bool:
    """Written as a rounded figure: with an exponent or magnitude word, a hedge or a bound."""
    return c.number.abbreviated or c.hedge is not None or c.bound is not None


def _figures(a: Claim, b: Claim) -> bool:
    """'70200*10^18 = 7*10^24', '3.85 × 10⁴ ≈ 3.9 × 10⁴': large figures written with
    exponents or magnitude words on both sides state one quantity twice."""
    return a.number.abbreviated and b.number.abbreviated and a.value >= 1000 and b.value >= 1000


def _same_figure(a: Claim, b: Claim) -> bool:
    """'126000*10^18 = 1.26*10^23': one figure written twice (two or more digits), not a
    label beside a number."""
    if max(significant_digits(a.number), significant_digits(b.number)) < 2:
        return False
    alo, ahi = a.number.as_result()
    blo, bhi = b.number.as_result()
    return alo <= bhi and blo <= ahi


def _rounded(step: Step, tol: Tolerance) -> Verdict:
    """'2.88e+19 FLOP (rounded to 3e+19)': the rounded figure's digits must contain the
    original."""
    a, b = single(step.left), single(step.right)
    if a is None or b is None:
        return skipped("not a rounding of one number", step)
    lo, hi = b.base_interval(as_result=True)
    if _power_of_ten(b) and a.value > 0:
        # "3.41e18 FLOPs (rounded to 1e19)": rounded to its order of magnitude
        lo, hi = b.value / math.sqrt(10), b.value * math.sqrt(10)
    agrees = lo * (1 - tol.relative) <= a.value <= hi * (1 + tol.relative)
    verdict = Verdict("verified" if agrees else "problem", stated=b.number.value,
                      computed=a.value / (b.factor or 1.0), unit=b.unit_text, stated_claim=b,
                      inputs=(a,), reading="rounded")
    return verdict if agrees else _grade(verdict, tol, explanation="")


def _power_of_ten(c: Claim) -> bool:
    """'1e19', '10^21': a bare power of ten, one significant digit."""
    if c.value <= 0 or significant_digits(c.number) != 1:
        return False
    return math.isclose(10 ** round(math.log10(c.value)), c.value, rel_tol=1e-9)


# --------------------------------------------------------------- expression vs stated

@dataclass(frozen=True)
class _Reading:
    """One way to read the computed side: its value in base units and as written."""

    name: str
    base: float
    written: float
    dims: dict
    node: object
    grouped: bool = False


def _compare(step: Step, stated_node, computed_node, tol: Tolerance) -> Verdict:
    stated_claim = single(stated_node)
    if stated_claim is None:
        # "a = b * c": the right side is an expression stated as written
        try:
            s_iv = evaluate(stated_node, lambda n: Interval.of(
                *n.claim.base_interval(as_result=True), n.claim.value))
            w_iv = evaluate(stated_node, lambda n: Interval.of(
                *n.claim.number.as_result(), n.claim.written), units=False)
            s_dims = _dims(stated_node, frozenset())
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            return skipped("the stated side cannot be evaluated", step)
        if s_dims is None:
            return skipped("the stated side adds quantities of different kinds", step)
        with_unit = [c for c in leaves(stated_node) if c.unit]
        shown = with_unit[0].unit_text if len(with_unit) == 1 else ""
        stated = _Stated(s_iv, w_iv, s_dims, bool(with_unit), None, shown, step.approx,
                         with_unit[0].factor if len(with_unit) == 1 else 1.0)
    else:
        stated = _stated(stated_claim, step)
    rates = stated.dims.get("[time]", 0) < 0
    marked, target = conversion_factors(computed_node, rates=rates)
    readings = _readings(computed_node, marked)
    if stated.has_unit and readings and readings[0].dims != stated.dims:
        readings = _flops_read_otherwise(readings, stated, marked) or readings
    if not readings:
        return skipped("the expression cannot be evaluated (a division by zero, or "
                       "quantities of different kinds added)", step)
    verdicts = []
    for r in readings:
        v = _verdict(step, r, stated, target, marked, tol, computed_node)
        if v is not None:
            verdicts.append((r, v))
    if not verdicts:
        return skipped("the units of the two sides do not multiply out and their numbers "
                       "disagree: mclint cannot tell what was meant", step)
    judged = [(r, v) for r, v in verdicts if v.status != "skipped"]
    if judged and len(judged) < len(verdicts):
        verdicts = judged      # a reading off beyond belief is no reading
    statuses = {v.status for _, v in verdicts}
    if len(statuses) > 1:
        shown = " or ".join(f"{fmt(v.computed)}{' ' + v.unit if v.unit else ''}"
                            for _, v in verdicts)
        return skipped(f"the grouping is in doubt ({shown}), and the readings disagree", step)
    return verdicts[0][1]


@dataclass(frozen=True)
class _Stated:
    """The stated side: its interval in base units and as written, and its dimension."""

    base: Interval
    written: Interval
    dims: dict
    has_unit: bool
    claim: Claim | None
    unit_text: str
    hedged: bool
    factor: float = 1.0       # base units per unit shown (a stated expression's one unit)


def _stated(c: Claim, step: Step) -> _Stated:
    base = Interval.of(*c.base_interval(as_result=True), c.value)
    lo, hi = c.number.as_result()
    if c.high is not None:
        hi = max(hi, c.high.as_result()[1])
    pct = 0.01 if c.kind == "percent" else 1.0
    written = Interval.of(lo * pct, hi * pct, c.number.value * pct)
    return _Stated(base, written, dict(c.dimension) if c.unit else {}, c.unit is not None, c,
                   c.unit_text, bool(step.approx or c.hedge))


def _readings(node, marked: frozenset[int]) -> list[_Reading]:
    """The standard reading, and the readings a doubtful grouping allows: 'a * b / c * d'
    as (a*b)/(c*d); 'a + b * c' left to right when the standard one adds unlike counts."""
    out = []
    standard = _evaluate(node, marked, "as written")
    alternatives = []
    if has_grouping(node):
        alternatives.append(_evaluate(node, marked, "with everything after '/' in the "
                                                    "denominator", grouped=True))
    if standard is None:
        loose = _left_to_right(node)
        if loose is not None:
            alternatives.append(_evaluate(loose, marked, "left to right"))
    for r in [standard] + alternatives:
        if r is not None:
            out.append(r)
    return out


def _evaluate(node, marked, name: str, grouped: bool = False) -> _Reading | None:
    """Evaluate a reading in base units and as written; None if it makes no sense."""
    if not _sums_consistent(node):
        return None
    try:
        base = evaluate(node, lambda n: Interval.point(
            1.0 if id(n.claim) in marked else n.claim.value), grouped).mid
        written = evaluate(node, lambda n: Interval.point(n.claim.written), grouped,
                           units=False).mid
        dims = _dims(node, marked, grouped)
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None
    if not (math.isfinite(base) and math.isfinite(written)):
        return None
    return _Reading(name, base, written, dims, node, grouped)


def _dims(node, marked, grouped: bool = False, flipped: frozenset[int] = frozenset()) \
        -> dict | None:
    def dim_of(n):
        if id(n.claim) in marked or n.claim.unit is None:
            return {}
        d = dict(n.claim.dimension)
        if id(n.claim) in flipped:        # 'FLOPS' read the other way: amount <-> rate
            d["[time]"] = d.get("[time]", 0) + (1 if d.get("[time]", 0) < 0 else -1)
            if d["[time]"] == 0:
                del d["[time]"]
        return d
    return dimension(node, dim_of, grouped)


def _spelled_flops(c: Claim) -> bool:
    """A unit spelled 'FLOPS' or 'FLOPs' ('GFLOPS/observation', '1.4e13 FLOPS'): notes use it
    for an amount and for a rate (DOMAIN.md), so the result's unit decides."""
    return c.kind in ("flop", "flop_rate") and "flops" in c.unit_text.lower() and \
        "/s" not in c.unit_text.lower().replace("flops", "")


def _flops_read_otherwise(readings: list[_Reading], stated: _Stated, marked) \
        -> list[_Reading]:
    """The readings again with every 'FLOPS' of the left side read the other way (a rate as
    an amount, an amount as a rate), kept only if that makes the units multiply out to the
    stated ones: one reading, chosen by dimensional analysis."""
    out = []
    for r in readings:
        flops = frozenset(id(c) for c in leaves(r.node)
                          if _spelled_flops(c) and id(c) not in marked)
        if not flops:
            return []
        dims = _dims(r.node, marked, r.grouped, flops)
        if dims != stated.dims:
            return []
        name = f"'FLOPS' read as {_amount_or_rate(dims)}"
        out.append(_Reading(name if r.name == "as written" else f"{r.name}; {name}", r.base,
                            r.written, dims, r.node, r.grouped))
    return out


def _amount_or_rate(dims: dict) -> str:
    return "a rate (FLOP/s)" if dims.get("[time]", 0) < 0 else "an amount (FLOP)"


def _sums_consistent(node) -> bool:
    """Whether every sum adds like with like: same dimension and same counted nouns."""
    def sig(n):
        if isinstance(n, Leaf):
            return dict(signature(n.claim))
        if isinstance(n, Paren):
            return sig(n.node)
        if isinstance(n, Term):
            out = dict(sig(n.first) or {})
            for op, sub in n.rest:
                s = sig(sub)
                if s is None:
                    return None
                for k, v in s.items():
                    out[k] = out.get(k, 0) + (v if op == "*" else -v)
                    if out[k] == 0:
                        del out[k]
            return out
        if isinstance(n, BinOp):
            a, b = sig(n.left), sig(n.right)
            if a is None or b is None:
                return None
            if n.op in "+-":
                dims_a, dims_b = _dims(n.left, frozenset()), _dims(n.right, frozenset())
                if a != b or (dims_a is not None and dims_b is not None and dims_a != dims_b
                              and dims_a and dims_b):
                    return None
                return a
            return {}
        return {}
    return sig(node) is not None


def _left_to_right(node):
    """'a + b * c' regrouped as '(a + b) * c' (brackets written by the author stay)."""
    flat = _flatten(node)
    if flat is None or len(flat) < 3:
        return None
    acc = flat[0]
    for op, operand in flat[1:]:
        if op in "+-":
            acc = BinOp(op, acc, operand)
        else:
            acc = Term(acc, ((op, operand),))
    return acc


def _flatten(node):
    """The operands and operators of an unbracketed expression, in written order."""
    if isinstance(node, BinOp) and node.op in "+-":
        left, right = _flatten(node.left), _flatten(node.right)
        if left is None or right is None:
            return None
        return left + [(node.op, right[0])] + right[1:]
    if isinstance(node, Term):
        out = _flatten(node.first)
        if out is None:
            return None
        for op, sub in node.rest:
            sub_flat = _flatten(sub)
            if sub_flat is None:
                return None
            out += [(op, sub_flat[0])] + sub_flat[1:]
        return out
    return [node]


# ------------------------------------------------------------------- the comparison

def _verdict(step: Step, r: _Reading, stated: _Stated, target: str | None,
             marked: frozenset[int], tol: Tolerance, node) -> Verdict | None:
    """Compare one reading with the stated side, or None if this reading makes no sense
    (its units cannot be the stated ones)."""
    if r.dims is None:
        return None
    inputs = tuple(leaves(node))
    c = stated.claim
    unit = stated.unit_text

    def decide(computed: float, band: Interval, reading: str, shown_unit: str = unit,
               converted: bool = True):
        if r.name != "as written":
            reading = f"{reading}, {r.name}"
        return _decide(step, computed, band, r, stated, tol, reading, inputs, marked,
                       shown_unit, converted)

    if stated.has_unit:
        if r.dims == stated.dims:
            per = (c.factor if c is not None else stated.factor) or 1.0
            band = Interval(stated.base.lo / per, stated.base.hi / per, stated.base.mid / per)
            return decide(r.base / per, band, f"units converted{_via(target)}")
        if not r.dims:
            # "6 * 340B params * 9T tokens = 1.8E25 FLOP": numbers in the stated unit
            v = decide(r.written, stated.written, f"numbers in the stated unit ({unit})",
                       converted=False)
            if v.status == "problem" and stated.dims and c is not None:
                other = _other_unit(r.written, stated)
                if other:
                    return skipped(f"the expression has no unit; it agrees with "
                                   f"'{c.text}' if read in {other}", step)
            return v
        # units that do not multiply out ("2*10^6 hours * 60 min / hour * 750 tokens = 90B
        # tokens"): right numbers, read as written or converted, are a notation problem;
        # wrong ones cannot be told from a misreading.
        per = (c.factor if c is not None else stated.factor) or 1.0
        readings = (
            decide(r.written, stated.written, "numbers as written", converted=False),
            decide(r.base / per, Interval(stated.base.lo / per, stated.base.hi / per,
                                          stated.base.mid / per), "units converted"))
        unwritten = _unwritten(r, marked, stated.dims)
        if unwritten:
            # A bare number may carry the unit left out ("125e12 FLOP/sec * 8 * 67 * 3600":
            # 67 hours): nothing written contradicts the result, and the numbers are judged,
            # as written and converted.  Where one agrees and the other does not, the
            # unwritten unit decides, and mclint cannot tell it; where neither agrees, the
            # nearer one is the finding.
            agree = [v.status == "verified" for v in readings]
            if agree[0] != agree[1]:
                return skipped(f"with the unit of '{unwritten}' left unwritten, the numbers "
                               "as written and the units converted disagree", step)
            judged = [v for v in readings if v.status != "skipped"] or list(readings)
            v = min(judged, key=lambda v: _log_distance(v.stated or 0.0, v.computed or 0.0))
            return replace(v, reading=f"{v.reading}; the unit of '{unwritten}' left "
                                      "unwritten")
        for v in readings:
            if v.status == "verified" or "cut off" in v.reason:
                why = f"the units do not multiply out: the left side is {_dim_name(r.dims)}, " \
                      f"the result {_dim_name(stated.dims)}"
                if v.reason:
                    why += f"; {v.reason}"
                return Verdict("problem", why, "notation", v.stated, v.computed, v.unit,
                               v.reading, c, inputs)
        # numbers as written a few percent off: a slip in the digits, whatever the units
        v = readings[0]
        rel = v.relative_error
        if v.status == "problem" and rel is not None and abs(rel) < tol.material:
            why = f"read as written, since the units do not multiply out (the left side is " \
                  f"{_dim_name(r.dims)}, the result {_dim_name(stated.dims)})"
            return Verdict("problem", why, "minor", v.stated, v.computed, v.unit,
                           "numbers as written", c, inputs)
        return None
    # a bare stated result: its unit is the one the left side leads to
    if not r.dims:
        return decide(r.written, stated.written, "as written", converted=False)
    if target is not None:
        per = unit_seconds(target) ** r.dims.get("[time]", 0.0)
        shown = f"{target}s" if r.dims == {"[time]": 1.0} else _base_unit_name(r.dims)
        reading = f"in {shown}{_via(target)}"
        if any(c.unit is None and id(c) not in marked for c in leaves(r.node)):
            shown = ""   # a bare operand ("3.12E14") may carry a unit the note leaves unwritten
        return decide(r.base / per, stated.written, reading, shown)
    scales = [("base units", r.base)]
    if not math.isclose(r.written, r.base, rel_tol=1e-9):
        scales.append(("the units as written", r.written))
    name, value = min(scales, key=lambda s: _log_distance(stated.written.mid, s[1]))
    shown = _base_unit_name(r.dims) if name == "base units" else ""
    return decide(value, stated.written, f"read in {name}", shown,
                  converted=name == "base units")


def _unwritten(r: _Reading, marked, stated_dims: dict) -> str:
    """The first bare number of a standard reading that may carry a unit the author left
    unwritten ('67' hours in "125e12 FLOP/sec * 8 * 67 * 3600"): not a conversion factor,
    not a fraction or a small constant (a utilization, the 6 of 6·N·D); '' if none.
    Written units that contradict the result themselves ("44 TB × 10^12 bytes": bytes
    squared, where the result has bytes once) are no omission."""
    if r.name != "as written":
        return ""     # a regrouped reading is itself a question of notation
    if any(abs(p) > max(1.0, abs(stated_dims.get(d, 0.0))) for d, p in r.dims.items()):
        return ""
    for c in leaves(r.node):
        if c.unit is None and id(c) not in marked and c.kind != "percent" and \
                abs(c.number.value) > 10:
            return c.text
    return ""


def _via(target: str | None) -> str:
    return f", conversion factors to {target}s" if target else ""


def _decide(step: Step, computed: float, band: Interval, r: _Reading, stated: _Stated,
            tol: Tolerance, reading: str, inputs, marked, unit: str,
            converted: bool = True) -> Verdict:
    """Verified if the computed value lies in the stated band (both in the unit shown),
    else a graded problem (`converted`: the computed value went through the units'
    factors, so a month's length matters)."""
    c = stated.claim
    shown_stated = c.number.value if c is not None else band.mid
    if stated.hedged:
        band = band.widen(_approx_band(c, tol.approx))
    band = band.widen(tol.relative)
    agrees = band.lo <= computed <= band.hi
    calendar = converted and not agrees and _calendar_reading(r, band, marked, computed)
    if calendar:
        return skipped(calendar, step)
    if agrees:
        return Verdict("verified", "", None, shown_stated, computed, unit, reading, c, inputs)
    hedged = _hedges_explain(r, band, marked, computed)
    if hedged:
        return Verdict("verified", "", None, shown_stated, computed, unit,
                       f"{reading}; within the hedge of '{hedged}'", c, inputs)
    verdict = Verdict("problem", "", None, shown_stated, computed, unit, reading, c, inputs)
    explanation = _explain(step, r, band, computed, tol, marked, c)
    if isinstance(explanation, Verdict):
        return explanation
    return _grade(verdict, tol, explanation, rounding=_rounding_explains(r, band, marked,
                                                                         computed))


def _explain(step: Step, r: _Reading, band: Interval, computed: float, tol: Tolerance,
             marked, stated_claim: Claim | None):
    """A hint or grade for a miss: a magnitude word missing on one factor, a result cut
    off rather than rounded, or an implausible miss set aside."""
    if computed == 0 or band.mid == 0:
        return ""
    ratio = abs(band.mid / computed)
    shared = _shared_magnitude(r, computed, stated_claim)
    if shared is not None:
        # the word is read once, for every term: then the sum is judged like any other
        reading = f"the magnitude word on '{stated_claim.text}' applies to every term"
        verdict = Verdict("verified", "", None, stated_claim.number.value, computed * shared,
                          stated_claim.unit_text, reading, stated_claim, tuple(leaves(r.node)))
        if band.lo <= computed * shared <= band.hi:
            return verdict
        rounding = _rounding_explains(r, Interval(band.lo / shared, band.hi / shared,
                                                  band.mid / shared), marked, computed)
        return _grade(verdict, tol, explanation="", rounding=rounding)
    missing = _missing_magnitude(r, band, computed)
    if missing:
        return missing
    repeated = _repeated_prefix(r, band, computed, marked)
    if repeated:
        return ("notation", repeated)
    if stated_claim is not None and _truncated(stated_claim, computed):
        return ("notation", _cut_off(stated_claim, computed))
    big = max(ratio, 1 / ratio)
    if big > tol.implausible and not explained_ratio(big):
        return skipped(f"off by ×{fmt(big, 2)}, which no magnitude word, power of ten or unit "
                       "explains: probably a misreading, so not judged", step)
    return ""


def _missing_magnitude(r: _Reading, band: Interval, computed: float) -> tuple | None:
    """(grade, hint) when a magnitude word explains a miss, else None.

    '3.25 * 500B * 6 = 9.75e21': the numbers agree if one factor written without a
    magnitude word had one ("did '3.25' mean 3.25B?"): the result is right, the input lost
    its word (notation).  '9216*4k = 36,864': they agree if the '4k' had none; a word is
    dropped, not added, so it is the result that lost its 'k' (material).  '410 + 19 + 12
    = 441 billion': the result's word applies to the inputs too (notation).  Compared as
    written (units not converted).  Small whole constants (the 6 of 6·N·D) are not
    suspected."""
    if r.written != computed:
        return None      # read in converted units: magnitude words are not the question
    hits = []
    for c in leaves(r.node):
        if c.number.abbreviated and c.number.magnitude == 1:
            continue     # an exponent, not a magnitude word
        if c.number.magnitude == 1:
            if float(c.number.value).is_integer() and c.number.value <= 10:
                continue
            changes = [(factor, f"{_number_text(c)}{word}") for factor, word in
                       MAGNITUDE_WORDS.items()]
        else:
            changes = [(1 / c.number.magnitude, f"{c.number.value / c.number.magnitude:g}")]
        for factor, written in changes:
            scaled = _scaled(r, c, factor)
            if scaled is not None and band.lo <= scaled <= band.hi:
                hits.append((c, written))
    if len(hits) == 1:
        c, written = hits[0]
        if c.number.magnitude != 1:
            hint = f"the numbers agree if '{c.text}' were {written}: the result may have " \
                "lost its magnitude word"
            return ("material", hint)
        rest = f" {c.unit_text}" if c.unit_text else ""
        return ("notation", f"did '{c.text}' mean {written}{rest}? The numbers agree then")
    if hits:
        names = ", ".join(f"'{c.text}'" for c, _ in hits[:3])
        return ("notation", f"the numbers agree if one of {names} had another magnitude word")
    ratio = band.mid / computed if computed else 0
    for factor, word in MAGNITUDE_WORDS.items():
        if math.isclose(ratio, factor, rel_tol=0.05) and all(
                c.number.magnitude == 1 for c in leaves(r.node)):
            hint = f"the magnitude word ({word}) on the result applies to the inputs too"
            return ("notation", hint)
    return None


def _shared_magnitude(r: _Reading, computed: float, stated_claim: Claim | None) \
        -> float | None:
    """'410 + 19 + 12 + 55 + 3 = 499 billion tokens', '560+120+5.5=685.5k': a sum of plain
    numbers whose result carries the one magnitude word of all its terms (a word does not
    distribute over a product, so products stay a notation question).  The word's factor,
    or None."""
    terms = summands(r.node)
    if stated_claim is None or r.written != computed or terms is None or len(terms) < 2:
        return None
    m = stated_claim.number.magnitude
    if m == 1 or any(c.number.magnitude != 1 or c.number.abbreviated or c.unit
                     for c in terms):
        return None
    return m


def _repeated_prefix(r: _Reading, band: Interval, computed: float, marked) -> str:
    """'123*10^12 TFLOPS/chip * ... = 2.599*10^22 FLOP': the numbers agree if the unit's SI
    prefix did not repeat the power of ten the number already has."""
    for c in leaves(r.node):
        if id(c) in marked or not c.unit or not c.number.abbreviated or \
                c.number.magnitude != 1 or abs(c.number.value) < 1e3 or c.factor < 1e3:
            continue
        k = round(math.log10(c.factor))
        if not math.isclose(c.factor, 10.0 ** k, rel_tol=1e-9) or \
                abs(c.number.value) < 10.0 ** k:
            continue
        if band.lo <= computed / c.factor <= band.hi:
            return (f"the prefix of '{c.unit_text}' repeats the power of ten written in "
                    f"'{_number_text(c)}': the numbers agree without it")
    return ""


def _number_text(c: Claim) -> str:
    """The number of a claim as written, without its unit ('200' of '200 words/GB')."""
    return c.text[:len(c.text) - len(c.unit_text)].strip() if c.unit_text else c.text


def _scaled(r: _Reading, claim: Claim, factor: float) -> float | None:
    try:
        return evaluate(r.node, lambda n: Interval.point(
            n.claim.written * (factor if n.claim is claim else 1.0)), r.grouped,
            units=False).mid
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None


def _truncated(c: Claim, computed: float) -> bool:
    """'2.69e18' for 2.6957e18, '6.5 days' for 6.58: the digits of a cut, not of a rounding."""
    if significant_digits(c.number) < 2 or computed <= 0 or c.number.value <= 0:
        return False
    ulp = c.number.ulp * 10 ** c.number.trailing_zeros
    return math.isclose(math.floor(computed / ulp + 1e-9) * ulp, c.number.value, rel_tol=1e-9)


def _cut_off(c: Claim, computed: float) -> str:
    """'1,861,913.7 was cut off to 1,861,913 rather than rounded': the value to one digit
    past the stated figure's last, the stated figure to its own."""
    cut = c.number.ulp * 10 ** c.number.trailing_zeros
    places = -math.floor(math.log10(cut) + 1e-9)
    if abs(computed) < 1e7:
        return (f"{computed:,.{max(0, places + 1)}f} was cut off to "
                f"{c.number.value:,.{max(0, places)}f} rather than rounded")
    digits = significant_digits(c.number)
    return f"{fmt(computed, digits + 1)} was cut off to {fmt(c.number.value, digits)} " \
        "rather than rounded"


def explained_ratio(big: float) -> bool:
    """A power of ten, or a time or byte unit's ratio: a slip a reader can name (never an
    infinite ratio: a side that is zero, "-0 × 10^7 = 60,000,000")."""
    if not math.isfinite(big) or big <= 0:
        return False
    # a slipped magnitude keeps the digits: within the few percent inputs' rounding moves them
    k = round(math.log10(big))
    if math.isclose(big, 10.0 ** k, rel_tol=0.03):
        return True
    return any(math.isclose(big, u, rel_tol=0.02) for u in UNIT_RATIOS)


def _rounding_explains(r: _Reading, band: Interval, marked, computed: float) -> str:
    """Whether the rounding of an abbreviated input ('9.4M', '3.12e14') could explain the
    miss: the name of the input, or ''."""
    abbreviated = [c for c in leaves(r.node) if c.number.abbreviated and id(c) not in marked]
    if not abbreviated:
        return ""
    ratio = computed / r.written if r.written else None
    try:
        iv = evaluate(r.node, lambda n: Interval.of(*n.claim.number.as_input(), n.claim.number.value)
                      if id(n.claim) not in marked else Interval.point(n.claim.number.value),
                      r.grouped)
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return ""
    if ratio is None:
        return ""
    iv = Interval.of(iv.lo * ratio, iv.hi * ratio)
    if iv.overlaps(band):
        return max(abbreviated, key=lambda c: c.number.ulp / abs(c.number.value or 1)).text
    return ""


def _hedges_explain(r: _Reading, band: Interval, marked, computed: float) -> str:
    """An input the note hedges ("~40 days", "≈15min/iter") stands for a band, as a hedged
    result does: the name of the first such input if its band reaches the stated one."""
    hedged = [c for c in leaves(r.node) if c.hedge and id(c) not in marked]
    if not hedged or not r.written:
        return ""
    ratio = computed / r.written
    try:
        iv = evaluate(r.node, lambda n: Interval.point(n.claim.written).widen(
            _approx_band(n.claim, 0.10)) if n.claim.hedge and id(n.claim) not in marked
            else Interval.point(n.claim.written), r.grouped, units=False)
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return ""
    iv = Interval.of(iv.lo * ratio, iv.hi * ratio)
    return hedged[0].text if iv.overlaps(band) else ""


# Months and years as notes count them, beside the mean Gregorian ones of the registry.
CALENDAR = {"month": 30 * 86400.0, "year": 365 * 86400.0}


def _calendar_reading(r: _Reading, band: Interval, marked, computed: float) -> str:
    """'2 months' is 60.9 days in the registry's mean months and 60 days to many authors:
    a step that misses in mean months but agrees in 30-day months (or 365-day years) has
    two readings that disagree, so it is not judged (the reason says so; '' otherwise).
    Only the registry's reading ever verifies."""
    scale = {}
    for c in leaves(r.node):
        if id(c) in marked or not c.unit:
            continue
        f = 1.0
        for name, power in unit_parts(c.unit):
            if name in CALENDAR:
                f *= (CALENDAR[name] / unit_info(name).factor) ** power
        if f != 1.0:
            scale[id(c)] = (c, f)
    if not scale or not r.base:
        return ""
    try:
        base = evaluate(r.node, lambda n: Interval.point(
            1.0 if id(n.claim) in marked else
            n.claim.value * scale.get(id(n.claim), (None, 1.0))[1]), r.grouped).mid
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return ""
    if not band.lo <= computed * base / r.base <= band.hi:
        return ""
    c = next(iter(scale.values()))[0]
    name = next(n for n, _ in unit_parts(c.unit) if n in CALENDAR)
    return (f"'{c.text}' counted in {CALENDAR[name] / 86400:g}-day {name}s agrees, in mean "
            f"{name}s it does not: the two readings disagree, so not judged")


def _grade(verdict: Verdict, tol: Tolerance, explanation, rounding: str = "") -> Verdict:
    """Grade a problem: notation, minor or material."""
    grade = None
    reason = ""
    if isinstance(explanation, tuple):
        grade, reason = explanation
    ratio = verdict.ratio
    rel = verdict.relative_error
    if grade is None:
        big = max(ratio, 1 / ratio) if ratio else math.inf
        if rounding:
            grade = "minor"
            reason = f"within the rounding of '{rounding}'"
        elif big >= 1 + tol.material or (rel is not None and abs(rel) >= tol.material):
            grade = "material"
        else:
            grade = "minor"
    return Verdict("problem", reason, grade, verdict.stated, verdict.computed, verdict.unit,
                   verdict.reading, verdict.stated_claim, verdict.inputs)


def _approx_band(claim: Claim | None, approx: float) -> float:
    """The band a hedge adds: approx for a figure of one or two digits, ten times narrower
    per further digit ("≈ 6.17e5" claims three digits of precision)."""
    if claim is None:
        return approx
    digits = significant_digits(claim.number)
    return approx / 10 ** max(0, digits - 2)


def _log_distance(a: float, b: float) -> float:
    if a == 0 or b == 0 or (a < 0) != (b < 0):
        return math.inf
    return abs(math.log10(abs(a / b)))


def _other_unit(value: float, stated: _Stated) -> str:
    """Another common unit of the stated dimension in which a bare expression would agree
    with the stated number ('56 * 24' read in hours for '8 weeks')."""
    if stated.dims != {"[time]": 1.0}:
        return ""
    for name in ("second", "minute", "hour", "day", "week"):
        seconds = unit_seconds(name)
        lo, hi = stated.base.lo, stated.base.hi
        if lo * 0.995 <= value * seconds <= hi * 1.005:
            return f"{name}s"
    return ""


def _dim_name(dims: dict) -> str:
    from ..quantities.units import dimension_name

    return dimension_name(tuple(sorted(dims.items()))) if dims else "a plain number"


def _base_unit_name(dims: dict) -> str:
    names = {"[flop]": "FLOP", "[time]": "s", "[energy]": "J", "[emissions]": "gCO2eq",
             "[currency]": "$", "[information]": "B"}
    num = [names.get(k, k) + (f"^{v:g}" if v != 1 else "") for k, v in dims.items() if v > 0]
    den = [names.get(k, k) + (f"^{-v:g}" if v != -1 else "") for k, v in dims.items() if v < 0]
    text = "*".join(num) or "1"
    return text + ("/" + "/".join(den) if den else "")
