"""linter.model.wording: one style for percentages, factors and differences in messages."""

import doctest
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.model import wording
from linter.model.wording import difference, factor, one_line, percent, plural


@pytest.mark.parametrize("rel, text", [
    (0.105, "+10.5%"),
    (-0.9, "-90.0%"),
    (0.0, "0.0%"),
    (-0.0, "0.0%"),               # never '-0.0%'
    (-0.0004, "-0.04%"),          # too small for one decimal: two significant digits
    (0.00042, "+0.042%"),
    (-1e-9, "-1e-7%"),
    (0.0005, "+0.1%"),
    (9.99949, "+999.9%"),
    (9.9995, "+999.9%"),
    (12.345, "+1,234%"),          # no decimals past 1,000%
    (999.0, "+99,900%"),
    (999999999.0, "+1e11%"),      # never eleven digits
    (-1.0, "-100.0%"),
    (math.inf, "+∞%"),
    (-math.inf, "-∞%"),
    (math.nan, "n/a"),
])
def test_percent(rel, text):
    assert percent(rel) == text


@pytest.mark.parametrize("ratio, text", [
    (1, "×1"),
    (1.26, "×1.3"),
    (2.5, "×2.5"),
    (9.96, "×10"),
    (10, "×10"),
    (10.4, "×10"),
    (99.5, "×100"),
    (1000, "×1,000"),
    (1234, "×1,200"),             # two significant digits
    (123456, "×120,000"),
    (999999, "×1e6"),             # rounds to a million: told as a power
    (1004187, "×1e6"),
    (1.2e6, "×1.2e6"),
    (1e9, "×1e9"),
    (3.4e21, "×3.4e21"),
    (0.001, "×1,000"),            # read the other way round
    (1e-9, "×1e9"),
    (-1000, "×1,000"),            # the sign is the caller's to say
    (0, "×?"),
    (math.nan, "×?"),
    (math.inf, "×∞"),
])
def test_factor(ratio, text):
    assert factor(ratio) == text


@pytest.mark.parametrize("stated, computed, text", [
    (98, 88.65, "+10.5%"),
    (89, 88.65, "+0.4%"),
    (1.8e25, 1.836e25, "-2.0%"),
    (1.8e25, 1.8e25, "0.0%"),
    (9.1, 1, "+810.0%"),        # under ×10: a percentage
    (1.8e24, 1.836e25, "off by ×10"),
    (1.836e25 * 1000, 1.836e25, "off by ×1,000"),
    (1.9e25, 1.9e25 / 1004187, "off by ×1e6"),
    (3.25 * 500e9 * 6, 3.25 * 500 * 6, "off by ×1e9"),
    (10, 1, "off by ×10"),        # exactly ×10 is a factor
    (-5, 5, "-200.0%"),
    (-50, 5, "off by ×10, the other sign"),
    (0, 0, "no difference"),
    (5, 0, "recomputed as 0"),
    (0, 5, "stated as 0"),
    (math.nan, 5, ""),
    (5, math.inf, ""),
    (None, 5, ""),
])
def test_difference(stated, computed, text):
    assert difference(stated, computed) == text


finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False).filter(lambda x: x != 0)


@given(finite, finite)
def test_difference_is_short_and_never_minus_zero(stated, computed):
    text = difference(stated, computed)
    assert "-0.0%" not in text and "e+" not in text and "nan" not in text.lower()
    assert len(text) <= len("off by ×9.9e-300, the other sign")
    digits = sum(ch.isdigit() for ch in text)
    assert digits <= 6, text     # '+999.9%' or '×120,000' at the most


@given(st.floats(min_value=1, max_value=1e300))
def test_factor_grows_with_the_ratio(ratio):
    shown = factor(ratio)[1:]
    value = float(shown.replace(",", ""))
    assert value == pytest.approx(ratio, rel=0.06)


@pytest.mark.parametrize("n, word, plural_word, text", [
    (0, "problem", None, "0 problems"),
    (1, "problem", None, "1 problem"),
    (2, "warning", None, "2 warnings"),
    (1, "entry", "entries", "1 entry"),
    (1587, "entry", "entries", "1587 entries"),
])
def test_plural(n, word, plural_word, text):
    assert plural(n, word, plural_word) == text


@pytest.mark.parametrize("text, shown", [
    ("a = 1\nb = 2", "a = 1⏎b = 2"),
    ("a\r\nb\rc", "a⏎b⏎c"),
    ("one line", "one line"),
])
def test_one_line(text, shown):
    assert one_line(text) == shown


def test_the_module_examples_run():
    assert doctest.testmod(wording).failed == 0
