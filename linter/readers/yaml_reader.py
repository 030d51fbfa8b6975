"""YAML (.yaml/.yml): one entry (a mapping), a list of entries, or several documents of those.

Files are composed with yaml.SafeLoader into nodes, never constructed as Python objects:
explicit python/* tags (and any other non-standard tag) are refused, and so is every
alias, which also shuts out "billion laughs" expansion bombs. Node marks give each value's
character offset; string scalars get an offsets map:

- plain and quoted scalars on one line map 1:1 (a run break after each escape or '');
- block literals (|) map line by line, each line from its indentation, exactly;
- folded (>) and multi-line plain or quoted scalars are rebuilt from their source lines
  (indentation stripped, escapes decoded) and each line's text is found in the value in
  order, so every line maps exactly and the spaces or newlines that folding put between
  lines map onto the line break they replace. If a line cannot be found (an unusual mix of
  escapes and folding), it is mapped to where it would follow the previous one: positions
  stay on the right line but may be off within it.
"""

from __future__ import annotations

import re

import yaml

from ..marked_yaml import SafeComposer
from ..model.entries import Entry
from ..model.positions import LineIndex
from . import InputError
from .schema import EntryShapeError, MapNode, Node, Scalar, SeqNode, compress, mapping_entry

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp",
                                    "merge", "value")}
_LINES = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_ESCAPES = yaml.scanner.Scanner.ESCAPE_REPLACEMENTS
_ESCAPE_CODES = yaml.scanner.Scanner.ESCAPE_CODES


class _Loader(SafeComposer):
    ALIAS_MESSAGE = "YAML aliases are not allowed"


class Composer:
    """Turn YAML nodes of `text[base:...]` into the positioned tree of schema.py."""

    def __init__(self, path: str, text: str, index: LineIndex, base: int = 0):
        self.path, self.text, self.index, self.base = path, text, index, base

    def error(self, message: str, offset: int) -> InputError:
        line, col = self.index.position(offset)
        return InputError(self.path, message, line, col)

    def documents(self, end: int | None = None) -> list[Node]:
        """Every non-empty document of text[base:end]."""
        loader = None
        out = []
        try:
            loader = _Loader(self.text[self.base:end])
            while loader.check_node():
                node = loader.get_node()
                if node is not None:
                    out.append(self.convert(node))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            message = exc.problem or exc.context or "invalid YAML"
            if not message.startswith(("YAML aliases", "nesting deeper")):
                message = f"invalid YAML: {message}"
                if exc.context and exc.problem:
                    message += f" ({exc.context})"
            raise self.error(message, self.base + (mark.index if mark else 0)) from None
        except yaml.reader.ReaderError as exc:
            char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else exc.character
            raise self.error(f"invalid YAML: unacceptable character {char} ({exc.reason})",
                             self.base + exc.position) from None
        except yaml.YAMLError as exc:
            raise self.error(f"invalid YAML: {exc}", self.base) from None
        finally:
            if loader is not None:
                loader.dispose()
        return out

    def convert(self, node: yaml.Node) -> Node:
        start = self.base + node.start_mark.index
        tag = node.tag or ""
        if tag.startswith(_CORE + "python/"):
            raise self.error(f"YAML tag {tag.replace(_CORE, '!!')} is not allowed "
                             "(mclint never builds Python objects from its input)", start)
        if isinstance(node, yaml.MappingNode):
            self._check_tag(tag, _CORE + "map", start)
            items, keys = [], set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error("mapping keys must be plain values",
                                     self.base + key_node.start_mark.index)
                key = self.convert(key_node)
                if key.text in keys:
                    raise self.error(f"duplicate key {key.text!r}",
                                     self.base + key_node.start_mark.index)
                keys.add(key.text)
                items.append((key, self.convert(value_node)))
            return MapNode(tuple(items), start)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(tag, _CORE + "seq", start)
            return SeqNode(tuple(self.convert(v) for v in node.value), start)
        if tag not in _SCALAR_TAGS:
            raise self.error(f"unsupported YAML tag {tag.replace(_CORE, '!!')!r}", start)
        return self.scalar(node)

    def _check_tag(self, tag: str, expected: str, start: int) -> None:
        if tag != expected:
            raise self.error(f"unsupported YAML tag {tag.replace(_CORE, '!!')!r}", start)

    def scalar(self, node: yaml.ScalarNode) -> Scalar:
        s = self.base + node.start_mark.index
        e = self.base + node.end_mark.index
        kind = node.tag[len(_CORE):]
        if node.style or kind in ("str", "timestamp"):
            start, end, offsets = scalar_offsets(self.text, node.value, node.style, s, e)
            return Scalar(node.value, node.value, start, end, offsets, True)
        value: object = node.value
        if kind == "null":
            value = None
        elif kind in ("bool", "int", "float"):
            try:
                value = yaml.constructor.SafeConstructor().construct_object(node)
            except (ValueError, yaml.YAMLError):
                value = _long_int(node.value) if kind == "int" else None
                if value is None:
                    shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
                    raise self.error(f"not a valid {kind}: {shown!r}", s) from None
        return Scalar(value, node.value, s, e, ((0, s),), False)


