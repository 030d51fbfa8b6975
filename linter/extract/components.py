"""spaCy components that turn a note into claims: numbers, units, context and roles.

Each component reads what the previous one left on the Doc (under the `mc_` extension
prefix) and adds its own layer.  Everything they produce is plain Python (numbers.Number,
claims.Claim), so the checks never see a spaCy object.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from spacy.attrs import IDX, IS_ALPHA, IS_SPACE, LIKE_NUM, LOWER, ORTH, SPACY
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..model import numbers as nums
from ..model.claims import Claim, Mention
from ..quantities.units import UnitSpec, prefix_factor, unit_forms, unit_info
from .patterns import load_patterns

for _name in ("mc_numbers", "mc_claims", "mc_sentences", "mc_calculations", "mc_chips"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class TokenView:
    """Plain lists of what the components read of each token, built once per Doc.

    Iterating a Doc creates a Token object per token; for the whole database that is
    most of the run time.  doc.to_array reads the attributes in C.
    """

    __slots__ = ("text", "lower", "idx", "space", "is_space", "is_alpha", "like_num",
                 "doc_text", "n")

    def __init__(self, doc: Doc):
        orth, lower, idx, space, is_space, is_alpha, like_num = (
            doc.to_array([ORTH, LOWER, IDX, SPACY, IS_SPACE, IS_ALPHA, LIKE_NUM]).T.tolist())
        get = doc.vocab.strings.__getitem__
        self.text = list(map(get, orth))
        self.lower = list(map(get, lower))
        self.idx = idx
        self.space = space          # 0/1 ints: truthy as flags
        self.is_space = is_space
        self.is_alpha = is_alpha
        self.like_num = like_num    # mclint's LIKE_NUM (install_like_num)
        # Doc.text would make a Token object per token; the tokens and their trailing
        # spaces give the same string.
        self.doc_text = "".join([t + " " if sp else t for t, sp in zip(self.text, self.space)])
        self.n = len(idx)

    def end_char(self, i: int) -> int:
        """Character offset just after token i."""
        return self.idx[i] + len(self.text[i])


def view(doc: Doc) -> TokenView:
    """The Doc's token view (built on first use)."""
    v = doc.user_data.get("mc_view")
    if v is None:
        v = doc.user_data["mc_view"] = TokenView(doc)
    return v


@dataclass(frozen=True)
class NumberSpan:
    """A number found in the tokens: where it is and what it is worth."""

    start: int          # token indices
    end: int
    number: nums.Number
    pattern: str        # SCI, POW, MAG, ONE...
    magnitude: str = ""  # the suffix or word applied ("B", "billion")


# ---------------------------------------------------------------------------- numbers

WINDOW = 8    # tokens: longer than the longest number pattern ("2.75 x 10 ^ ( 14 )")


