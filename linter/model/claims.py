"""What the extractor hands to the checks: plain claims, marks and calculations, no spaCy types.

Checks and the arithmetic build these by hand in tests; only linter/extract makes them from
text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .numbers import Number


@dataclass(frozen=True)
class Claim:
    """A number stated in text, with its unit, role and where it is."""

    text: str                   # as written: number and unit
    start: int                  # character offsets in the segment's text
    end: int
    number: Number              # the number as written, magnitude words applied
    unit: str | None = None     # pint expression of the unit, None for a bare number
    kind: str | None = None     # unit kind: flop, flop_rate, time, chips, tokens, percent, ...
    factor: float = 1.0         # number * factor = value in base units
    spread: float = 0.0         # relative uncertainty of the unit's conversion factor
    dimension: tuple = ()       # pint dimension of the unit, () for none or a count
    role: str | None = None     # parameters, compute, chips, utilization, ...
    hedge: str | None = None    # "~", "about", ... when the text hedges the number
    bound: str | None = None    # "upper" ("up to 6144") or "lower" ("over 15T")
    chip: str | None = None     # canonical chip name when the text names one
    high: Number | None = None  # upper end of a range ("41-42%")
    ambiguous_unit: bool = False  # "FLOPS": amount or rate decided by magnitude
    unit_text: str = ""         # the unit as written ("peak teraFLOP/s")
    unknown_unit: str = ""      # a unit-like word after the number that mclint does not know
    concluded: bool = False     # presented as an outcome ("we get", "implies", "=")
    repeated: str = ""          # a magnitude word after a number that has one: "104B billion"
    sentence: int = 0           # index of the sentence within the segment
    paragraph: int = 0          # index of the paragraph (blank-line separated)
    token: int = 0              # index of the number's first token
    end_token: int = 0          # one past the claim's last token

    @property
    def value(self) -> float:
        """The value in base units (FLOP, seconds, plain counts)."""
        return self.number.value * self.factor

    @property
    def written(self) -> float:
        """The number as written, magnitude words and percent applied, unit not converted."""
        return self.number.value * (0.01 if self.kind == "percent" else 1.0)

    def base_interval(self, *, as_result: bool) -> tuple[float, float]:
        """The interval the written number stands for, in base units."""
        lo, hi = self.number.as_result() if as_result else self.number.as_input()
        if self.high is not None:
            hi = max(hi, (self.high.as_result() if as_result else self.high.as_input())[1])
        lo, hi = lo * self.factor, hi * self.factor
        if self.spread:
            lo, hi = lo * (1 - self.spread), hi * (1 + self.spread)
        return (lo, hi) if lo <= hi else (hi, lo)


@dataclass(frozen=True)
class Mark:
    """Numbers the extractor classed on purpose as no quantity: a model name with its size
    ("Llama 2-13B"), a reference ("Table 2"), a date, a version."""

    kind: str                   # name | reference | date | version | item
    start: int
    end: int
    text: str = ""


# Expression trees over claims (from text) or names (from rule formulas).

@dataclass(frozen=True)
class Leaf:
    claim: Claim


@dataclass(frozen=True)
class Const:
    value: float


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * / ^
    left: object
    right: object


@dataclass(frozen=True)
class Term:
    """A run of products and quotients as written: a * b / c * d (read left to right)."""

    first: object
    rest: tuple  # ((op, node), ...) with op in "*", "/"


@dataclass(frozen=True)
class Paren:
    """An expression written in brackets: kept so that a loose reading never regroups it.

    A unit written right after the bracket applies to all of it: "(25 * 24 * 3600) s",
    "(14+2) days" (`factor` converts it to base units, `dimension` is its pint dimension).
    """

    node: object
    unit_text: str = ""
    factor: float = 1.0
    dimension: tuple = ()


@dataclass(frozen=True)
class Neg:
    operand: object


@dataclass(frozen=True)
class Call:
    func: str  # sqrt, gmean, min, max, abs, ln, log2, log10, exp
    args: tuple


@dataclass(frozen=True)
class Step:
    """One stated equality: left and right expressions, and how they are related."""

    left: object
    right: object
    approx: bool = False  # "≈", "~=", "~" between the two sides
    text: str = ""
    start: int = 0
    end: int = 0
    relation: str = "="   # the sign written between them: =, ≈, ~=, ->, =>, "or", "(" ...
    loose: bool = False   # "a + b * c" written without brackets where a reading is in doubt


@dataclass(frozen=True)
class Mention:
    """A chip named in the text ("for each H100"), with or without a number."""

    chip: str
    start: int
    end: int
    sentence: int = 0
    paragraph: int = 0
    text: str = ""


@dataclass(frozen=True)
class Calculation:
    """A stated calculation: a chain of steps ("a = b = c"), prose, or a conversion.

    `skip` says why it is not judged (a number in its span that the parse does not account
    for, a start that cannot be read): such a calculation is listed, never checked.
    """

    kind: str                 # chain | prose | conversion | restatement | rounded
    steps: tuple[Step, ...]
    start: int
    end: int
    label: str = ""           # text before the first "=" that names it ("6ND")
    skip: str | None = None


@dataclass(frozen=True)
class Expression:
    """Arithmetic written with no stated result ("13*20*4/3 billion tokens"): nothing to
    check, but its value may explain a database field."""

    node: object
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one piece of text."""

    claims: tuple[Claim, ...]
    calculations: tuple[Calculation, ...]
    chips: tuple[Mention, ...] = ()
    marks: tuple[Mark, ...] = ()
    expressions: tuple[Expression, ...] = ()


