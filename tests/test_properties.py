"""Property tests (hypothesis): numbers parse back to their value, expressions agree with
exact arithmetic, and the readers and the extractor never raise on arbitrary input (issue 7).
"""

from __future__ import annotations

import json
import math
import os
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from linter.arithmetic.expressions import evaluate
from linter.model.claims import BinOp, Const
from linter.model.intervals import Undefined
from linter.model.numbers import parse_plain
from linter.readers import InputError, decode, read

# MCLINT_HYPOTHESIS_SCALE=20 runs twenty times as many examples (a longer hunt).
_SCALE = int(os.environ.get("MCLINT_HYPOTHESIS_SCALE", "1"))
FAST = settings(max_examples=200 * _SCALE, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=80 * _SCALE, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@pytest.fixture(scope="module", autouse=True)
def _pipeline():
    from linter.extract import extract

    extract("6 * 7B = 4.2e10")


def _extract(text: str):
    from linter.extract import extract

    return extract(text)


# ----------------------------------------------------------------------- the number parser

decimals = st.builds(lambda n, k: Decimal(n).scaleb(-k),
                     st.integers(min_value=0, max_value=10**12), st.integers(0, 4))
mantissas = st.builds(lambda n, k: Decimal(n).scaleb(-k), st.integers(1, 9999), st.integers(0, 3))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


def _plain(d: Decimal) -> str:
    return format(d, "f")


@FAST
@given(decimals, st.sampled_from(["plain", "grouped", "sign", "minus"]))
@example(Decimal("9437184"), "grouped")
@example(Decimal("0.3"), "plain")
def test_plain_tokens_parse_back(d, style):
    text = {"plain": _plain(d), "grouped": format(d, ",f"), "sign": "+" + _plain(d),
            "minus": "−" + _plain(d)}[style]
    expected = -float(d) if style == "minus" else float(d)
    assert _close(parse_plain(text).value, expected), text


@FAST
@given(mantissas, st.integers(-30, 30), st.sampled_from(["e", "E", "E+", "e+"]))
def test_scientific_tokens_parse_back(m, exp, e):
    text = f"{_plain(m)}{e if exp >= 0 else e[0]}{exp}"
    assert _close(parse_plain(text).value, float(m.scaleb(exp))), text


@FAST
@given(st.integers(-300, 300))
def test_superscript_powers_parse_back(exp):
    assert _close(parse_plain("10" + str(exp).translate(SUPERSCRIPT)).value, 10.0**exp)


@FAST
@given(st.integers(0, 99), st.sampled_from(["6,7", "0,5", "12,25"]))
def test_decimal_commas_parse_back(_, text):
    assert _close(parse_plain(text).value, float(text.replace(",", ".")))


SUFFIXES = {"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "Bn": 1e9, "T": 1e12}
WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
         "quadrillion": 1e15}
TIMES = ["x", "×", "*"]


@st.composite
def written_numbers(draw):
    """(text as written, exact value): every composite form the extractor reads."""
    form = draw(st.sampled_from(["plain", "grouped", "e", "x10", "x10-superscript", "suffix",
                                 "spaced-suffix", "word"]))
    if form in ("plain", "grouped"):
        d = draw(decimals.filter(lambda v: v >= 1))
        return (_plain(d) if form == "plain" else format(d, ",f")), d
    m = draw(mantissas)
    if form == "e":
        exp = draw(st.integers(-20, 30))
        return f"{_plain(m)}{draw(st.sampled_from(['e', 'E']))}{exp}", m.scaleb(exp)
    if form == "x10":
        exp = draw(st.integers(-20, 30))
        power = draw(st.sampled_from(["10^{}", "10**{}", "10^({})"])).format(exp)
        return f"{_plain(m)} {draw(st.sampled_from(TIMES))} {power}", m.scaleb(exp)
    if form == "x10-superscript":
        exp = draw(st.integers(2, 30))
        return f"{_plain(m)} {draw(st.sampled_from(TIMES[:2]))} 10" \
               f"{str(exp).translate(SUPERSCRIPT)}", m.scaleb(exp)
    if form in ("suffix", "spaced-suffix"):
        suffix = draw(st.sampled_from(sorted(SUFFIXES) if form == "suffix" else ["B", "T", "M"]))
        space = " " if form == "spaced-suffix" else ""
        return f"{_plain(m)}{space}{suffix}", m * Decimal(SUFFIXES[suffix])
    word = draw(st.sampled_from(sorted(WORDS)))
    return f"{_plain(m)} {word}", m * Decimal(WORDS[word])


@SLOW
@given(written_numbers())
@example(("340B", Decimal(340e9)))
@example(("2.75 x 10^14", Decimal("2.75e14")))
@example(("3.4 × 10²²", Decimal("3.4e22")))
def test_written_numbers_extract_back(case):
    written, value = case
    text = f"We used {written} tokens."
    claims = _extract(text).claims
    assert [c.text for c in claims] == [f"{written} tokens"], text
    assert _close(claims[0].number.value, float(value)), (text, claims[0].number)


@SLOW
@given(st.integers(1, 30))
def test_powers_of_ten_extract_back(exp):
    claims = _extract(f"We used 10^{exp} tokens.").claims
    assert _close(claims[0].number.value, 10.0**exp), exp


# ------------------------------------------------------------------ the expression evaluator

@st.composite
def trees(draw, depth: int = 0):
    """(tree of BinOp/Const, exact value as Fraction) over + - * / and small rationals."""
    if depth >= 5 or draw(st.integers(0, 3)) == 0:
        n = draw(st.integers(1, 10**6))
        k = draw(st.integers(0, 3))
        return Const(n / 10**k), Fraction(n, 10**k), abs(Fraction(n, 10**k))
    op = draw(st.sampled_from("+-*/"))
    left, lv, ls = draw(trees(depth + 1))
    right, rv, rs = draw(trees(depth + 1))
    if op == "/":
        assume(rv != 0)
    value = {"+": lv + rv, "-": lv - rv, "*": lv * rv, "/": lv / rv if rv else 0}[op]
    # The scale rounding errors are relative to: the largest value met on the way, carried
    # through products and quotients as errors propagate (to first order), so that a
    # quotient by a difference that cancels ("1 / (32768.1 + (0.001 - 32768.1))") is
    # allowed the error its divisor carries.
    if op == "*":
        scale = ls * abs(rv) + rs * abs(lv)
    elif op == "/":
        scale = (ls + abs(value) * rs) / abs(rv)
    else:
        scale = Fraction(0)
    return BinOp(op, left, right), value, max(ls, rs, abs(value), scale)


@FAST
@given(trees())
@example((BinOp("/", Const(1.0), Const(3.0)), Fraction(1, 3), Fraction(1)))
@example((BinOp("/", Const(1.0), BinOp("+", Const(32768.1), BinOp("-", Const(0.001),
                                                                   Const(32768.1)))),
          Fraction(1000), (1 + 1000 * Fraction(327681, 10)) * 1000))
def test_evaluator_agrees_with_exact_arithmetic(case):
    tree, exact, scale = case
    try:
        result = evaluate(tree, lambda leaf: None)
    except Undefined:
        # Only where a float overflows or a divisor is exactly 0 after rounding.
        assume(False)
    assert result.lo <= result.mid <= result.hi
    tolerance = 1e-9 * float(max(abs(exact), scale * Fraction(1, 10**6)))
    assert abs(result.mid - float(exact)) <= tolerance + 1e-300, (result, float(exact))
    # Point inputs give a point, up to the rounding of interval corners.
    assert result.hi - result.lo <= 1e-9 * float(scale) + 1e-300


@FAST
@given(st.lists(st.tuples(st.sampled_from("*/"), st.integers(1, 10**4)), min_size=1,
                max_size=30), st.integers(1, 10**4))
def test_long_product_chains_agree_with_exact_arithmetic(rest, first):
    tree, exact = Const(float(first)), Fraction(first)
    for op, n in rest:
        tree = BinOp(op, tree, Const(float(n)))
        exact = exact * n if op == "*" else exact / n
    try:
        result = evaluate(tree, lambda leaf: None)
    except Undefined:
        assume(False)
    assert math.isclose(result.mid, float(exact), rel_tol=1e-9)


# ------------------------------------------- the extractor and the readers never raise

FRAGMENTS = ["6", "340B", "9T", "1.8E25", "1.8e+24", "=", "≈", "~", "*", "×", "/", "+", "-",
             "(", ")", "^", "10^22", "10²²", "x", "FLOP", "FLOP/s", "tokens", "parameters",
             "H100", "GPUs", "41%", "MFU", "days", "hours", "seconds", "we get", "Multiplying",
             "by", "and", "9,437,184", "7,659,574", "0", "1e999", "NaN", "inf", "-", "…", "’",
             "\ufeff", "\u200b", "\r\n", "\r", "\n", "\n\n", '"', "'", ",", ";", ":", "#",
             "<!-- mclint: disable-next-line=MC101 -->", "—", "−", "𝟙", "½", "٣"]

note_texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)),
                      max_size=40).map(lambda parts: " ".join(parts))
