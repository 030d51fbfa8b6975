"""spaCy component: find the calculations a note states, each parsed whole.

* chains: "6 * 340B * 9T = 1.8E25", "a = b = c", results after "=", "≈", "~=", "->",
  "=>", "equals", with operators in symbols or words ("40k times 3.1E+09 times 900
  epochs", "multiplied by", "divided by", "41% of");
* prose: "Multiplying 7,659,574 seconds by 41% MFU, ... and 6144 H100s, we get ~1.9e25";
* conversions and restatements: "7,659,574 seconds, or 89 days", "93.75 hours (337,500
  seconds)", "11,327,808 (1.13e7)", "(rounded to 1.4e20)".

A calculation must account for every number in its span: each is an operand, or was
classed on purpose by the unit linker (a model name "Llama 2-13B", a reference "Table 2",
a date).  Words and bracketed remarks without numbers are annotations.  A number that is
neither consumed nor classed ("2.1e20(8) * ...": is the 8 a factor?), or a start that
cannot be read ("... * (9.8e13) * 4 = ...": what came before the '*'?), makes the
calculation *skipped*: it is listed with the reason, never judged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from ..model.claims import (BinOp, Calculation, Call, Claim, Expression, Leaf, Mark, Paren,
                            Step, Term, leaves, restates, summands)
from ..quantities.units import unit_forms, unit_info
from .view import view

# Item kinds of the stream the parser reads.
Q, MK, OP, LP, RP, EQ, FN, W, COMMA, BREAK, NL = (
    "Q", "MK", "OP", "LP", "RP", "EQ", "FN", "W", "COMMA", "BREAK", "NL")

TIMES = {"*", "×", "·", "x", "X"}
DIVIDE = {"/", "÷"}
MINUS = {"-", "−", "–"}
EQUALS = {"=", "≈", "≃", "≅", "→"}
APPROX_EQUALS = {"≈", "≃", "≅", "~", "~="}
OPEN = {"(", "[", "{"}
CLOSE = {")", "]", "}"}
BULLETS = {"-", "*", "•", "–", "·"}
HARD_BREAKS = {";", ":", ".", "!", "?"}
FUNCTIONS = {"sqrt": "sqrt", "√": "sqrt", "ln": "ln", "log2": "log2", "log10": "log10",
             "exp": "exp", "gmean": "gmean"}
# Operators and relations written as words: (words, item kind, operator)
WORD_OPERATORS = [
    (("multiplied", "by"), OP, "*"), (("multiply", "by"), OP, "*"), (("times",), OP, "*"),
    (("divided", "by"), OP, "/"), (("divide", "by"), OP, "/"), (("plus",), OP, "+"),
    (("minus",), OP, "-"), (("is", "equal", "to"), EQ, "="), (("equals",), EQ, "="),
    (("geometric", "mean"), FN, "gmean"),
]
# Words that end an annotation: after them the text is prose, not a formula.
STOPWORDS = {"and", "or", "but", "so", "then", "which", "that", "is", "are", "was", "were",
             "we", "it", "this", "these", "if", "when", "while", "because", "since",
             "compared", "vs", "versus", "than", "where", "with", "gives", "get", "yields"}
PROSE_TRIGGERS = {"multiplying", "multiply", "multiplied"}
PROSE_RESULTS = [("we", "get"), ("we", "obtain"), ("gives",), ("yields",), ("results", "in"),
                 ("equals",), ("to", "get"), ("get",), ("=",), ("≈",), ("gives", "us"),
                 ("comes", "to"), ("which", "is")]
CONVERTIBLE = {"time", "flop", "flop_rate", "bytes", "chip_time", "core_time", "energy",
               "power", "emissions", "money"}
MAX_WORDS = 4          # annotation words allowed between two parts of an expression
MAX_ITEMS = 400        # longest expression we parse
MAX_STEPS = 50         # "a = b = c ...": steps checked per chain
MAX_FORMULA_TOKENS = 120   # a formula read on after its bracket: tokens looked at


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    start: int            # character offsets
    end: int
    claim: Claim | None = None
    approx: bool = False
    spoken: bool = False    # "of", "for" read as a product: only where a result is stated


# ------------------------------------------------------------------------ item stream

@dataclass(frozen=True)
class _Index:
    """A Doc's claims by first token and marks by start offset, built once per Doc."""

    by_token: dict
    mark_at: dict


def _index(claims: list[Claim], marks: list[Mark]) -> _Index:
    return _Index({c.token: c for c in claims}, {m.start: m for m in marks})


