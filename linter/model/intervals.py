"""Interval arithmetic: how the precision of written numbers flows through a calculation."""

from __future__ import annotations

import math
from dataclasses import dataclass


class Undefined(ArithmeticError):
    """A calculation with no finite result (division by zero, overflow, NaN)."""


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of real numbers, with a point value inside it."""

    lo: float
    hi: float
    mid: float

    @classmethod
    def point(cls, value: float) -> Interval:
        return cls(value, value, value)

    @classmethod
    def of(cls, lo: float, hi: float, mid: float | None = None) -> Interval:
        if lo > hi:
            lo, hi = hi, lo
        mid = (lo + hi) / 2 if mid is None else mid
        return _finite(cls(lo, hi, mid))

    def __add__(self, other: Interval) -> Interval:
        return _finite(Interval(self.lo + other.lo, self.hi + other.hi, self.mid + other.mid))

    def __sub__(self, other: Interval) -> Interval:
        return _finite(Interval(self.lo - other.hi, self.hi - other.lo, self.mid - other.mid))

    def __mul__(self, other: Interval) -> Interval:
        products = (self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi)
        return _finite(Interval(min(products), max(products), self.mid * other.mid))

    def __truediv__(self, other: Interval) -> Interval:
        if other.lo <= 0 <= other.hi:
            raise Undefined("division by an interval that contains zero")
        return self * Interval(1 / other.hi, 1 / other.lo, 1 / other.mid)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, -self.mid)

    def power(self, exponent: Interval) -> Interval:
        """Raise to a power; the base must be positive unless the exponent is an integer."""
        if abs(exponent.hi) > 1000 or abs(exponent.lo) > 1000:
            raise Undefined("exponent too large")
        if exponent.lo == exponent.hi and float(exponent.lo).is_integer():
            n = int(exponent.lo)
            try:
                candidates = [self.lo**n, self.hi**n]
                mid = self.mid**n
            except (OverflowError, ZeroDivisionError) as exc:
                raise Undefined(str(exc)) from exc
            if n % 2 == 0 and self.lo < 0 < self.hi:
                candidates.append(0.0)
            return _finite(Interval(min(candidates), max(candidates), mid))
        if self.lo <= 0:
            raise Undefined("fractional power of a non-positive number")
        try:
            corners = [b**e for b in (self.lo, self.hi) for e in (exponent.lo, exponent.hi)]
            mid = self.mid**exponent.mid
        except OverflowError as exc:
            raise Undefined(str(exc)) from exc
        return _finite(Interval(min(corners), max(corners), mid))

    def sqrt(self) -> Interval:
        if self.lo < 0:
            raise Undefined("square root of a negative number")
        return Interval(math.sqrt(self.lo), math.sqrt(self.hi), math.sqrt(self.mid))

    def widen(self, rel: float) -> Interval:
        """Widen by a relative amount on each side (for hedges such as '~')."""
        lo = self.lo - abs(self.lo) * rel
        hi = self.hi + abs(self.hi) * rel
        return Interval(lo, hi, self.mid)

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def _finite(iv: Interval) -> Interval:
    for x in (iv.lo, iv.hi, iv.mid):
        if not math.isfinite(x):
            raise Undefined("result is not a finite number")
    return iv


def relative_error(stated: float, computed: float) -> float:
    """(stated - computed) / |computed|: how far the stated value is from the recomputed."""
    if computed == 0:
        return math.inf if stated != 0 else 0.0
    return (stated - computed) / abs(computed)
