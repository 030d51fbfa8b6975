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

from functools import lru_cache

from ..model.claims import Extraction
from ..quantities.roles import Binding, builtin

# spaCy refuses texts over a million characters by default, for the memory of trained
# components; mclint's pipeline holds a few arrays per token.
MAX_LENGTH = 50_000_000


class Pipeline:
    """mclint's spaCy pipeline: spaCy's English vocabulary and mclint's tokenizer, then the
    four components in order.  What spacy.blank and add_pipe would assemble, built directly:
    resolving and validating a configuration for the tokenizer and each component took a
    fifth of a cold one-note run's time above `import spacy`."""

    def __init__(self, chips: tuple[tuple[str, str], ...], bindings: tuple[Binding, ...]):
        from spacy.lang.en import English
        from spacy.vocab import create_vocab

        from .calculations import CalculationFinder
        from .context import ContextReader
        from .numbers import NumberFinder, install_like_num
        from .tokenizer import make_tokenizer
        from .units import UnitLinker

        self.Defaults = English.Defaults
        self.vocab = create_vocab("en", English.Defaults)
        self.max_length = MAX_LENGTH
        self.tokenizer = make_tokenizer(self)
        install_like_num(self)
        self.components = (NumberFinder(self), UnitLinker(self, [list(c) for c in chips]),
                           ContextReader(self, list(bindings)), CalculationFinder(self))

    def make_doc(self, text: str):
        if len(text) > self.max_length:
            raise ValueError(f"a text of {len(text):,} characters is longer than the "
                             f"{self.max_length:,} mclint reads at once")
        return self.tokenizer(text)

    def __call__(self, text: str):
        doc = self.make_doc(text)
        for component in self.components:
            doc = component(doc)
        return doc

    def pipe(self, texts):
        for text in texts:
            yield self(text)


@lru_cache(maxsize=4)
def pipeline(chips: tuple[tuple[str, str], ...] = (),
             bindings: tuple[Binding, ...] | None = None) -> Pipeline:
    """Build mclint's spaCy pipeline (once per chip table and role bindings)."""
    from .. import startup

    built = Pipeline(chips, builtin().bindings if bindings is None else bindings)
    startup.resume()        # the command line's start is over (linter.startup)
    return built


def extract(text: str, chips: tuple[tuple[str, str], ...] = (),
            bindings: tuple[Binding, ...] | None = None) -> Extraction:
    """Extract the claims and calculations of one text."""
    return _result(pipeline(chips, bindings)(text))


def extract_many(texts, chips: tuple[tuple[str, str], ...] = (),
                 bindings: tuple[Binding, ...] | None = None):
    """Extract from many texts, in order."""
    for doc in pipeline(chips, bindings).pipe(texts):
        yield _result(doc)


def _result(doc) -> Extraction:
    return Extraction(tuple(doc._.mc_claims or ()), tuple(doc._.mc_calculations or ()),
                      tuple(doc._.mc_chips or ()), tuple(doc._.mc_marks or ()),
                      tuple(doc._.mc_expressions or ()))