def _items(v, index: _Index, text: str, lo: int = 0, hi: int | None = None) -> list[Item]:
    """Turn tokens lo..hi into the item stream: claims, marks, operators, brackets, words."""
    by_token = index.by_token
    mark_at = index.mark_at
    out: list[Item] = []
    i, n = lo, v.n if hi is None else hi
    while i < n:
        c = by_token.get(i)
        if c is not None:
            out.append(Item(Q, c.text, c.start, c.end, c))
            i = max(c.end_token, i + 1)
            continue
        s = v.idx[i]
        m = mark_at.get(s)
        if m is not None:
            out.append(Item(MK, m.text, m.start, m.end))
            while i < n and v.idx[i] < m.end:
                i += 1
            continue
        t = v.text[i]
        e = s + len(t)
        nxt = v.text[i + 1] if i + 1 < n else ""
        pair = None
        if t == "//":           # integer division: close enough for a check
            out.append(Item(OP, "/", s, e))
            i += 1
            continue
        if t == "*" and nxt == "*":
            pair = Item(OP, "^", s, e + 1)
        elif t == "/" and nxt == "/":  # integer division: close enough for a check
            pair = Item(OP, "/", s, e + 1)
        elif t == "~" and nxt == "=":
            pair = Item(EQ, "~=", s, e + 1, approx=True)
        elif t in ("-", "=") and nxt == ">":
            pair = Item(EQ, t + ">", s, e + 1)
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        if len(t) > 1 and all(ch in "()[]{}:;.,!?\"'" for ch in t):
            for k, ch in enumerate(t):       # "):" is a bracket, then a break
                kind = (LP if ch in OPEN else RP if ch in CLOSE else BREAK
                        if ch in HARD_BREAKS else COMMA if ch == "," else W)
                out.append(Item(kind, ch, s + k, s + k + 1))
            i += 1
            continue
        word = _word_operator(v, i, n)
        if word is not None:
            kind, op, j = word
            out.append(Item(kind, op, s, v.end_char(j - 1)))
            i = j
            continue
        if v.is_space[i]:
            kind = BREAK if t.count("\n") >= 2 else (NL if "\n" in t else None)
            if kind:
                out.append(Item(kind, t, s, e))
        elif t in EQUALS:
            out.append(Item(EQ, t, s, e, approx=t in APPROX_EQUALS))
        elif t == "~":
            # "~" between an expression and a number relates them ("39/1.28 ~ 30.5
            # epochs"); before a number alone it is a hedge, already read into the claim.
            if out and (out[-1].kind == RP or out[-1].kind == Q and _expression_before(out)) \
                    and (i + 1) in by_token:
                out.append(Item(EQ, "~", s, e, approx=True))
        elif t in TIMES or t in DIVIDE or t in MINUS or t in ("+", "^"):
            op = ("x" if t in ("x", "X") else "*" if t in TIMES else "/" if t in DIVIDE
                  else "-" if t in MINUS else t)
            out.append(Item(OP, op, s, e))
        elif t in OPEN:
            if out and out[-1].kind == RP and out[-1].text == ")" and t == "(":
                # "(50 GPUs)(29 days)(0.3)": brackets side by side multiply, as in algebra
                out.append(Item(OP, "*", s, s))
            out.append(Item(LP, t, s, e))
        elif t in CLOSE:
            out.append(Item(RP, t, s, e))
        elif t.lower() in FUNCTIONS:
            out.append(Item(FN, FUNCTIONS[t.lower()], s, e))
        elif t == ",":
            out.append(Item(COMMA, t, s, e))
        elif t in HARD_BREAKS:
            out.append(Item(BREAK, t, s, e))
        elif t.lower() == "of" and out and out[-1].kind == Q and out[-1].claim.kind == "percent":
            out.append(Item(OP, "*", s, e))       # "41% of 989 TFLOP/s"
        elif t.lower() in ("of", "for") and _counted(out, by_token, v, i, n):
            # "288 batches of 128k tokens", "1024 TPU for 696 hours": so many things, each
            # with an amount; a product, but only in a calculation with a stated result
            out.append(Item(OP, "*", s, e, spoken=True))
        else:
            out.append(Item(W, t, s, e))
        i += 1
    return _resolve_operators(out)


def _counted(out: list[Item], by_token: dict, v, i: int, n: int) -> bool:
    """Whether the 'of' or 'for' at token i stands between two quantities with units."""
    if not out or out[-1].kind != Q or out[-1].claim.unit is None or \
            out[-1].claim.kind == "percent" or out[-1].end != v.idx[i] - 1:
        return False
    j = i + 1
    while j < n and v.is_space[j]:
        j += 1
    nxt = by_token.get(j)
    return nxt is not None and nxt.unit is not None and nxt.kind != "percent" and \
        nxt.high is None and not out[-1].claim.high


def _expression_before(out: list[Item]) -> bool:
    """Whether the items just before hold an operator or a relation, with no word or break
    between: "0.3 ~ 159 hours" ends a formula, "2T tokens ~ 1 epoch" does not."""
    for item in reversed(out):
        if item.kind in (OP, EQ):
            return True
        if item.kind not in (Q, LP, RP, MK):
            return False
    return False


def _word_operator(v, i: int, n: int):
    """An operator or relation written in words at token i: (kind, op, end token), or None."""
    low = v.lower[i]
    for words, kind, op in WORD_OPERATORS:
        if low != words[0]:
            continue
        j, k = i, 0
        while k < len(words) and j < n:
            if v.is_space[j]:
                j += 1
                continue
            if v.lower[j] != words[k]:
                break
            j += 1
            k += 1
        if k == len(words):
            return kind, op, j
    return None


def _resolve_operators(items: list[Item]) -> list[Item]:
    """Decide which operator-looking characters are operators.

    A '-', '*' or '•' opening a line is a bullet; a '-' or '/' glued to a word is part
    of a name or unit ("FLOP/s", "batches/epoch"); an 'x' is a times sign only between
    two operands; a '-' is no unary minus (signed numbers are single tokens).
    """
    out: list[Item] = []
    for k, it in enumerate(items):
        if it.kind != OP:
            out.append(it)
            continue
        before = out[-1] if out else None
        after = items[k + 1] if k + 1 < len(items) else None
        bk = before.kind if before else None
        ak = after.kind if after else None
        spaced_before = before is None or before.end < it.start
        spaced_after = after is None or after.start > it.end
        word = Item(W, it.text, it.start, it.end)
        if it.text in BULLETS and bk in (None, NL, BREAK) and spaced_after:
            out.append(word)
        elif it.text == "x":
            # "16x16", "4 days x 86400", "TPUv3 chips x 123e12": a times sign; "8x A100",
            # "8x)": a word.
            times = ak in (Q, LP, FN) and (bk in (Q, RP) or (
                bk == W and spaced_before and spaced_after))
            out.append(Item(OP, "*", it.start, it.end) if times else word)
        elif it.text in ("-", "/") and (
                (bk == W and not spaced_before) or (ak == W and not spaced_after)):
            out.append(word)
        elif it.text == "-" and bk not in (Q, RP):
            out.append(word)
        else:
            out.append(it)
    return out


