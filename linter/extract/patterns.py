"""Load the pipeline's patterns and word lists (patterns.yaml)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def load_patterns() -> dict:
    """Return patterns.yaml as a dict (read once)."""
    text = (resources.files("linter.extract") / "patterns.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
