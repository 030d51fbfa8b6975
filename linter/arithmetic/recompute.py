"""Recompute one stated step ('left = right') the ways its author may have meant it.

Notes mix habits.  Some convert every unit ("989 teraFLOP/s x 6144 x 0.41 x 7,659,574 s
= 1.9e25": teraFLOP/s must become 9.89e14), others write the conversion factors out
("6 days * 24 * 3600 = 518,400 s": days must stay days), others keep SI prefixes but
write time out ("990 TFLOPS * 6.4M GPU-hours * 3600 s").  A step is read each way and
holds if any reading agrees with the stated value:

* written:  numbers as written (magnitude words and % applied, units not converted);
* prefixed: SI prefixes applied (tera = 1e12), times as written;
* base:     every quantity in base units (FLOP, seconds, plain counts);
* bare:     numbers without their magnitude words ("69 + 0.41 = 69.41 billion",
            "9216 * 4k = 36,864");
* labelled: times the coefficient a label names ("6ND = 10.7B * 250B = 1.6e22");
* any time unit: a unitless computation stated as a time ("8 weeks = 56*24").
Each may be read with the usual precedence or with everything after a '/' in the
denominator ("224×224/14×14" = 256), as many authors mean.

The readings differ by factors such as 86,400 or 1e12, so a real slip does not hide
in another reading by chance.  A finding reports the closest of the first three.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..model.claims import BinOp, Claim, Leaf, Step, Term, leaves, restates
from .expressions import dimension, evaluate, has_grouping
from ..model.intervals import Interval, Undefined
from ..model.numbers import fmt, significant_digits
from ..quantities.units import COUNT_KINDS

# "C = 6ND" before a calculation (bounded spaces: linear on any label)
LABEL_COEFFICIENT = re.compile(
    r"(?:^|\b)C?\s{0,3}=?\s{0,3}(\d)\s{0,3}\*?\s{0,3}[NP]\s{0,3}\*?\s{0,3}[DT]\s{0,3}$", re.I)
PRIMARY = ("written", "prefixed", "base")
ARROWS = {"→", "->", "=>"}
TIME_UNITS = (1.0, 60.0, 3600.0, 86400.0, 604800.0)


@dataclass(frozen=True)
class Outcome:
    """How a step came out: agreed or not, in the closest reading."""

    agrees: bool
    mode: str
    stated: float           # in the stated side's own unit
    computed: float
    stated_interval: Interval
    computed_interval: Interval
    stated_claim: Claim | None
    inputs: tuple[Claim, ...]

    @property
    def relative_error(self) -> float:
        if self.computed == 0:
            return math.inf if self.stated else 0.0
        return (self.stated - self.computed) / abs(self.computed)

    @property
    def ratio(self) -> float:
        if self.computed == 0 or self.stated == 0:
            return math.inf
        return abs(self.stated / self.computed)


def _single(node: object) -> Claim | None:
    return node.claim if isinstance(node, Leaf) else None


def _factor(claim: Claim, mode: str) -> float:
    if mode == "base":
        return claim.factor
    if mode == "prefixed":
        return claim.prefix_factor
    return 0.01 if claim.kind == "percent" else 1.0


def _leaf_interval(claim: Claim, mode: str, stated: bool, approx: float,
                   truncated: bool = False, exact_inputs: bool = False) -> Interval:
    if stated:
        lo, hi = claim.number.as_result(truncated)
    elif exact_inputs:
        lo = hi = claim.number.value
    else:
        lo, hi = claim.number.as_input()
    mid = claim.number.value
    if claim.high is not None:
        hi = max(hi, claim.high.value)
    if mode == "bare":
        m = claim.number.magnitude
        lo, hi, mid = lo / m, hi / m, mid / m
        f = 0.01 if claim.kind == "percent" else 1.0
    else:
        f = _factor(claim, mode)
    lo, hi, mid = lo * f, hi * f, mid * f
    if mode == "base" and claim.spread:
        lo, hi = lo * (1 - claim.spread), hi * (1 + claim.spread)
    iv = Interval.of(lo, hi, mid)
    if claim.hedge and not stated:
        iv = iv.widen(approx_band(claim, approx))
    return iv


def _exact_figure(claim: Claim, tol: Tolerance) -> bool:
    """A chip's specified peak written in full (3.12e14 for an A100) is exact, not rounded."""
    if not tol.exact_figures or claim.number.trailing_zeros:
        return False
    return claim.number.value * claim.prefix_factor in tol.exact_figures \
        or claim.value in tol.exact_figures


