"""Tables as data: a cell's number takes the role and unit its column header (or, in a
key-value table, its row's label) gives it.

"Time (GPU hours)" makes a bare 184320 a chip-time of 184,320 GPU-hours, "Carbon
Emitted (tCO2eq)" makes 31.22 an emission of 31.22 t, "Params" makes 7B a parameter
count.  Each data row is its own scope (a relation ties the cells of one row); a
key-value table is one scope, like a paragraph of prose.  Table values are stated
results, so a relation holds them to their digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model.claims import Claim, Extraction
from ..model.entries import Table

_BRACKET = re.compile(r"\(([^()]*)\)")
SAMPLE = "7"


@dataclass(frozen=True)
class Meaning:
    """What a header says of the numbers under it: a unit (from a sample claim) and a role."""

    claim: Claim            # "7 GPU hours" read with the header as context

    def apply(self, c: Claim, scope: int) -> Claim:
        """The cell's claim with the header's unit (when it has none) and role."""
        h = self.claim
        changes = dict(paragraph=scope, sentence=scope, concluded=True)
        if c.unit is None and h.unit is not None:
            changes.update(unit=h.unit, kind=h.kind, factor=h.factor, spread=h.spread,
                           dimension=h.dimension, unit_text=h.unit_text, chip=c.chip or h.chip)
        if h.role is not None and (c.role is None or c.unit is None):
            changes["role"] = h.role
        return replace(c, **changes)


def header_texts(label: str) -> list[str]:
    """Texts that read a header's meaning: its unit in brackets after a sample number,
    its words as the unit, or its words as context for a large bare number."""
    unit = " ".join(_BRACKET.findall(label)).strip()
    words = _BRACKET.sub(" ", label).strip(" :")
    out = []
    if unit:
        out.append(f"{words} {SAMPLE} {unit}")
    if words:
        out.append(f"{SAMPLE} {words}")
        out.append(f"{words}: {SAMPLE}B")
    return out


def meaning(label: str, extractions: list[Extraction]) -> Meaning | None:
    """The first reading of a header that gives its sample number a unit or a role."""
    for text, ex in zip(header_texts(label), extractions):
        sample = [c for c in ex.claims if c.number.value in (7.0, 7e9) and c.high is None]
        if sample and (sample[-1].unit is not None or sample[-1].role is not None):
            return Meaning(sample[-1])
    return None


def bind(table: Table, extraction: Extraction, meanings: dict[str, Meaning | None]) -> Extraction:
    """The table segment's claims with the roles and units their headers or labels give."""
    out = []
    for c in extraction.claims:
        where = table.cell_at(c.start)
        if where is None or where[0] < 0:
            out.append(c)        # a number in the header itself
            continue
        row, col = where
        if table.keyed:
            label = table.rows[row][0].text if col > 0 else ""
            m = meanings.get(label)
            scope = 0
        else:
            label = table.header[col].text if col < len(table.header) else ""
            m = meanings.get(label)
            scope = row
        out.append(m.apply(c, scope) if m is not None and col > 0 else
                   replace(c, paragraph=scope, sentence=scope))
    return replace(extraction, claims=tuple(out))


def labels(table: Table) -> list[str]:
    """The texts whose meaning a table needs: its column headers, or its row labels."""
    if table.keyed:
        return [row[0].text for row in table.rows if row and row[0].text]
    return [cell.text for cell in table.header[1:] if cell.text]