# ---------------------------------------------------------------------------- parsing

class _NoParse(Exception):
    pass


class _Parser:
    """Recursive descent over items, skipping annotation words and remarks.

    expr    := term (('+'|'-') term)*
    term    := power (('*'|'/') power)*
    power   := primary ('^' power)?
    primary := Q | '(' expr ')' | FN primary | FN '(' expr (',' expr)* ')'

    A remark is words, classed numbers (marks) and brackets holding only those: a bracket
    with a number in it is never a remark.  An operator whose operand cannot be read is
    left unconsumed, so the parse ends with the longest readable prefix.
    """

    def __init__(self, items: list[Item], lo: int, hi: int):
        self.items = items
        self.pos = lo
        self.hi = min(hi, lo + MAX_ITEMS)

    def peek(self) -> Item | None:
        return self.items[self.pos] if self.pos < self.hi else None

    def _words_end(self, k: int) -> int:
        """End of a run of annotation words starting at k (stopwords end it)."""
        j = k
        while (j < self.hi and j - k < MAX_WORDS and self.items[j].kind in (W, MK)
               and self.items[j].text.lower() not in STOPWORDS):
            j += 1
        return j

    def _group_end(self, k: int) -> int | None:
        """End of a bracketed remark at k (words and marks only), or None."""
        depth = 0
        for j in range(k, min(self.hi, k + 16)):
            kind = self.items[j].kind
            if kind == LP:
                depth += 1
            elif kind == RP:
                depth -= 1
                if depth == 0:
                    return j + 1
            elif kind in (W, MK, COMMA, NL):
                continue
            else:
                return None
        return None

    def skip_remarks(self, after_operand: bool) -> None:
        """Skip words and bracketed remarks that annotate the expression."""
        while True:
            it = self.peek()
            if it is None:
                return
            if it.kind == NL:
                self.pos += 1
                continue
            if it.kind == LP:
                end = self._group_end(self.pos)
                if end is None:
                    return
                self.pos = end
                continue
            if it.kind in (W, MK):
                nxt_item = self.items[self.pos + 1] if self.pos + 1 < self.hi else None
                if (it.kind == W and nxt_item is not None and nxt_item.kind == LP
                        and nxt_item.start == it.end and it.text.isalpha()):
                    return  # "log(...)": a function mclint does not know; not a remark
                # after an operand: a unit or remark before the next operator;
                # before one: a label ("× Maximum sequence length (1024)")
                end = self._words_end(self.pos)
                nxt = self.items[end].kind if end < self.hi else None
                follows = (OP, RP, EQ, LP, None, NL) if after_operand else (LP, Q, FN)
                if end > self.pos and nxt in follows:
                    self.pos = end
                    continue
            return

    def expr(self):
        node = self.term()
        while True:
            save = self.pos
            self.skip_remarks(True)
            it = self.peek()
            if it is None or it.kind != OP or it.text not in ("+", "-"):
                self.pos = save
                return node
            self.pos += 1
            try:
                right = self.term()
            except _NoParse:
                self.pos = save
                return node
            node = BinOp(it.text, node, right)

    def term(self):
        first = self.power()
        rest = []
        while True:
            save = self.pos
            self.skip_remarks(True)
            it = self.peek()
            if it is None or it.kind != OP or it.text not in ("*", "/"):
                self.pos = save
                break
            self.pos += 1
            try:
                rest.append((it.text, self.power()))
            except _NoParse:
                self.pos = save
                break
        return Term(first, tuple(rest)) if rest else first

    def power(self):
        base = self.primary()
        save = self.pos
        it = self.peek()
        if it is not None and it.kind == OP and it.text == "^":
            self.pos += 1
            try:
                return BinOp("^", base, self.power())
            except _NoParse:
                self.pos = save
        return base

    def _bracket_unit(self, node):
        """'(25 * 24 * 3600) s', '(14+2) days': a time unit right after a bracket of bare
        numbers applies to all of it."""
        it = self.peek()
        after = self.items[self.pos + 1] if self.pos + 1 < self.hi else None
        if it is not None and it.kind == W and it.start == self.items[self.pos - 1].end + 1 \
                and all(c.unit is None for c in leaves(node)) \
                and not (after is not None and after.start == it.end and after.text in ("/", "-")):
            spec = unit_forms().get(it.text.lower())
            if spec is not None and spec.kind == "time":
                info = unit_info(spec.unit)
                self.pos += 1
                return Paren(node, it.text, info.factor, info.dimension)
        return node if isinstance(node, Leaf) else Paren(node)

    def primary(self):
        self.skip_remarks(False)
        it = self.peek()
        if it is None:
            raise _NoParse
        if it.kind == Q:
            self.pos += 1
            return Leaf(it.claim)
        if it.kind == LP:
            self.pos += 1
            node = self.expr()
            self.skip_remarks(True)
            close = self.peek()
            if close is None or close.kind != RP:
                raise _NoParse
            self.pos += 1
            return self._bracket_unit(node)
        if it.kind == FN:
            self.pos += 1
            nxt = self.peek()
            if nxt is not None and nxt.kind == LP:
                self.pos += 1
                args = [self.expr()]
                while self.peek() is not None and self.peek().kind == COMMA:
                    self.pos += 1
                    args.append(self.expr())
                self.skip_remarks(True)
                close = self.peek()
                if close is None or close.kind != RP:
                    raise _NoParse
                self.pos += 1
                return Call(it.text, tuple(args))
            return Call(it.text, (self.primary(),))
        raise _NoParse