def readings(step: Step, stated_node, computed_node, label: str) -> list[tuple[str, bool]]:
    """The (mode, grouped) readings worth trying for a step."""
    claims = leaves(step.left) + leaves(step.right)
    modes = ["written"]
    if any(c.prefix_factor != 1.0 and c.kind != "percent" for c in claims):
        modes.append("prefixed")
    if any(c.factor != c.prefix_factor and c.kind != "percent" for c in claims):
        modes.append("base")
    if _bare_fits(stated_node, computed_node):
        modes.append("bare")
    if label and LABEL_COEFFICIENT.search(label):
        modes.append("labelled")
    stated = _single(stated_node)
    if (stated is not None and stated.kind == "time"
            and all(c.unit is None for c in leaves(computed_node))):
        modes.append("anytime")
    dims = step_dimensions(step)
    mismatched = dims is not None and dims[0] != dims[1]  # MC103's: let the numbers be
    if "written" in modes and not mismatched and (not _conversions_fit(computed_node) or (
            any(c.kind == "time/time" for c in claims)
            and not _GROUP_TIME.search(step.text))):
        # The conversion factors contradict the time's unit ("9 hours * 24 * 3600"), or
        # conversions are written as units ("3600 sec/h"): the units are meant, and a
        # time must not be read as a bare number.  ("(14+2) days * 24 hours/day": the
        # days belong to a bracket mclint reads without unit, so both readings stay.)
        modes = [m for m in modes if m not in ("written", "prefixed")]
        if "base" not in modes:
            modes.insert(0, "base")
    if dims is not None and dims[0] == dims[1]:
        # Every factor carries its unit and they cancel ("25 days * 24 hr/day * 3600
        # sec/hr * ..."): the units are meant, so only the converted reading counts (a
        # number that agrees only when "88 minutes" is read as 88 would hide a unit slip).
        modes = ["base"]
    out = [(m, False) for m in modes]
    if has_grouping(computed_node):
        out += [(m, True) for m in modes]
    return out


def units_note(step: Step, outcome: Outcome) -> str:
    """Why a miss was read with its units converted: the written reading was refused
    because conversion factors do not fit the time unit they stand next to."""
    if outcome.agrees or outcome.mode != "base":
        return ""
    for side in (step.left, step.right):
        run = _misfit(side)
        if run is not None:
            time, factors = run
            product = fmt(math.prod(c.number.value for c in factors))
            into = "the units written with it" if any(c.unit for c in factors) else "seconds"
            return (f" (units converted: {' * '.join(c.text for c in factors)} = {product} "
                    f"does not convert the {time.unit_text} of {time.text!r} into {into})")
    return ""


def _bare_fits(stated_node, computed_node) -> bool:
    """Whether reading numbers without their magnitude words makes sense: the words are on
    one side only ("69 + 0.41 = 69.41 billion"), or one word runs through an expression
    stated bare ("28.7 billion / 4.98 = 5.76").  With different words on both sides
    ("405B/7 = 58B") the words are meant, and a changed one must not hide."""
    stated = {c.number.magnitude for c in leaves(stated_node)} - {1.0}
    computed = {c.number.magnitude for c in leaves(computed_node)} - {1.0}
    return (bool(stated) and not computed) or (len(computed) == 1 and not stated)


# Numbers that convert times: a time written before them must be in the unit they convert
# from ("6 days * 24 * 3600", "20 days * 24 hours * 3600 s"; not "9 hours * 24 * 3600").
_CONVERSION_FACTORS = {7.0, 24.0, 30.0, 60.0, 365.0, 3600.0, 86400.0}


_GROUP_TIME = re.compile(r"\)\s*(?:days?|hours?|hrs?|h|minutes?|mins?|seconds?|secs?|s|weeks?)\b")


def _conversions_fit(node) -> bool:
    """In a reading with times as written, conversion factors must match the time's unit,
    in every run of products ("a * b * c") of the expression."""
    return _misfit(node) is None


def _misfit(node) -> tuple[Claim, list[Claim]] | None:
    """The first run of products whose conversion factors do not fit its time, if any:
    (the time, the factors)."""
    if isinstance(node, Term):
        run = _run_misfit(leaves(node))
        if run is not None:
            return run
        for n in [node.first] + [n for _, n in node.rest]:
            run = _misfit(n)
            if run is not None:
                return run
    if isinstance(node, BinOp):
        return _misfit(node.left) or _misfit(node.right)
    return None