class NumberFinder:
    """Find numbers in all the forms notes use and read their value and precision."""

    def __init__(self, nlp: Language):
        patterns = load_patterns()
        self.matcher = Matcher(nlp.vocab)
        self.labels: dict[int, str] = {}
        for label, alternatives in patterns["numbers"].items():
            self.matcher.add(label, alternatives)
            self.labels[nlp.vocab.strings[label]] = label

    def __call__(self, doc: Doc) -> Doc:
        v = view(doc)
        matches = []
        for a, b in self._windows(v):
            if a == 0 and b >= v.n:
                matches = self.matcher(doc)
            else:
                matches += [(m, s + a, e + a) for m, s, e in self.matcher(doc[a:b])]
        if not matches:
            doc._.mc_numbers = []
            return doc
        # Longest match first, then leftmost; no overlaps (what filter_spans does,
        # without making a Span per match).
        # A longer match that does not read as a number ("512 * 1024" is no lost
        # superscript) leaves its tokens to the shorter ones.
        matches.sort(key=lambda m: (m[1] - m[2], m[1]))
        taken = bytearray(v.n + 1)
        found: list[NumberSpan] = []
        for match_id, start, end in matches:
            if not any(taken[start:end]):
                parsed = self._parse(v, start, end, self.labels[match_id])
                if parsed is not None:
                    taken[start:end] = b"\x01" * (end - start)
                    found.append(parsed)
        found.sort(key=lambda n: n.start)
        doc._.mc_numbers = found
        return doc

    @staticmethod
    def _windows(v: TokenView) -> list[tuple[int, int]]:
        """Token spans that may hold a number: every pattern starts at a number or at
        '=' / '≈' and is at most WINDOW tokens long (longer runs of numbers chain their
        windows).  Most tokens of a note are words the matcher need not visit."""
        spans: list[list[int]] = []
        for i in range(v.n):
            if v.like_num[i] or v.text[i] in ("=", "≈"):
                if spans and i <= spans[-1][1]:
                    spans[-1][1] = min(i + WINDOW, v.n)
                else:
                    spans.append([i, min(i + WINDOW, v.n)])
        return [(a, b) for a, b in spans]

    def _parse(self, v: TokenView, start: int, end: int, label: str) -> NumberSpan | None:
        toks = [_Tok(v, i) for i in range(start, end)]
        doc = v
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
                # the exponent is the last token that is not a closing bracket ("10^10")
                exp_tok = [t for t in toks[2:] if t.text not in ("^", "*", "(", ")", "{", "}")]
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
            if label == "RATIO":  # "4/3 tokens"; the unit word stays outside the number
                if len(toks[0].text) > 2 or len(toks[2].text) > 2:
                    return None
                a, b = nums.parse_plain(toks[0].text), nums.parse_plain(toks[2].text)
                if b.value == 0:
                    return None
                return NumberSpan(start, end - 1, nums.Number(a.value / b.value, 0.0), label)
            if label == "INVERSE":  # "1/3600 hours/second"
                b = nums.parse_plain(toks[2].text)
                if b.value == 0:
                    return None
                return NumberSpan(start, end, nums.Number(1 / b.value, 0.0), label)
            if label == "FRACTION":  # "123/2 trillion"
                if not (toks[0].text.replace(".", "", 1).isdigit() and toks[2].text.isdigit()
                        and len(toks[2].text) == 1 and toks[2].text != "0"):
                    return None
                a, b = nums.parse_plain(toks[0].text), nums.parse_plain(toks[2].text)
                factor = nums.magnitude(toks[3].text) or 1
                value = nums.Number(a.value / b.value, a.ulp / b.value, abbreviated=True)
                return NumberSpan(start, end, nums.scale(value, factor), label, toks[3].text)
            if label == "SPACED":
                if any(t.whitespace_ != " " for t in toks[1:-1]) or not all(
                        t.text.isdigit() for t in toks[1:]):
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

    def _standalone(self, v: TokenView, start: int, end: int) -> bool:
        """A number glued to a word before it ("v3", "GPT4") or with a leading zero is no claim."""
        first = v.text[start]
        if start > 0 and not v.space[start - 1] and v.is_alpha[start - 1] \
                and len(v.text[start - 1]) > 1:
            return False
        return not (first.startswith("0") and len(first) > 1 and first[1].isdigit())


