"""Model cards (.md): YAML front matter, then the Markdown body read with markdown-it-py.

The front matter (if the first line is '---') is composed with the YAML reader's node logic:
keys the role registry knows become fields (nested ones by their dotted path, such as
`co2_eq_emissions.emissions`), notes keys become segments, as in a YAML entry.  The body is
parsed as CommonMark with tables, and becomes:

* one segment "body": the prose of paragraphs, headings and list items, with inline markup
  removed (emphasis, links' destinations, images, inline code, HTML) and every character
  still mapped to its place in the file; code blocks, HTML blocks and comments, block
  quotes (quoted model outputs) and tables are left out of it, one empty line per line;
* one segment per table ("table 1", ...): its rows, a line each, and a `Table` that says
  which cell holds which offset and what its header (or, for a two-column key-value table,
  its label) is.

The entry id is the front matter's model_name, model_id or name (also id or model), else the
file's stem.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePath

from ..model.entries import Cell, Entry, Segment, Table
from ..model.positions import LineIndex
from . import InputError
from .schema import EntryShapeError, MapNode, mapping_entry
from .yaml_reader import Composer

_DELIMITER = re.compile(r"---[ \t]*(?:\r\n|\r|\n|$)")
_CLOSING = _DELIMITER
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+")
_TAG = re.compile(r"<[^>\n]{0,200}>")
_SEPARATOR_CELL = re.compile(r":?-{2,}:?")
SKIPPED_BLOCKS = ("fence", "code_block", "html_block")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def read(path: str, text: str) -> list[Entry]:
    """One entry: front-matter fields and notes, the body's prose and its tables."""
    index = LineIndex(text)
    stem = PurePath(path).stem
    bom = 1 if text.startswith("\ufeff") else 0
    opening = _DELIMITER.match(text, bom)
    if opening is None:
        entry = Entry(path=path, id=stem, segments=[], line=1)
        _add_body(entry, text, bom)
        return [entry]
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
        entry = mapping_entry(path, root, index, stem, nested=True)
    except EntryShapeError as exc:
        raise composer.error(exc.message, exc.offset) from None
    _add_body(entry, text, closing.end())
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


class _Pieces:
    """Text kept from the file, piece by piece, with the anchors that map it back."""

    def __init__(self):
        self.parts: list[str] = []
        self.anchors: list[tuple[int, int]] = []
        self.length = 0

    def add(self, text: str, file_offset: int) -> None:
        if not text:
            return
        if not self.anchors or self.anchors[-1][1] + (self.length - self.anchors[-1][0]) \
                != file_offset:
            self.anchors.append((self.length, file_offset))
        self.parts.append(text)
        self.length += len(text)

    def segment(self, field: str) -> Segment | None:
        text = "".join(self.parts)
        if not text.strip():
            return None
        return Segment(text, field, tuple(self.anchors) or ((0, 0),))


def _add_body(entry: Entry, text: str, start: int) -> None:
    """Read the body after the front matter into prose and table segments."""
    body = text[start:]
    if not body.strip(" \t\r\n"):
        return
    lines = [(m.start() + start, m.group()) for m in _LINES.finditer(body) if m.group()]
    tokens = _parser().parse(body)
    prose = _Pieces()
    kept_lines: set[int] = set()
    blocked: set[int] = set()              # lines that are no prose
    tables: list[tuple[int, int]] = []
    depth_quote = 0
    for tok in tokens:
        if tok.type == "blockquote_open":
            depth_quote += 1
        elif tok.type == "blockquote_close":
            depth_quote -= 1
        if tok.map is None:
            continue
        a, b = tok.map
        if tok.type in SKIPPED_BLOCKS or tok.type == "blockquote_open":
            blocked.update(range(a, b))
        elif tok.type == "table_open":
            tables.append((a, b))
            blocked.update(range(a, b))
        elif tok.type == "inline" and depth_quote == 0:
            kept_lines.update(range(a, b))
    for n, (offset, line) in enumerate(lines):
        if n in blocked or n not in kept_lines:
            prose.add(line[-1] if line.endswith(("\n", "\r")) else "", offset + len(line) - 1)
            continue
        _add_line(prose, line, offset)
    body_segment = prose.segment("body")
    if body_segment is not None:
        entry.segments.append(body_segment)
    for k, (a, b) in enumerate(tables, 1):
        table = _table(lines[a:b], f"table {k}", a)
        if table is not None:
            seg, tab = table
            entry.segments.append(seg)
            entry.tables.append(tab)


