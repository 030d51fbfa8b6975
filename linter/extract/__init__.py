"""Extraction: text in, claims and calculations out (spaCy stays behind this boundary)."""

from __future__ import annotations

from functools import lru_cache

from ..model.claims import Extraction


# spaCy refuses texts over a million characters by default, for the memory of trained
# components; mclint's pipeline holds a few arrays per token.
MAX_LENGTH = 50_000_000


@lru_cache(maxsize=4)
def pipeline(chips: tuple[tuple[str, str], ...] = ()):
    """Build mclint's spaCy pipeline (once per chip table)."""
    import spacy

    from . import calculations, components  # noqa: F401  (registers the factories)
    from .components import install_like_num
    from . import tokenizer  # noqa: F401  (registers mclint.tokenizer.v1)

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "mclint.tokenizer.v1"}}})
    nlp.max_length = MAX_LENGTH
    install_like_num(nlp)
    nlp.add_pipe("mc_numbers")
    nlp.add_pipe("mc_units", config={"chips": [list(c) for c in chips]})
    nlp.add_pipe("mc_context")
    nlp.add_pipe("mc_calculations")
    return nlp


def extract(text: str, chips: tuple[tuple[str, str], ...] = ()) -> Extraction:
    """Extract the claims and calculations of one text."""
    return _result(pipeline(chips)(text))


def extract_many(texts, chips: tuple[tuple[str, str], ...] = ()):
    """Extract from many texts, in order (uses nlp.pipe)."""
    for doc in pipeline(chips).pipe(texts, batch_size=256):
        yield _result(doc)


def _result(doc) -> Extraction:
    return Extraction(tuple(doc._.mc_claims or ()), tuple(doc._.mc_calculations or ()),
                      tuple(doc._.mc_chips or ()))