class _Tok:
    """A token of a TokenView, with the two attributes number parsing reads."""

    __slots__ = ("text", "whitespace_")

    def __init__(self, v: TokenView, i: int):
        self.text = v.text[i]
        self.whitespace_ = " " if v.space[i] else ""


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
        # Spellings with the same meaning share one match id ("H100", "H100s" and every
        # alias of that chip), so a match names its unit without re-reading tokens and
        # the matcher is built with a few hundred keys, not one per spelling.
        groups: dict[UnitSpec, list[str]] = {}
        for form, spec in self.specs.items():
            groups.setdefault(spec, []).append(form)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_id: dict[int, UnitSpec] = {}
        for n, (spec, forms) in enumerate(groups.items()):
            key = f"unit{n}"
            self.matcher.add(key, list(nlp.tokenizer.pipe(forms)))
            self.by_id[nlp.vocab.strings[key]] = spec
        self.glue_ok = set(nums.MAGNITUDES) | {"x", "X", "×", "%"}
        self.references = set(patterns["references"])

    def units_at(self, doc: Doc) -> dict[int, tuple[int, UnitSpec]]:
        """Longest unit match starting at each token."""
        out: dict[int, tuple[int, UnitSpec]] = {}
        for match_id, start, end in self.matcher(doc):
            if start not in out or out[start][0] < end:
                out[start] = (end, self.by_id[match_id])
        return out

    def __call__(self, doc: Doc) -> Doc:
        found: list[NumberSpan] = doc._.mc_numbers or []
        if not found:
            doc._.mc_chips, doc._.mc_claims = [], []
            return doc
        units = self.units_at(doc)
        doc._.mc_chips = [(start, end, spec.chip) for start, (end, spec) in sorted(units.items())
                          if spec.chip]
        v = view(doc)
        claims: list[Claim] = []
        taken = -1
        for ns in found:
            if ns.start < taken or self._glued_to_word(v, ns, units) or self._reference(v, ns):
                continue
            claim = self._claim(v, ns, units)
            if claim is not None:
                claims.append(claim)
                taken = claim.end_token
        doc._.mc_claims = _ranges(v, claims)
        return doc

    def _reference(self, v: TokenView, ns: NumberSpan) -> bool:
        """'Table 1', 'Fig. 9', 'step 3': a number that names something, not a quantity."""
        if ns.pattern != "ONE" or ns.start == 0 or "." in v.text[ns.start]:
            return False
        k = ns.start - 1
        while k > 0 and v.is_space[k]:
            k -= 1
        return v.lower[k] in self.references

    def _glued_to_word(self, v: TokenView, ns: NumberSpan, units) -> bool:
        """A number glued to a word after it ("1st", "6ND", "3D") is part of that word."""
        if v.space[ns.end - 1] or ns.end >= v.n:
            return False
        return v.is_alpha[ns.end] and ns.end not in units and v.text[ns.end] not in self.glue_ok

    def _unit_after(self, v: TokenView, i: int, units):
        """The unit starting at token i, possibly after fillers, and its end."""
        j = i
        skipped = 0
        while j < v.n and skipped <= 3:
            if j in units:
                end, spec = units[j]
                if v.text[j] in ("s", "h") and j != i:
                    return None
                return j, end, spec
            if v.lower[j] in self.fillers and not v.is_space[j]:
                j += 1
                skipped += 1
                continue
            return None
        return None

    def _claim(self, doc: TokenView, ns: NumberSpan, units) -> Claim | None:
        v = doc
        text = v.doc_text
        number = ns.number
        end = ns.end
        found = self._unit_after(v, ns.end, units) if ns.end < v.n else None
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
            nxt = end + 1 if end < v.n and v.text[end] == "-" and not v.space[end - 1] else end
            if spec.kind == "chips" and nxt in units and units[nxt][1].kind in (
                    "chips", "cores", "chip_time", "core_time", "time"):
                # "2.788M H800 GPU hours", "14.82K TPUv3 core-days", "270,336 TPUv4-hours":
                # the unit after the chip's name says what is counted.
                after = units[nxt][1]
                if after.kind == "time":
                    spec = UnitSpec("chip_time", f"chip * ({after.unit})", after.spread, chip)
                elif after.kind != "chips":
                    spec = after
                unit, spread = spec.unit, spec.spread
                end = units[nxt][0]
            # Compound units: "FLOP/GPU-sec", "hr/day", "FLOP/token/param/epoch".
            for _ in range(4):
                k = end
                if k < v.n and v.text[k] in ("/", "per"):
                    k += 1
                    if k < v.n and v.lower[k] in ("a", "each", "one", "every"):
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
            # "FLOPS" is an amount or a rate: at 1e17 and above it is an amount; with an SI
            # prefix below that ("312 TFLOPS", "15.1 PFLOPS") a rate; a bare "FLOPS" of a
            # chip's or cluster's size stays a guess, and the dimension check skips it.
            value = number.value * info.factor  # type: ignore[union-attr]
            prefixed = prefix != 1.0
            if value < 1e17 and (prefixed or (value >= 1e9 and not _is_amount_context(
                    v, ns.start))):
                kind, unit = "flop_rate", f"({unit}) / second"
                info = unit_info(unit)
                prefix = prefix_factor(unit)
                ambiguous = not prefixed
            else:
                kind = "flop"
                ambiguous = value < 1e17
        dimension = info.dimension if info else ()
        start_char = v.idx[ns.start]
        end_char = v.end_char(end - 1)
        number_end = v.end_char(ns.end - 1)
        return Claim(
            text=text[start_char:end_char],
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
            unit_text=text[number_end:end_char].strip() if unit else "",
            prefix_factor=prefix,
            token=ns.start,
            end_token=end,
        )


def _with(claim: Claim, **changes) -> Claim:
    """dataclasses.replace for a claim this component has just made (a tenth of the cost:
    no field checks, no __post_init__)."""
    new = object.__new__(Claim)
    new.__dict__.update(claim.__dict__, **changes)
    return new


def _compound_kind(num: str, den: str) -> str:
    if num == "time" and den in ("steps", "sequences", "samples"):
        return "step_time"   # "1.2 seconds per step"
    if num == "time" and den == "epochs":
        return "epoch_time"
    if num == "flop" and den in ("time", "chip_time"):
        return "flop_rate"
    if num == "flop_rate" and den in ("chips",):
        return "flop_rate"
    if num == "flop_ambiguous" and den in ("chips", "time", "chip_time"):
        return "flop_rate"
    return f"{num}/{den}"


def _is_amount_context(v: TokenView, start: int) -> bool:
    window = set(v.lower[max(0, start - 6):start])
    return bool(window & {"compute", "total", "training", "trained", "requires", "required", "="})


