"""Garbage collection while the command line starts.

Nothing made before the pipeline is built is garbage: modules, rules, the vocabulary, the
unit index all live until the process ends.  The collections their allocation triggers
visit every object again and again, and took a tenth of a one-note run.  So the command
line postpones automatic collection while it starts (a first threshold of 0 turns it
off), and it resumes once the pipeline is built (`linter.extract.pipeline`), with what
exists then frozen out of later collections (gc.freeze), or when the command builds no
pipeline.  The collector's own settings say whether a start is under way, so mclint called
from Python, with the collector as its caller left it, is not touched.
"""

from __future__ import annotations

import gc

THRESHOLD = 700      # CPython's first threshold


def postpone() -> None:
    """Stop automatic collection until `resume`."""
    _, second, third = gc.get_threshold()
    gc.set_threshold(0, second, third)


def resume() -> None:
    """If collection was postponed: collect again, with the objects made so far out of
    every later collection."""
    first, second, third = gc.get_threshold()
    if first == 0:
        gc.freeze()
        gc.set_threshold(THRESHOLD, second, third)