any_text = st.one_of(note_texts, st.text(max_size=300))


@SLOW
@given(any_text)
@example("6 * 340B * 9T = 1.8E25")
@example("\ufeff6 * 7B = 4.2e10")
def test_extractor_never_raises_and_claims_slice_back(text):
    result = _extract(text)
    for claim in result.claims:
        assert 0 <= claim.start <= claim.end <= len(text)
        assert text[claim.start:claim.end] == claim.text, claim
    for calc in result.calculations:
        assert 0 <= calc.start <= calc.end <= len(text)
        for step in calc.steps:
            assert text[step.start:step.end] == step.text, step


CSV_HEADER = "Model,Parameters,Training compute (FLOP),Training compute notes,Parameters notes\n"


@st.composite
def csv_texts(draw):
    cells = st.one_of(note_texts, st.sampled_from(["", "7B", "1e25", "1.8e+25", '""', '"a""b"']))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=6), max_size=5))
    out = [CSV_HEADER]
    for row in rows:
        quoted = [f'"{c}"' if draw(st.booleans()) else c for c in row]
        out.append(",".join(quoted) + draw(st.sampled_from(["\n", "\r\n", "\r", ""])))
    return "".join(out)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), note_texts),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=8), children, max_size=3)),
    max_leaves=8)
