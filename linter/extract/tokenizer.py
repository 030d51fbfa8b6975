"""mclint's tokenizer rules: spaCy's English tokenizer, adjusted for numbers and arithmetic.

The goals, for the text of model notes:

* a number is one token with its exponent and grouping: "1.8E25", "2.5e+24", "9,437,184";
* operators are tokens of their own wherever they are: "6*340B*9T=1.8E25" gives
  6 * 340 B * 9 T = 1.8E25 ("**" gives two "*" tokens, joined later);
* a number is split from letters glued to it ("340B", "3600s", "9.4m", "H100s" -> H100 s)
  except an exponent, so magnitude words and units are tokens the matchers can see;
* unit spellings split the same way wherever they occur ("teraFLOP/s" -> teraFLOP / s),
  because the unit phrases are tokenized with this same tokenizer.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

# Characters that are operators or relations wherever they appear.
OPERATORS = "*×·÷=≈→^√≃≅"
_OPS = re.escape(OPERATORS)

EXTRA_PREFIXES = [rf"[{_OPS}]", r"~", r"≥", r"≤", r">", r"<", r"±", r"\+"]
EXTRA_SUFFIXES = [rf"[{_OPS}]", r"%", r"(?<=[0-9])[xX×]", r"~"]
EXTRA_INFIXES = [
    rf"[{_OPS}]",
    r"~",
    r"(?<=[0-9)])[xX](?=[0-9(])",            # 4096x4096, 2.75x10^14
    r"(?<![0-9][eE])(?<=[0-9A-Za-z).%])[+](?=[0-9(.])",  # 1e23+2e22, 3M+12M (not e+24)
    r"(?<=[0-9)%])[\-−–](?=[0-9(.])",          # 41-42, 1.5-2 (not the - of e-5)
    r"(?<=[0-9A-Za-z)%])/(?=[0-9A-Za-z(.$])",  # 9T/9.4M, FLOP/s, tokens/step
    r"(?<=[0-9])%",                           # 41%MFU
    r"(?<=[0-9])(?=[A-DF-Za-df-z])",          # 340|B, 3600|s, H100|s (never 1.8|E25)
    r"(?<=[0-9])(?=[eE][A-Za-z])",            # 3|epochs (e followed by letters)
    r"(?<=[0-9])(?=[eE]$)",                   # trailing e
    r"[()\[\]{}]",                            # (18*3600)s, 10^(22), GPU(s)
    r",(?=[^0-9\s])",                         # a,b
    r"(?<=[^0-9\s]),",                         # word,word
    r"(?<=[0-9]),(?=[0-9]{4,})",              # 1,23456: not a thousands group
    r";",
    r":(?=[0-9])",
]

# Characters of the English exceptions' emoticons ("=)", "(=", ":-)", "^_^"): never a word
EMOTICON_MARKS = set("=()[]{}:;<>^_|*¬@") | set(OPERATORS)

# This module's rules, for caches of tokenized spellings: a change of rules is a change of
# splits, whatever the version says
RULES_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]

# The English suffix rule that splits unit abbreviations off numbers ("9T" -> 9 T) is
# replaced by the general digit|letter split above; keep every other default rule.
_UNIT_SUFFIX_MARK = "(?:km|km²"


def _suffixes(nlp: Language) -> list[str]:
    return [s for s in nlp.Defaults.suffixes if _UNIT_SUFFIX_MARK not in s] + EXTRA_SUFFIXES


# spaCy strips prefixes and suffixes one at a time and searches the rest of the word again,
# so a word of thousands of brackets or operators costs quadratic time (20,000 '(' take
# tens of seconds).  No real note has such a word (the longest in Epoch's notes is a
# URL of 343 characters); a longer one is tokenized in pieces.
LONG_WORD = re.compile(r"\S{1000,}")
PIECE = 64


class RunSafeTokenizer:
    """spaCy's tokenizer, with words of 1,000 characters or more cut into pieces."""

    def __init__(self, inner: Tokenizer):
        self.inner = inner
        self.vocab = inner.vocab

    def __call__(self, text: str) -> Doc:
        if LONG_WORD.search(text) is None:
            return self.inner(text)
        words: list[str] = []
        spaces: list[bool] = []
        start = 0
        for m in LONG_WORD.finditer(text):
            self._add(text[start:m.start()], words, spaces)
            for a in range(m.start(), m.end(), PIECE):
                self._add(text[a:min(a + PIECE, m.end())], words, spaces)
            start = m.end()
        self._add(text[start:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _add(self, text: str, words: list[str], spaces: list[bool]) -> None:
        if not text:
            return
        if words and not spaces[-1] and text.startswith(" "):
            spaces[-1] = True       # the space after a piece belongs to it, as in spaCy
            text = text[1:]
            if not text:
                return
        for t in self.inner(text):
            words.append(t.text)
            spaces.append(bool(t.whitespace_))

    def __getattr__(self, name: str):     # prefix_search, rules...: the inner tokenizer's
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def make_tokenizer(nlp: Language) -> RunSafeTokenizer:
    """Build the tokenizer for mclint's pipeline from spaCy's English defaults."""
    defaults = nlp.Defaults
    prefixes = list(defaults.prefixes) + EXTRA_PREFIXES
    infixes = list(defaults.infixes) + EXTRA_INFIXES
    rules = {
        k: v
        for k, v in defaults.tokenizer_exceptions.items()
        # Exceptions such as "a.m." or "1a.m." would swallow numbers and units, the
        # single letters ("s.", "m.") a unit that ends a sentence ("312 TFLOP/s."), and
        # emoticons an operator: "(= 1.2e22 FLOP)" is a bracket, a relation and a number.
        # The 700 contractions ("don't", "we'd") hold no number and no word the context
        # reader looks for; adding them was 6% of the instructions of a cold run.
        if not any(ch.isdigit() for ch in k) and k not in {"a.m.", "p.m.", "e.g", "i.e"}
        and not (len(k) == 2 and k[0].isalpha() and k[1] == ".")
        and not any(ch in EMOTICON_MARKS or ch in "'’" for ch in k)
    }
    return RunSafeTokenizer(Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(_suffixes(nlp)).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        url_match=defaults.url_match,
    ))


@registry.tokenizers("mclint.tokenizer.v1")
def create_tokenizer():
    """The tokenizer as a spaCy registry entry, so that spacy.blank builds only this one."""
    return make_tokenizer
