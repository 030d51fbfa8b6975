"""Kinds 'field' and 'magnitude': a database field against the value its notes state.

An entry of a model database has structured fields (Parameters, Training compute...)
beside notes that justify them.  For a field of role R, the claims of role R in its
notes are the candidates (the "Parameters notes" for Parameters; every note when the
entry names no note for that field).

* 'magnitude': the field is 10^k times a value its notes state (k = +-1, 2, 3, 6, 9,
  12) and matches none of them: "Parameters is 2.84e8 but the note says 284B".  The
  finding carries a fix that rewrites the field in the notes' magnitude.
* 'field': the field matches no candidate, and the candidates agree with each other
  (a note that states one value); with several different values in the note mclint
  cannot tell which one the field should hold and stays silent.
"""

from __future__ import annotations

import math
import re

from ..model.claims import Claim
from ..model.entries import FieldValue
from .context import EntryContext
from ..model.findings import Finding, Fix
from ..model.numbers import NumberError, fmt, parse_plain

OPTIONS = {
    "field_role": (str, "parameters", "the role of the structured field"),
    "claim_roles": (list, [], "roles of note claims that state the field's value"),
    "claim_kinds": (list, [], "unit kinds of note claims that state it (any role)"),
    "bare_magnitudes": (bool, False, "also bare numbers written with a magnitude or an "
                                     "exponent (284B, 9.36 × 10^22)"),
    "bare_results": (bool, False, "also bare numbers the note presents as outcomes (= 1.8E25)"),
    "notes": (list, [], "note fields to read (substrings); all notes when none match"),
    "concluded_only_in": (list, [], "note fields whose claims count only as outcomes"),
    "field_scale": (float, 1.0, "field unit in base units (3600 for hours)"),
    "tolerance": (float, 0.02, "relative difference accepted beyond rounding"),
    "powers": (list, [3, 6, 9, 12], "powers of ten a magnitude slip may be off by"),
    "silent_with_kinds": (list, [], "say nothing when the notes count these (nodes: per-node"
                                    " GPU counts)"),
    "silent_with_words": (list, [], "evidence in a sentence with these words does not count"),
    "silent_note_words": (list, [], "no finding when the field's notes contain these words"),
    "min_value": (float, 0.0, "ignore note values below this (a '3 parameters' aside)"),
    "max_numbers": (int, 0, "only notes with at most this many numbers are evidence (0: any)"),
    "max_ratio": (float, 100.0, "a note value this far from the field is another quantity"),
    "conversions": (list, [], "factors under which a note value also states the field "
                              "(0.75: tokens stored as words)"),
}
PLACEHOLDERS = {"field", "value", "note", "stated", "relative_error", "off", "fixed"}


def _field_values(ctx: EntryContext, role: str) -> list[FieldValue]:
    return [f for f in ctx.entry.fields.values()
            if f.role == role and f.value is not None and math.isfinite(f.value)]


def _notes_for(rule, ctx: EntryContext):
    """The notes about the rule's field: those named in its options; every note only for
    an entry whose notes are not split by field (a model card body, a plain 'notes')."""
    patterns = [p.lower() for p in rule.options["notes"]]
    wanted = [n for n in ctx.notes if any(p in (n.field or "").lower() for p in patterns)]
    if wanted or not patterns:
        return wanted or ctx.notes
    split = any((n.field or "").lower().endswith(" notes") for n in ctx.notes)
    return [] if split else ctx.notes


def candidates(rule, ctx: EntryContext, bounds: bool = False) -> list[Claim]:
    """Note claims that state the value of the rule's field (with `bounds`, also those
    written as bounds: "over 20 trillion tokens" still has the field's digits)."""
    o = rule.options
    out = []
    for note in _notes_for(rule, ctx):
        if o["max_numbers"] and len(note.extraction.claims) > o["max_numbers"]:
            continue
        concluded_only = any(p.lower() in (note.field or "").lower()
                             for p in o["concluded_only_in"])
        for c in note.extraction.claims:
            if not math.isfinite(c.value) or c.value <= 0 or c.high is not None \
                    or (c.bound and not bounds):
                continue
            if concluded_only and not c.concluded:
                continue
            if c.value < o["min_value"]:
                continue
            bare = c.unit is None
            if (c.role in o["claim_roles"] or c.kind in o["claim_kinds"]
                    or (o["bare_magnitudes"] and bare
                        and (c.number.magnitude != 1 or c.number.abbreviated))
                    or (o["bare_results"] and bare and c.concluded)) \
                    and _qualified(rule, note, c):
                out.append(c)
    return out