def _parse(items: list[Item], lo: int, hi: int):
    """Parse the longest expression starting at lo: (node, end) or (None, lo)."""
    p = _Parser(items, lo, hi)
    try:
        node = p.expr()
    except (_NoParse, RecursionError):
        return None, lo
    return node, p.pos


def _exact(items: list[Item], lo: int, hi: int):
    """Parse items[lo:hi] as one expression that uses all of them (remarks allowed)."""
    p = _Parser(items, lo, hi)
    try:
        node = p.expr()
        p.skip_remarks(True)
    except (_NoParse, RecursionError):
        return None
    return node if p.pos >= hi else None


@dataclass(frozen=True)
class Side:
    """One side of a chain: its expression, its items [start, end), and a problem if any."""

    node: object
    start: int
    end: int
    problem: str | None = None
    breakdown: object = None    # "24 GPU days (9 days + 15 days) = ...": the bracket's sum


def _breakdown(quantity: Claim | None, node) -> object:
    """'24 GPU days (9 days initial + 15 days second phase) = 2.07e6 seconds': a quantity
    followed by a bracket that only adds quantities of its own dimension is the quantity
    broken down, not a factor; the bracket's expression, or None."""
    if not isinstance(node, Paren) or node.dimension or quantity is None or \
            quantity.unit is None:
        return None
    parts = summands(node.node, "+")
    if parts is None or len(parts) < 2 or \
            any(c.unit is None or c.dimension != quantity.dimension for c in parts):
        return None
    return node.node


def _left_expression(items: list[Item], lo: int, hi: int) -> Side | None:
    """The expression that ends right before an '=': the earliest start that parses.

    None when nothing numeric precedes the '='.  A side whose start cannot be read (an
    operator before it, or a number right before its bracket) carries the problem.
    """
    for start in range(max(lo, hi - MAX_ITEMS), hi):
        if items[start].kind not in (Q, LP, FN):
            continue
        node = _exact(items, start, hi)
        if node is None:
            continue
        if isinstance(node, Leaf) and any(items[j].kind == W for j in range(start + 1, hi)) \
                and not _unit_words_only(items, start, hi):
            return None  # "0.3 utilization rate FLOP = ...": a label, not a value
        before = _previous_significant(items, start, lo)
        if before is not None and before[1].kind in (OP, RP):
            return Side(node, before[0], hi, f"could not read the start of the calculation "
                                             f"('{before[1].text}' before it)")
        if before is not None and before[1].kind == Q and items[start].kind == LP:
            parts = _breakdown(before[1].claim, node)
            if parts is not None and items[hi - 1].kind == RP:
                return Side(Leaf(before[1].claim), before[0], hi, breakdown=parts)
            return Side(node, before[0], hi, f"could not account for "
                                             f"'{before[1].text}' before a bracket")
        return Side(node, start, hi)
    return None


def _unit_words_only(items: list[Item], start: int, hi: int) -> bool:
    """'30 days =': the words after a single number are its remark, read into the claim."""
    return all(items[j].kind in (NL,) for j in range(start + 1, hi))


def _previous_significant(items: list[Item], k: int, lo: int) -> tuple[int, Item] | None:
    j = k - 1
    while j >= lo and items[j].kind == NL:
        j -= 1
    return (j, items[j]) if j >= lo else None


def _right_expression(items: list[Item], lo: int, hi: int, previous) -> Side | None:
    """The expression after an '=', continuing the previous value after an operator.

    "2.70e20 -> × 0.40 = 1.08e20": a part that starts with '×' or '/' continues the value
    before it.  An expression followed by an operator it cannot use ("= 5.3e20 *
    utilization") is incomplete: its side carries the problem.
    """
    k = lo
    while k < hi and items[k].kind == NL:
        k += 1
    if k < hi and items[k].kind == OP and items[k].text in ("*", "/") and previous is not None:
        rest = []
        p = _Parser(items, k, hi)
        while True:
            it = p.peek()
            if it is None or it.kind != OP or it.text not in ("*", "/"):
                break
            p.pos += 1
            try:
                rest.append((it.text, p.power()))
            except (_NoParse, RecursionError):
                return None
            p.skip_remarks(True)
        return Side(Term(previous, tuple(rest)), k, p.pos) if rest else None
    node, end = _parse(items, k, hi)
    if node is None:
        return None
    nxt = items[end] if end < hi else None
    if nxt is not None and nxt.kind == OP:
        return Side(node, k, end, f"the result is followed by '{nxt.text}' and something "
                                  "mclint cannot read")
    return Side(node, k, end)


# ----------------------------------------------------------------------------- finders