def _run_misfit(claims) -> tuple[Claim, list[Claim]] | None:
    factors = [c for c in claims if not c.number.abbreviated
               and c.number.value in _CONVERSION_FACTORS and (c.unit is None or c.kind == "time")]
    main = [c for c in claims if c.kind == "time" and c not in factors]
    if len(main) != 1 or not factors:
        return None
    time = main[0]
    slack = max(time.spread, 1e-9) + 0.02
    labelled = [c for c in factors if c.unit is not None]
    product = math.prod(c.number.value for c in factors)
    if product < 3600 and not labelled:
        return None  # a lone 60 may convert a rate per minute, not the time
    if labelled and all(c.start > time.start for c in factors):
        # "45 days * 24 hours * 3600 s": step by step, each factor converts the unit
        # before it into its own ("45 days * 24 minutes * 3600 s" does not).
        unit = time.factor
        for c in factors:
            unit /= c.number.value
            if c.unit is not None:
                if abs(unit / c.factor - 1) > slack:
                    return time, factors
                unit = c.factor
        return None
    # The factors convert the time into the finest unit they name ("3600 s * 26 h"), or
    # into seconds when they name none ("26 h * 3600").
    target = min((c.factor for c in labelled), default=1.0)
    if abs(product / (time.factor / target) - 1) <= slack:
        return None
    return time, factors


def skip_reason(step: Step) -> str | None:
    """Why a step is not a checkable equality, or None."""
    left, right = _single(step.left), _single(step.right)
    for c in leaves(step.left) + leaves(step.right):
        if not math.isfinite(c.number.value):
            return "a number out of range"
    if left is not None and right is not None:
        if step.relation in ARROWS or step.relation == "~":
            return "an arrow between two numbers says what follows, not what is equal"
        if left.unit and right.unit:
            if left.dimension != right.dimension:
                return "two quantities of different dimensions"
            if left.kind != right.kind and not {left.kind, right.kind} <= {"flop_rate"}:
                if left.kind in COUNT_KINDS or right.kind in COUNT_KINDS:
                    return "a ratio between two kinds of count"
                return "two different kinds of quantity"
            return None
        if left.unit or right.unit:
            return "a number with a unit and one without"
        if not restates(left, right):
            return "two plain numbers: a label, not a calculation"
        return None
    if left is not None and left.unit and step.relation not in ARROWS:
        # "32 A100-hours = 312 teraflops * 32 * 3600 * 0.3" names, it does not equate
        kinds = {c.kind for c in leaves(step.right) if c.unit}
        if kinds and left.kind not in kinds:
            return "the stated quantity is not of the kind the expression computes"
    if left is not None and right is None and step.relation in ARROWS:
        return "an arrow from a number to an expression"
    if step.relation in ARROWS and right is not None and right.unit is None:
        return "an arrow to a bare number may be a mapping ('84x84x3 -> 256')"
    return None


@dataclass(frozen=True)
class Tolerance:
    """How strictly a step is judged (the options of a calculation rule)."""

    approx: float = 0.10           # band of a hedged result ("~1.9e25") with two digits
    relative: float = 1e-4         # noise always accepted
    truncated: bool = False        # a result cut off rather than rounded also holds
    exact_inputs: bool = False     # inputs are exact even when abbreviated ("9T", "3.12e14")
    exact_figures: frozenset = frozenset()   # values exact as written (chip peaks: 3.12e14)


def recompute(step: Step, tol: Tolerance = Tolerance(), label: str = "") -> Outcome | None:
    """Check one step in every reading; None when it cannot be evaluated."""
    args = (tol, label)
    if _single(step.left) is not None and _single(step.right) is not None:
        # A restatement may round either side: "14 days (1,209,600 s)", "89 days (7,659,574 s)".
        first = _recompute(step.left, step.right, step, *args)
        if first is None or first.agrees:
            return first
        second = _recompute(step.right, step.left, step, *args)
        return second if second is not None and second.agrees else first
    outcome = _recompute(step.left, step.right, step, *args)
    if outcome is not None and not outcome.agrees and step.alt_right is not None:
        alt = _recompute(step.left, step.alt_right, step, *args)
        if alt is not None and (alt.agrees or _distance(alt) < _distance(outcome)):
            return alt
    if (outcome is not None and not outcome.agrees and _single(step.left) is not None
            and _single(step.right) is None and _distance(outcome) > 6):
        # "500 core-days = 500 * 123/2 trillion * 86400 * 0.4": a number on the left of
        # an expression a million times larger names the input, it does not equate.
        return None
    return outcome


