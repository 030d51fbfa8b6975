"""Parse numbers as people write them in model notes, keeping the precision they state.

A written number stands for an interval, not a point (statcheck's lesson): "1.8E25"
means some value in [1.75e25, 1.85e25).  `Number` keeps the value and the unit of its
last written digit (`ulp`), so callers can build the interval they need:

* a stated *result* may have been rounded or truncated by its author, so it covers
  [value - ulp/2, value + ulp); trailing zeros of a plain integer are not significant
  ("2,000,000" may be a rounded figure);
* an *input* written in abbreviated form ("9T", "1.6 billion", "3.12e14") was rounded
  and covers value +- ulp/2, while a plain input ("6144", "0.3", "3600") is exact:
  it is what the author multiplied.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "‒": "-"})

# Multipliers written after a number: "340B", "9 trillion", "6k".  Lower-case "m" is
# million here (notes write minutes as "min"); the extractor decides from context when
# it is a unit instead.
MAGNITUDES: dict[str, int] = {
    "k": 10**3, "K": 10**3, "thousand": 10**3,
    "m": 10**6, "M": 10**6, "mn": 10**6, "mil": 10**6, "million": 10**6, "millions": 10**6,
    "b": 10**9, "B": 10**9, "bn": 10**9, "Bn": 10**9, "billion": 10**9, "billions": 10**9,
    "t": 10**12, "T": 10**12, "tn": 10**12, "trillion": 10**12, "trillions": 10**12,
    "quadrillion": 10**15,
}

# Named parts composed into the patterns below.
_SIGN = r"[+\-−–]?"
_GROUPED = r"\d{1,3}(?:(?:,\d{3})+|(?:_\d{3})+)"   # 9,437,184; Python's 1_234_567
_DIGITS = r"\d+"
_FRACTION = r"\.\d+"                      # .3 or the .75 of 0.75
_EXPONENT = r"[eE][+\-−]?\d{1,4}"         # e25, E+13, e-5
_DECIMAL_COMMA = r"\d+,\d{1,2}"           # 6,7 (European), never 9,437

PLAIN_NUMBER = re.compile(
    rf"^{_SIGN}(?:(?:{_GROUPED}|{_DIGITS})(?:{_FRACTION})?\.?|{_FRACTION})(?:{_EXPONENT})?$"
)
DECIMAL_COMMA_NUMBER = re.compile(rf"^{_SIGN}{_DECIMAL_COMMA}$")
SUPERSCRIPT_POWER = re.compile(r"^10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})$")
EXPONENT_TEXT = re.compile(r"^[+\-−]?\d{1,4}$")

# The largest exponent we accept: beyond it a float overflows and nothing is checkable.
MAX_EXPONENT = 300


class NumberError(ValueError):
    """Raised for text that is not a number we can read."""


@dataclass(frozen=True)
class Number:
    """A written number: its value and the unit of its last written digit."""

    value: float
    ulp: float                # unit in the last place, in the same scale as value
    abbreviated: bool = False  # written with a suffix, word or exponent: implies rounding
    trailing_zeros: int = 0    # of a plain integer ("9000" has 3)
    magnitude: float = 1.0     # the multiplier of a suffix or word ("340B": 1e9)
    order: bool = False        # "on the order of 2e11": stands for its order of magnitude

    def _order(self) -> tuple[float, float]:
        r = math.sqrt(10.0)
        return _ordered(self.value / r, self.value * r)

    def as_input(self) -> tuple[float, float]:
        """Interval of the number used as a factor in a calculation."""
        if self.order:
            return self._order()
        if not self.abbreviated:
            return (self.value, self.value)
        half = self.ulp / 2
        return _ordered(self.value - half, self.value + half)

    def as_result(self, truncated: bool = False) -> tuple[float, float]:
        """Interval of the number stated as a result: [value - ulp/2, value + ulp/2].

        "1.8E25" stands for [1.75e25, 1.85e25).  With truncated=True a figure of three
        or more significant digits may also have been cut off rather than rounded
        ("2.69e18" for 2.6957e18): the interval then reaches value + ulp.
        """
        if self.order:
            return self._order()
        ulp = self.ulp * 10**self.trailing_zeros
        up = ulp if truncated and significant_digits(self) >= 3 else ulp / 2
        if self.value >= 0:
            return (self.value - ulp / 2, self.value + up)
        return (self.value - up, self.value + ulp / 2)


def _ordered(a: float, b: float) -> tuple[float, float]:
    return (a, b) if a <= b else (b, a)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the patterns
        raise NumberError(f"not a number: {text!r}") from exc


def _check_exponent(d: Decimal) -> None:
    if d.is_zero():
        return
    if abs(d.adjusted()) > MAX_EXPONENT:
        raise NumberError(f"number out of range: {d}")


def _trailing_zeros(digits: str) -> int:
    stripped = digits.rstrip("0")
    return len(digits) - len(stripped) if stripped else 0


@lru_cache(maxsize=65536)
def parse_plain(text: str) -> Number:
    """Parse one token such as '9,437,184', '.3', '1.8E25', '6,7' or '10²²'."""
    t = text.strip().translate(MINUS_SIGNS)
    m = SUPERSCRIPT_POWER.match(t)
    if m:
        exp = int(m.group(1).translate(SUPERSCRIPT_DIGITS))
        return power_of_ten(exp)
    if DECIMAL_COMMA_NUMBER.match(t):
        t = t.replace(",", ".")
    elif PLAIN_NUMBER.match(t):
        t = t.replace(",", "").replace("_", "").rstrip(".")
    else:
        raise NumberError(f"not a number: {text!r}")
    d = _decimal(t)
    _check_exponent(d)
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)
    has_exponent = "e" in t.lower()
    ulp = 10.0**exponent
    zeros = 0
    if exponent == 0 and not has_exponent and "." not in t:
        zeros = _trailing_zeros(t.lstrip("+-"))
    return Number(float(d), ulp, abbreviated=has_exponent, trailing_zeros=zeros)


def power_of_ten(exponent: int) -> Number:
    """The number 10**exponent written as such: exact."""
    if abs(exponent) > MAX_EXPONENT:
        raise NumberError(f"number out of range: 10^{exponent}")
    return Number(10.0**exponent, 10.0**exponent, abbreviated=False)


def parse_exponent(text: str) -> int:
    """Parse the exponent of '10^21', '10**-5' or a superscript run."""
    t = text.strip().translate(SUPERSCRIPT_DIGITS).translate(MINUS_SIGNS)
    if not EXPONENT_TEXT.match(t):
        raise NumberError(f"not an exponent: {text!r}")
    return int(t)


def scale(mantissa: Number, factor: int | float, *, word: bool = True) -> Number:
    """Multiply a mantissa by an exact factor: 10**9 for the word 'billion', or 10**k."""
    value = mantissa.value * factor
    if not math.isfinite(value):
        raise NumberError("number out of range")
    return Number(value, mantissa.ulp * factor, abbreviated=True,
                  magnitude=float(factor) if word else 1.0)


def scientific(mantissa: Number, exponent: int) -> Number:
    """'2.75 x 10^14': the mantissa's precision scaled by the power of ten."""
    if abs(exponent) > MAX_EXPONENT:
        raise NumberError(f"number out of range: 10^{exponent}")
    return scale(mantissa, 10.0**exponent, word=False)


