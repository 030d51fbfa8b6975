"""Plain text (.txt, stdin): the whole file is one note."""

from __future__ import annotations

from ..model.entries import Entry, Segment


def read(path: str, text: str) -> list[Entry]:
    """One entry with one segment holding the whole text (after a UTF-8 BOM, if any)."""
    # The BOM stays a character of the file (so fixes keep it), but glued to the first
    # word it would hide a number at the very start from the extractor.
    bom = 1 if text.startswith("\ufeff") else 0
    return [Entry(path=path, id=None, segments=[Segment(text=text[bom:], field=None,
                                                        offsets=((0, bom),))])]
