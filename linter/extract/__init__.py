"""Extraction: text in, claims, marks and calculations out (spaCy stays behind this boundary).

The pipeline is spaCy's blank English tokenizer with mclint's rules for numbers and
operators (tokenizer.py), then four components: numbers (a Matcher over number forms),
units (unit spellings and chip names looked up by their first token; model names,
references and dates classed as marks), context (hedges, bounds, sentences and roles from
the role registry) and calculations (chains, prose and conversions, each parsed whole).
What comes out is plain data (linter.model.claims): the checks never see a spaCy object.

May import linter.model and linter.quantities; nothing else of mclint imports spaCy.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache

from ..model.claims import Extraction
from ..quantities.roles import Binding, builtin

# spaCy refuses texts over a million characters by default, for the memory of trained
# components; mclint's pipeline holds a few arrays per token.
MAX_LENGTH = 50_000_000


@lru_cache(maxsize=4)
def pipeline(chips: tuple[tuple[str, str], ...] = (), bindings: tuple[Binding, ...] | None = None):
    """Build mclint's spaCy pipeline (once per chip table and role bindings)."""
    import spacy

    from .. import startup
    from . import calculations, context, numbers, tokenizer, units  # noqa: F401 (factories)
    from .numbers import install_like_num

    bindings = builtin().bindings if bindings is None else bindings
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "mclint.tokenizer.v1"}}})
    nlp.max_length = MAX_LENGTH
    install_like_num(nlp)
    nlp.add_pipe("mc_numbers")
    nlp.add_pipe("mc_units", config={"chips": [list(c) for c in chips]})
    nlp.add_pipe("mc_context", config={"bindings": [_plain(b) for b in bindings]})
    nlp.add_pipe("mc_calculations")
    startup.resume()        # the command line's start is over (linter.startup)
    return nlp


def _plain(b: Binding) -> dict:
    d = asdict(b)
    d["kinds"] = list(b.kinds) if b.kinds is not None else None
    d["keywords"] = [list(k) for k in b.keywords]
    return d


def extract(text: str, chips: tuple[tuple[str, str], ...] = (),
            bindings: tuple[Binding, ...] | None = None) -> Extraction:
    """Extract the claims and calculations of one text."""
    return _result(pipeline(chips, bindings)(text))


def extract_many(texts, chips: tuple[tuple[str, str], ...] = (),
                 bindings: tuple[Binding, ...] | None = None):
    """Extract from many texts, in order (uses nlp.pipe)."""
    for doc in pipeline(chips, bindings).pipe(texts, batch_size=256):
        yield _result(doc)


def _result(doc) -> Extraction:
    return Extraction(tuple(doc._.mc_claims or ()), tuple(doc._.mc_calculations or ()),
                      tuple(doc._.mc_chips or ()), tuple(doc._.mc_marks or ()),
                      tuple(doc._.mc_expressions or ()))
