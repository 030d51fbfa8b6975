"""How findings word numbers and differences: one style everywhere.

    >>> difference(1.9e24, 1.908e25)
    'off by ×10'
    >>> difference(98, 88.65)
    '+10.5%'
"""

from __future__ import annotations

import math

from .numbers import fmt


def percent(rel: float) -> str:
    """A relative difference as a signed percentage: '+10.5%', '-0.4%', '+0.03%'."""
    if not math.isfinite(rel):
        return "n/a"
    pct = rel * 100
    for digits in (1, 2, 3):
        text = f"{pct:+.{digits}f}"
        if float(text) != 0:
            return text + "%"
    return f"{pct:+.1e}%"


def factor(ratio: float) -> str:
    """A ratio of at least 1 as a factor: '×10', '×1,000', '×1.2e6', '×3.4'."""
    if not math.isfinite(ratio):
        return "×∞"
    if ratio >= 1e6:
        return f"×{fmt(ratio, 2)}"
    if ratio >= 10 and math.isclose(ratio, round(ratio), rel_tol=0.02):
        return f"×{round(ratio):,}"
    return f"×{ratio:.2g}" if ratio < 10 else f"×{fmt(ratio, 3)}"


def difference(stated: float | None, computed: float | None) -> str:
    """How far a stated value is from a recomputed one: a percentage below ×10 ('+10.5%'),
    only the factor above ('off by ×1,000')."""
    if stated is None or computed is None or computed == 0:
        return "n/a"
    rel = (stated - computed) / abs(computed)
    ratio = abs(stated / computed) if stated else math.inf
    big = max(ratio, 1 / ratio) if ratio else math.inf
    if big >= 9.5:       # what rounds to ×10 or more is said as a factor
        return f"off by {factor(big)}"
    return percent(rel)
