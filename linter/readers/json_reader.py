"""JSON (.json: one entry object or a list of them) and JSON Lines (.jsonl: one object a line).

Python's json module gives no positions, so this is a small recursive-descent parser that
keeps the file offset of every value and an offsets map for every string (a run break
after each escape). Strict JSON (RFC 8259): no comments, trailing commas, NaN or Infinity.
Duplicate keys in an object are refused. A lone surrogate escape becomes U+FFFD.
How an object becomes an entry is schema.mapping_entry; an entry without an id key is
named "#<index>" (0-based position among the file's entries).
"""

from __future__ import annotations

import re

from ..model.entries import Entry
from ..model.positions import LineIndex
from . import InputError
from .schema import EntryShapeError, MapNode, Node, Scalar, SeqNode, compress, mapping_entry

MAX_DEPTH = 200

_WS = re.compile(r"[ \t\n\r]*")
_CHUNK = re.compile(r'[^"\\\x00-\x1f]*')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_LINE = re.compile(r"[^\r\n]+")   # a line's content (\n, \r\n, a lone \r end a line)
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n",
                   "r": "\r", "t": "\t"}
_LITERALS = (("true", True), ("false", False), ("null", None))


class _Parser:
    """Parse JSON values inside text[pos:end] keeping file offsets."""

    def __init__(self, text: str, path: str, index: LineIndex, end: int):
        self.text, self.path, self.index, self.end = text, path, index, end
        self.depth = 0

    def error(self, message: str, offset: int) -> InputError:
        line, col = self.index.position(offset)
        return InputError(self.path, message, line, col)

    def ws(self, pos: int) -> int:
        return _WS.match(self.text, pos, self.end).end()

    def document(self, pos: int, what: str = "end of input") -> Node:
        """One value and nothing but whitespace after it."""
        if pos == 0 and self.text.startswith("\ufeff"):
            pos = 1
        node, pos = self.value(self.ws(pos))
        pos = self.ws(pos)
        if pos < self.end:
            raise self.error(f"expected {what} after the JSON value", pos)
        return node

    def value(self, pos: int) -> tuple[Node, int]:
        text = self.text
        if pos >= self.end:
            raise self.error("unexpected end of input: expected a value", pos)
        ch = text[pos]
        if ch == "{":
            return self.object(pos)
        if ch == "[":
            return self.array(pos)
        if ch == '"':
            return self.string(pos)
        if ch == "-" or "0" <= ch <= "9":
            m = _NUMBER.match(text, pos, self.end)
            if m is None:
                raise self.error("expected a number", pos)
            raw = m.group()
            # Long integers are read as floats (inf beyond the range): int() of thousands
            # of digits is refused by Python (sys.get_int_max_str_digits) and no field
            # needs more precision than a float has.
            number = float(raw) if (m.group(1) or m.group(2) or len(raw) > 300) else int(raw)
            return Scalar(number, raw, pos, m.end(), ((0, pos),), False), m.end()
        for word, literal in _LITERALS:
            if text.startswith(word, pos, self.end):
                end = pos + len(word)
                return Scalar(literal, word, pos, end, ((0, pos),), False), end
        raise self.error("expected a value", pos)

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels", pos)

    def object(self, start: int) -> tuple[MapNode, int]:
        self.enter(start)
        text, items, keys = self.text, [], set()
        pos = self.ws(start + 1)
        if pos < self.end and text[pos] == "}":
            self.depth -= 1
            return MapNode((), start), pos + 1
        while True:
            if pos >= self.end or text[pos] != '"':
                raise self.error("expected a string key" + ("" if items else " or '}'"), pos)
            key, pos = self.string(pos)
            if key.text in keys:
                raise self.error(f"duplicate key {key.text!r}", key.start - 1)
            keys.add(key.text)
            pos = self.ws(pos)
            if pos >= self.end or text[pos] != ":":
                raise self.error("expected ':'", pos)
            node, pos = self.value(self.ws(pos + 1))
            items.append((key, node))
            pos = self.ws(pos)
            if pos < self.end and text[pos] == ",":
                pos = self.ws(pos + 1)
                continue
            if pos < self.end and text[pos] == "}":
                self.depth -= 1
                return MapNode(tuple(items), start), pos + 1
            raise self.error("expected ',' or '}'", pos)

    def array(self, start: int) -> tuple[SeqNode, int]:
        self.enter(start)
        text, items = self.text, []
        pos = self.ws(start + 1)
        if pos < self.end and text[pos] == "]":
            self.depth -= 1
            return SeqNode((), start), pos + 1
        while True:
            node, pos = self.value(pos)
            items.append(node)
            pos = self.ws(pos)
            if pos < self.end and text[pos] == ",":
                pos = self.ws(pos + 1)
                continue
            if pos < self.end and text[pos] == "]":
                self.depth -= 1
                return SeqNode(tuple(items), start), pos + 1
            raise self.error("expected ',' or ']'", pos)

    def string(self, start: int) -> tuple[Scalar, int]:
        """A string at text[start] == '"'; its offsets break after each escape."""
        text, end = self.text, self.end
        parts: list[str] = []
        anchors = [(0, start + 1)]
        seg, pos = 0, start + 1
        while True:
            run_end = _CHUNK.match(text, pos, end).end()
            parts.append(text[pos:run_end])
            seg += run_end - pos
            pos = run_end
            if pos >= end:
                raise self.error("unterminated string", start)
            ch = text[pos]
            if ch == '"':
                value = "".join(parts)
                return Scalar(value, value, start + 1, pos, compress(anchors), True), pos + 1
            if ch != "\\":
                raise self.error(f"control character {ch!r} in string (escape it)", pos)
            decoded, esc_end = self.escape(pos)
            anchors.append((seg, pos))
            parts.append(decoded)
            seg += len(decoded)
            pos = esc_end
            anchors.append((seg, pos))

    def escape(self, pos: int) -> tuple[str, int]:
        """Decode the escape at text[pos] == '\\': (characters, offset after it)."""
        text = self.text
        kind = text[pos + 1] if pos + 1 < self.end else ""
        if kind in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[kind], pos + 2
        if kind != "u":
            raise self.error(f"invalid escape '\\{kind}'", pos)
        if not _HEX4.match(text, pos + 2, self.end):
            raise self.error("invalid \\u escape: expected 4 hex digits", pos)
        code = int(text[pos + 2:pos + 6], 16)
        if 0xD800 <= code < 0xDC00 and text.startswith("\\u", pos + 6, self.end) \
                and _HEX4.match(text, pos + 8, self.end):
            low = int(text[pos + 8:pos + 12], 16)
            if 0xDC00 <= low < 0xE000:
                return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), pos + 12
        if 0xD800 <= code < 0xE000:
            return "\ufffd", pos + 6      # a lone surrogate cannot be encoded as UTF-8
        return chr(code), pos + 6


