"""Kind 'name-size': a parameter field must agree with the size in the model's name.

"Llama 2-7B" with "Parameters: 70000000000" beside notes that list "7B, 13B, and 70B
variants": the field took the size of another model of the family.  The notes explain
the field (they state 70B), so only the name can tell which of their sizes is this
model's.

The name's size is read only where it is unambiguous: exactly one part of the name (split
at spaces, hyphens, underscores and brackets) is a number with a size suffix ("7B",
"1.3b", "70M"); a product ("8x7B"), an active count ("A14B") or a pair ("64B/64E") is no
such part.  A size in a name may count something else ("GloVe (32B)" names its corpus),
so the finding needs the entry's own notes to state that size as a parameter count.
Names round their sizes ("Gemma 7B" has 8.5B parameters), so only a field off by the
`ratio` option or more is flagged.
"""

from __future__ import annotations

import math
import re

from ..model.numbers import NumberError, fmt, parse_plain
from ..model.numbers import magnitude as suffix_magnitude
from .build import finding
from .context import EntryContext
from .fields import dedicated_notes, field_values, own_notes

CONSUMES = ("fields", "claims")
OPTIONS = {
    "field_role": (str, "parameters", "the role of the field compared with the name"),
    "claim_roles": (list, ["parameters"], "roles of the note claims that confirm the size"),
    "notes": (list, [], "note fields to read (substrings); all notes when none match"),
    "ratio": (float, 2.0, ("a field this many times the name's size, or this fraction of "
                           "it, is flagged")),
}
PLACEHOLDERS = {"text", "stated", "computed", "unit", "difference", "reading", "reason", "hint",
                "grade", "field", "value", "name", "size", "mention"}

NAME_PARTS = re.compile(r"[\s\-‐–—_()\[\]{},;:]+")
SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KMBTkmbt])$")


def name_size(name: str) -> tuple[str, float, tuple[float, float]] | None:
    """The one size a model name carries ("Llama 2-7B" -> ('7B', 7e9, its rounding)),
    or None when it has none or several."""
    sizes = []
    for part in NAME_PARTS.split(name):
        m = SIZE.fullmatch(part)
        if m is None:
            continue
        try:
            number = parse_plain(m.group(1))
        except NumberError:
            continue
        factor = suffix_magnitude(m.group(2))
        if factor is None:
            continue
        half = number.ulp / 2 * factor
        value = number.value * factor
        if not 0 < value < float("inf"):
            continue            # "0B": no size
        sizes.append((part, value, (value - half, value + half)))
    return sizes[0] if len(sizes) == 1 else None


def check(rule, ctx: EntryContext):
    """Yield a finding when the field is far from the name's size, which the notes state
    as a parameter count."""
    o = rule.options
    fields = field_values(ctx, o["field_role"])
    if not fields or not ctx.entry.id:
        return
    found = name_size(ctx.entry.id)
    if found is None:
        return
    part, size, (lo, hi) = found
    roles = set(o["claim_roles"])
    dedicated = {id(n) for n in dedicated_notes(rule, ctx)}
    # a parameter count: a claim of the role, or a bare figure in the notes named for the
    # field ("Parameters notes: released in 7B, 13B and 70B variants")
    mentions = [c for n in own_notes(rule, ctx) for c in n.extraction.claims
                if (ctx.role_of(c) in roles or (id(n) in dedicated and c.unit is None
                                                and c.role is None))
                and c.high is None and not c.bound and lo <= c.value <= hi]
    for fv in fields:
        ratio = fv.value / size
        if mentions and _thousands_apart(ratio):
            # "284000000" for "284B": a magnitude slip MC310 reports with a fix
            if ctx.show_verified:
                yield _finding(rule, fv, "skipped", size, part, mentions[0].text,
                               reason=f"a power of ten from the name's '{part}': a magnitude "
                                      "slip, reported as such")
            continue
        if max(ratio, 1 / ratio) < o["ratio"]:
            if ctx.show_verified and mentions:
                yield _finding(rule, fv, "verified", size, part, mentions[0].text,
                               reading=f"the size '{part}' in the name '{ctx.entry.id}'")
            continue
        if not mentions:
            if ctx.show_verified:
                yield _finding(rule, fv, "skipped", size, part, "",
                               reason=f"the name's '{part}' may count something else: the "
                                      "notes state no parameter count of that size")
            continue
        yield _finding(rule, fv, "problem", size, part, mentions[0].text, grade="material",
                       name=ctx.entry.id)


def _thousands_apart(ratio: float) -> bool:
    k = math.log10(ratio) / 3
    return round(k) != 0 and math.isclose(ratio, 1000.0 ** round(k), rel_tol=0.05)


def _finding(rule, fv, status: str, size: float, part: str, mention: str, *,
             grade: str | None = None, reading: str = "", reason: str = "", name: str = ""):
    return finding(
        rule, status=status, field=fv.name, start=0, end=len(fv.raw), text=fv.raw.strip(),
        grade=grade, stated=fv.value, computed=size, reading=reading, reason=reason,
        sources=(("name", part, size),), value=fmt(fv.value), name=name, size=part,
        mention=mention)