def _recompute(left, right, step: Step, tol: Tolerance, label: str) -> Outcome | None:
    right_claim, left_claim = _single(right), _single(left)
    # The stated side is the single number; with numbers on both sides, the right one
    # (the left one is then taken as written, exactly, like any input).
    if left_claim is not None and right_claim is None:
        stated_node, computed_node = left, right
    else:
        stated_node, computed_node = right, left
    stated_claim = _single(stated_node)
    both_stated = False
    hedged = step.approx or (stated_claim is not None and stated_claim.hedge is not None)
    approx = tol.approx
    band_rel = approx_band(stated_claim, approx)
    best: Outcome | None = None
    for mode, grouped in readings(step, stated_node, computed_node, label):
        leaf_mode = mode if mode in ("base", "prefixed", "bare") else "written"
        try:
            computed = evaluate(computed_node, lambda n: _leaf_interval(
                n.claim, leaf_mode, both_stated, approx,
                exact_inputs=tol.exact_inputs or _exact_figure(n.claim, tol)), grouped)
            stated = evaluate(stated_node, lambda n: _leaf_interval(
                n.claim, leaf_mode, True, approx, tol.truncated))
        except (Undefined, OverflowError, ZeroDivisionError, ValueError):
            continue
        if mode == "labelled":
            k = float(LABEL_COEFFICIENT.search(label).group(1))
            computed = Interval(computed.lo * k, computed.hi * k, computed.mid * k)
        band = stated.widen(band_rel) if hedged else stated
        band = band.widen(tol.relative)
        if mode == "anytime":
            seconds = evaluate(stated_node, lambda n: _leaf_interval(n.claim, "base", True, approx))
            seconds = (seconds.widen(band_rel) if hedged else seconds).widen(tol.relative)
            agrees = any(seconds.overlaps(Interval(computed.lo * f, computed.hi * f,
                                                   computed.mid * f)) for f in TIME_UNITS)
            if not agrees:
                continue
        else:
            agrees = band.overlaps(computed)
        per = _factor(stated_claim, leaf_mode) if stated_claim is not None else 1.0
        if mode == "bare" and stated_claim is not None:
            per = per / stated_claim.number.magnitude
        if mode == "anytime":
            per, computed = 1.0, stated
        outcome = Outcome(
            agrees=agrees, mode=mode + (" grouped" if grouped else ""),
            stated=stated.mid / per, computed=computed.mid / per,
            stated_interval=stated, computed_interval=computed,
            stated_claim=stated_claim, inputs=tuple(leaves(computed_node)),
        )
        if agrees:
            return outcome
        if mode in PRIMARY and not grouped and (
                best is None or _distance(outcome) < _distance(best)):
            best = outcome
    return best


def approx_band(claim: Claim | None, approx: float) -> float:
    """The band a hedge ("~", "≈", "about") adds: approx for a two-digit figure, ten times
    narrower per further digit ("≈ 6.17e5" claims three digits of precision)."""
    if claim is None:
        return approx
    digits = significant_digits(claim.number)
    return approx / 10 ** max(0, digits - 2)


def _distance(o: Outcome) -> float:
    if o.computed == 0 or o.stated == 0 or (o.computed < 0) != (o.stated < 0):
        return math.inf
    return abs(math.log10(abs(o.stated / o.computed)))


def step_dimensions(step: Step):
    """(left, right) dimensions of a step whose every quantity carries a unit, else None.

    Small bare constants (6 in 6ND, 0.3 utilization) and percentages are allowed
    without a unit; a bare conversion factor (3600, 24, 1e12) or an ambiguous
    "FLOPS" makes the dimension unknowable, and so does a left side that comes out
    dimensionless (counted nouns are dimensionless, so "6 * N params * D tokens"
    carries its FLOP in the 6).
    """
    for c in leaves(step.left) + leaves(step.right):
        if c.ambiguous_unit or c.kind == "other":
            return None
        if c.unit is None and not (abs(c.number.value) <= 10 and not c.number.abbreviated):
            return None
    right = _single(step.right)
    if right is None or right.unit is None:
        return None
    for c in leaves(step.left):
        if c.unit is None:
            continue  # "0.3 utilization": words after a bare number annotate it
        offset = c.end - step.start
        after = re.split(r"[*×·/÷+=()^]| - ", step.text[offset:], maxsplit=1)[0]
        if any(ch.isalpha() for ch in after):
            return None  # "5.24 epoch-TB": words after the unit, which may be part of it

    def dim_of(node):
        c = node.claim
        return dict(c.dimension) if c.unit else {}

    left = dimension(step.left, dim_of)
    right_dim = dimension(step.right, dim_of)
    if not left or right_dim is None:
        return None
    return left, right_dim