def _entry(path: str, node: Node, index: LineIndex, n: int, parser: _Parser) -> Entry:
    if not isinstance(node, MapNode):
        raise parser.error("expected an object (one entry)", _node_start(node))
    try:
        return mapping_entry(path, node, index, f"#{n}")
    except EntryShapeError as exc:
        raise parser.error(exc.message, exc.offset) from None


def _node_start(node: Node) -> int:
    return node.start - 1 if isinstance(node, Scalar) and node.is_string else node.start


def read(path: str, text: str) -> list[Entry]:
    """Entries of a .json file: one object, or a list of objects."""
    index = LineIndex(text)
    parser = _Parser(text, path, index, len(text))
    root = parser.document(0)
    if isinstance(root, SeqNode):
        return [_entry(path, node, index, i, parser) for i, node in enumerate(root.items)]
    if isinstance(root, MapNode):
        return [_entry(path, root, index, 0, parser)]
    raise parser.error("expected an object (one entry) or a list of objects", _node_start(root))


def read_lines(path: str, text: str) -> list[Entry]:
    """Entries of a .jsonl file: one object per line; blank lines are skipped."""
    index = LineIndex(text)
    entries: list[Entry] = []
    for m in _LINE.finditer(text):
        if not m.group().strip(" \t\ufeff"):
            continue
        parser = _Parser(text, path, index, m.end())
        node = parser.document(m.start(), "end of line")
        entries.append(_entry(path, node, index, len(entries), parser))
    return entries