def _regions(items: list[Item]) -> list[tuple[int, int]]:
    """Split the stream at hard breaks, and at line breaks not next to an operator."""
    regions = []
    lo = 0
    for k, it in enumerate(items):
        cut = it.kind == BREAK
        if it.kind == NL:
            prev = items[k - 1].kind if k else None
            nxt = items[k + 1].kind if k + 1 < len(items) else None
            cut = prev not in (OP, EQ, LP) and nxt not in (OP, EQ, RP)
        if cut:
            if k > lo:
                regions.append((lo, k))
            lo = k + 1
    if lo < len(items):
        regions.append((lo, len(items)))
    return regions


def _skip_trailing(items: list[Item], k: int, hi: int) -> int:
    """Skip remarks after an expression: '0.4 (utilization)', '... FLOP per token'."""
    p = _Parser(items, k, hi)
    p.skip_remarks(True)
    return p.pos


def _split_thousands(items: list[Item], k: int, before: bool) -> bool:
    """'7, 473 × 5 = 37, 365': a number cut in two by a copied thousands separator."""
    if before:
        return k >= 2 and items[k - 1].kind == COMMA and items[k - 2].kind == Q
    return (k + 1 < len(items) and items[k].kind == COMMA and items[k + 1].kind == Q
            and len(items[k + 1].text.strip()) == 3 and items[k + 1].text.isdigit())


def _chains(items: list[Item], lo: int, hi: int, text: str) -> list[Calculation]:
    """The chains of a region: 'a op b = c = d', one calculation per run of '='."""
    eqs = [k for k in range(lo, hi) if items[k].kind == EQ]
    if not eqs:
        return []
    calcs: list[Calculation] = []
    steps: list[Step] = []
    problem: str | None = None
    first = lo
    span = [None, None]     # item range of the chain being built
    left = _left_expression(items, lo, eqs[0])
    if left is not None and _split_thousands(items, left.start, before=True):
        left = None
    label = ""

    def close():
        nonlocal steps, problem, span
        if steps or problem:
            calcs.append(_chain(items, steps, label, span, problem, text))
        steps, problem, span = [], None, [None, None]

    for n, eq_k in enumerate(eqs):
        seg_end = eqs[n + 1] if n + 1 < len(eqs) else hi
        right = _right_expression(items, eq_k + 1, seg_end, left.node if left else None)
        if right is not None and _split_thousands(items, right.end, before=False):
            right = None
        if left is not None and right is not None:
            eq = items[eq_k]
            if span[0] is None:
                span[0] = left.start
                label = text[items[first].start:items[left.start].start].strip() \
                    .rstrip("=≈~").strip()[-40:]
            span[1] = right.end
            problem = problem or left.problem or right.problem
            if left.breakdown is not None:
                # the quantity and its breakdown are one more statement of the chain
                s, e = items[left.start].start, items[left.end - 1].end
                steps.append(Step(left.node, left.breakdown, text=text[s:e], start=s, end=e,
                                  relation="="))
            s, e = items[left.start].start, items[right.end - 1].end
            steps.append(Step(left.node, right.node, approx=eq.approx, text=text[s:e], start=s,
                              end=e, relation=eq.text))
        if n + 1 == len(eqs):
            break
        if right is not None and right.problem is None and \
                _skip_trailing(items, right.end, seg_end) >= seg_end:
            left = Side(right.node, right.start, right.end)
        else:
            # prose between two '=': a new chain starts at the expression before the next '='
            close()
            first = eq_k + 1
            left = _left_expression(items, eq_k + 1, seg_end)
    close()
    return calcs


def _expressions(items: list[Item], lo: int, hi: int, text: str) -> list[Expression]:
    """Arithmetic in a region with no result: each longest parse that holds an operator
    and two numbers, every number in its span read, units all known."""
    out: list[Expression] = []
    k = lo
    while k < hi:
        if items[k].kind not in (Q, LP, FN) or (
                (before := _previous_significant(items, k, lo)) is not None
                and before[1].kind in (Q, OP, RP)):
            k += 1
            continue
        node, end = _parse(items, k, hi)
        used = leaves(node) if node is not None else []
        if node is None or isinstance(node, Leaf) or len(used) < 2:
            k += 1
            continue
        ids = {id(c) for c in used}
        if all(items[j].kind != Q or id(items[j].claim) in ids for j in range(k, end)) \
                and not any(c.unknown_unit for c in used) \
                and not any(items[j].spoken for j in range(k, end)):
            s, e = items[k].start, items[end - 1].end
            out.append(Expression(node, text[s:e], s, e))
        k = end
    return out


def _chain(items: list[Item], steps: list[Step], label: str, span, problem: str | None,
           text: str) -> Calculation:
    """A chain, skipped when it has a problem or a number in its span it does not read."""
    steps = steps[:MAX_STEPS]
    lo, hi = span
    start, end = items[lo].start, items[hi - 1].end
    if problem is None:
        used = {id(c) for s in steps for side in (s.left, s.right) for c in leaves(side)}
        for k in range(lo, hi):
            it = items[k]
            if it.kind == Q and id(it.claim) not in used:
                problem = f"could not account for '{it.text}'"
                break
    if problem is None:
        for s in steps:
            unknown = [c for c in leaves(s.left) + leaves(s.right) if c.unknown_unit]
            if unknown:
                problem = (f"the unit of '{unknown[0].text} {unknown[0].unknown_unit}' is not "
                           "one mclint knows")
                break
    return Calculation("chain", tuple(steps), start, end, label=label, skip=problem)