def magnitude(word: str) -> int | None:
    """The multiplier a suffix or word stands for, or None ("4.4T." ends a sentence)."""
    if len(word) == 2 and word.endswith("."):
        word = word[0]
    if word in MAGNITUDES:
        return MAGNITUDES[word]
    return MAGNITUDES.get(word.lower()) if len(word) > 2 else None


def is_number_text(text: str) -> bool:
    """Whether a token is a number on its own (used as spaCy's LIKE_NUM)."""
    t = text.translate(MINUS_SIGNS)
    if not any(c.isdigit() for c in t) and not SUPERSCRIPT_POWER.match(t):
        return False
    return bool(
        PLAIN_NUMBER.match(t) or DECIMAL_COMMA_NUMBER.match(t) or SUPERSCRIPT_POWER.match(t)
    )


def significant_digits(number: Number) -> int:
    """How many significant digits the written number has (at least 1)."""
    if number.value == 0 or number.ulp <= 0:
        return 1
    digits = math.floor(math.log10(abs(number.value))) - math.floor(math.log10(number.ulp)) + 1
    return max(1, digits - number.trailing_zeros)


def digit_string(value: float) -> str:
    """The significant digits of a value, whatever its power of ten: 2.4e6, 240000 and 24
    all give '24' (how a figure copied with zeros lost or gained is recognised)."""
    return f"{value:.12e}".split("e")[0].replace(".", "").replace("-", "").rstrip("0")


def fmt(value: float | None, digits: int = 4) -> str:
    """Format a number for a message: '1.836e25', '7,659,574', '0.41'."""
    if value is None:
        return "?"
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) >= 1e7 or abs(value) < 1e-3):
        mantissa, exp = f"{value:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exp)}"
    if abs(value) >= 1000:
        return f"{round(value):,}"
    return f"{value:.{digits}g}"
