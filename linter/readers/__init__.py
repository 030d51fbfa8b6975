"""Readers turn a file's bytes into entries (text segments and fields with positions)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import PurePath

from ..model.entries import Entry, Segment
from ..model.positions import LineIndex
from . import text as text_reader

MAX_BYTES = 200 * 1024 * 1024
# The longest piece of text handed to the extractor in one go.  Real notes are a few
# thousand characters; a longer segment (a 5 MB line, a huge Markdown body) is cut into
# pieces of at most this length, at a paragraph, line, sentence or word break, so memory
# stays bounded and spaCy's max_length (1,000,000 characters) is never reached.
MAX_SEGMENT = 50_000
PIECE_BYTES = 1 << 20     # what decode_pieces reads at a time
_BREAKS = (re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)"), re.compile(r"\r\n|\r|\n"),
           re.compile(r"[.!?;][ \t]"), re.compile(r"\s"))


class InputError(Exception):
    """Input mclint cannot read: reported as 'path:line:col: message', exit code 2."""

    def __init__(self, path: str, message: str, line: int = 0, column: int = 0):
        where = f"{path}:{line}:{column}" if line else path
        super().__init__(f"{where}: {message}")
        self.path, self.message, self.line, self.column = path, message, line, column


def decode(data: bytes, path: str) -> str:
    """Decode a file: UTF-8 (a BOM is kept as a character), or UTF-16/32 with a BOM."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        nul = data.find(b"\x00", 0, 8192)
        if nul >= 0:     # the byte offset is the place: lines mean little in binary data
            raise InputError(path, f"binary file (NUL byte at byte {nul}), not text "
                             "(UTF-16 and UTF-32 files need a BOM)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start, encoding)
        raise InputError(path, f"invalid {encoding.upper()} at byte {exc.start}",
                         line, col) from None
    if encoding != "utf-8" and text.startswith("\ufeff"):
        text = text[1:]
    return text


def decode_pieces(path: str, size: int | None = None) -> Iterator[str]:
    """A file's text piece by piece, the pieces joined being what `decode` gives for the
    whole file, and the same InputError where it fails.  Memory is bounded by `size` bytes
    (PIECE_BYTES) for UTF-8; a UTF-16 or UTF-32 file comes in one piece."""
    size = size or PIECE_BYTES
    with open(path, "rb") as fh:
        data = fh.read(max(size, 8192))     # the first 8 kB: what `decode` looks at for NUL
        if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                            codecs.BOM_UTF16_BE)) or b"\x00" in data[:8192]:
            yield decode(data + fh.read(), path)
            return
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while data:
                yield decoder.decode(data)
                data = fh.read(size)
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            fh.seek(0)
            decode(fh.read(), path)     # raises the error, placed in the whole file
            raise


def _position(data: bytes, byte: int, encoding: str) -> tuple[int, int]:
    """Line and column (in characters, as every other position) of a byte offset."""
    before = data[:byte].decode(encoding, errors="replace")
    return LineIndex(before).position(len(before))


def reader_for(path: str) -> str:
    """The reader a file name asks for: text, csv, yaml, json, jsonl or markdown."""
    suffix = PurePath(path).suffix.lower()
    return {
        ".csv": "csv", ".tsv": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "json",
        ".jsonl": "jsonl", ".ndjson": "jsonl", ".md": "markdown", ".markdown": "markdown",
    }.get(suffix, "text")


def read(path: str, text: str, config=None) -> list[Entry]:
    """Split a decoded file into entries."""
    kind = reader_for(path)
    if kind == "text":
        return split_long(text_reader.read(path, text))
    from . import structured  # readers for databases and model cards

    return split_long(structured.read(kind, path, text, config))


def split_long(entries: list[Entry], limit: int | None = None) -> list[Entry]:
    """Cut segments longer than `limit` into pieces; each extra piece is an entry of its own.

    An entry keeps the first piece of each of its segments, so no entry has two segments
    of one field (positions are found by field).  The extra entries have the same path,
    id and line, and no fields.
    """
    limit = limit or MAX_SEGMENT
    if all(len(s.text) <= limit for e in entries for s in e.segments):
        return entries
    out: list[Entry] = []
    for entry in entries:
        extra: list[Entry] = []
        kept = []
        for seg in entry.segments:
            pieces = [sub_segment(seg, a, b) for a, b in _cuts(seg.text, limit)]
            kept.append(pieces[0])
            extra += [Entry(path=entry.path, id=entry.id, segments=[p], line=entry.line,
                            continued=True) for p in pieces[1:]]
        entry.segments = kept
        out += [entry, *extra]
    return out


def _cuts(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of pieces of at most `limit` characters, cut after a natural break."""
    cuts, start, n = [], 0, len(text)
    while n - start > limit:
        end = start + limit
        for pattern in _BREAKS:
            last = None
            for m in pattern.finditer(text, start + limit // 2, end):
                last = m
            if last is not None:
                end = last.end()
                break
        cuts.append((start, end))
        start = end
    cuts.append((start, n))
    return cuts


def sub_segment(seg: Segment, a: int, b: int) -> Segment:
    """The piece seg.text[a:b] as a segment, with the offsets map rebased onto it."""
    if (a, b) == (0, len(seg.text)):
        return seg
    anchors = [(0, seg.file_offset(a))]
    anchors += [(s - a, f) for s, f in seg.offsets if a < s < b]
    return Segment(seg.text[a:b], seg.field, tuple(anchors))
