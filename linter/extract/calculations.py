"""Find the calculations a note states: chains, prose and conversions.

The claims are already known; this component looks at what lies between them.

* chains: "6 * 340B * 9T = 1.8E25", "a = b = c", results after "=", "≈", "~=", "→",
  with words, units and parenthesised remarks between factors, across a line break
  when the line ends or starts with an operator;
* prose: "Multiplying 7,659,574 seconds by 41% MFU, ... and 6144 H100s, we get ~1.9e25";
* conversions: "7,659,574 seconds, or 89 days", "93.75 hours (337,500 seconds)", and
  restatements in another notation: "11,327,808 (1.13e7)".

Notes are not formulas, so the parser is cautious: an expression that starts or ends
next to something it cannot read ("compute * (712704+8404992)/8404992 = ...") is
incomplete and not checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .components import view

from ..model.claims import BinOp, Calculation, Call, Claim, Leaf, Step, Term, restates

# Item kinds of the stream the parser reads.
Q, OP, LP, RP, EQ, FN, W, COMMA, BREAK, NL = (
    "Q", "OP", "LP", "RP", "EQ", "FN", "W", "COMMA", "BREAK", "NL")

TIMES = {"*", "×", "·", "x", "X"}
DIVIDE = {"/", "÷"}
MINUS = {"-", "−", "–"}
EQUALS = {"=", "≈", "≃", "≅", "→"}
APPROX_EQUALS = {"≈", "≃", "≅", "~", "~="}
ARROWS = {"→", "->", "=>"}
OPEN = {"(", "[", "{"}
CLOSE = {")", "]", "}"}
BULLETS = {"-", "*", "•", "–", "·"}
HARD_BREAKS = {";", ":", ".", "!", "?"}
FUNCTIONS = {"sqrt": "sqrt", "√": "sqrt", "ln": "ln", "log2": "log2", "log10": "log10",
             "exp": "exp"}
# Words that end an annotation: after them the text is prose, not a formula.
STOPWORDS = {"and", "or", "but", "so", "then", "which", "that", "is", "are", "was", "were",
             "we", "it", "this", "these", "if", "when", "while", "because", "since",
             "compared", "vs", "versus", "than", "where", "with", "gives", "get", "yields"}
PROSE_TRIGGERS = {"multiplying", "multiply", "multiplied"}
PROSE_RESULTS = [("we", "get"), ("we", "obtain"), ("gives",), ("yields",), ("results", "in"),
                 ("equals",), ("to", "get"), ("get",), ("=",), ("≈",), ("gives", "us"),
                 ("comes", "to"), ("which", "is")]
CONVERTIBLE = {"time", "flop", "flop_rate", "bytes", "chip_time", "core_time"}
MAX_WORDS = 4          # annotation words allowed between two parts of an expression
MAX_ITEMS = 400        # longest expression we parse
MAX_STEPS = 50         # "a = b = c ...": steps checked per chain


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    start: int            # character offsets
    end: int
    claim: Claim | None = None
    approx: bool = False


# ------------------------------------------------------------------------ item stream

def _items(v, claims: list[Claim], text: str, lo: int = 0, hi: int | None = None) -> list[Item]:
    """Turn tokens lo..hi into the item stream: claims, operators, brackets, words, breaks."""
    by_token = {c.token: c for c in claims}
    out: list[Item] = []
    i, n = lo, v.n if hi is None else hi
    while i < n:
        c = by_token.get(i)
        if c is not None:
            out.append(Item(Q, c.text, c.start, c.end, c))
            i = max(c.end_token, i + 1)
            continue
        t = v.text[i]
        s, e = v.idx[i], v.idx[i] + len(t)
        nxt = v.text[i + 1] if i + 1 < n else ""
        pair = None
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
        if v.is_space[i]:
            kind = BREAK if t.count("\n") >= 2 else (NL if "\n" in t else None)
            if kind:
                out.append(Item(kind, t, s, e))
        elif t in EQUALS:
            out.append(Item(EQ, t, s, e, approx=t in APPROX_EQUALS))
        elif t == "~":
            # "~" between an expression and a number relates them; before a number it
            # is a hedge, already read into the claim.
            if out and out[-1].kind == RP and (i + 1) in by_token:
                out.append(Item(EQ, "~", s, e, approx=True))
        elif t in TIMES or t in DIVIDE or t in MINUS or t in ("+", "^"):
            op = ("x" if t in ("x", "X") else "*" if t in TIMES else "/" if t in DIVIDE
                  else "-" if t in MINUS else t)
            out.append(Item(OP, op, s, e, approx=v.space[i]))
        elif t in OPEN:
            out.append(Item(LP, t, s, e))
        elif t in CLOSE:
            out.append(Item(RP, t, s, e))
        elif t.lower() in FUNCTIONS:
            out.append(Item(FN, FUNCTIONS[t.lower()], s, e))
        elif t == ",":
            out.append(Item(COMMA, t, s, e))
        elif t in HARD_BREAKS:
            out.append(Item(BREAK, t, s, e))
        else:
            out.append(Item(W, t, s, e))
        i += 1
    return _resolve_operators(out, text)


def _resolve_operators(items: list[Item], text: str) -> list[Item]:
    """Decide which operator-looking characters are operators.

    A '-', '*' or '•' opening a line is a bullet; a '-' or '/' glued to a word is part
    of a name or unit ("Qwen2-72B", "FLOP/s", "batches/epoch"); an 'x' is a times sign
    only between two operands.  The OP item's `approx` flag (reused) says whether
    whitespace followed it.
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
            out.append(word)  # no unary minus: signed numbers are single tokens
        else:
            out.append(Item(OP, it.text, it.start, it.end))
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

    An operator whose operand cannot be read is left unconsumed, so the parse ends
    with the longest readable prefix.
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
        while (j < self.hi and j - k < MAX_WORDS and self.items[j].kind == W
               and self.items[j].text.lower() not in STOPWORDS):
            j += 1
        return j

    def _group_end(self, k: int, after_operand: bool) -> int | None:
        """End of a bracketed remark at k, or None.

        Before an operand only words make a remark ("* (peak flops) 989").  Right after
        an operand any short bracket is one: "256 (16x16x) TPUv3 chips x ...",
        "20.4M (Number of sequences)" -- a note does not multiply by juxtaposition.
        """
        depth = 0
        for j in range(k, min(self.hi, k + 16)):
            kind = self.items[j].kind
            if kind == LP:
                depth += 1
            elif kind == RP:
                depth -= 1
                if depth == 0:
                    return j + 1
            elif kind in (W, COMMA) or (after_operand and kind in (Q, OP)):
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
                end = self._group_end(self.pos, after_operand)
                if end is None:
                    return
                self.pos = end
                continue
            if it.kind == W:
                nxt_item = self.items[self.pos + 1] if self.pos + 1 < self.hi else None
                if (nxt_item is not None and nxt_item.kind == LP and nxt_item.start == it.end
                        and it.text.isalpha()):
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
            return node
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