def _matches(field_value: float, c: Claim, tol: float) -> bool:
    lo, hi = c.base_interval(as_result=True)
    if c.hedge:  # "approximately 52 days"
        tol += 0.10
    lo, hi = lo * (1 - tol), hi * (1 + tol)
    return lo <= field_value <= hi


def _cores_per_chip(ctx: EntryContext) -> int:
    hw = ctx.hardware
    field = next((f for f in ctx.entry.fields.values() if f.role == "hardware"), None)
    chip = hw.lookup(field.raw.strip()) if hw is not None and field is not None else None
    return chip.cores_per_chip if chip is not None else 1


def _any_number(ctx: EntryContext, value: float, scale: float, tol: float,
                role: str = "") -> bool:
    """Whether any number of any note states the field's value (in base units or as is);
    a chip count may be stated in TPU cores."""
    if role == "chips" and _cores_per_chip(ctx) > 1:
        if _any_number(ctx, value * _cores_per_chip(ctx), scale, tol):
            return True
    if role == "chips":
        # A Cloud TPU v2/v3 "device" is a board of four chips: "64 TPUv2 devices" = 256.
        for note in ctx.notes:
            for c in note.extraction.claims:
                if "device" in c.unit_text.lower() and "tpu" in c.unit_text.lower() \
                        and math.isclose(c.value * 4, value, rel_tol=tol):
                    return True
    for note in ctx.notes:
        for c in note.extraction.claims:
            if not math.isfinite(c.value):
                continue
            if _matches(value, c, tol) or _matches(value / scale, c, tol):
                return True
            lo, hi = c.number.as_result()
            if lo * (1 - tol) <= value / scale <= hi * (1 + tol):
                return True
        for total in _sums(note):  # "14+158+68 hours" for a field of 240
            if math.isclose(total, value / scale, rel_tol=tol + 1e-9):
                return True
    return False


def _sums(note) -> list[float]:
    """Totals of numbers the note joins with '+' ("14+158+68 hours"), as written."""
    out = []
    claims = note.extraction.claims
    run = [claims[0]] if claims else []
    for a, b in zip(claims, claims[1:]):
        if note.text[a.end:b.start].strip() == "+":
            run.append(b)
            continue
        if len(run) > 1:
            out.append(sum(c.number.value for c in run))
        run = [b]
    if len(run) > 1:
        out.append(sum(c.number.value for c in run))
    return out


def _field_covers(fv: FieldValue, claims: list[Claim], o) -> bool:
    """Whether the field, as its digits were written (rounded or cut), covers a note value:
    a field of 1.5e24 may hold a note's 1.565e24."""
    try:
        n = parse_plain(fv.raw.strip())
    except NumberError:
        return False
    ulp = n.ulp * 10**n.trailing_zeros
    lo, hi = n.value - ulp / 2, n.value + ulp
    scale = o["field_scale"]
    return any(lo <= c.value / scale <= hi for c in claims)


def _silenced(rule, ctx: EntryContext) -> bool:
    o = rule.options
    if o["silent_note_words"]:
        text = " ".join(n.text for n in _notes_for(rule, ctx)).lower()
        if any(w.lower() in text for w in o["silent_note_words"]):
            return True
    return bool(o["silent_with_kinds"]) and any(
        c.kind in o["silent_with_kinds"] for n in ctx.notes for c in n.extraction.claims)


def _sentence(text: str, c: Claim) -> str:
    """The sentence (or line) a claim sits in."""
    starts = [text.rfind(ch, 0, c.start) for ch in ".!?\n"]
    ends = [i for i in (text.find(ch, c.end) for ch in "!?\n") if i >= 0]
    dot = re.search(r"\.(\s|$)", text[c.end:])
    if dot:
        ends.append(c.end + dot.start())
    return text[max(starts) + 1:min(ends) if ends else len(text)]


def _qualified(rule, note, c: Claim) -> bool:
    """Evidence must not sit in a sentence that speaks of parts, stages or rates."""
    words = rule.options["silent_with_words"]
    sentence = _sentence(note.text, c).lower()
    return not any(w.lower() in sentence for w in words)


