"""Model cards (.md): YAML front matter between '---' lines, then the Markdown body.

The front matter (if the first line is '---') is composed with the YAML reader's node
logic; keys the role registry knows become fields and notes keys become segments, as in a YAML
entry. The body after the closing '---' line is one segment, field "body". The entry id is
the front matter's model_name, model_id or name (also id or model), else the file's stem.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from ..model.entries import Entry, Segment
from ..model.positions import LineIndex
from . import InputError
from .schema import EntryShapeError, MapNode, mapping_entry
from .yaml_reader import Composer

_DELIMITER = re.compile(r"---[ \t]*(?:\r\n|\r|\n|$)")
_CLOSING = _DELIMITER


def read(path: str, text: str) -> list[Entry]:
    """One entry: front-matter fields and notes, and the body as one segment."""
    index = LineIndex(text)
    stem = PurePath(path).stem
    bom = 1 if text.startswith("\ufeff") else 0
    opening = _DELIMITER.match(text, bom)
    if opening is None:
        body = text[bom:]    # the BOM glued to the first word would hide a number
        segments = [Segment(body, "body", ((0, bom),))] if body.strip(" \t\r\n") else []
        return [Entry(path=path, id=stem, segments=segments, line=1)]
    fm_start = opening.end()
    closing = _find_closing(text, fm_start)
    if closing is None:
        raise InputError(path, "front matter opened here is not closed by a '---' line", 1, 1)
    composer = Composer(path, text, index, base=fm_start)
    roots = composer.documents(end=closing.start())
    if len(roots) > 1:
        raise composer.error("front matter must be one YAML mapping", roots[1].start)
    root = roots[0] if roots else MapNode((), fm_start)
    if not isinstance(root, MapNode):
        raise composer.error("front matter must be a YAML mapping", fm_start)
    try:
        entry = mapping_entry(path, root, index, stem)
    except EntryShapeError as exc:
        raise composer.error(exc.message, exc.offset) from None
    body_start = closing.end()
    body = text[body_start:]
    if body.strip():
        entry.segments.append(Segment(body, "body", ((0, body_start),)))
    entry.line = 1
    return [entry]


def _find_closing(text: str, start: int):
    """The first line that is exactly '---' at or after `start` (a line start)."""
    pos = start
    while True:
        m = _CLOSING.search(text, pos)
        if m is None:
            return None
        # Only at a line start (after '\n', '\r\n' or a lone '\r', as LineIndex counts).
        at = m.start()
        if at == start or text[at - 1] in "\r\n":
            return m
        pos = at + 1
