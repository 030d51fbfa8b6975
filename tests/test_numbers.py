"""The number parser reads the forms that occur in the notes, with their precision."""

import math

import pytest

from linter.extract import extract
from linter.model import numbers as nums


@pytest.mark.parametrize("text, value", [
    ("9,437,184", 9437184), ("0.75", 0.75), (".3", 0.3), ("1.8E25", 1.8e25),
    ("1.9e25", 1.9e25), ("2.5e+24", 2.5e24), ("7.80E+13", 7.8e13), ("3.1e-5", 3.1e-5),
    ("3.1e−5", 3.1e-5), ("6,7", 6.7), ("10²²", 1e22), ("10⁻⁵", 1e-5), ("−5", -5),
])
def test_parse_plain(text, value):
    assert math.isclose(nums.parse_plain(text).value, value, rel_tol=1e-12)


def test_result_interval_follows_written_digits():
    lo, hi = nums.parse_plain("1.8E25").as_result()
    assert math.isclose(lo, 1.75e25) and math.isclose(hi, 1.85e25)  # [1.75e25, 1.85e25)
    lo, hi = nums.parse_plain("2.69e18").as_result()
    assert math.isclose(lo, 2.685e18) and math.isclose(hi, 2.695e18)
    lo, hi = nums.parse_plain("2.69e18").as_result(truncated=True)  # or cut off (3+ digits)
    assert math.isclose(lo, 2.685e18) and math.isclose(hi, 2.70e18)
    lo, hi = nums.parse_plain("1.8E25").as_result(truncated=True)  # two digits: rounded only
    assert math.isclose(hi, 1.85e25)
    assert nums.parse_plain("6144").as_input() == (6144, 6144)  # plain inputs are exact


def test_abbreviated_inputs_carry_their_rounding():
    n = nums.scale(nums.parse_plain("9"), 10**12)
    assert n.as_input() == (8.5e12, 9.5e12)


@pytest.mark.parametrize("text, value, unit", [
    ("340B", 340e9, None), ("9T tokens", 9e12, "token"), ("9.4m tokens", 9.4e6, "token"),
    ("6k epochs", 6000, "epoch"), ("15.7M", 15.7e6, None), ("1.6 billion", 1.6e9, None),
    ("9 trillion tokens", 9e12, "token"), ("4k", 4000, None),
    ("1.09×10²² FLOP", 1.09e22, "flop"), ("2.75 x 10^14", 2.75e14, None),
    ("3.78*10^24", 3.78e24, None), ("10^21", 1e21, None), ("10**21", 1e21, None),
    ("41%", 41, "percent"), ("6,7*10^9", 6.7e9, None), ("1.024 B", 1.024e9, None),
])
def test_extract_number_forms(text, value, unit):
    claims = extract(text).claims
    assert len(claims) == 1, claims
    c = claims[0]
    assert math.isclose(c.number.value, value, rel_tol=1e-12)
    assert c.unit == unit


def test_units_go_through_pint():
    c = extract("989 peak teraFLOP/s per GPU").claims[0]
    assert c.kind == "flop_rate" and c.role == "peak_flops"
    assert math.isclose(c.value, 9.89e14)
    c = extract("34 PF-days").claims[0]
    assert c.kind == "flop" and math.isclose(c.value, 34 * 8.64e19)


def test_ranges_and_hedges():
    c = extract("MFU was 41-42%").claims[0]
    assert c.number.value == 41 and c.high.value == 42 and c.role == "utilization"
    c = extract("we get ~1.9e25 FLOP").claims[0]
    assert c.hedge == "~" and c.role == "compute"
    c = extract("trained using up to 6144 GPUs").claims[0]
    assert c.bound == "upper" and c.role == "chips"
    c = extract("1e23 to 3e23 FLOP").claims[0]
    assert c.number.value == 1e23 and c.high.value == 3e23
