"""spaCy component: find numbers in every form notes write them, with their precision."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ..model import numbers as nums
from .patterns import load_patterns
from .view import TokenView, view


@dataclass(frozen=True)
class NumberSpan:
    """A number found in the tokens: where it is and what it is worth."""

    start: int          # token indices
    end: int
    number: nums.Number
    pattern: str        # SCI, POW, MAG, ONE...
    magnitude: str = ""  # the suffix or word applied ("B", "billion")


NUMBER_WORDS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), start=1)}
WINDOW = 8    # tokens: longer than the longest number pattern ("2.75 x 10 ^ ( 14 )")


def _second_tokens(forms: dict) -> frozenset[tuple[str, bool]]:
    """Every token text that may follow a number at the start of a number pattern (and
    what an optional second token may give way to): what makes a number worth matching."""
    out: set[tuple[str, bool]] = set()      # (text, compared in lower case)
    for alternatives in forms.values():
        for pattern in alternatives:
            first = pattern[0]
            if not (first.get("LIKE_NUM") or str(first.get("ORTH", "")).isdigit()):
                continue        # starts at '=' or '≈': those tokens always open a window
            for spec in pattern[1:]:
                for key in ("ORTH", "LOWER", "TEXT"):
                    value = spec.get(key)
                    words = value["IN"] if isinstance(value, dict) and "IN" in value else \
                        [value] if isinstance(value, str) else []
                    # LOWER matches any case: compared as the token's lower-case text
                    lower = key == "LOWER"
                    out |= {(w.lower() if lower else w, lower) for w in words}
                if spec.get("LIKE_NUM") or "REGEX" in str(spec.get("TEXT", "")):
                    return frozenset()       # a second token by class: no shortcut
                if spec.get("OP") != "?":
                    break
    return frozenset(out)


class NumberFinder:
    """Find numbers in all the forms notes use and read their value and precision."""

    def __init__(self, nlp: Language):
        patterns = load_patterns()
        self.matcher = Matcher(nlp.vocab)
        self.labels: dict[int, str] = {}
        for label, alternatives in patterns["numbers"].items():
            self.matcher.add(label, alternatives)
            self.labels[nlp.vocab.strings[label]] = label
        self.one = nlp.vocab.strings["ONE"]
        self.follows = _second_tokens(patterns["numbers"])

    def __call__(self, doc: Doc) -> Doc:
        v = view(doc)
        # a number followed by no token a longer form could continue with is a number on
        # its own (the ONE form): only the others need the Matcher
        windows, matches = self._windows(v)
        for a, b in windows:
            if a == 0 and b >= v.n:
                matches = self.matcher(doc)
            else:
                matches += [(m, s + a, e + a) for m, s, e in self.matcher(doc[a:b])]
        words = NUMBER_WORDS.keys() & set(v.lower)
        if not matches and not words:
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
        # "two weeks", "eight NVIDIA A100": a number word counts only the unit right after
        # it (the unit linker drops it when none follows: "one of the models" says nothing)
        if words:
            found += [NumberSpan(i, i + 1, nums.parse_plain(str(NUMBER_WORDS[w])), "WORD")
                      for i, w in enumerate(v.lower) if w in words and not taken[i]]
        found.sort(key=lambda n: n.start)
        doc._.mc_numbers = found
        return doc

    def _windows(self, v: TokenView) -> tuple[list[tuple[int, int]], list]:
        """Token spans that may hold a number of more than one token, and the ONE matches
        of the numbers that no pattern's second token follows.  Every pattern starts at a
        number or at '=' / '≈' and is at most WINDOW tokens long (longer runs of numbers
        chain their windows).  Most tokens of a note are words the matcher need not visit."""
        spans: list[list[int]] = []
        alone = []
        n, text, lower, follows = v.n, v.text, v.lower, self.follows
        for i in range(n):
            if v.like_num[i] and (i + 1 == n or ((text[i + 1], False) not in follows and
                                                 (lower[i + 1], True) not in follows)):
                alone.append((self.one, i, i + 1))
                continue
            if v.like_num[i] or text[i] in ("=", "≈"):
                if spans and i <= spans[-1][1]:
                    spans[-1][1] = min(i + WINDOW, v.n)
                else:
                    spans.append([i, min(i + WINDOW, v.n)])
        return [(a, b) for a, b in spans], alone

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
            if label == "POW2":
                exp = int(toks[-1].text)
                if not 1 <= exp <= 64:
                    return None
                return NumberSpan(start, end, nums.Number(float(2 ** exp), 1.0), label)
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


@Language.factory("mc_numbers")
def make_number_finder(nlp: Language, name: str) -> NumberFinder:
    return NumberFinder(nlp)


def install_like_num(nlp: Language) -> None:
    """Make LIKE_NUM mean 'a number mclint reads' for every lexeme, old and new."""
    from spacy.attrs import LIKE_NUM

    nlp.vocab.lex_attr_getters[LIKE_NUM] = nums.is_number_text
    for lex in nlp.vocab:
        lex.like_num = nums.is_number_text(lex.orth_)
