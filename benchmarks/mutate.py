"""Mutation testing: plant one slip at a time in claims that check out, and count the catches.

    python benchmarks/mutate.py [CSV] [--per-kind N] [--seed S]

Source: the dev corpus (default ../shared/corpus/epoch_models_dev.csv; Data: Epoch AI,
epoch.ai, CC BY 4.0).  Every calculation mclint verifies there (MC101 written-out
calculations, MC102 conversions) is a candidate; database fields that match a value their
notes state are candidates for the field mutation.  Kinds of slip:

  result x10        the stated result of a verified calculation times 10
  result x1000      ... times 1000
  suffix changed    an input's magnitude suffix or word shifted by 1000 (340B -> 340M)
  digits swapped    the result's first and second significant digits swapped (1-2), or its
                    second and third (2-3): a 2-3 swap moves the value less than abbreviated
                    inputs may carry ("13*10^9" stands for 12.5-13.5e9), so it is reported
                    apart
  field x1000       a numeric field (Parameters, compute, dataset size) times 1000
  duration unit     a duration's unit changed (days -> hours, hours -> minutes, ...)

Each mutant is linted alone (the note as a text, or the entry as a one-row CSV) and counts as
caught when a problem finding overlaps the mutated number (or, for a field, names the field).
The seed is fixed, so figures are comparable between runs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.extract import extract  # noqa: E402
from linter.pipeline import default_settings, lint_text  # noqa: E402
from linter.readers import read  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"
MAG_SHIFT = {"B": "M", "b": "m", "T": "B", "t": "b", "M": "K", "m": "k", "K": "", "k": "",
             "billion": "million", "trillion": "billion", "million": "thousand"}
UNIT_SHIFT = {"days": "hours", "day": "hour", "hours": "minutes", "hour": "minute",
              "seconds": "minutes", "second": "minute", "weeks": "days", "months": "weeks",
              "minutes": "seconds", "h": "min", "s": "min"}
FIELDS = {"parameters": "Parameters", "compute": "Training compute (FLOP)",
          "dataset_size": "Training dataset size (datapoints)"}


def scale_number(text: str, power: int) -> str | None:
    """The number text times 10**power, written the same way ('1.8E25' -> '1.8E26')."""
    m = re.match(r"^(\s*[~≈]?\s*)([\d.,]+)(\s*(?:[eE][+\-]?|[×x*·]\s*10\s*\^\s*\(?|"
                 r"[×x*·]\s*10)\s*)([+\-−]?\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)(.*)$", text, re.S)
    if m:
        lead, mant, sep, exp, rest = m.groups()
        sup = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
        plain = exp.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻−", "0123456789--"))
        new = int(plain) + power
        new_exp = str(new).translate(sup) if exp[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹⁻" else str(new)
        if exp.startswith("+") and new >= 0:
            new_exp = "+" + new_exp
        return f"{lead}{mant}{sep}{new_exp}{rest}"
    m = re.match(r"^(\s*[~≈]?\s*)(\d[\d,]*)(\.\d+)?(.*)$", text, re.S)
    if not m:
        return None
    lead, whole, frac, rest = m.groups()
    digits = whole.replace(",", "") + (frac or "")
    value = float(digits) * 10**power
    if frac:
        decimals = len(frac) - 1
        body = f"{value:,.{decimals}f}" if "," in whole else f"{value:.{decimals}f}"
    else:
        body = f"{int(round(value)):,}" if "," in whole else str(int(round(value)))
    return f"{lead}{body}{rest}"


def swap_digits(text: str, which: int) -> str | None:
    """Swap the first and second (which=0) or second and third (which=1) significant digits,
    when they differ and the swap leaves no leading zero."""
    exp = re.search(r"[eE]|[×x*·]\s*10", text)
    end = exp.start() if exp else len(text)
    digits = [i for i, ch in enumerate(text[:end]) if ch.isdigit()]
    sig = [i for k, i in enumerate(digits) if any(text[j] != "0" for j in digits[:k + 1])]
    if len(sig) < which + 2:
        return None
    a, b = sig[which], sig[which + 1]
    if text[a] == text[b] or (which == 0 and text[b] == "0"):
        return None
    chars = list(text)
    chars[a], chars[b] = chars[b], chars[a]
    return "".join(chars)


def caught(findings, start: int, end: int) -> bool:
    """A problem whose calculation covers the change: a finding sits at the stated result,
    so a changed input lies up to its step's length before it."""
    return any(not f.verified and f.start - len(f.text) <= end and start <= f.end
               for f in findings)