def _prose(items: list[Item], lo: int, hi: int, text: str) -> list[Calculation]:
    """'Multiplying A by B, C and D, we get R'."""
    out = []
    for k in range(lo, hi):
        it = items[k]
        if it.kind != W or it.text.lower() not in PROSE_TRIGGERS:
            continue
        factors: list[Leaf] = []
        j = k + 1
        result = None
        while j < hi:
            cur = items[j]
            if cur.kind == Q:
                factors.append(Leaf(cur.claim))
                j += 1
                continue
            words = _words_at(items, j, hi)
            trigger = next((t for t in PROSE_RESULTS if words[:len(t)] == t), None)
            if trigger and factors:
                r = j
                while r < hi and items[r].kind != Q:
                    r += 1
                if r < hi and r - j <= len(trigger) + 2:
                    result = items[r]
                break
            if cur.kind in (EQ, OP):
                break
            j += 1
        if result is not None and len(factors) >= 2:
            node = Term(factors[0], tuple(("*", f) for f in factors[1:]))
            s, e = it.start, result.end
            step = Step(node, Leaf(result.claim), text=text[s:e], start=s, end=e)
            skip = None
            unknown = [f.claim for f in factors if f.claim.unknown_unit]
            if unknown:
                skip = f"the unit of '{unknown[0].text} {unknown[0].unknown_unit}' is not one " \
                       "mclint knows"
            out.append(Calculation("prose", (step,), s, e, label=it.text, skip=skip))
    return out


def _words_at(items: list[Item], j: int, hi: int) -> tuple[str, ...]:
    words = []
    while j < hi and len(words) < 3:
        it = items[j]
        if it.kind == W:
            words.append(it.text.lower())
        elif it.kind == EQ:
            words.append(it.text)
        elif it.kind != COMMA:
            break
        j += 1
    return tuple(words)


PAREN_GLUE = {"(", "(~", "(≈", "(i.e.", "(or", "(about", "(approximately", "(roughly",
              "(approx.", "(=", "(~="}
ROUNDED_GLUE = {"(roundedto", "(roundto", ",roundedto", "roundedto", "(roundeddownto",
                "(roundedupto", "(≈roundedto"}
OR_GLUE = {",or", "or", ",i.e.", "i.e.", ",i.e.,", "orabout", ",orabout", ",orroughly",
           ",or~", "or~", ",orapproximately", "orapproximately", ",or≈", "or≈"}


# A line that only restates the result of the line before it ("... = 35,520,000" then
# "Final estimate ≈ 3.2 × 10^7 datapoints"): its words, before the figure.  A line that
# names a quantity ("Final unique datapoints: 1,400,000", "Total = 214272") is another
# statement, not this one.  After a blank line a "Final estimate" concludes the whole
# note, not the paragraph above it (a range's maximum, a training split): not read.  "Final estimate" and "rounded" say the figure is rounded:
# the restatement is approximate, however it is written ("= 4.0 × 10^7" for 3.75e7).
RESTATING_HEADS = {"final", "rounded", "estimate", "result"}
RESTATING_WORDS = RESTATING_HEADS | {"to", "≈", "~", "=", "~=", ":", "-", "*", "•",
                                     "approximately", "approx", "approx.", "roughly", "about"}
LINE_TAIL = re.compile(r"^[A-Za-z .()]{0,30}$")     # "= 6,263,000 points", no number after


def _restating_line(a: Claim, b: Claim, text: str) -> bool:
    """Whether b, alone on its line, restates a, the concluded last figure of the line
    before."""
    glue = text[a.end:b.start]
    if glue.count("\n") != 1 or not a.concluded or a.bound or b.bound:
        return False
    tail, head = glue.split("\n")
    if not LINE_TAIL.match(tail) or text[b.end:].split("\n", 1)[0].strip() not in ("", "."):
        return False
    words = re.findall(r"[a-z]+\.?|[^\sa-z]+", head.lower())
    spaced = [w for x in words for w in ([x] if x in RESTATING_WORDS else list(x))]
    return bool(spaced) and set(spaced) <= RESTATING_WORDS and bool(set(spaced) & RESTATING_HEADS)


# "Geometric mean: 1.07e20" on a line of its own, under the estimates the note computed:
# the mean of those estimates, named but not written out.  The line holds only the words
# and the figure ("Took the geometric mean of these three estimates: 4.3e24 FLOP").
MEAN_HEAD = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:(?:we\s+)?(?:took|take|taking|using|use)\s+)?(?:the\s+|a\s+)?"
    r"geometric\s+mean(?:\s+of\s+(?:the(?:se)?\s+|both\s+|all\s+)?"
    r"(?P<n>two|three|four|[2-4])?\s*(?:estimates?|methods?|values?|approaches))?"
    r"\s*(?:is|=|:|->|→|=>|≈|~|of)?\s*(?:~|≈|approximately|about|roughly)?\s*$",
    re.IGNORECASE)
COUNT_WORDS = {"two": 2, "three": 3, "four": 4}
MEAN_REACH = 100            # characters a mean's line may run before and after its figure


