#!/usr/bin/env python3
"""Exact calculator for the benchmark labels (no eval).

Usage:
    python benchmarks/calc.py "6 * 340e9 * 9e12"
    python benchmarks/calc.py "7659574 / 86400" --digits 6

Evaluates an arithmetic expression with fractions.Fraction, so products and sums are
exact; only literals, + - * / // % **, unary +/-, parentheses and a few functions
(sqrt, log10, ln/log, exp, min, max, abs, round) are accepted (an ast whitelist).
Numbers may use suffixes K/M/B/T (1e3, 1e6, 1e9, 1e12), thousands separators ("9,437,184"
is read as 9437184 only when each group after the first has three digits) and the
notation "x10^" / "×10^" / "E" for powers of ten.  `^` is a power, as in the notes.

Data credit: used to label Epoch AI's model database notes (Data: Epoch AI, CC BY 4.0).
"""

from __future__ import annotations

import ast
import math
import re
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 50

_SUFFIX = {"k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "G": 10**9, "T": 10**12, "P": 10**15}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _normalise(expr: str) -> str:
    s = expr.strip()
    s = s.replace("×", "*").replace("·", "*").replace("⋅", "*").replace("−", "-").replace("÷", "/")
    s = s.replace("–", "-")
    # 10⁶ style superscripts -> 10**6
    s = re.sub(
        r"10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", lambda m: "10**(" + m.group(1).translate(_SUPERSCRIPT) + ")", s
    )
    # "3.5 x 10^22" -> 3.5 * 10^22 ; a lone x between numbers is a product
    s = re.sub(r"(?<=[\d)\s])[xX](?=\s*[\d(])", "*", s)
    # thousands separators: 9,437,184 -> 9437184 (only strict 3-digit groups)
    s = re.sub(r"\b\d{1,3}(?:,\d{3})+(?!\d)", lambda m: m.group(0).replace(",", ""), s)
    # thin / narrow spaces used as group separators: "2 527 000" -> 2527000
    s = re.sub(r"(?<=\d)[ \u2009\u202f](?=\d{3}\b)", "", s)
    # suffixes: 340B, 9T, 1.5k
    s = re.sub(
        r"(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([kKMBGTP])\b",
        lambda m: f"({m.group(1)}*{_SUFFIX[m.group(2)]})",
        s,
    )
    s = s.replace("^", "**")
    s = s.replace("%", "*(1/100)")
    return s


_FUNCS = {
    "sqrt": lambda x: _from_float(math.sqrt(_to_float(x))),
    "log10": lambda x: _from_float(math.log10(_to_float(x))),
    "log": lambda x: _from_float(math.log(_to_float(x))),
    "ln": lambda x: _from_float(math.log(_to_float(x))),
    "exp": lambda x: _from_float(math.exp(_to_float(x))),
    "abs": abs,
    "min": min,
    "max": max,
    "round": lambda x, n=0: Fraction(round(Fraction(x), int(n))),
}


def _to_float(x: Fraction) -> float:
    return float(x)


def _from_float(x: float) -> Fraction:
    # irrational results: keep 17 significant digits via Decimal
    return Fraction(Decimal(repr(x)))


def _literal(value) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"unsupported literal {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(Decimal(repr(value)))


def _eval(node, src: str) -> Fraction:
    if isinstance(node, ast.Expression):
        return _eval(node.body, src)
    if isinstance(node, ast.Constant):
        # take the literal text so 0.1 stays exactly 1/10
        seg = ast.get_source_segment(src, node)
        if seg is not None and re.fullmatch(
            r"\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?", seg
        ):
            return Fraction(Decimal(seg))
        return _literal(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        v = _eval(node.operand, src)
        return v if isinstance(node.op, ast.UAdd) else -v
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, src), _eval(node.right, src)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            return a / b
        if isinstance(op, ast.FloorDiv):
            return Fraction(a // b)
        if isinstance(op, ast.Mod):
            return a % b
        if isinstance(op, ast.Pow):
            if b.denominator == 1 and abs(b.numerator) <= 400:
                return a ** int(b)
            return _from_float(float(a) ** float(b))
        raise ValueError(f"operator {type(op).__name__} not allowed")
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCS
        and not node.keywords
    ):
        return _FUNCS[node.func.id](*[_eval(a, src) for a in node.args])
    raise ValueError(f"expression element {type(node).__name__} not allowed")


def calc(expr: str) -> Fraction:
    """Evaluate `expr` exactly; returns a Fraction."""
    src = _normalise(expr)
    tree = ast.parse(src, mode="eval")
    return _eval(tree, src)


def calc_float(expr: str) -> float:
    return float(calc(expr))


def fmt(x: Fraction, digits: int = 6) -> str:
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return f"{d:.{digits}g}" if abs(d) < Decimal(10) ** 15 else f"{d:.{digits - 1}e}"


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if argv else 2
    digits = 6
    if "--digits" in argv:
        i = argv.index("--digits")
        digits = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    for expr in argv:
        try:
            v = calc(expr)
        except (ValueError, TypeError, SyntaxError, ZeroDivisionError) as exc:
            print(f"{expr}: error: {exc}", file=sys.stderr)
            return 2
        print(
            f"{expr} = {fmt(v, digits)}"
            + (f"  (exact {v})" if v.denominator != 1 and len(str(v)) < 60 else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
