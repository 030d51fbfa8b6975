"""Evaluate expression trees (from notes or from rule formulas) over intervals and dimensions."""

from __future__ import annotations

import math
from typing import Callable

from ..model.claims import BinOp, Call, Const, Leaf, Name, Neg, Paren, Term
from ..model.intervals import Interval, Undefined

Dimension = dict  # {"[time]": 1.0, "[flop]": 1.0}


def evaluate(node: object, value_of: Callable[[object], Interval],
             grouped: bool = False, units: bool = True) -> Interval:
    """The interval an expression can take, given the interval of each leaf or name.

    With grouped=True a written run 'a * b / c * d' is read as (a*b)/(c*d).  With
    units=False a unit written after a bracket ("(25 * 24) hours") is not converted.
    """
    if isinstance(node, (Leaf, Name)):
        return value_of(node)
    if isinstance(node, Const):
        return Interval.point(node.value)
    if isinstance(node, Paren):
        inner = evaluate(node.node, value_of, grouped, units)
        return inner * Interval.point(node.factor) if units and node.factor != 1.0 else inner
    if isinstance(node, Neg):
        return -evaluate(node.operand, value_of, grouped, units)
    if isinstance(node, Term):
        return _term(node, value_of, grouped, units)
    if isinstance(node, BinOp):
        a = evaluate(node.left, value_of, grouped, units)
        b = evaluate(node.right, value_of, grouped, units)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if node.op == "/":
            return a / b
        if node.op == "^":
            return a.power(b)
        raise Undefined(f"unknown operator {node.op}")
    if isinstance(node, Call):
        args = [evaluate(a, value_of, grouped, units) for a in node.args]
        return _call(node.func, args)
    raise Undefined(f"cannot evaluate {type(node).__name__}")


def _term(node: Term, value_of, grouped: bool, units: bool = True) -> Interval:
    result = evaluate(node.first, value_of, grouped, units)
    if not grouped:
        for op, n in node.rest:
            v = evaluate(n, value_of, grouped, units)
            result = result * v if op == "*" else result / v
        return result
    denominator = None
    for op, n in node.rest:
        v = evaluate(n, value_of, grouped, units)
        if op == "/":
            if denominator is not None:
                result = result / denominator
            denominator = v
        elif denominator is not None:
            denominator = denominator * v
        else:
            result = result * v
    return result / denominator if denominator is not None else result


def has_grouping(node: object) -> bool:
    """Whether a grouped reading differs: some '/' is followed by a '*' in one run."""
    if isinstance(node, Term):
        ops = [op for op, _ in node.rest]
        if "/" in ops and "*" in ops[ops.index("/"):]:
            return True
        return has_grouping(node.first) or any(has_grouping(n) for _, n in node.rest)
    if isinstance(node, BinOp):
        return has_grouping(node.left) or has_grouping(node.right)
    if isinstance(node, Paren):
        return has_grouping(node.node)
    if isinstance(node, Neg):
        return has_grouping(node.operand)
    if isinstance(node, Call):
        return any(has_grouping(a) for a in node.args)
    return False


def _call(func: str, args: list[Interval]) -> Interval:
    if func == "sqrt" and len(args) == 1:
        return args[0].sqrt()
    if func == "gmean" and len(args) == 1:
        return args[0]      # "geometric mean sqrt(a * b)": the words name what follows
    if func == "sqrt" or func == "gmean":
        # sqrt(a, b) never occurs; a geometric mean of the arguments does
        prod = args[0]
        for a in args[1:]:
            prod = prod * a
        return prod.power(Interval.point(1 / len(args)))
    if func in ("ln", "log2", "log10", "exp") and len(args) == 1:
        return _monotone(func, args[0])
    if func == "mean":
        total = args[0]
        for a in args[1:]:
            total = total + a
        return total / Interval.point(len(args))
    if func == "min":
        return Interval(min(a.lo for a in args), min(a.hi for a in args), min(a.mid for a in args))
    if func == "max":
        return Interval(max(a.lo for a in args), max(a.hi for a in args), max(a.mid for a in args))
    if func == "abs" and len(args) == 1:
        a = args[0]
        lo = 0.0 if a.lo <= 0 <= a.hi else min(abs(a.lo), abs(a.hi))
        return Interval(lo, max(abs(a.lo), abs(a.hi)), abs(a.mid))
    raise Undefined(f"unknown function {func}")


def _monotone(func: str, a: Interval) -> Interval:
    """ln, log2, log10 and exp of an interval (all increasing functions)."""
    f = {"ln": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp}[func]
    if func != "exp" and a.lo <= 0:
        raise Undefined(f"{func} of a non-positive number")
    try:
        return Interval(f(a.lo), f(a.hi), f(a.mid))
    except OverflowError as exc:
        raise Undefined(str(exc)) from exc


def dimension(node: object, dim_of: Callable[[object], Dimension | None],
              grouped: bool = False) -> Dimension | None:
    """The physical dimension of an expression, or None where it cannot be told.

    With grouped=True a run 'a * b / c * d' is read as (a*b)/(c*d), as in evaluate().
    """
    def dim(n):
        return dimension(n, dim_of, grouped)

    if isinstance(node, (Leaf, Name)):
        return dim_of(node)
    if isinstance(node, Const):
        return {}
    if isinstance(node, Paren):
        inner = dim(node.node)
        if inner is None or not node.dimension:
            return inner
        return _combine(inner, dict(node.dimension), 1)
    if isinstance(node, Neg):
        return dim(node.operand)
    if isinstance(node, Term):
        d0 = dim(node.first)
        divided = False
        for op, n in node.rest:
            d = dim(n)
            if d0 is None or d is None:
                return None
            divided = divided or op == "/"
            d0 = _combine(d0, d, -1 if op == "/" or (grouped and divided) else 1)
        return d0
    if isinstance(node, BinOp):
        a = dim(node.left)
        b = dim(node.right)
        if a is None or b is None:
            return None
        if node.op in "+-":
            return a if a == b else None
        if node.op == "*":
            return _combine(a, b, 1)
        if node.op == "/":
            return _combine(a, b, -1)
        if node.op == "^":
            if b:
                return None
            exponent = _constant(node.right)
            if exponent is None:
                return None if a else {}
            return {k: v * exponent for k, v in a.items()}
    if isinstance(node, Call):
        dims = [dim(a) for a in node.args]
        if any(d is None for d in dims):
            return None
        if node.func == "sqrt" and len(dims) == 1:
            return {k: v / 2 for k, v in dims[0].items()}
        if node.func in ("ln", "log2", "log10", "exp"):
            return {} if all(not d for d in dims) else None
        if node.func in ("gmean", "mean", "min", "max", "abs"):
            return dims[0] if all(d == dims[0] for d in dims) else None
    return None


def _combine(a: Dimension, b: Dimension, sign: int) -> Dimension:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0.0) + sign * v
        if math.isclose(out[k], 0.0, abs_tol=1e-9):
            del out[k]
    return out


def _constant(node: object) -> float | None:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Leaf) and node.claim.unit is None:
        return node.claim.number.value
    return None