def _ranges(v: TokenView, claims: list[Claim]) -> list[Claim]:
    """Join 'NUM - NUM unit' and 'NUM to NUM unit' into one claim with a range."""
    text = v.doc_text
    out: list[Claim] = []
    i = 0
    while i < len(claims):
        a = claims[i]
        if i + 1 < len(claims) and a.unit is None:
            b = claims[i + 1]
            joiner = "".join(v.text[a.end_token:b.token])
            spaced = any(v.space[a.end_token - 1:b.token])
            low = a.number
            if b.number.magnitude != 1 and a.number.magnitude == 1:
                low = nums.scale(a.number, b.number.magnitude)  # "5 - 6 million"
            if (joiner in ("-", "–", "−", "to") and (joiner == "to" or not spaced
                                                     or low is not a.number)
                    and b.number.value > low.value > 0):
                out.append(replace(
                    b, text=text[a.start:b.end], start=a.start, token=a.token,
                    number=low, high=b.number,
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
        for r in self.roles:
            index: dict[str, list[tuple[str, ...]]] = {}
            for words in r.get("keywords") or []:
                index.setdefault(words[0], []).append(tuple(words))
            r["_index"] = index
        self.reach = (max((r.get("before", 4) for r in self.roles), default=4),
                      max((r.get("after", 4) for r in self.roles), default=4))
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
        if not claims:
            doc._.mc_sentences = []
            doc._.mc_chips = []
            return doc
        v = view(doc)
        sentence_of, paragraph_of = _sentence_ids(v)
        lowers = v.lower
        out = []
        groups = _groups(v, claims)
        for k, c in enumerate(claims):
            hedge, bound = self._hedge(v, lowers, c.token)
            sentence = sentence_of[c.token]
            # A claim's context is its group's ("4096 * 2304 = 9,437,184 tokens" is read
            # in the light of "each batch contained" before it), up to the next group.
            g_lo, g_hi, lo, hi = groups[k]
            role = self._role(lowers, c, sentence_of, lo, hi, g_lo, g_hi)
            out.append(_with(c, hedge=hedge, bound=bound, sentence=sentence, role=role,
                             paragraph=paragraph_of[c.token],
                             concluded=self._concluded(lowers, c.token, sentence_of)))
        doc._.mc_claims = out
        doc._.mc_sentences = sentence_of
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
                if k >= size - reach and tuple(window[k:k + len(words)]) == words:
                    return True
        return False

    def _hedge(self, v: TokenView, lowers: list[str], i: int) -> tuple[str | None, str | None]:
        """Hedge and bound words right before token i ("~", "about", "more\nthan")."""
        before = [k for k in range(max(0, i - 8), i) if not v.is_space[k]][-5:]
        words = [lowers[k] for k in before]
        if words and words[-1] in ("(", "[", "$"):
            words.pop()
            before.pop()
        hedge = None
        if words and words[-1] in self.hedges:
            hedge = v.text[before[-1]]
            if words[-1] == "=" and len(words) > 1 and words[-2] == "~":
                hedge = "~="
                words.pop()
            words.pop()
        if words and words[-1] == "~" and hedge is None:
            hedge = "~"
        if words:
            for bound, bound_kind in self.bound_ends.get(words[-1], ()):
                n = len(bound)
                if len(words) >= n and tuple(words[-n:]) == bound:
                    return hedge, bound_kind
        return hedge, None

    def _role(self, lowers: list[str], c: Claim, sentence_of: list[int],
              lo: int, hi: int, g_lo: int, g_hi: int) -> str | None:
        """The role whose keyword is nearest the claim; else the first default for its kind."""
        best: tuple[int, int, str] | None = None
        default = None
        # every word any role could read (the widest reach): a role none of whose
        # keywords starts here is not looked for word by word
        window = set(lowers[max(0, g_lo - self.reach[0], lo):
                            min(len(lowers), c.end_token + self.reach[1], max(hi, g_hi))])
        for order, r in enumerate(self.roles):
            if c.kind not in r["kinds"]:
                continue
            if r.get("magnitude_only") and not c.number.abbreviated and c.number.value < 1e6:
                continue
            if r.get("fraction_only") and not _is_fraction(c):
                continue
            if r.get("per_chip") and not _per_chip(c):
                continue
            keywords = r.get("keywords")
            if not keywords:
                if default is None:
                    default = r["role"]
                continue
            if window.isdisjoint(r["_index"]):
                continue
            distance = _near(lowers, c, sentence_of, r["_index"], r.get("before", 4),
                             r.get("after", 4), lo, hi, g_lo, g_hi)
            if distance is not None and (best is None or (distance, order) < best[:2]):
                best = (distance, order, r["role"])
        return best[2] if best else default


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
