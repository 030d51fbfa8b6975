"""Model-database CSV (RFC 4180; tab-separated for .tsv): one entry per data row, with exact offsets.

Python's csv module gives no positions, so this is a small scanner of its own. It jumps
over runs of ordinary characters with regular expressions (one match per cell), never
looping over characters in Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from ..model.entries import Entry, FieldValue, Segment
from ..model.positions import LineIndex
from . import InputError
from .schema import EPOCH, TEXT_ROLES, DatabaseSchema, parse_number, schema_from_mapping

# A quoted cell: the content between the quotes, doubled quotes allowed inside
# (written as an unrolled loop so long cells are matched without backtracking).
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_PLAIN = {",": re.compile(r"[^,\r\n]*"), "\t": re.compile(r"[^\t\r\n]*")}

Cell = tuple[int, int, bool]        # start, end (file offsets of the content), quoted


def _error(path: str, index: LineIndex, message: str, offset: int) -> InputError:
    line, col = index.position(offset)
    return InputError(path, message, line, col)


def scan(text: str, path: str, index: LineIndex, sep: str = ",") -> Iterator[tuple[int, list[Cell]]]:
    """Yield (row start offset, cells) for every record; rows may span physical lines."""
    base = index.offset          # `text` may be a piece of the file: errors name file places
    plain = _PLAIN[sep].match
    quoted_match = _QUOTED.match
    n = len(text)
    pos = 0
    while pos < n:
        row_start = pos
        cells: list[Cell] = []
        while True:
            if text.startswith('"', pos):
                m = quoted_match(text, pos)
                if m is None:
                    raise _error(path, index, "unbalanced quote: the quoted cell that starts "
                                 "here is never closed", base + pos)
                cells.append((pos + 1, m.end() - 1, True))
                cell_start, pos = pos, m.end()
                if pos < n and text[pos] not in sep + "\r\n":
                    line, col = index.position(base + pos - 1)
                    raise _error(path, index, "unbalanced quote: the quoted cell that starts "
                                 f"here closes at {line}:{col} and goes on with "
                                 f"{text[pos]!r} (a quote inside a quoted cell must be doubled)",
                                 base + cell_start)
            else:
                end = plain(text, pos).end()
                cells.append((pos, end, False))
                pos = end
            if pos >= n:
                break
            ch = text[pos]
            pos += 1
            if ch == sep:
                continue
            if ch == "\r" and text.startswith("\n", pos):
                pos += 1
            break
        yield row_start, cells


def cell_text(text: str, cell: Cell) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A cell's unescaped text and its offsets map (a run break after each doubled quote)."""
    start, end, quoted = cell
    raw = text[start:end]
    if not quoted or '""' not in raw:
        return raw, ((0, start),)
    anchors = [(0, start)]
    parts = []
    seg, pos = 0, start
    while True:
        q = text.find('""', pos, end)
        if q == -1:
            parts.append(text[pos:end])
            break
        parts.append(text[pos:q + 1])     # keep one quote; it maps to the first of the pair
        seg += q + 1 - pos
        pos = q + 2
        anchors.append((seg, pos))
    return "".join(parts), tuple(anchors)


def _blank(text: str, cells: list[Cell]) -> bool:
    """A blank line (or only the BOM): one unquoted empty cell."""
    start, end, quoted = cells[0]
    return len(cells) == 1 and not quoted and not text[start:end].strip("\ufeff")


def _choose_schema(path: str, header: list[str], columns, index: LineIndex,
                   header_cells: list[Cell]) -> DatabaseSchema:
    user = None
    if columns is not None:
        try:
            user = columns if isinstance(columns, DatabaseSchema) else schema_from_mapping(columns)
        except ValueError as exc:
            raise _error(path, index, f"column mapping: {exc}", 0) from None
    names = set(header)
    if user is not None and user.id_column in names:
        wanted = [*user.field_roles(), *user.notes]
        for name in wanted:
            if name not in names:
                raise _error(path, index, f"column {name!r} of the column mapping is not in "
                             "the header", header_cells[0][0])
        if not user.note_columns(header):
            raise _error(path, index, "no notes columns: the column mapping names none and "
                         "no column name ends in ' notes'", header_cells[0][0])
        return user
    if EPOCH.id_column in names and EPOCH.note_columns(header):
        return EPOCH
    if user is not None:
        raise _error(path, index, f"missing id column {user.id_column!r} (named in the column "
                     "mapping)", header_cells[0][0])
    hint = ("; for another layout set a column mapping in the config "
            "(columns: {id: ..., notes: [...], fields: {column: role}})")
    if EPOCH.id_column not in names:
        raise _error(path, index, "missing id column 'Model' of Epoch's layout" + hint,
                     header_cells[0][0])
    raise _error(path, index, "no notes columns (names ending in ' notes') in Epoch's layout"
                 + hint, header_cells[0][0])


@dataclass(frozen=True)
class Layout:
    """What the header says: the schema, and which cells hold the id, notes and fields."""

    schema: DatabaseSchema
    id_index: int
    field_cols: tuple[tuple[int, str, str], ...]    # (cell index, column name, role)
    note_cols: tuple[tuple[int, str], ...]          # (cell index, column name)
    width: int


