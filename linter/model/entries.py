"""What readers produce and checks read: entries made of text segments and fields."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .claims import Extraction


@dataclass(frozen=True)
class Segment:
    """A piece of free text (a note, a cell, a Markdown body) and where it sits in its file.

    `offsets` maps the segment's characters to file characters: a list of
    (segment_offset, file_offset) anchors, each starting a run where both advance
    together (a quoted CSV cell breaks runs at every doubled quote).
    """

    text: str
    field: str | None = None
    offsets: tuple[tuple[int, int], ...] = ((0, 0),)

    def file_offset(self, i: int) -> int:
        """The file character offset of the segment's character i."""
        keys = self.__dict__.get("_keys")
        if keys is None:
            keys = [a for a, _ in self.offsets]
            object.__setattr__(self, "_keys", keys)  # a cache, not part of the value
        k = bisect.bisect_right(keys, i) - 1
        seg, fil = self.offsets[max(k, 0)]
        return fil + (i - seg)


@dataclass(frozen=True)
class FieldValue:
    """A structured field of an entry: raw text, number (if any) and where it is.

    `name` is the field as the file names it ("Parameters"); `role` is what mclint
    knows it as (parameters, compute, dataset_size, training_hours, hardware, chips,
    utilization, batch_size, epochs, finetune_compute, ...), None if unknown.
    """

    name: str
    raw: str
    value: float | None
    start: int          # file character offsets of the raw text
    end: int
    role: str | None = None


@dataclass(frozen=True)
class Cell:
    """A table cell: its text (markup removed) and where it is in its table's segment."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Table:
    """A Markdown table read as data: header, rows (each row's first cell is its label).

    The table's text is one segment (field `field`): each row a line, so claims in a cell
    are found by offset.  `keyed` tables are two columns of label | value ("| Parameters |
    7B |"): a row's label says what its value is, where a data table's header does.
    """

    field: str
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    keyed: bool = False
    line: int = 0

    def cell_at(self, offset: int) -> tuple[int, int] | None:
        """(row, column) of the cell holding a segment offset; row -1 is the header."""
        for r, row in enumerate((self.header,) + self.rows):
            for c, cell in enumerate(row):
                if cell.start <= offset < max(cell.end, cell.start + 1):
                    return r - 1, c
        return None


@dataclass
class Entry:
    """One unit of linting: a text file, a database row, a YAML/JSON entry, a model card."""

    path: str
    id: str | None
    segments: list[Segment]
    fields: dict[str, FieldValue] = field(default_factory=dict)
    line: int = 1       # first line of the entry in its file
    tables: list[Table] = field(default_factory=list)
    continued: bool = False   # a further piece of the entry before it (a long text, cut)


@dataclass
class Note:
    """A segment with what the extractor found in it."""

    segment: Segment
    extraction: Extraction

    @property
    def field(self) -> str | None:
        return self.segment.field

    @property
    def text(self) -> str:
        return self.segment.text
