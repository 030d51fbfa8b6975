"""What the arithmetic needs to know of a claim's unit: its time part and its counted nouns.

* Conversion factors written as bare numbers next to a time ("6 days * 24 * 3600",
  "7,659,574 s / 86400", "20 days * 24 hours", "3 clips/min * 60") are recognised by value
  and dimension: a factor that turns the time's unit into another standard time unit is a
  unit conversion, worth 1 in base units, and the expression's result is in that unit.
* Counted nouns (tokens, chips, parameters...) are dimensionless to pint; their signature
  tells a sum of like things ("2 weeks + 12 hours") from a sum of unlike ones ("2 weeks +
  12 hours * 8 GPUs", which a loose author meant as (2 weeks + 12 hours) * 8 GPUs).
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..model.claims import BinOp, Claim, Leaf, Paren, Term
from ..quantities.unit_cache import as_pairs, persisted
from ..quantities.units import registry

# Standard time units in seconds; month and year by the conventions notes use.
TIME_UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0,
              "week": 604800.0}
LONG_UNITS = {"month": (28 * 86400.0, 31 * 86400.0), "year": (365 * 86400.0, 366 * 86400.0)}
COUNT_NAMES = frozenset({"token", "word", "parameter", "chip", "core", "node", "sequence",
                         "image", "sample", "step", "epoch", "cycle"})


@lru_cache(maxsize=4096)
@persisted("parts", list, as_pairs)
def unit_parts(unit: str) -> tuple[tuple[str, float], ...]:
    """The named units of a pint expression with their exponents ('chip * hour')."""
    try:
        container = registry().parse_units(unit)._units
    except Exception:  # noqa: BLE001 - pint raises many kinds; an unreadable unit has no parts
        return ()
    return tuple(sorted((str(k), float(v)) for k, v in container.items()))


def signature(claim: Claim) -> tuple[tuple[str, float], ...]:
    """The counted nouns of a claim's unit: (('chip', 1.0),) for '8 GPUs'."""
    if claim.unit is None:
        return ()
    return tuple((name, power) for name, power in unit_parts(claim.unit) if name in COUNT_NAMES)


def time_part(claim: Claim) -> tuple[str, float] | None:
    """The one time unit in a claim's unit and its exponent ('day', 1) for '20 days',
    ('minute', -1) for '3 clips/min'; None if there is none or more than one."""
    if claim.unit is None:
        return None
    times = [(n, p) for n, p in unit_parts(claim.unit) if n in TIME_UNITS or n in LONG_UNITS]
    if len(times) != 1 or abs(times[0][1]) != 1:
        return None
    return times[0]


def standard_unit(seconds: float) -> str | None:
    """The standard time unit this many seconds make, within a hair ('hour' for 3600)."""
    for name, s in TIME_UNITS.items():
        if math.isclose(seconds, s, rel_tol=5e-3):
            return name
    for name, (lo, hi) in LONG_UNITS.items():
        if lo * 0.999 <= seconds <= hi * 1.001:
            return name
    return None


def unit_seconds(name: str) -> float:
    if name in TIME_UNITS:
        return TIME_UNITS[name]
    lo, hi = LONG_UNITS[name]
    return (lo + hi) / 2


def _bare_value(node, exponents: bool = False) -> float | None:
    """The value of a bare conversion-factor candidate: a plain number or a bracket of them
    ("/ (24*3600)"), with `exponents` also "1e15"; None for anything with a unit or a
    magnitude word."""
    if isinstance(node, Leaf):
        c = node.claim
        if c.unit is None and c.number.magnitude == 1 and c.number.value >= 2 and (
                exponents or not c.number.abbreviated):
            return c.number.value
        return None
    if isinstance(node, Paren):
        return None if node.factor != 1.0 else _bare_value(node.node, exponents)
    if isinstance(node, Term):
        value = _bare_value(node.first, exponents)
        for op, n in node.rest:
            v = _bare_value(n, exponents)
            if value is None or v is None:
                return None
            value = value * v if op == "*" else value / v
        return value
    return None


def _run(node) -> list[tuple[str, object]]:
    """A product run as (op, operand) pairs: 'a * b / c' -> [('*', a), ('*', b), ('/', c)]."""
    if isinstance(node, Term):
        return [("*", node.first)] + list(node.rest)
    return [("*", node)]


def _runs(node):
    """Every product run of an expression, outermost first."""
    if isinstance(node, Term):
        yield _run(node)
        for _, n in _run(node):
            yield from _runs(n)
    elif isinstance(node, BinOp):
        yield from _runs(node.left)
        yield from _runs(node.right)
    elif isinstance(node, Paren):
        yield from _runs(node.node)
    elif isinstance(node, Leaf):
        yield [("*", node)]