def note_mutants(text: str, settings, rng: random.Random):
    """(kind, mutated text, span of the change) for one note's verified calculations."""
    findings, _ = lint_text(text, "note.txt", replace(settings, show_verified=True))
    offsets = _line_starts(text)
    out = []
    for f in findings:
        if not f.verified or f.rule not in ("MC101", "MC102"):
            continue
        step_start = offsets[f.line - 1] + f.column - 1  # the stated number's position
        number_end = offsets[f.end_line - 1] + f.end_column - 1
        claims = [c for c in extract(text, settings.hardware.aliases).claims
                  if c.start <= step_start < c.end or c.start == step_start]
        if not claims:
            continue
        stated = claims[0]
        num_text = text[stated.start:stated.end]
        number_only = num_text[:len(num_text) - len(stated.unit_text)].rstrip()
        for kind, power in (("result x10", 1), ("result x1000", 3)):
            new = scale_number(number_only, power)
            if new and new != number_only:
                out.append((kind, _splice(text, stated.start, number_only, new),
                            (stated.start, stated.start + len(new))))
        for which in (0, 1):
            swapped = swap_digits(number_only, which)
            if swapped and swapped != number_only:
                kind = "digits 1-2 swapped" if which == 0 else "digits 2-3 swapped"
                out.append((kind, _splice(text, stated.start, number_only, swapped),
                            (stated.start, stated.start + len(swapped))))
        step_text = f.text
        base = text.find(step_text)
        if base < 0:
            continue
        for c in extract(step_text, settings.hardware.aliases).claims:
            a = base + c.start
            if a >= stated.start:
                continue
            m = re.match(r"^([\d.,]+)\s?(B|b|T|t|M|m|K|k|billion|trillion|million)\b",
                         step_text[c.start:c.end])
            if m and m.group(2) in MAG_SHIFT:
                old = m.group(0)
                new = m.group(1) + (" " if " " in old else "") + MAG_SHIFT[m.group(2)]
                out.append(("suffix changed", _splice(text, a, old, new), (a, a + len(new))))
            u = re.match(r"^([\d.,]+)(\s?)([a-z]+)$", step_text[c.start:c.end])
            if c.kind == "time" and u and u.group(3) in UNIT_SHIFT:
                old = u.group(0)
                new = u.group(1) + u.group(2) + UNIT_SHIFT[u.group(3)]
                out.append(("duration unit", _splice(text, a, old, new), (a, a + len(new))))
        if f.rule == "MC102" and stated.kind == "time":
            u = re.match(r"^([\d.,]+)(\s?)([a-z]+)$", num_text)
            if u and u.group(3) in UNIT_SHIFT:
                new = u.group(1) + u.group(2) + UNIT_SHIFT[u.group(3)]
                out.append(("duration unit", _splice(text, stated.start, num_text, new),
                            (stated.start, stated.start + len(new))))
        del number_end
    return out