def check(rule, ctx: EntryContext):
    """Kind 'field': the field disagrees with the one value its notes state.

    The field is fine if any number in any of the entry's notes states it (a note
    may say it in another unit, or as one of several estimates).  Only then is the
    evidence weighed: the claims of the field's role in its own notes, which must
    all agree with each other.
    """
    o = rule.options
    fields = _field_values(ctx, o["field_role"])
    if not fields or _silenced(rule, ctx):
        return
    claims = candidates(rule, ctx)
    if not claims:
        return
    for fv in fields:
        value = fv.value * o["field_scale"]
        if any(_any_number(ctx, value / k, o["field_scale"], o["tolerance"], o["field_role"])
               for k in [1.0] + o["conversions"]) or _field_covers(fv, claims, o):
            continue
        if _magnitude_slip(value, claims, o, tolerance=0.0) is not None:
            continue  # the magnitude rule reports it
        first = claims[0]
        if not all(_agree(first, c) for c in claims[1:]):
            continue  # the notes state several values: which one is meant?
        stated = first.value / o["field_scale"]
        rel = (fv.value - stated) / stated
        ratio = fv.value / stated
        if not 1 / o["max_ratio"] < ratio < o["max_ratio"]:
            continue  # "4e6 FLOPs" per sample beside a 9.8e13 total: not the same quantity
        yield _finding(rule, fv, first, rel, ratio,
                       value=fmt(fv.value), stated=fmt(stated), note=first.text)


def check_magnitude(rule, ctx: EntryContext):
    """Kind 'magnitude': the field is a power of ten away from the value its notes state."""
    o = rule.options
    claims = candidates(rule, ctx, bounds=True)   # the same digits, shifted: bounds too
    if not claims:
        return
    for fv in _field_values(ctx, o["field_role"]):
        value = fv.value * o["field_scale"]
        if value == 0 or _any_number(ctx, value, o["field_scale"], o["tolerance"]):
            continue
        slip = _magnitude_slip(value, claims, o, tolerance=0.0)
        if slip is None:
            continue
        c, power = slip
        factor = 10.0**power
        fixed = _rewrite(fv.raw, factor)
        stated = c.value / o["field_scale"]
        yield _finding(rule, fv, c, (fv.value - stated) / stated, fv.value / stated,
                       value=fmt(fv.value), stated=fmt(stated), note=c.text,
                       fixed=fixed)


def _magnitude_slip(value: float, claims: list[Claim], o,
                    tolerance: float | None = None) -> tuple[Claim, int] | None:
    """(claim, k) such that value * 10^k is the claim's value: the same digits shifted
    ("284000000" for "284B"), and no other power fits.  Only abbreviated claims count:
    the slip happens when "284B" is written out in full."""
    hits = []
    for p in o["powers"]:
        for k in (p, -p):
            for c in claims:
                if not c.number.abbreviated:
                    continue
                shifted = value * 10.0**k
                if math.isclose(shifted, c.value, rel_tol=1e-9):  # the same digits
                    hits.append((c, k))
    if not hits:
        return None
    ks = {k for _, k in hits}
    return hits[0] if len(ks) == 1 else None


def _agree(a: Claim, b: Claim) -> bool:
    alo, ahi = a.base_interval(as_result=True)
    blo, bhi = b.base_interval(as_result=True)
    return alo <= bhi and blo <= ahi


def _rewrite(raw: str, factor: float) -> str | None:
    """The field's raw text multiplied by a power of ten, in the same style."""
    text = raw.strip()
    try:
        value = float(text)
    except ValueError:
        return None
    new = value * factor
    if "e" in text.lower():
        digits = len(text.lower().split("e")[0].replace("-", "").replace(".", "").strip("0"))
        return f"{new:.{max(digits - 1, 0)}e}"
    if "." in text:
        decimals = len(text.split(".")[1])
        return f"{new:.{decimals}f}"
    return str(int(round(new)))


def _finding(rule, fv: FieldValue, c: Claim, rel: float, ratio: float, **fill) -> Finding:
    off = ""
    if ratio > 0 and math.isfinite(ratio):
        big = max(ratio, 1 / ratio)
        off = f" (off by {fmt(big, 2)}x)" if big >= 1.5 else ""
    fixed = fill.pop("fixed", None)
    values = dict(field=fv.name, relative_error=f"{rel:+.1%}", off=off,
                  fixed=fixed or "", **fill)
    severity = rule.severity
    if ratio > 0 and (ratio >= 3 or ratio <= 1 / 3):
        severity = "error"
    fix = None
    if fixed is not None and fixed != fv.raw.strip():
        lead = len(fv.raw) - len(fv.raw.lstrip())
        start = fv.start + lead
        fix = Fix(start, start + len(fv.raw.strip()), fixed, fv.raw.strip())
    return Finding(
        rule=rule.id, slug=rule.slug, severity=severity, message=rule.render(**values),
        start=0, end=len(fv.raw), field=fv.name, text=fv.raw,
        stated=fv.value, computed=c.value / (rule.options["field_scale"] or 1),
        relative_error=rel, inputs=(("note", c.text, c.value),), fix=fix,
    )