def _is_operand_start(it: Item) -> bool:
    return it.kind in (Q, LP, FN)


def _left_expression(items: list[Item], lo: int, hi: int):
    """The expression that ends right before an '=': the earliest start that parses.

    Returns (node, start), or (None, hi) when there is none or it is incomplete
    (an operator or a number right before it means part of it is not numeric).
    """
    for start in range(max(lo, hi - MAX_ITEMS), hi):
        if not _is_operand_start(items[start]):
            continue
        node = _exact(items, start, hi)
        if node is None:
            continue
        if isinstance(node, Leaf) and any(items[j].kind == W for j in range(start + 1, hi)):
            return None, hi  # "0.3 utilization rate FLOP = ...": a label, not a value
        before = _previous_significant(items, start, lo)
        # An operator before the expression means part of it is not numeric; a number
        # before a bracket is an implicit product ("78,024 (1/3) = 26,008").  A number
        # before a number is a label ("3.1  12 * 10^6 * ... = 1.823e21").
        if before is not None and (before.kind in (OP, RP) or (
                before.kind == Q and items[start].kind == LP)):
            return None, hi
        return node, start
    return None, hi


def _previous_significant(items: list[Item], k: int, lo: int) -> Item | None:
    j = k - 1
    while j >= lo and items[j].kind == NL:
        j -= 1
    return items[j] if j >= lo else None


