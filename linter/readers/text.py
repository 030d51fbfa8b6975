"""Plain text (.txt, stdin): the whole file is one note."""

from __future__ import annotations

from ..entries import Entry, Segment


def read(path: str, text: str) -> list[Entry]:
    """One entry with one segment holding the whole text."""
    return [Entry(path=path, id=None, segments=[Segment(text=text, field=None)])]
