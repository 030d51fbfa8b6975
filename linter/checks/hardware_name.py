"""Kind 'hardware-name': the hardware field must name the chip its notes name.

"Training hardware: Google TPU v3" beside a note about "64 TPUv2 devices" is a slip in
one of the two.  Chips are compared by family (all A100 variants are one family).
Flagged only when every chip the notes name is of one other family.
"""

from __future__ import annotations

from .build import finding
from .context import EntryContext
from .fields import own_notes

CONSUMES = ("fields", "claims")
OPTIONS = {
    "notes": (list, [], "note fields to read (substrings); all notes when none match"),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "field", "value", "named", "mentions"}


def check(rule, ctx: EntryContext):
    """Yield a finding when the notes name only chips of another family than the field."""
    hw = ctx.hardware
    if hw is None:
        return
    for fv in ctx.entry.fields.values():
        if fv.role != "hardware" or not fv.raw.strip():
            continue
        chips = [hw.lookup(n.strip()) for n in fv.raw.split(",") if n.strip()]
        if not chips or any(c is None for c in chips):
            continue  # a name mclint does not know: it cannot compare
        families = {c.family for c in chips}
        wanted = own_notes(rule, ctx)
        # Only chips the notes count ("64 TPUv2 devices") are evidence; a bare name may be
        # a comparison ("~5x less power than H100", "not trained on TPUs").
        counted = [c for n in wanted for c in n.extraction.claims
                   if c.kind in ("chips", "chip_time") and c.chip]
        mentions = [m for n in wanted for m in n.extraction.chips
                    if any(c.start <= m.start < c.end for c in counted)]
        if not mentions:
            continue
        named = {hw.lookup(m.chip).family for m in mentions if hw.lookup(m.chip)}
        if not named or named & families or len(named) != 1:
            continue
        family = named.pop()
        texts = sorted({m.text for m in mentions})
        yield finding(
            rule, status="problem", field=fv.name, start=0, end=len(fv.raw),
            text=fv.raw.strip(), grade="material", value=fv.raw.strip(), named=family,
            mentions=", ".join(repr(t) for t in texts[:3]),
            sources=tuple(("mention", m.text, 0.0) for m in mentions[:5]))