def _splice(text: str, at: int, old: str, new: str) -> str:
    assert text[at:at + len(old)] == old, (text[at:at + len(old)], old)
    return text[:at] + new + text[at + len(old):]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def field_mutants(csv_text: str, settings):
    """(kind, one-row CSV, field name) for fields that match a value their notes state."""
    header, _, _ = csv_text.partition("\n")
    entries = read("corpus.csv", csv_text)
    starts = _line_starts(csv_text) + [len(csv_text)]  # the reader's line breaks
    out = []
    for k, e in enumerate(entries):
        end = entries[k + 1].line if k + 1 < len(entries) else len(starts)
        offset = starts[e.line - 1]
        row = csv_text[offset:starts[end - 1]]
        notes = " ".join(s.text for s in e.segments)
        for role, name in FIELDS.items():
            fv = e.fields.get(name)
            if fv is None or fv.value is None or fv.value <= 0:
                continue
            values = [c.value for c in extract(notes, settings.hardware.aliases).claims
                      if c.number.abbreviated]
            if not any(abs(v / fv.value - 1) < 1e-9 for v in values):
                continue
            raw = fv.raw.strip()
            new = scale_number(raw, 3) if "e" not in raw.lower() else re.sub(
                r"([eE][+\-]?)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 3), raw)
            if not new:
                continue
            start = fv.start - offset + len(fv.raw) - len(fv.raw.lstrip())
            if row[start:start + len(raw)] != raw:
                continue  # an escaped cell: not a plain number to rewrite
            mutated = row[:start] + new + row[start + len(raw):]
            out.append(("field x1000", header + "\n" + mutated, (name, e.id)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--per-kind", type=int, default=150, help="mutants tried per kind")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    path = Path(args.csv)
    if not path.exists():
        print(f"no corpus at {path}: give the path of epoch_models_dev.csv")
        return 2
    rng = random.Random(args.seed)
    settings = default_settings()
    text = path.read_text(encoding="utf-8")
    started = time.perf_counter()
    pool: dict[str, list] = defaultdict(list)
    notes = sorted({s.text for e in read(str(path), text) for s in e.segments
                    if "=" in s.text or " or " in s.text or "(" in s.text})
    baseline: dict[str, int] = {}
    for note in notes:
        for kind, mutated, span in note_mutants(note, settings, rng):
            pool[kind].append(("note", mutated, span, note))
    for kind, mutated, name in field_mutants(text, settings):
        pool[kind].append(("entry", mutated, name, None))
    results: dict[str, Counter] = {}
    missed: dict[str, list[str]] = defaultdict(list)
    for kind in sorted(pool):
        sample = pool[kind] if len(pool[kind]) <= args.per_kind else rng.sample(
            pool[kind], args.per_kind)
        tally = Counter()
        for where, mutated, target, original in sample:
            if where == "note":
                # caught: a new problem, at the mutated number
                if original not in baseline:
                    baseline[original] = _problems(lint_text(original, "n.txt", settings)[0])
                found = lint_text(mutated, "mutant.txt", settings)[0]
                ok = (_problems(found) > baseline[original]
                      and caught(_segment_findings(found, mutated), *target))
            else:
                found = lint_text(mutated, "mutant.csv", settings)[0]
                ok = any(not f.verified and f.field == target[0] for f in found)
            tally["caught" if ok else "missed"] += 1
            if not ok and len(missed[kind]) < 5:
                missed[kind].append(mutated[max(0, target[0] - 60):target[1] + 30]
                                    if where == "note" else target)
        results[kind] = tally
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({k: dict(v) for k, v in results.items()}, indent=2))
        return 0
    print(f"mutation testing on {path.name} (seed {args.seed}, up to {args.per_kind} per kind)")
    print(f"{'kind of slip':<18} {'mutants':>8} {'caught':>7} {'rate':>7}")
    total = Counter()
    for kind, tally in results.items():
        n = tally["caught"] + tally["missed"]
        total.update(tally)
        print(f"{kind:<18} {n:>8} {tally['caught']:>7} {tally['caught'] / n:>7.3f}")
    n = total["caught"] + total["missed"]
    print(f"{'all':<18} {n:>8} {total['caught']:>7} {total['caught'] / max(n, 1):>7.3f}")
    print(f"(pools: {', '.join(f'{k} {len(v)}' for k, v in sorted(pool.items()))}; "
          f"{elapsed:.1f} s)")
    for kind, examples in missed.items():
        print(f"\nmissed {kind}, e.g.:")
        for ex in examples:
            print("   ", repr(ex)[:200])
    return 0


def _problems(findings) -> int:
    return sum(1 for f in findings if not f.verified)


def _segment_findings(findings, text):
    """Findings with segment offsets (a plain text is one segment: offsets are file offsets)."""
    return [f.__class__(**{**f.__dict__, "start": f.offset,
                          "end": f.offset + max(1, len(f.text))}) for f in findings]


if __name__ == "__main__":
    sys.exit(main())