def _long_int(text: str) -> float | None:
    """An integer too long for Python's int() (thousands of digits), read as a float (inf)."""
    digits = text.replace("_", "")
    if re.fullmatch(r"[-+]?[0-9]+", digits):
        return float(digits)
    return None


def scalar_offsets(text: str, value: str, style: str | None, s: int, e: int):
    """(start, end, offsets) of a string scalar whose source is text[s:e]."""
    if style in ("'", '"'):
        cs, ce = s + 1, e - 1
    elif style in ("|", ">"):
        header_end = _LINES.match(text, s, e).end()
        cs, ce = header_end, e
    else:
        cs, ce = s, e
    if text[cs:ce] == value:
        return cs, ce, ((0, cs),)
    pieces = list(_pieces(text, style, cs, ce, value))
    if style in ("|", ">"):
        cs = next((a[0][1] for piece, a, _ in pieces if piece is not None), cs)
    anchors = [(0, cs)]
    ptr = 0
    breaks: list[int] = []        # line breaks since the last piece placed
    for piece, piece_anchors, break_at in pieces:
        if piece is None:
            if break_at is not None:
                breaks.append(break_at)
            continue
        j = value.find(piece, ptr)
        if j < 0 or value[ptr:j].strip(" \t\n"):
            if style in ("|", ">"):
                if break_at is not None:
                    breaks.append(break_at)
                continue          # every block line appears verbatim: this one is not content
            # Approximate: the line follows the previous one after one folded character.
            j = min(ptr + (1 if ptr else 0), len(value))
        anchors.extend(_gap(ptr, j - ptr, breaks))
        anchors.extend((j + a, f) for a, f in piece_anchors)
        ptr = j + len(piece)
        breaks = [break_at] if break_at is not None else []
    anchors.extend(_gap(ptr, len(value) - ptr, breaks))
    return cs, ce, compress(anchors)


def _gap(at: int, length: int, breaks: list[int]) -> list[tuple[int, int]]:
    """Anchors for the characters that folding or chomping put where lines broke.

    n line breaks between two lines give n newlines (literal), n - 1 newlines or one
    space (folded, plain, quoted); each such character maps onto one of the breaks.
    """
    if length <= 0 or not breaks:
        return []
    if length < len(breaks):
        breaks = breaks[len(breaks) - length:]
    return [(at + k, b) for k, b in enumerate(breaks[:length])]


