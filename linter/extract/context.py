"""spaCy component: read what the words around a claim say: hedges, bounds, sentence, role.

Roles come from the role registry (linter/quantities/roles.py): its bindings say which
unit kinds and which nearby keywords give a claim each role.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ..model import numbers as nums
from ..model.claims import Claim, Mention
from .patterns import load_patterns
from .view import TokenView, view


class ContextReader:
    """Read what the words around a claim say: hedges, bounds, sentence and role."""

    def __init__(self, nlp: Language, bindings: list):
        p = load_patterns()
        self.hedges = set(p["hedges"])
        self.upper = [tuple(x) for x in p["upper_bounds"]]
        self.lower = [tuple(x) for x in p["lower_bounds"]]
        self.bindings = tuple(bindings)
        self.indexes: list[dict[str, list[tuple[str, ...]]]] = []
        for b in self.bindings:
            index: dict[str, list[tuple[str, ...]]] = {}
            for words in b.keywords:
                index.setdefault(words[0], []).append(words)
            self.indexes.append(index)
        self.reach = (max((b.before for b in self.bindings), default=4),
                      max((b.after for b in self.bindings), default=4))
        # the bindings a claim of each unit kind may take, in order (most claims' kind
        # rules out most bindings)
        self.by_kind: dict[str | None, list] = {}
        self.conclusions = [(tuple(x), 8) for x in p["conclusions"]]
        self.conclusions += [(tuple(x), 4) for x in p["near_conclusions"]]
        self.conclusion_index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for words, reach in self.conclusions:
            self.conclusion_index.setdefault(words[0], []).append((words, reach))
        self.bound_ends: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for kind, table in (("upper", self.upper), ("lower", self.lower)):
            for words in table:
                self.bound_ends.setdefault(words[-1], []).append((words, kind))

    def __call__(self, doc: Doc) -> Doc:
        claims: list[Claim] = doc._.mc_claims or []
        v = view(doc)
        sentence_of, paragraph_of = _sentence_ids(v)
        doc._.mc_sentences, doc._.mc_paragraphs = sentence_of, paragraph_of
        if not claims:
            doc._.mc_chips = []
            return doc
        lowers = v.lower
        out = []
        groups = _groups(v, claims)
        words = _Words(lowers)
        for k, c in enumerate(claims):
            hedge, bound = self._hedge(v, lowers, c.token)
            sentence = sentence_of[c.token]
            # A claim's context is its group's ("4096 * 2304 = 9,437,184 tokens" is read
            # in the light of "each batch contained" before it), up to the next group.
            g_lo, g_hi, lo, hi = groups[k]
            role = self._role(lowers, words, c, sentence_of, lo, hi, g_lo, g_hi)
            if hedge == "order of":
                c = replace(c, number=replace(c.number, order=True))
            out.append(_with(c, hedge=hedge, bound=bound, sentence=sentence, role=role,
                             paragraph=paragraph_of[c.token],
                             concluded=self._concluded(lowers, c.token, sentence_of)))
        doc._.mc_claims = out
        doc._.mc_chips = [
            Mention(chip, v.idx[s], v.end_char(e - 1), sentence_of[s], paragraph_of[s],
                    v.doc_text[v.idx[s]:v.end_char(e - 1)])
            for s, e, chip in (doc._.mc_chips or [])
        ]
        return doc

    def _concluded(self, lowers: list[str], i: int, sentence_of: list[int]) -> bool:
        """Whether a conclusion word comes shortly before the claim in its sentence."""
        lo = i - 1
        while lo >= 0 and i - lo <= 8 and sentence_of[lo] == sentence_of[i]:
            lo -= 1
        window = lowers[lo + 1:i]
        size = len(window)
        index = self.conclusion_index
        for k, word in enumerate(window):
            for words, reach in index.get(word, ()):
                if k >= size - reach and tuple(window[k:k + len(words)]) == words and \
                        not any(_numeric(w) for w in window[k + len(words):]):
                    return True   # not "w = 65) to 340": "=" concludes the 65
        return False

    def _hedge(self, v: TokenView, lowers: list[str], i: int) -> tuple[str | None, str | None]:
        """Hedge and bound words right before token i ("~", "about", "more\nthan")."""
        lo = max(0, i - 8)
        for k in range(i - 1, lo - 1, -1):       # hedges and bounds do not cross a line,
            if v.is_space[k] and "\n" in v.text[k] and not (  # but a wrapped phrase does
                    v.text[k] == "\n" and k > 0 and v.text[k - 1].isalpha()):
                lo = k + 1
                break
        before = [k for k in range(lo, i) if not v.is_space[k]][-5:]
        words = [lowers[k] for k in before]
        if words and words[-1] in ("(", "[", "$"):
            words.pop()
            before.pop()
        hedge = None
        if words[-2:] in (["order", "of"], ["of", "order"]):
            return "order of", None     # "on the order of 2e11": its order of magnitude
        if words and words[-1] in self.hedges:
            hedge = v.text[before[-1]]
            if words[-1] == "=" and len(words) > 1 and words[-2] == "~":
                hedge = "~="
                words.pop()
            words.pop()
        if words and words[-1] == "~" and hedge is None:
            hedge = "~"
        if words and words[-1] == ">" and len(words) > 1 and words[-2][-1:] in ("-", "=") \
                and not v.space[before[-2]]:
            return hedge, None      # "->", "=>": an arrow, not "more than"
        if words:
            for bound, bound_kind in self.bound_ends.get(words[-1], ()):
                n = len(bound)
                if len(words) >= n and tuple(words[-n:]) == bound:
                    return hedge, bound_kind
        return hedge, None

    def _role(self, lowers: list[str], words: _Words, c: Claim, sentence_of: list[int],
              lo: int, hi: int, g_lo: int, g_hi: int) -> str | None:
        """The role whose keyword is nearest the claim; else the first default for its kind."""
        best: tuple[int, int, str] | None = None
        default = None
        # every word any role could read (the widest reach): a role none of whose
        # keywords starts here is not looked for word by word
        window = words.between(max(0, g_lo - self.reach[0], lo),
                               min(len(lowers), c.end_token + self.reach[1], max(hi, g_hi)))
        applicable = self.by_kind.get(c.kind)
        if applicable is None:
            applicable = self.by_kind[c.kind] = [
                (order, b, index) for order, (b, index) in enumerate(zip(self.bindings,
                                                                          self.indexes))
                if b.kinds is None or c.kind in b.kinds]
        for order, b, index in applicable:
            if b.large and not c.number.abbreviated and c.number.value < 1e6:
                continue
            if b.fraction and not _is_fraction(c):
                continue
            if b.per_chip and not _per_chip(c):
                continue
            if not b.keywords:
                if default is None:
                    default = b.role
                continue
            if window.isdisjoint(index):
                continue
            distance = _near(lowers, c, sentence_of, index, b.before, b.after, lo, hi,
                             g_lo, g_hi)
            if distance is not None and (best is None or (distance, order) < best[:2]):
                best = (distance, order, b.role)
        return best[2] if best else default


class _Words:
    """The words of a Doc between two tokens, as a set; in a long span (a group of
    thousands of numbers with no sentence break) a view that finds a word by its positions,
    so that each claim's look costs no more than its own reach."""

    LONG = 256

    def __init__(self, lowers: list[str]):
        self.lowers = lowers
        self._at: dict[str, list[int]] | None = None

    def between(self, a: int, b: int):
        if b - a <= self.LONG:
            return set(self.lowers[a:b])
        if self._at is None:
            self._at = {}
            for i, w in enumerate(self.lowers):
                self._at.setdefault(w, []).append(i)
        return _Span(self._at, a, b)