_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])\s+|^(\s*)#{1,6}\s+")


def _add_line(pieces: _Pieces, line: str, offset: int) -> None:
    """One prose line without its block marker ('- ', '1. ', '## ') and inline markup."""
    m = _BULLET.match(line)
    skip = m.end() if m else 0
    kept = _strip_inline(line[skip:], offset + skip)
    for text, at in kept:
        pieces.add(text, at)


def _strip_inline(text: str, offset: int) -> list[tuple[str, int]]:
    """The parts of a line that are words: without code spans, HTML tags, URLs, images,
    link destinations and emphasis markers, each with its file offset."""
    drop = [False] * len(text)

    def mark(a: int, b: int) -> None:
        for i in range(max(a, 0), min(b, len(text))):
            drop[i] = True

    for m in re.finditer(r"(`+)(?!`).*?(?<!`)\1(?!`)", text):        # `code`, ``code``
        mark(m.start(), m.end())
    for m in re.finditer(r"!\[[^\]\n]*\]\([^)\n]*\)", text):          # images
        mark(m.start(), m.end())
    for m in re.finditer(r"\]\([^)\n]*\)", text):                     # link destinations
        mark(m.start(), m.end())
        line = text.rfind("\n", 0, m.start()) + 1                      # and their openers
        opener = text.rfind("[", line, m.start())
        if opener >= 0 and "]" not in text[opener + 1:m.start()]:
            mark(opener, opener + 1)
    for m in _TAG.finditer(text):                                     # HTML, comments
        mark(m.start(), m.end())
    for m in re.finditer(r"<!--.*?-->", text):
        mark(m.start(), m.end())
    for m in _URL.finditer(text):
        mark(m.start(), m.end())
    # emphasis markers: runs of * or _ that open or close a word ("**7B**", "_note_")
    for m in re.finditer(r"(?<![\w*_])[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?![\w*_])", text):
        mark(m.start(), m.end())
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        if drop[i]:
            i += 1
            continue
        j = i
        while j < len(text) and not drop[j]:
            j += 1
        out.append((text[i:j], offset + i))
        i = j
    return out


def _is_separator(line: str) -> bool:
    """'|---|:--:|' : the row under a table's header."""
    inner = line.strip().strip("|")
    cells = [c.strip() for c in inner.split("|")]
    return bool(inner) and all(_SEPARATOR_CELL.fullmatch(c) for c in cells)


def _table(rows: list[tuple[int, str]], field: str, first_line: int):
    """A table's segment (rows as lines, markup removed) and its Table of cells."""
    pieces = _Pieces()
    grid: list[tuple[Cell, ...]] = []
    for offset, line in rows:
        content = line.rstrip("\r\n")
        if _is_separator(content):
            continue
        cells = []
        for a, b in _cell_spans(content):
            start = pieces.length
            for text, at in _strip_inline(content[a:b], offset + a):
                pieces.add(text, at)
            cell_text = "".join(pieces.parts)[start:pieces.length]
            cells.append(Cell(cell_text.strip(), start, pieces.length))
            pieces.add(" ", offset + b)
        pieces.add("\n", offset + len(content))
        grid.append(tuple(cells))
    if len(grid) < 2:
        return None
    seg = pieces.segment(field)
    if seg is None:
        return None
    header, body = grid[0], tuple(grid[1:])
    keyed = len(header) == 2 and all(len(r) >= 2 for r in body) and \
        sum(1 for r in body if not _numeric(r[0].text)) >= max(1, (len(body) * 3 + 4) // 5) \
        and all(_numeric(r[1].text) or not r[1].text for r in body[:1])
    return seg, Table(field, header, body, keyed=keyed, line=first_line + 1)


def _numeric(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text.rstrip(
        "kKMBTmbt%"))


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """Where the cells of a table row are (GFM: '|' separates, '\\|' is a pipe in a cell)."""
    bounds = [i for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")]
    stripped = line.strip()
    if not stripped.startswith("|"):
        bounds = [-1] + bounds
    if not stripped.endswith("|") or len(bounds) < 2:
        bounds = bounds + [len(line)]
    return [(a + 1, b) for a, b in zip(bounds, bounds[1:]) if b > a + 1 or b == a + 1]
