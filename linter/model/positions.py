"""Turn character offsets into 1-based line and column numbers, in one place."""

from __future__ import annotations

import bisect
import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Line starts of a file's text; '\\r\\n', '\\n' and a lone '\\r' each end a line.

    A byte-order mark is not a column: editors show the first character after it as
    column 1 of line 1.
    """

    def __init__(self, text: str, offset: int = 0, lines: int = 0):
        """`text` may be a piece of a file that starts at a line start: at character
        `offset` of the file, after `lines` lines.  Offsets given to `position` are the
        file's."""
        self.starts = [offset] + [offset + m.end() for m in _LINE_BREAK.finditer(text)]
        self.lines = lines
        self.bom = offset == 0 and text.startswith("\ufeff")

    @property
    def offset(self) -> int:
        return self.starts[0]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset."""
        k = max(0, bisect.bisect_right(self.starts, offset) - 1)
        column = offset - self.starts[k] + 1
        if k == 0 and self.bom and offset > 0:
            column -= 1
        return self.lines + k + 1, column


class PlaceError(ValueError):
    """An unusable file, with where: 'path:line:col: message' ('path: message' for line 0)."""

    def __init__(self, path: str, line: int, column: int, message: str):
        super().__init__(f"{path}:{line}:{column}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message