class _Span:
    """`isdisjoint` of the words between tokens a and b, by their positions."""

    def __init__(self, at: dict[str, list[int]], a: int, b: int):
        self.at, self.a, self.b = at, a, b

    def isdisjoint(self, index) -> bool:
        for w in index:
            ps = self.at.get(w)
            if ps:
                i = bisect_left(ps, self.a)
                if i < len(ps) and ps[i] < self.b:
                    return False
        return True


def _numeric(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _is_fraction(c: Claim) -> bool:
    if c.kind == "percent":
        return 0 < c.value <= 1.5
    return c.unit is None and 0 < c.number.value <= 1


def _per_chip(c: Claim) -> bool:
    return c.unit is not None and ("chip" in c.unit) and c.kind == "flop_rate"


def _groups(v: TokenView, claims: list[Claim]) -> list[tuple[int, int, int, int]]:
    """For each claim: its group's token span and the span of text it may read.

    Claims joined only by operators, brackets and '=' form a group (a written-out
    calculation); the text a claim reads runs from the previous group's end to the
    next group's start.
    """
    joiners = set("*×·/÷+-−=≈~^()[]x,") | {"x", "X"}
    spans: list[list[int]] = []  # [first index, last index] of claims per group
    for k, c in enumerate(claims):
        if k and all(v.text[t] in joiners or v.is_space[t] or nums.is_number_text(v.text[t])
                     for t in range(claims[k - 1].end_token, c.token)):
            spans[-1][1] = k
        else:
            spans.append([k, k])
    out = [None] * len(claims)
    for n, (a, b) in enumerate(spans):
        g_lo, g_hi = claims[a].token, claims[b].end_token
        lo = claims[spans[n - 1][1]].end_token if n else 0
        hi = claims[spans[n + 1][0]].token if n + 1 < len(spans) else v.n
        for k in range(a, b + 1):
            out[k] = (g_lo, g_hi, lo, hi)
    return out


def _near(lowers, c: Claim, sentence_of, index: dict, before: int, after: int,
          lo_limit: int, hi_limit: int, g_lo: int, g_hi: int) -> int | None:
    """Distance from the claim to the nearest keyword in its context, or None.

    The context is the claim's sentence, between its neighbouring groups.  Distances
    are in half tokens so that a keyword before the number wins a tie with one after
    it ("sequence length of 4096 tokens means each batch...").  `index` maps a
    keyword's first word to the keywords starting with it.
    """
    sent = sentence_of[c.token]
    lo = max(0, g_lo - before, lo_limit)
    while lo < g_lo and sentence_of[lo] != sentence_of[g_lo]:
        lo += 1
    hi = min(len(lowers), c.end_token + after, max(hi_limit, g_hi))
    best = None

    def at(k: int) -> tuple[str, ...] | None:
        for words in index.get(lowers[k], ()):
            if tuple(lowers[k:k + len(words)]) == words:
                return words
        return None

    for k in range(lo, g_lo):                      # before the group
        words = at(k)
        if words and k + len(words) <= g_lo:
            d = 2 * (g_lo - (k + len(words)))
            best = d if best is None else min(best, d)
    for k in range(c.token, c.end_token):          # inside the claim's unit
        if at(k):
            return 0
    for k in range(c.end_token, hi):               # right after it
        if sentence_of[k] != sent:
            break
        if at(k):
            d = 2 * (k - c.end_token) + 1
            best = d if best is None else min(best, d)
    return best


SENTENCE_END = {".", "!", "?"}


def _sentence_ids(v: TokenView) -> tuple[list[int], list[int]]:
    """Sentence and paragraph index of each token.

    Sentences break after '.', '!', '?' and at line breaks; paragraphs at blank lines.
    """
    ids, paras = [], []
    sent = para = 0
    for text, is_space in zip(v.text, v.is_space):
        ids.append(sent)
        paras.append(para)
        if is_space:
            if "\n" in text:
                sent += 1
                if text.count("\n") >= 2:
                    para += 1
        elif text in SENTENCE_END:
            sent += 1
    return ids, paras


def _with(claim: Claim, **changes) -> Claim:
    """dataclasses.replace for a claim this component has just made (a tenth of the cost:
    no field checks, no __post_init__)."""
    new = object.__new__(Claim)
    new.__dict__.update(claim.__dict__, **changes)
    return new


@Language.factory("mc_context", default_config={"bindings": []})
def make_context_reader(nlp: Language, name: str, bindings: list) -> ContextReader:
    """The context reader with the role bindings of a registry (as plain data: spaCy's
    component configuration holds no Python objects)."""
    from ..quantities.roles import Binding

    return ContextReader(nlp, [Binding(role=b["role"],
                                       kinds=tuple(b["kinds"]) if b["kinds"] is not None else None,
                                       keywords=tuple(tuple(k) for k in b["keywords"]),
                                       before=b["before"], after=b["after"],
                                       fraction=b["fraction"], per_chip=b["per_chip"],
                                       large=b["large"]) for b in bindings])