def _means_of_estimates(claims: list[Claim], calcs: list[Calculation], text: str
                        ) -> list[Calculation]:
    """'Geometric mean: 1.07e20' below '... = 1.4e20 FLOP' and '... = 8.11e19': the
    geometric mean of the results of the note's calculations above it.  Read only when the
    results above are exactly as many as the text says (two when it does not say), and of
    one kind of quantity; otherwise listed as not checked, with the reason."""
    out = []
    consumed = {id(c) for calc in calcs for st in calc.steps
                for c in leaves(st.left) + leaves(st.right)}
    for b in claims:
        if id(b) in consumed or b.high is not None or b.bound or "mean" not in \
                text[max(0, b.start - MEAN_REACH):b.start].lower():
            continue
        # the line's head and tail, looked at no further than such words reach (a long
        # line of numbers is not sliced to its ends once per number)
        start = text.rfind("\n", max(0, b.start - MEAN_REACH), b.start) + 1
        end = text.find("\n", b.end, b.end + MEAN_REACH)
        end = len(text) if end < 0 and len(text) - b.end <= MEAN_REACH else end
        if start == 0 and b.start > MEAN_REACH or end < 0:
            continue
        m = MEAN_HEAD.match(text[start:b.start])
        if m is None or not LINE_TAIL.match(text[b.end:end]):
            continue
        n = m.group("n")
        n = 2 if n is None else COUNT_WORDS.get(n.lower()) or int(n)
        results = [calc.steps[-1].right for calc in calcs
                   if calc.kind in ("chain", "prose") and not calc.skip and calc.end <= start]
        results = [r.claim for r in results if isinstance(r, Leaf)]
        kinds = {r.kind for r in results if r.kind} | ({b.kind} if b.kind else set())
        units = {(r.unit, r.factor) for r in results if r.unit}
        text_of = text[start:b.end].strip()
        skip = None
        if len(kinds) > 1:
            skip = "the results above are of different kinds: which are the estimates?"
        elif len(units) > 1:
            skip = "the results above are in different units"
        elif len(results) != n:
            skip = (f"the note computes {len(results)} result{'s' * (len(results) != 1)} "
                    f"above, not the {n} estimates a mean of them needs")
        elif not _between(b, results, next(iter(units))[1] if units else 1.0):
            # a mean lies between what it averages: these are not its estimates
            skip = "the figure is not between the results above: they may not be its estimates"
        if units and skip is None:
            # an estimate written without its unit is in the unit of the others
            u = next(r for r in results if r.unit)
            results = [r if r.unit else replace(
                r, unit=u.unit, kind=u.kind, factor=u.factor, dimension=u.dimension,
                unit_text=u.unit_text) for r in results]
        lo = start + len(text[start:b.start]) - len(text[start:b.start].lstrip())
        step = Step(Call("gmean", tuple(Leaf(r) for r in results)), Leaf(b), text=text_of,
                    start=lo, end=b.end, approx=bool(re.search(r"[~≈]|approx|about|roughly",
                                                               text[lo:b.start])))
        out.append(Calculation("mean", (step,), lo, b.end, skip=skip))
    return out


def _between(mean: Claim, results: list[Claim], factor: float) -> bool:
    """Whether a stated mean, within its digits, lies between the results, or would at
    another power of ten (a magnitude slip in the mean, which the judge then reports).
    In base units: a mean written without a unit is in the results' unit (`factor`)."""
    lo, hi = mean.number.as_result()
    scale = mean.factor if mean.unit else factor
    least, most = min(r.value for r in results), max(r.value for r in results)
    if least <= 0 or lo <= 0:
        return False
    # the powers of ten that bring [lo, hi] onto [least, most]
    first = math.ceil(math.log10(least / (hi * scale)) - 1e-12)
    return 10.0 ** first * lo * scale <= most


def _conversions(claims: list[Claim], text: str) -> list[Calculation]:
    """'7,659,574 seconds, or 89 days'; '93.75 hours (337,500 seconds)'; '11,327,808 (1.13e7)'."""
    out = []
    for a, b in zip(claims, claims[1:]):
        glue = "".join(text[a.end:b.start].split()).lower()
        # the text a finding quotes: "93.75 hours (337,500 seconds)", with its bracket
        close = text.find(")", b.end, b.end + 3) + 1 if "(" in glue else 0
        quoted = text[a.start:max(close, b.end)]
        if glue in ROUNDED_GLUE and (a.unit == b.unit or b.unit is None) and not a.bound:
            # "2.88e+19 FLOP (rounded to 1.2e+18 FLOP)": the rounded figure must still
            # contain the original within its own digits.
            step = Step(Leaf(a), Leaf(b), text=quoted, start=a.start, end=b.end,
                        relation="rounded")
            out.append(Calculation("rounded", (step,), a.start, b.end))
            continue
        if a.high is None and b.high is None and (a.unit == b.unit or None in (a.unit, b.unit)):
            if _restating_line(a, b, text):
                step = Step(Leaf(a), Leaf(b), approx=True, text=text[a.start:b.end],
                            start=a.start, end=b.end, relation="≈")
                out.append(Calculation("restatement", (step,), a.start, b.end))
                continue
        paren = glue in PAREN_GLUE
        if paren:
            if not text[b.end:b.end + 3].lstrip().startswith(")"):
                continue
        elif glue not in OR_GLUE:
            continue
        if a.high is not None or b.high is not None or a.bound or b.bound:
            continue
        if a.kind and a.kind == b.kind and a.kind in CONVERTIBLE and a.unit != b.unit:
            kind = "conversion"
        elif paren and (b.unit is None or b.unit == a.unit) and restates(a, b):
            kind = "restatement"
        else:
            continue
        approx = any(w in glue for w in ("~", "≈", "about", "approx", "roughly"))
        step = Step(Leaf(a), Leaf(b), approx=approx, text=quoted, start=a.start, end=b.end,
                    relation="(" if paren else "or")
        out.append(Calculation(kind, (step,), a.start, b.end))
    return out