entry_dicts = st.fixed_dictionaries(
    {"name": note_texts},
    optional={"Parameters": json_values, "Training compute notes": json_values,
              "notes": json_values, "Hardware quantity": json_values})


@st.composite
def structured_texts(draw, kind: str):
    """Near-valid files of a kind, sometimes cut short or with a character changed."""
    if kind == "csv":
        text = draw(csv_texts())
    elif kind == "json":
        text = json.dumps(draw(st.one_of(entry_dicts, st.lists(entry_dicts, max_size=3))),
                          ensure_ascii=draw(st.booleans()))
    elif kind == "jsonl":
        text = "\n".join(json.dumps(d) for d in draw(st.lists(entry_dicts, max_size=3)))
    elif kind == "yaml":
        import yaml

        text = yaml.safe_dump(draw(st.one_of(entry_dicts, st.lists(entry_dicts, max_size=3))),
                              allow_unicode=draw(st.booleans()))
    elif kind == "markdown":
        import yaml

        text = "---\n" + yaml.safe_dump(draw(entry_dicts)) + "---\n" + draw(note_texts)
    else:
        text = draw(note_texts)
    mutation = draw(st.sampled_from(["none", "none", "cut", "change"]))
    if mutation == "cut" and text:
        text = text[:draw(st.integers(0, len(text)))]
    elif mutation == "change" and text:
        i = draw(st.integers(0, len(text) - 1))
        text = text[:i] + draw(st.sampled_from(list('"\'{}[],:-#\n\r\\&*!|>'))) + text[i + 1:]
    return text


KINDS = {"csv": "f.csv", "json": "f.json", "jsonl": "f.jsonl", "yaml": "f.yaml",
         "markdown": "f.md", "text": "f.txt"}


def _read_or_input_error(name: str, text: str):
    try:
        return read(name, text)
    except InputError as exc:
        assert exc.path == name and exc.message
        assert exc.line == 0 or 1 <= exc.line <= text.count("\n") + text.count("\r") + 1
        return None


@pytest.mark.parametrize("kind", sorted(KINDS))
@FAST
@given(data=st.data())
def test_readers_never_raise_on_arbitrary_text(kind, data):
    text = data.draw(st.one_of(structured_texts(kind), st.text(max_size=200)))
    entries = _read_or_input_error(KINDS[kind], text)
    for entry in entries or ():
        for seg in entry.segments:
            for i in (0, len(seg.text) - 1):
                if 0 <= i < len(seg.text):
                    assert 0 <= seg.file_offset(i) < len(text)
        for fv in entry.fields.values():
            assert 0 <= fv.start <= fv.end <= len(text)
            assert fv.value is None or math.isfinite(fv.value)


@pytest.mark.parametrize("kind", sorted(KINDS))
@FAST
@given(data=st.binary(max_size=300))
def test_readers_never_raise_on_arbitrary_bytes(kind, data):
    try:
        text = decode(data, KINDS[kind])
    except InputError:
        return
    _read_or_input_error(KINDS[kind], text)


@pytest.mark.parametrize("kind", sorted(KINDS))
@SLOW
@given(data=st.data())
def test_lint_never_raises_and_findings_point_into_the_file(kind, data, settings):
    from linter.model.positions import LineIndex
    from linter.pipeline import lint_text

    text = data.draw(structured_texts(kind))
    try:
        findings, _ = lint_text(text, KINDS[kind], settings)
    except InputError:
        return
    lines = len(LineIndex(text).starts)
    for f in findings:
        assert 1 <= f.line <= lines and f.column >= 1
        assert 0 <= f.offset <= len(text)
        if f.fix is not None:
            assert text[f.fix.start:f.fix.end] == f.fix.original


@FAST
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=60)
       .map(" ".join), st.integers(4, 60))
def test_long_segments_are_cut_without_moving_a_character(cell, limit):
    """split_long: pieces of at most `limit` characters that map to the same file characters."""
    from linter.readers import split_long

    text = 'Model,Parameters notes\nA,"' + cell.replace('"', '""') + '"\n'
    whole = _read_or_input_error("f.csv", text)
    assume(whole and whole[0].segments)
    original = whole[0].segments[0]
    entries = split_long(_read_or_input_error("f.csv", text), limit)
    pieces = [s for e in entries for s in e.segments]
    assert "".join(p.text for p in pieces) == original.text
    assert all(len(p.text) <= limit for p in pieces)
    assert all(e.id == "A" for e in entries) and entries[0].fields == whole[0].fields
    at = 0
    for piece in pieces:
        for i in range(len(piece.text)):
            assert piece.file_offset(i) == original.file_offset(at + i)
        at += len(piece.text)