def conversion_factors(node, rates: bool = False) -> tuple[frozenset[int], str | None]:
    """The leaves (by id of their claim) that are unit conversions, and the time unit the
    expression's time ends in after them (None when no factor converts anything).

    A conversion factor follows its time directly: "18 days * 24 * 3600" (the 24 and 3600
    turn days into seconds), "7,659,574 s / 86400", "20 days * 24 hours".  The factors run
    on while each turns the current unit into another standard one ("* 24 * 60 * 60").  A
    rate's time ("3 clips/min * 60") is converted only when the result is a rate too
    (`rates`): "275e12 FLOP/s * 60" is no conversion when a number of FLOP is stated.
    """
    marked: set[int] = set()
    target = None
    for run in _runs(node):
        marked |= _unit_factors(run)
        for k, (op, sub) in enumerate(run):
            if not isinstance(sub, Leaf) or (tp := time_part(sub.claim)) is None:
                continue
            if any(id(c) in marked for c in _leaf_claims(sub)):
                continue
            exponent = tp[1] * (1 if op == "*" else -1)
            if exponent < 0 and not rates:
                continue
            seconds = unit_seconds(tp[0])
            j = k + 1
            mine: set[int] = set()
            name = None
            while j < len(run):
                found = _convert(run, j, seconds, exponent)
                if found is None:
                    break
                taken, seconds, name = found
                for _, factor in run[j:j + taken]:
                    mine |= {id(c) for c in _leaf_claims(factor)}
                j += taken
            if mine and j < len(run) and _time_ratio(run[j][1]):
                continue    # "10 days * 24 * 60 * 60 seconds/day": the factors are the
                            # ratio's own number (86,400 s/day), not a conversion of days
            marked |= mine
            target = name or target
    return frozenset(marked), target


def _time_ratio(node) -> bool:
    """A quantity whose unit is one time over another ('60 seconds/day', '24 hr/day')."""
    if not isinstance(node, Leaf) or node.claim.unit is None:
        return False
    times = [p for n, p in unit_parts(node.claim.unit) if n in TIME_UNITS or n in LONG_UNITS]
    return len(times) == 2 and times[0] == -times[1]


def _unit_factors(run) -> set[int]:
    """'730 petaflop-days * 1e15 * 24 * 3600': bare factors right after a quantity whose
    product is the quantity's own unit in base units (a PF-day is 8.64e19 FLOP) write out
    the conversion the unit already does."""
    marked: set[int] = set()
    for k, (op, sub) in enumerate(run):
        if op != "*" or not isinstance(sub, Leaf) or sub.claim.unit is None:
            continue
        factor = sub.claim.factor
        if factor in (0.0, 1.0) or not math.isfinite(factor):
            continue
        value, j = 1.0, k + 1
        while j < len(run) and run[j][0] == "*" and \
                (v := _bare_value(run[j][1], exponents=True)) is not None:
            value *= v
            j += 1
            if math.isclose(value, factor, rel_tol=5e-3):
                for _, f in run[k + 1:j]:
                    marked |= {id(c) for c in _leaf_claims(f)}
                break
    return marked


def _convert(run, j: int, seconds: float, exponent: float):
    """The factor(s) at run[j] that turn a time unit of `seconds` into a standard one:
    (how many factors, the new unit's seconds, its name), or None."""
    op, sub = run[j]
    sign = 1 if op == "*" else -1
    if isinstance(sub, Leaf) and sub.claim.unit is not None:
        tp = time_part(sub.claim)
        # "20 days * 24 hours": 24 is the hours of a day, written with its unit
        if tp is None or tp[1] != 1 or sign != 1 or exponent != 1:
            return None
        if standard_unit(seconds / sub.claim.number.value) == tp[0]:
            return 1, unit_seconds(tp[0]), tp[0]
        return None
    value = 1.0
    for taken in (1, 2, 3):          # "* 3600 * 24": two factors that convert together
        if j + taken > len(run):
            return None
        o, factor = run[j + taken - 1]
        v = _bare_value(factor)
        if v is None or (1 if o == "*" else -1) != sign:
            return None
        value *= v
        # a factor on a time in the numerator turns it into a finer unit; in the
        # denominator (a rate per minute) into a coarser one
        new = seconds / value if sign * exponent > 0 else seconds * value
        name = standard_unit(new)
        if name is not None:
            return taken, unit_seconds(name), name
    return None


def _leaf_claims(node) -> list[Claim]:
    from ..model.claims import leaves

    return leaves(node)