def _bracket_formulas(v, claims: list[Claim], index: _Index, text: str
                      ) -> list[Calculation]:
    """'4 million tokens (4096 * 1024)', '262.6M parameters (2048x128k)': a result and,
    in brackets right after it, the formula it comes from.  The bracket must hold one
    expression of at least two numbers that uses every item in it."""
    out = []
    for a in claims:
        k = a.end_token
        while k < v.n and v.is_space[k]:
            k += 1
        if k >= v.n or v.text[k] != "(" or a.high is not None or a.bound:
            continue
        depth, close = 0, None
        for j in range(k, min(v.n, k + 40)):
            if v.text[j] == "(":
                depth += 1
            elif v.text[j] == ")":
                depth -= 1
                if depth == 0:
                    close = j
                    break
        if close is None:
            continue
        items = _items(v, index, text, k + 1, close)
        if sum(it.kind == Q for it in items) < 2 or not any(it.kind == OP for it in items) \
                or any(it.kind in (EQ, BREAK, MK) for it in items):
            continue
        node = _exact(items, 0, len(items))
        if node is None or isinstance(node, Leaf):
            continue
        end = v.end_char(close)
        after = _operator_after(v, close + 1)
        if after is not None:
            # "8.4e24 FLOP (2500*9.9e14+2500*3.12e14)*60*60*24*60*0.5": the bracket
            # opens the formula, which goes on; it is read whole, to the end of the line
            node, end = _continued_formula(v, index, text, k, after)
            if node is None:
                continue
        step = Step(Leaf(a), node, text=text[a.start:end], start=a.start, end=end,
                    relation="(")
        out.append(Calculation("chain", (step,), a.start, end))
    return out


def _operator_after(v, k: int) -> int | None:
    """The token after k's spaces when it is an arithmetic operator, else None."""
    while k < v.n and v.is_space[k] and "\n" not in v.text[k]:
        k += 1
    if k < v.n and (v.text[k] in TIMES - {"x", "X"} or v.text[k] in DIVIDE
                    or v.text[k] in ("+", "^")):
        return k
    return None


def _continued_formula(v, index: _Index, text: str, k: int, op: int):
    """The formula that opens with the bracket at token k and goes on after it: (node,
    end offset) when one expression uses every number up to the end of the line, or up to
    a sentence's end (at most MAX_FORMULA_TOKENS on); (None, None) otherwise."""
    hi, last = op, min(v.n, op + MAX_FORMULA_TOKENS)
    while hi < last and "\n" not in v.text[hi] and not (
            v.text[hi] in HARD_BREAKS and (hi + 1 >= v.n or v.is_space[hi + 1])):
        hi += 1
    items = _items(v, index, text, k, hi)
    p = _Parser(items, 0, len(items))
    try:
        node = p.expr()
        p.skip_remarks(True)
    except (_NoParse, RecursionError):
        return None, None
    if any(it.kind in (Q, OP, EQ) for it in items[p.pos:]):
        return None, None
    return node, items[p.pos - 1].end


TRIGGERS = EQUALS | {"~", ">"} | PROSE_TRIGGERS | {"equals", "equal"}
OPERANDS_BETWEEN = {"*", "×", "+"}     # "13*20*4/3 billion": arithmetic with no result


def _active_spans(v) -> list[tuple[int, int]]:
    """Token spans worth parsing: the paragraphs around a relation sign or a trigger word,
    or an operator glued between two numbers.

    Most text states numbers without arithmetic; building the item stream only where a
    relation appears keeps the parser off it.
    """
    num = v.like_num
    hits = [i for i, (t, low) in enumerate(zip(v.text, v.lower)) if t in TRIGGERS
            or low in TRIGGERS or (t in OPERANDS_BETWEEN and 0 < i < v.n - 1 and num[i - 1]
                                   and num[i + 1])]
    if not hits:
        return []
    spans: list[list[int]] = []
    for i in hits:
        if spans and i < spans[-1][1]:
            continue        # in the paragraph already taken: each token is scanned once
        a = i
        while a > 0 and not (v.is_space[a - 1] and v.text[a - 1].count("\n") >= 2):
            a -= 1
        b = i + 1
        while b < v.n and not (v.is_space[b] and v.text[b].count("\n") >= 2):
            b += 1
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [(a, b) for a, b in spans]


class CalculationFinder:
    """spaCy component: put the note's stated calculations on doc._.mc_calculations."""

    def __init__(self, nlp: Language):
        pass

    def __call__(self, doc: Doc) -> Doc:
        claims: list[Claim] = doc._.mc_claims or []
        if not claims:
            doc._.mc_calculations = []
            doc._.mc_expressions = []
            return doc
        v = view(doc)
        text = v.doc_text
        index = _index(claims, doc._.mc_marks or [])
        calcs: list[Calculation] = []
        expressions: list[Expression] = []
        for a, b in _active_spans(v):
            items = _items(v, index, text, a, b)
            for lo, hi in _regions(items):
                if not any(items[k].kind == Q for k in range(lo, hi)):
                    continue
                found = _chains(items, lo, hi, text) + _prose(items, lo, hi, text)
                calcs += found
                if not found:
                    expressions += _expressions(items, lo, hi, text)
        doc._.mc_expressions = expressions
        calcs += _conversions(claims, text)
        taken = {(c.start, c.end) for c in calcs}
        calcs += [c for c in _bracket_formulas(v, claims, index, text)
                  if not any(s <= c.start < e for s, e in taken)]
        calcs += _means_of_estimates(claims, calcs, text)
        calcs.sort(key=lambda c: (c.start, c.end))
        doc._.mc_calculations = calcs
        return doc


@Language.factory("mc_calculations")
def make_calculation_finder(nlp: Language, name: str) -> CalculationFinder:
    return CalculationFinder(nlp)