def summands(node: object, ops: str = "+-") -> list[Claim] | None:
    """The claims an expression adds (with `ops`), brackets without a unit of their own seen
    through ("9 days + 15 days", "410 + (19 + 12)"); None if it does anything else."""
    if isinstance(node, Leaf):
        return [node.claim]
    if isinstance(node, Paren) and not node.dimension:
        return summands(node.node, ops)
    if isinstance(node, BinOp) and node.op in ops:
        left, right = summands(node.left, ops), summands(node.right, ops)
        return None if left is None or right is None else left + right
    return None


def factors(node: object) -> list[Claim] | None:
    """The factors of a pure product ("a * b * (c * d)"), or None for anything else."""
    if isinstance(node, Leaf):
        return [node.claim]
    if isinstance(node, Paren) and not node.dimension:
        return factors(node.node)
    if isinstance(node, BinOp) and node.op == "*":
        left, right = factors(node.left), factors(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, Term) and all(op == "*" for op, _ in node.rest):
        out = factors(node.first)
        for _, n in node.rest:
            more = factors(n)
            if out is None or more is None:
                return None
            out = out + more
        return out
    return None


def substituted(node: object, mapping: dict[int, Claim]) -> object:
    """The expression with some of its claims replaced (by id)."""
    if isinstance(node, Leaf):
        return Leaf(mapping[id(node.claim)]) if id(node.claim) in mapping else node
    if isinstance(node, BinOp):
        return BinOp(node.op, substituted(node.left, mapping), substituted(node.right, mapping))
    if isinstance(node, Term):
        return Term(substituted(node.first, mapping),
                    tuple((op, substituted(n, mapping)) for op, n in node.rest))
    if isinstance(node, Paren):
        return replace(node, node=substituted(node.node, mapping))
    if isinstance(node, Neg):
        return Neg(substituted(node.operand, mapping))
    if isinstance(node, Call):
        return Call(node.func, tuple(substituted(a, mapping) for a in node.args))
    return node


def leaves(node: object) -> list[Claim]:
    """The claims an expression reads, left to right."""
    if isinstance(node, Leaf):
        return [node.claim]
    if isinstance(node, BinOp):
        return leaves(node.left) + leaves(node.right)
    if isinstance(node, Neg):
        return leaves(node.operand)
    if isinstance(node, Paren):
        return leaves(node.node)
    if isinstance(node, Term):
        out = leaves(node.first)
        for _, n in node.rest:
            out += leaves(n)
        return out
    if isinstance(node, Call):
        out: list[Claim] = []
        for arg in node.args:
            out += leaves(arg)
        return out
    return []


def single(node: object) -> Claim | None:
    """The claim of an expression that is one number, else None."""
    return node.claim if isinstance(node, Leaf) else None


def notation(claim: Claim) -> str:
    """How a number is written: 'sci' (1.13e7, 2 × 10^8), 'word' (4.3B, 9 trillion), 'power'
    (2^16), 'plain'."""
    if claim.number.magnitude != 1:
        return "word"
    if claim.number.abbreviated:
        return "sci"
    return "power" if "^" in claim.text or "**" in claim.text else "plain"


def restates(a: Claim, b: Claim) -> bool:
    """Whether b looks like a in another notation: '11,327,808 (1.13e7)', not '24 (1.7B)'."""
    na, nb = notation(a), notation(b)
    if na == nb:
        return False
    for c, style in ((a, na), (b, nb)):
        if style == "plain" and sum(ch.isdigit() for ch in c.text.split()[0]) < 4:
            return False
    return True
