"""Load the pipeline's patterns and word lists (patterns.yaml)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..quantities.unit_cache import load_packaged


@lru_cache(maxsize=1)
def load_patterns() -> dict:
    """Return patterns.yaml as a dict (read once)."""
    text = (resources.files("linter.extract") / "patterns.yaml").read_text(encoding="utf-8")
    return load_packaged(text)