def _right_expression(items: list[Item], lo: int, hi: int, previous):
    """The expression after an '=': (node, end), continuing the previous value after an operator.

    "2.70e20 -> × 0.40 = 1.08e20": a part that starts with '×' or '/' continues
    the value before it.
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
                return None, lo
            p.skip_remarks(True)
        return (Term(previous, tuple(rest)), p.pos) if rest else (None, lo)
    node, end = _parse(items, k, hi)
    if node is None:
        return None, lo
    nxt = items[end] if end < hi else None
    if nxt is not None and nxt.kind == OP:
        return None, lo  # "= 5.3e20 * utilization": an incomplete expression
    return node, end


def _first_operand(node) -> Leaf | None:
    """The leading number of an expression such as '547 steps/epoch * 20 epochs'."""
    if isinstance(node, Term) and isinstance(node.first, Leaf):
        return node.first
    if isinstance(node, BinOp) and node.op in ("+", "-"):
        return _first_operand(node.left) if not isinstance(node.left, Leaf) else node.left
    return None


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
    eqs = [k for k in range(lo, hi) if items[k].kind == EQ]
    if not eqs:
        return []
    calcs = []
    steps: list[Step] = []
    first = lo  # where the current chain's text begins, for its label
    left, left_start = _left_expression(items, lo, eqs[0])
    if left is not None and _split_thousands(items, left_start, before=True):
        left = None
    for n, eq_k in enumerate(eqs):
        seg_end = eqs[n + 1] if n + 1 < len(eqs) else hi
        right, right_end = _right_expression(items, eq_k + 1, seg_end, left)
        if right is not None and _split_thousands(items, right_end, before=False):
            right = None
        if left is not None and right is not None:
            eq = items[eq_k]
            s, e = items[left_start].start, items[right_end - 1].end
            alt = _first_operand(right) if not isinstance(left, Leaf) else None
            if not steps:
                label = text[items[first].start:s].strip().rstrip("=≈~").strip()[-40:]
            steps.append(Step(left, right, approx=eq.approx, text=text[s:e], start=s, end=e,
                              relation=eq.text, alt_right=alt))
        if n + 1 == len(eqs):
            break
        if right is not None and _skip_trailing(items, right_end, seg_end) >= seg_end:
            left, left_start = right, eq_k + 1
            while items[left_start].kind == NL:
                left_start += 1
        else:
            # prose between two '=': a new chain starts at the expression before the next '='
            if steps:
                calcs.append(_chain(steps, label))
                steps = []
            first = eq_k + 1
            left, left_start = _left_expression(items, eq_k + 1, seg_end)
    if steps:
        calcs.append(_chain(steps, label))
    return calcs


def _chain(steps: list[Step], label: str) -> Calculation:
    steps = steps[:MAX_STEPS]
    return Calculation("chain", tuple(steps), steps[0].start, steps[-1].end, label=label)


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
            out.append(Calculation("prose", (step,), s, e, label=it.text))
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
        step = Step(Leaf(a), Leaf(b), approx=approx, text=quoted, start=a.start, end=b.end)
        out.append(Calculation(kind, (step,), a.start, b.end))
    return out


def _active_spans(v, claims: list[Claim]) -> list[tuple[int, int]]:
    """Token spans worth parsing: the paragraphs around an '=' sign or a prose trigger.

    Most text states numbers without arithmetic; building the item stream only where a
    relation sign or "multiplying" appears keeps the parser off it.
    """
    hits = [i for i, (t, low) in enumerate(zip(v.text, v.lower))
            if t in EQUALS or t in ("~", ">") or low in PROSE_TRIGGERS]
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
            return doc
        v = view(doc)
        text = v.doc_text
        calcs: list[Calculation] = []
        for a, b in _active_spans(v, claims):
            items = _items(v, claims, text, a, b)
            for lo, hi in _regions(items):
                if not any(items[k].kind == Q for k in range(lo, hi)):
                    continue
                calcs += _chains(items, lo, hi, text)
                calcs += _prose(items, lo, hi, text)
        calcs += _conversions(claims, text)
        calcs.sort(key=lambda c: (c.start, c.end))
        doc._.mc_calculations = calcs
        return doc


@Language.factory("mc_calculations")
def make_calculation_finder(nlp: Language, name: str) -> CalculationFinder:
    return CalculationFinder(nlp)
