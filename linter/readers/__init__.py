"""Readers turn a file's bytes into entries (text segments and fields with positions)."""

from __future__ import annotations

import codecs
from pathlib import PurePath

from ..entries import Entry
from . import text as text_reader

MAX_BYTES = 200 * 1024 * 1024


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
        if b"\x00" in data[:8192]:
            raise InputError(path, "binary file (NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(path, f"invalid {encoding.upper()} at byte {exc.start}", line, col) from None
    if encoding != "utf-8" and text.startswith("\ufeff"):
        text = text[1:]
    return text


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
        return text_reader.read(path, text)
    from . import structured  # readers for databases and model cards

    return structured.read(kind, path, text, config)
