"""How numbers read in messages: one style for differences, factors, percentages and counts.

A difference reads as a percentage while the two figures are within a factor of ten of
each other ("(+10.5%)"), and as a factor beyond that ("off by ×1,000"): past ×10 a
percentage only hides the size of the slip behind its digits (+99999999900.0%).

    >>> difference(98, 88.65)
    '+10.5%'
    >>> difference(1.8e24, 1.836e25)
    'off by ×10'
    >>> difference(3.25e9 * 6, 3.25 * 6)
    'off by ×1e9'
"""

from __future__ import annotations

import math

GROSS = 10.0          # from this ratio up, a difference is told as a factor
_TIMES = "×"


def percent(rel: float) -> str:
    """A relative difference as a signed percentage: '+10.5%', '-90.0%', '0.0%'.

    One decimal, as the figures are read; a non-zero difference too small for one decimal
    keeps two significant digits ('+0.042%') rather than reading '0.0%' or '-0.0%'; large
    ones lose their decimals ('+9,900%') and then their digits ('+1e11%').
    """
    if math.isnan(rel):
        return "n/a"
    if math.isinf(rel):
        return "+∞%" if rel > 0 else "-∞%"
    pct = rel * 100
    size = abs(pct)
    sign = "+" if pct > 0 else "-"
    if round(size, 1) == 0:
        if size == 0:
            return "0.0%"
        return f"{sign}{_significant(size, 2)}%"
    if round(size, 1) < 1000:
        return f"{sign}{size:.1f}%"
    if round(size) < 100_000:
        return f"{sign}{round(size):,}%"
    return f"{sign}{_scientific(size)}%"


def factor(ratio: float) -> str:
    """How many times one figure is the other: '×1.2', '×10', '×1,000', '×1.2e6'.

    A ratio below 1 is read the other way round (0.001 is ×1,000), and the sign is
    dropped.  Two significant digits: a factor tells the size of a slip, not its digits.
    """
    ratio = abs(ratio)
    if math.isnan(ratio) or ratio == 0:
        return f"{_TIMES}?"
    if ratio < 1:
        ratio = 1 / ratio
    if math.isinf(ratio):
        return f"{_TIMES}∞"
    rounded = float(f"{ratio:.2g}")
    if rounded >= 1e6:
        return f"{_TIMES}{_scientific(ratio)}"
    if rounded >= 10:
        return f"{_TIMES}{int(rounded):,}"
    return f"{_TIMES}{_significant(ratio, 2)}"


def difference(stated: float | None, computed: float | None) -> str:
    """Stated against computed: '+10.5%' within a factor of ten, else 'off by ×1,000'
    (messages put it in brackets themselves); '' when either is unknown."""
    values = (stated, computed)
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
        return ""
    if computed == 0:
        return "no difference" if stated == 0 else "recomputed as 0"
    if stated == 0:
        return "stated as 0"
    opposite = ", the other sign" if (stated < 0) != (computed < 0) else ""
    ratio = stated / computed
    if ratio == 0 or math.isinf(ratio):     # beyond floats (1e-300 / 1e300): by logarithms
        ratio = 10 ** min(abs(math.log10(abs(stated)) - math.log10(abs(computed))), 308)
    if max(abs(ratio), 1 / abs(ratio)) >= GROSS:
        return f"off by {factor(ratio)}{opposite}"
    return percent(ratio - 1)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 problem', '2 problems', '1587 entries' (give the plural when it is not word+s).

    Digits without separators: scripts read summary lines ('Found 12 problems').
    """
    return f"{n} {word if n == 1 else words or word + 's'}"


def one_line(text: str) -> str:
    """Text quoted in a one-line message: each line break shown as '⏎'."""
    return text.replace("\r\n", "⏎").replace("\r", "⏎").replace("\n", "⏎")


def _significant(x: float, digits: int) -> str:
    """x (positive) with `digits` significant digits: 1.2, 0.042, 12 (4.2e-5 when tiny)."""
    if x < 1e-3:
        return _scientific(x)
    decimals = max(0, digits - 1 - math.floor(math.log10(x)))
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scientific(x: float) -> str:
    """x (positive) as '1.2e6' or '1e9': two significant digits, no '+' or leading zeros."""
    mantissa, exponent = f"{x:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    return f"{mantissa}e{int(exponent)}"
