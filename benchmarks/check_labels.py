#!/usr/bin/env python3
"""Check benchmarks/labelled.yaml: every claim is in its note, and calc.py still gives its numbers.

Usage:
    python benchmarks/check_labels.py [CSV] [--labels FILE]

For each labelled claim: the text occurs in the entry's notes field (at least occurrence+1
times), calc.py's value of `expr` equals `computed` (to 1e-9), and the digit rule (stated within
half a unit of its last significant digit, or max(10%, that) when approx) agrees with `slip`;
claims where it does not are listed as hand judgements (peak, rounding, bounds, ...), which is
expected for a few. Exits 1 when a claim is missing from its note or `computed` is stale.

Data: Epoch AI, epoch.ai, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, DEFAULT_CSV, load_yaml, short
from calc import calc


def half_unit(value: float, digits_text: str) -> float:
    m = re.search(r"\d[\d,]*(?:\.\d*)?", digits_text)
    mant = m.group(0).replace(",", "") if m else "1"
    digits = (
        mant.replace(".", "").lstrip("0") if "." in mant else (mant.lstrip("0").rstrip("0") or "0")
    )
    return (
        0.5 * 10 ** (math.floor(math.log10(abs(value))) - (max(len(digits), 1) - 1))
        if value
        else 0.5
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--labels", default=str(BENCH / "labelled.yaml"))
    args = ap.parse_args(argv)
    labels = load_yaml(Path(args.labels)) or []
    notes = {}
    with open(args.csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            notes.setdefault((row.get("Model") or "").strip(), row)
    bad, hand = [], []
    for c in labels:
        note = (notes.get(c["entry"]) or {}).get(c["field"]) or ""
        if note.count(c["text"]) <= (c.get("occurrence") or 0):
            bad.append(f"not in note: [{c['entry']} / {c['field']}] {short(c['text'])!r}")
            continue
        v = float(calc(c["expr"]))
        if c["computed"] is None:  # unit slips have no value to recompute
            continue
        if not math.isclose(v, c["computed"], rel_tol=1e-9, abs_tol=1e-12):
            bad.append(
                f"computed is stale: {c['entry']}: {c['expr']} = {v:.10g}, stored {c['computed']:.10g}"
            )
        st = c["stated"]
        digits = str(c.get("stated_text") or re.split(r"=|≈|~|→|\bor\b|\bis\b|\(", c["text"])[-1])
        if re.search(r"\d\s*[-+*/]\s*[\d(]", digits) and not re.fullmatch(
            r"[\d.]+\*10\^-?\d+|[\d.]+e[+-]?\d+", digits
        ):
            h = 0.0  # a stated expression ("5992616 + 10348224"): exact
        else:
            h = half_unit(st, digits)
        tol = max(0.1 * abs(st), h) if c.get("approx") else h
        rule_slip = abs(v - st) > tol * (1 + 1e-9)
        if rule_slip != bool(c["slip"]):
            hand.append(
                f"{'slip' if c['slip'] else 'ok  '} by hand ({c.get('kind')}): [{c['entry']}] {short(c['text'], 70)!r} "
                f"stated {st:.6g}, computed {v:.6g}"
            )
    kinds = Counter(c.get("kind") for c in labels)
    print(
        f"{len(labels)} claims in {len({c['entry'] for c in labels})} entries, {sum(bool(c['slip']) for c in labels)} slips; "
        f"{sum(len(c.get('quantities') or []) for c in labels)} quantities; kinds: {dict(kinds)}"
    )
    print(f"{len(bad)} problems")
    for b in bad:
        print("  " + b)
    print(f"{len(hand)} claims where the plain digit rule differs from the label (judged by hand):")
    for h in hand:
        print("  " + h)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