def _pieces(text: str, style: str | None, cs: int, ce: int, value: str):
    """(decoded text, offsets, offset of its line break's last character) per source line.

    A line with no content gives (None, None, its break); the last line has no break (None).
    """
    lines = [(m.start(1), m.end(1), m.end() - 1 if m.group(2) else None)
             for m in _LINES.finditer(text, cs, ce) if m.end() > m.start() or m.start() == cs]
    block = style in ("|", ">")
    indent = _block_indent(text, lines, value) if block else None
    for i, (a, b, brk) in enumerate(lines):
        line = text[a:b]
        if block:
            lead = len(line) - len(line.lstrip(" "))
            if not line.strip() and lead <= indent:
                yield None, None, brk     # an empty line: only its break is in the value
                continue
            a += min(lead, indent)
        else:
            if i > 0:
                a += len(line) - len(line.lstrip(" \t"))
            if i < len(lines) - 1:
                b = a + len(text[a:b].rstrip(" \t"))
        if a >= b:
            yield None, None, brk
            continue
        if style == '"':
            piece, anchors = _decode_double(text, a, b)
        elif style == "'":
            piece, anchors = _decode_single(text, a, b)
        else:
            piece, anchors = text[a:b], [(0, a)]
        yield piece, anchors, brk


def _block_indent(text: str, lines: list, value: str) -> int:
    """The indentation of a block scalar's lines.

    The first line with text starts with as many spaces in the value as the indentation
    indicator (|2) adds, and with none without one; the rest is indentation.
    """
    first = next((text[a:b] for a, b, _ in lines if text[a:b].strip()), "")
    first_value = next((ln for ln in value.split("\n") if ln.strip()), "")
    lead = len(first) - len(first.lstrip(" "))
    return max(lead - (len(first_value) - len(first_value.lstrip(" "))), 0)


def _decode_single(text: str, a: int, b: int) -> tuple[str, list[tuple[int, int]]]:
    parts, anchors, seg, pos = [], [(0, a)], 0, a
    while True:
        q = text.find("''", pos, b)
        if q < 0:
            parts.append(text[pos:b])
            return "".join(parts), anchors
        parts.append(text[pos:q + 1])
        seg += q + 1 - pos
        pos = q + 2
        anchors.append((seg, pos))


def _decode_double(text: str, a: int, b: int) -> tuple[str, list[tuple[int, int]]]:
    parts, anchors, seg, pos = [], [(0, a)], 0, a
    while True:
        q = text.find("\\", pos, b)
        if q < 0:
            parts.append(text[pos:b])
            return "".join(parts), anchors
        parts.append(text[pos:q])
        seg += q - pos
        if q + 1 >= b:                 # an escaped line break: nothing joins the lines
            return "".join(parts), anchors
        kind = text[q + 1]
        if kind in _ESCAPES:
            decoded, end = _ESCAPES[kind], q + 2
        elif kind in _ESCAPE_CODES:
            n = _ESCAPE_CODES[kind]
            try:
                decoded, end = chr(int(text[q + 2:q + 2 + n], 16)), q + 2 + n
            except ValueError:
                decoded, end = kind, q + 2
        else:
            decoded, end = kind, q + 2
        anchors.append((seg, q))
        parts.append(decoded)
        seg += len(decoded)
        pos = end
        anchors.append((seg, pos))


def entries_of(path: str, roots: list[Node], index: LineIndex, composer: Composer) -> list[Entry]:
    """Entries of YAML documents: each a mapping (one entry) or a list of mappings."""
    out: list[Entry] = []
    for root in roots:
        items = root.items if isinstance(root, SeqNode) else (root,)
        for node in items:
            if not isinstance(node, MapNode):
                raise composer.error("expected a mapping (one entry)" if isinstance(root, SeqNode)
                                     else "expected a mapping (one entry) or a list of them",
                                     _start(node))
            try:
                out.append(mapping_entry(path, node, index, f"#{len(out)}"))
            except EntryShapeError as exc:
                raise composer.error(exc.message, exc.offset) from None
    return out


def _start(node: Node) -> int:
    if isinstance(node, Scalar):
        return node.offsets[0][1] if node.is_string else node.start
    return node.start


def read(path: str, text: str) -> list[Entry]:
    """Entries of a YAML file."""
    index = LineIndex(text)
    composer = Composer(path, text, index)
    return entries_of(path, composer.documents(), index, composer)