def _layout(path: str, text: str, header_cells: list[Cell], columns,
            index: LineIndex) -> Layout:
    header: list[str] = []
    seen: set[str] = set()
    for cell in header_cells:
        name = cell_text(text, cell)[0].lstrip("\ufeff").strip()
        if name and name in seen:
            raise _error(path, index, f"duplicate column name {name!r}",
                         index.offset + cell[0] - cell[2])
        seen.add(name)
        header.append(name)
    schema = _choose_schema(path, header, columns, index,
                            [(a + index.offset, b + index.offset, q) for a, b, q in header_cells])
    col = {name: i for i, name in enumerate(header) if name}
    return Layout(schema, col[schema.id_column],
                  tuple((col[name], name, role) for name, role in schema.field_roles().items()
                        if name in col),
                  tuple((col[name], name) for name in schema.note_columns(header)),
                  len(header))


def _entry(path: str, text: str, row_start: int, cells: list[Cell], layout: Layout,
           index: LineIndex) -> Entry:
    """The entry of one data row; `text` may be a piece of the file that starts at
    index.offset, and the entry's offsets are the file's."""
    base = index.offset
    width = layout.width
    if len(cells) > width:
        line, column = index.position(base + cells[width][0] - cells[width][2])
        raise _error(path, index, f"row has {len(cells)} cells but the header has {width} "
                     f"(first extra cell at {line}:{column})", base + row_start)
    n = len(cells)
    id_idx = layout.id_index
    entry_id = cell_text(text, cells[id_idx])[0].strip() if id_idx < n else ""
    segments = []
    for i, name in layout.note_cols:
        if i < n and cells[i][1] > cells[i][0]:
            value, offsets = cell_text(text, cells[i])
            if value.strip():
                if base:
                    offsets = tuple((k, at + base) for k, at in offsets)
                segments.append(Segment(value, name, offsets))
    fields = {}
    for i, name, role in layout.field_cols:
        if i < n and cells[i][1] > cells[i][0]:
            raw = cell_text(text, cells[i])[0]
            if raw.strip():
                number = None if role in TEXT_ROLES else parse_number(raw)
                fields[name] = FieldValue(name, raw, number, base + cells[i][0],
                                          base + cells[i][1], role)
    return Entry(path=path, id=entry_id or None, segments=segments, fields=fields,
                 line=index.position(base + row_start)[0])


def read(path: str, text: str, columns=None) -> list[Entry]:
    """One entry per data row: the id, a segment per non-empty notes cell, the schema's fields.

    `columns` is a user's column mapping (see schema_from_mapping) or a DatabaseSchema.
    Empty cells give no field and no segment; short rows are padded with empty cells;
    blank lines are skipped.
    """
    return [entry for _, _, entries in stream(path, [text], columns) for entry in entries]


def _separator(path: str) -> str:
    return "\t" if PurePath(path).suffix.lower() == ".tsv" else ","


# How much text `stream` reads before it cuts at the last complete row.
PIECE = 1 << 20


def stream(path: str, pieces: Iterable[str], columns=None, size: int = 0
           ) -> Iterator[tuple[str, LineIndex, list[Entry]]]:
    """The entries of a CSV read piece by piece: (text, line index, entries) for each run of
    complete rows of about `size` characters (PIECE), the index and entries in the file's
    offsets and lines.  Memory is bounded by a piece, not by the file; the entries and
    errors are those of `read` on the whole."""
    size = size or PIECE
    sep = _separator(path)
    layout = None
    pieces = iter(pieces)
    buffer, offset, lines = "", 0, 0
    final = False
    want = size
    while True:
        while len(buffer) < want and not final:
            piece = next(pieces, None)
            if piece is None:
                final = True
            else:
                buffer += piece
        index = LineIndex(buffer, offset, lines)
        entries: list[Entry] = []
        cut = 0
        # Rows are taken as they are scanned, so that errors come in the file's order.
        for row_start, cells, cut in _complete_rows(buffer, path, index, sep, final):
            if _blank(buffer, cells):
                continue
            if layout is None:
                layout = _layout(path, buffer, cells, columns, index)
            else:
                entries.append(_entry(path, buffer, row_start, cells, layout, index))
        if not cut and not final:       # a row longer than the buffer: read on
            want = 2 * len(buffer)
            continue
        want = size
        yield buffer[:cut], index, entries
        if final:
            return
        lines = index.position(offset + cut)[0] - 1
        offset += cut
        buffer = buffer[cut:]


def _complete_rows(text: str, path: str, index: LineIndex, sep: str, final: bool
                   ) -> Iterator[tuple[int, list[Cell], int]]:
    """(row start, cells, offset after the row) of each row of `text` that certainly ends in
    it.  Unless `final`, a row ends in the text only if a line break and more text follow
    it; an error past the last such row may be the cut's doing, and is left for a longer
    text to decide."""
    scanner = scan(text, path, index, sep)
    while True:
        try:
            row = next(scanner, None)
        except InputError:
            if final:
                raise
            return
        if row is None:
            return
        _, end, quoted = row[1][-1]
        end += quoted                   # after the closing quote
        if final:
            yield row[0], row[1], len(text)
            continue
        if end >= len(text) - 1 or text[end] not in "\r\n":
            return
        end += 2 if text.startswith("\r\n", end) else 1
        if end >= len(text):
            return
        yield row[0], row[1], end
