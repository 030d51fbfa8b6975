"""spaCy components that turn a note into claims: numbers, units, context and roles.

Each component reads what the previous one left on the Doc (under the `mc_` extension
prefix) and adds its own layer.  Everything they produce is plain Python (numbers.Number,
claims.Claim), so the checks never see a spaCy object.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from .. import numbers as nums
from ..claims import Claim
from ..quantities import UnitSpec, prefix_factor, unit_forms, unit_info
from .patterns import load_patterns

for _name in ("mc_numbers", "mc_claims", "mc_sentences", "mc_calculations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@dataclass(frozen=True)
class NumberSpan:
    """A number found in the tokens: where it is and what it is worth."""

    start: int          # token indices
    end: int
    number: nums.Number
    pattern: str        # SCI, POW, MAG, ONE...
    magnitude: str = ""  # the suffix or word applied ("B", "billion")


# ---------------------------------------------------------------------------- numbers

class NumberFinder:
    """Find numbers in all the forms notes use and read their value and precision."""

    def __init__(self, nlp: Language):
        patterns = load_patterns()
        self.matcher = Matcher(nlp.vocab)
        for label, alternatives in patterns["numbers"].items():
            self.matcher.add(label, alternatives)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
            spans.append(doc[start:end])
            spans[-1].label_ = label
        found: list[NumberSpan] = []
        for span in filter_spans(spans):
            parsed = self._parse(doc, span.start, span.end, span.label_)
            if parsed is not None:
                found.append(parsed)
        doc._.mc_numbers = found
        return doc

    def _parse(self, doc: Doc, start: int, end: int, label: str) -> NumberSpan | None:
        toks = doc[start:end]
        try:
            if label == "ONE":
                if not self._standalone(doc, start, end):
                    return None
                return NumberSpan(start, end, nums.parse_plain(toks[0].text), label)
            if label == "MAG":
                word = toks[1].text
                glued = toks[0].whitespace_ == ""
                if len(word) == 1 and not glued and word.islower():
                    return None  # "9.4 m" may be metres
                if not self._standalone(doc, start, end):
                    return None
                mantissa = nums.parse_plain(toks[0].text)
                factor = nums.magnitude(word)
                if factor is None:
                    return None
                return NumberSpan(start, end, nums.scale(mantissa, factor), label, word)
            if label == "POW":
                exp_tok = [t for t in toks if t.text not in ("10", "^", "*", "(", ")", "{", "}")]
                exp = nums.parse_exponent(exp_tok[-1].text) if exp_tok else 1
                return NumberSpan(start, end, nums.power_of_ten(exp), label)
            if label == "SCI":
                mantissa = nums.parse_plain(toks[0].text)
                last = toks[-1].text if toks[-1].text not in (")", "}") else toks[-2].text
                if last.startswith("10") and len(toks) == 3:
                    exp = nums.parse_exponent(last[2:])
                else:
                    exp = nums.parse_exponent(last)
                return NumberSpan(start, end, nums.scientific(mantissa, exp), label)
            if label == "FRACTION":
                a, b = nums.parse_plain(toks[0].text), nums.parse_plain(toks[2].text)
                factor = nums.magnitude(toks[3].text) or 1
                value = nums.Number(a.value / b.value, a.ulp / b.value, abbreviated=True)
                return NumberSpan(start, end, nums.scale(value, factor), label, toks[3].text)
            if label == "SPACED":
                if any(t.whitespace_ != " " for t in toks[1:-1]):
                    return None
                return NumberSpan(start + 1, end, nums.parse_plain(
                    "".join(t.text for t in toks[1:])), label)
            if label == "LOST":
                mantissa = nums.parse_plain(toks[0].text)
                # Only a mantissa such as 3.4 before "× 1022" reads as 3.4 × 10^22.
                if not (1 <= abs(mantissa.value) < 10 and "." in toks[0].text):
                    return None
                return NumberSpan(start, end, nums.scientific(mantissa, int(toks[2].text[2:])), label)
        except nums.NumberError:
            return None
        return None

    def _standalone(self, doc: Doc, start: int, end: int) -> bool:
        """A number glued to a word before it ("v3", "GPT4") or with a leading zero is no claim."""
        first = doc[start]
        if start > 0:
            prev = doc[start - 1]
            if prev.whitespace_ == "" and prev.is_alpha and len(prev.text) > 1:
                return False
        return not (first.text.startswith("0") and len(first.text) > 1 and first.text[1].isdigit())


# ------------------------------------------------------------------------------ units

class UnitLinker:
    """Attach units to numbers: '989 peak teraFLOP/s', '6144 H100s', '24 hr/day'."""

    def __init__(self, nlp: Language, chips: list[list[str]]):
        patterns = load_patterns()
        self.fillers = set(patterns["unit_fillers"])
        self.specs: dict[str, UnitSpec] = dict(unit_forms())
        for alias, name in chips:
            a = alias.lower()
            self.specs.setdefault(a, UnitSpec("chips", "chip", chip=name))
            self.specs.setdefault(a + "s", UnitSpec("chips", "chip", chip=name))
            for sep in ("-", " "):
                for word, unit in (("hours", "chip * hour"), ("hrs", "chip * hour"),
                                   ("hour", "chip * hour"), ("days", "chip * day"),
                                   ("day", "chip * day"), ("years", "chip * year")):
                    self.specs.setdefault(a + sep + word, UnitSpec("chip_time", unit, chip=name))
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[str, str] = {}
        docs = []
        for form in self.specs:
            doc = nlp.make_doc(form)
            key = " ".join(t.lower_ for t in doc)
            self.keys.setdefault(key, form)
            docs.append(doc)
        self.matcher.add("UNIT", docs)
        self.glue_ok = set(nums.MAGNITUDES) | {"x", "X", "×", "%"}

    def units_at(self, doc: Doc) -> dict[int, tuple[int, UnitSpec]]:
        """Longest unit match starting at each token."""
        out: dict[int, tuple[int, UnitSpec]] = {}
        for _, start, end in self.matcher(doc):
            key = " ".join(t.lower_ for t in doc[start:end])
            spec = self.specs.get(self.keys.get(key, ""))
            if spec is None:
                continue
            if start not in out or out[start][0] < end:
                out[start] = (end, spec)
        return out

    def __call__(self, doc: Doc) -> Doc:
        found: list[NumberSpan] = doc._.mc_numbers or []
        units = self.units_at(doc) if found else {}
        claims: list[Claim] = []
        taken = -1
        for ns in found:
            if ns.start < taken or self._glued_to_word(doc, ns, units):
                continue
            claim = self._claim(doc, ns, units)
            if claim is not None:
                claims.append(claim)
                taken = claim.end_token
        doc._.mc_claims = _ranges(doc, claims)
        return doc

    def _glued_to_word(self, doc: Doc, ns: NumberSpan, units) -> bool:
        """A number glued to a word after it ("1st", "6ND", "3D") is part of that word."""
        last = doc[ns.end - 1]
        if last.whitespace_ or ns.end >= len(doc):
            return False
        nxt = doc[ns.end]
        return nxt.is_alpha and ns.end not in units and nxt.text not in self.glue_ok

    def _unit_after(self, doc: Doc, i: int, units, glued: bool):
        """The unit starting at token i, possibly after fillers, and its end."""
        j = i
        skipped = 0
        while j < len(doc) and skipped <= 3:
            if j in units:
                end, spec = units[j]
                if doc[j].text in ("s", "h") and j != i:
                    return None
                return j, end, spec
            tok = doc[j]
            if tok.lower_ in self.fillers and not tok.is_space:
                j += 1
                skipped += 1
                continue
            return None
        return None

    def _claim(self, doc: Doc, ns: NumberSpan, units) -> Claim | None:
        number = ns.number
        end = ns.end
        glued = doc[ns.end - 1].whitespace_ == ""
        found = self._unit_after(doc, ns.end, units, glued) if ns.end < len(doc) else None
        spec: UnitSpec | None = None
        unit = None
        chip = None
        spread = 0.0
        ambiguous = False
        if found is not None:
            _, end, spec = found
            unit, chip, spread = spec.unit, spec.chip, spec.spread
            # "6144 H100 GPUs": a chip name then the generic noun is one unit;
            # "128 TPUv3 cores" counts cores, not chips.
            if spec.kind == "chips" and end in units and units[end][1].kind in ("chips", "cores"):
                if units[end][1].kind == "cores":
                    spec = units[end][1]
                    unit = spec.unit
                end = units[end][0]
            # Compound units: "FLOP/GPU-sec", "hr/day", "tokens per sequence".
            for _ in range(2):
                k = end
                if k < len(doc) and doc[k].text in ("/", "per"):
                    k += 1
                    if k < len(doc) and doc[k].lower_ in ("a", "each", "one", "every"):
                        k += 1
                    if k in units:
                        den_end, den = units[k]
                        if den.kind == "percent":
                            break
                        if spec.kind == "flop_ambiguous" and den.kind in ("chips", "cores"):
                            # "TFLOPS/GPU" is a rate per chip
                            unit = f"({unit}) / second"
                            ambiguous = True
                        unit = f"({unit}) / ({den.unit})"
                        spread = max(spread, den.spread)
                        chip = chip or den.chip
                        end = den_end
                        spec = UnitSpec(_compound_kind(spec.kind, den.kind), unit)
                        continue
                break
        kind = spec.kind if spec else None
        try:
            info = unit_info(unit) if unit else None
            prefix = prefix_factor(unit) if unit else 1.0
        except Exception:  # a compound pint cannot read: keep the number, drop the unit
            info, unit, kind, prefix = None, None, None, 1.0
        if kind == "flop_ambiguous":
            value = number.value * info.factor  # type: ignore[union-attr]
            ambiguous = True
            if 1e9 <= value <= 1e17 and not _is_amount_context(doc, ns.start):
                kind, unit = "flop_rate", f"({unit}) / second"
                info = unit_info(unit)
                prefix = prefix_factor(unit)
            else:
                kind = "flop"
        dimension = info.dimension if info else ()
        start_char = doc[ns.start].idx
        end_char = doc[end - 1].idx + len(doc[end - 1].text)
        number_end = doc[ns.end - 1].idx + len(doc[ns.end - 1].text)
        return Claim(
            text=doc.text[start_char:end_char],
            start=start_char,
            end=end_char,
            number=number,
            unit=unit,
            kind=kind,
            factor=info.factor if info else 1.0,
            spread=spread,
            dimension=dimension,
            chip=chip,
            ambiguous_unit=ambiguous,
            unit_text=doc.text[number_end:end_char].strip() if unit else "",
            prefix_factor=prefix,
            token=ns.start,
            end_token=end,
        )


def _compound_kind(num: str, den: str) -> str:
    if num == "flop" and den in ("time", "chip_time"):
        return "flop_rate"
    if num == "flop_rate" and den in ("chips",):
        return "flop_rate"
    if num == "flop_ambiguous" and den in ("chips", "time", "chip_time"):
        return "flop_rate"
    return f"{num}/{den}"


def _is_amount_context(doc: Doc, start: int) -> bool:
    window = {t.lower_ for t in doc[max(0, start - 6):start]}
    return bool(window & {"compute", "total", "training", "trained", "requires", "required", "="})


def _ranges(doc: Doc, claims: list[Claim]) -> list[Claim]:
    """Join 'NUM - NUM unit' and 'NUM to NUM unit' into one claim with a range."""
    out: list[Claim] = []
    i = 0
    while i < len(claims):
        a = claims[i]
        if i + 1 < len(claims) and a.unit is None:
            b = claims[i + 1]
            between = doc[a.end_token:b.token]
            joiner = "".join(t.text for t in between)
            spaced = any(t.whitespace_ for t in between) or doc[a.end_token - 1].whitespace_
            if (joiner in ("-", "–", "to") and (joiner != "-" or not spaced)
                    and b.number.value > a.number.value > 0):
                out.append(replace(
                    b, text=doc.text[a.start:b.end], start=a.start, token=a.token,
                    number=a.number, high=b.number,
                ))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


# ---------------------------------------------------------------------------- context

class ContextReader:
    """Read what the words around a claim say: hedges, bounds, sentence and role."""

    def __init__(self, nlp: Language):
        p = load_patterns()
        self.hedges = set(p["hedges"])
        self.upper = [tuple(x) for x in p["upper_bounds"]]
        self.lower = [tuple(x) for x in p["lower_bounds"]]
        self.roles = p["roles"]

    def __call__(self, doc: Doc) -> Doc:
        claims: list[Claim] = doc._.mc_claims or []
        if not claims:
            doc._.mc_sentences = []
            return doc
        sentence_of = _sentence_ids(doc)
        lowers = [t.lower_ for t in doc]
        out = []
        for c in claims:
            hedge, bound = self._hedge(doc, lowers, c.token)
            sentence = sentence_of[c.token]
            role = self._role(doc, lowers, c, sentence_of)
            out.append(replace(c, hedge=hedge, bound=bound, sentence=sentence, role=role))
        doc._.mc_claims = out
        doc._.mc_sentences = sentence_of
        return doc

    def _hedge(self, doc: Doc, lowers: list[str], i: int) -> tuple[str | None, str | None]:
        j = i - 1
        if j >= 0 and lowers[j] in ("(", "[", "$"):
            j -= 1
        hedge = None
        if j >= 0 and lowers[j] in self.hedges:
            hedge = doc[j].text
            if lowers[j] == "=" or (j > 0 and lowers[j] == "=" and lowers[j - 1] == "~"):
                hedge = "~="
            j -= 1
        if j >= 0 and lowers[j] == "~" and hedge is None:
            hedge = "~"
        for bound_kind, table in (("upper", self.upper), ("lower", self.lower)):
            for words in table:
                n = len(words)
                if j - n + 1 >= 0 and tuple(lowers[j - n + 1:j + 1]) == words:
                    return hedge, bound_kind
        return hedge, None

    def _role(self, doc: Doc, lowers: list[str], c: Claim, sentence_of: list[int]) -> str | None:
        for r in self.roles:
            kinds = r["kinds"]
            kind = c.kind
            if kind not in kinds:
                continue
            if r.get("magnitude_only") and not c.number.abbreviated and c.number.value < 1e6:
                continue
            if r.get("fraction_only") and not _is_fraction(c):
                continue
            if r.get("per_chip") and not _per_chip(c):
                continue
            keywords = r.get("keywords")
            if keywords and not _near(lowers, c, sentence_of, keywords,
                                      r.get("before", 4), r.get("after", 4)):
                continue
            return r["role"]
        return None


def _is_fraction(c: Claim) -> bool:
    if c.kind == "percent":
        return 0 < c.value <= 1.5
    return c.unit is None and 0 < c.number.value <= 1


def _per_chip(c: Claim) -> bool:
    return c.unit is not None and ("chip" in c.unit) and c.kind == "flop_rate"


def _near(lowers, c: Claim, sentence_of, keywords, before: int, after: int) -> bool:
    sent = sentence_of[c.token]
    lo = max(0, c.token - before)
    while sentence_of[lo] != sent:
        lo += 1
    hi = min(len(lowers), c.end_token + after)
    while hi > c.end_token and sentence_of[hi - 1] != sent:
        hi -= 1
    window_before = lowers[lo:c.token]
    window_after = lowers[c.end_token:hi]
    inside = lowers[c.token:c.end_token]
    for words in keywords:
        n = len(words)
        for window in (window_before, window_after, inside):
            for k in range(len(window) - n + 1):
                if tuple(window[k:k + n]) == tuple(words):
                    return True
    return False


SENTENCE_END = {".", "!", "?"}


def _sentence_ids(doc: Doc) -> list[int]:
    """Sentence index of each token: a break after '.', '!', '?' and at line breaks."""
    ids = []
    sent = 0
    for tok in doc:
        if tok.is_space and "\n" in tok.text:
            ids.append(sent)
            sent += 1
            continue
        ids.append(sent)
        if tok.text in SENTENCE_END or "\n" in tok.whitespace_:
            sent += 1
    return ids


# --------------------------------------------------------------------------- factories

@Language.factory("mc_numbers")
def make_number_finder(nlp: Language, name: str) -> NumberFinder:
    return NumberFinder(nlp)


@Language.factory("mc_units", default_config={"chips": []})
def make_unit_linker(nlp: Language, name: str, chips: list[list[str]]) -> UnitLinker:
    return UnitLinker(nlp, chips)


@Language.factory("mc_context")
def make_context_reader(nlp: Language, name: str) -> ContextReader:
    return ContextReader(nlp)



def install_like_num(nlp: Language) -> None:
    """Make LIKE_NUM mean 'a number mclint reads' for every lexeme, old and new."""
    from spacy.attrs import LIKE_NUM

    nlp.vocab.lex_attr_getters[LIKE_NUM] = nums.is_number_text
    for lex in nlp.vocab:
        lex.like_num = nums.is_number_text(lex.orth_)
