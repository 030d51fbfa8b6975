"""Kind 'notation': numbers written so that a reader cannot tell which value is meant.

`report: repeated-magnitude` — a magnitude written twice ("a 104B billion parameter
model", "1.5T trillion tokens"): read once, the number is 104B; read as written, 104B
billion.  A notation finding: the value mclint uses elsewhere is the first reading.
"""

from __future__ import annotations

from .build import finding
from .context import EntryContext

CONSUMES = ("claims",)
OPTIONS = {
    "report": (str, "repeated-magnitude", "what to report: repeated-magnitude"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "word"}


def check(rule, ctx: EntryContext):
    for note in ctx.notes:
        for c in note.extraction.claims:
            if not c.repeated:
                continue
            end = note.text.find(c.repeated, c.end)
            end = end + len(c.repeated) if 0 <= end <= c.end + 2 else c.end
            yield finding(rule, status="problem", field=note.field, start=c.start, end=end,
                          text=note.text[c.start:end], grade="notation",
                          stated=c.number.value, computed=c.number.value,
                          word=c.repeated)
