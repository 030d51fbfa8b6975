"""Arithmetic: evaluate expression trees over claims and judge a stated step one way.

`expressions` evaluates trees with intervals and pint dimensions, `units` recognises
conversion factors written as bare numbers, `judge` reads a step once (by dimensional
analysis), compares it within the stated digits and grades the difference.  Works on plain
claims from linter.model: may import linter.model and linter.quantities, never spaCy or
the extractor, so it is tested with claims built by hand.
"""
