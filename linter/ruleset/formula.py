"""Rule formulas: parsed with Python's ast under a whitelist, never evaluated by Python.

A formula is 'result = expression' over role names, e.g.
``compute = 6 * active_parameters * training_tokens``.  Allowed: numbers, names,
+ - * / ** and unary minus, parentheses, and the functions min, max, abs, sqrt, gmean.
Anything else (attribute access, calls to other names, subscripts, lambdas,
comprehensions, strings, keywords...) is refused, as are formulas longer than
MAX_LENGTH characters or MAX_NODES nodes, constant exponents above MAX_EXPONENT, powers
of powers, and numbers outside 1e-300..1e300.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from ..model.claims import BinOp, Call, Const, Name, Neg

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 100
MAX_MAGNITUDE = 300      # constants between 1e-300 and 1e300 (floats end near 1e308)
FUNCTIONS = frozenset({"min", "max", "abs", "sqrt", "gmean"})
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}


class FormulaError(ValueError):
    """A formula that is malformed or uses something outside the whitelist."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: the result's name and the expression that recomputes it."""

    text: str
    result: str
    expression: object

    @property
    def names(self) -> list[str]:
        return sorted(set(_names(self.expression)))


def parse_formula(text: str) -> Formula:
    """Parse 'name = expression' into a Formula, or raise FormulaError."""
    if not isinstance(text, str):
        raise FormulaError("formula must be a string")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    left, sep, right = text.partition("=")
    if not sep or "=" in right:
        raise FormulaError("formula must be 'result = expression' with one '='")
    result = left.strip()
    if not result.isidentifier():
        raise FormulaError(f"the result {result!r} must be a role name")
    expression = parse_expression(right)
    return Formula(text, result, expression)


def parse_expression(text: str) -> object:
    """Parse an arithmetic expression under the whitelist."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"not an arithmetic expression: {exc.msg}") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(f"formula has {count} nodes, more than {MAX_NODES}")
    return _convert(tree.body)


def _convert(node: ast.AST) -> object:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaError(f"only numbers are allowed, not {node.value!r}")
        try:
            value = float(node.value)
        except OverflowError:       # an integer literal beyond the float range
            value = math.inf
        if not math.isfinite(value) or (value and abs(math.log10(abs(value))) > MAX_MAGNITUDE):
            raise FormulaError(f"a number is out of range (between 1e-{MAX_MAGNITUDE} and "
                               f"1e{MAX_MAGNITUDE} only)")
        return Const(value)
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaError(f"{node.id} is a function: call it with arguments")
        if node.id.startswith("_"):
            raise FormulaError(f"name {node.id!r} is not allowed")
        return Name(node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        op = _OPS[type(node.op)]
        if op == "^":
            # a ** b ** c and (a ** b) ** c: towers of powers overflow from tiny text.
            if any(_has_power(side) for side in (node.left, node.right)):
                raise FormulaError("nested powers (a ** b ** c) are not allowed")
            _check_exponent(node.right)
        return BinOp(op, _convert(node.left), _convert(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand)
        return Neg(operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError("only min, max, abs, sqrt and gmean may be called")
        if node.keywords or not node.args:
            raise FormulaError(f"{node.func.id}() takes positional arguments only")
        return Call(node.func.id, tuple(_convert(a) for a in node.args))
    raise FormulaError(f"{type(node).__name__} is not allowed in a formula")


def _has_power(node: ast.AST) -> bool:
    """Whether a power is applied anywhere inside node (parentheses and signs do not hide it)."""
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node))


def _check_exponent(node: ast.AST) -> None:
    """Refuse a constant exponent (10 ** 1000, 10 ** -1000, 10 ** (999 + 1)) above the limit."""
    if any(isinstance(n, ast.Name) for n in ast.walk(node)):
        return      # a role's value: checked when it is evaluated (intervals.power)
    exponent = _constant_value(_convert(node))
    if exponent is None or abs(exponent) > MAX_EXPONENT:
        raise FormulaError(f"exponent {_short(node)} is larger than {MAX_EXPONENT}")


def _constant_value(expression: object) -> float | None:
    """The value of a name-free expression, or None when it has none (division by zero...)."""
    from ..arithmetic.expressions import evaluate
    from ..model.intervals import Undefined

    try:
        return evaluate(expression, lambda leaf: None).mid
    except (Undefined, ArithmeticError, ValueError):
        return None


def _short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _names(node: object) -> list[str]:
    if isinstance(node, Name):
        return [node.name]
    if isinstance(node, BinOp):
        return _names(node.left) + _names(node.right)
    if isinstance(node, Neg):
        return _names(node.operand)
    if isinstance(node, Call):
        return [n for a in node.args for n in _names(a)]
    return []
