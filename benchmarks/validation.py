#!/usr/bin/env python3
"""Precision, recall and false alarms on hand-labelled Epoch rows: validation and dev, side by side.

Usage:
    python benchmarks/validation.py [CSV] [--json] [--list]

Two label sets, both typed by hand without running mclint on them:

* validation: benchmarks/labels/val_part1.yaml and val_part2.yaml, 80 rows of the validation
  quarter of the dev corpus (sha256("val-v2:" + Model) % 4 == 0, benchmarks/split.py),
  labelled blind before the new checking core first ran on them (benchmarks/labels/SPEC.md
  says how).  Nothing was tuned on these rows: they only measure.
* validation, sample 2: benchmarks/labels/val2_part1.yaml .. val2_part4.yaml, 64 further rows
  of the validation quarter (drawn by labels/validation_sample2.json: 40 with written
  arithmetic, 24 without, none of sample 1), labelled blind at stop 20, before the code of
  that stop first ran on them.
* validation, sample 3: benchmarks/labels/val3_part1.yaml .. val3_part4.yaml, 60 further rows
  (labels/draw_sample.py 3: 40 with written arithmetic, 20 without, in neither earlier
  sample), drawn at stop 21 after most of that stop's classes were fixed, and labelled blind: no
  finding on them was looked at before the labels were committed.  The first column pools
  the samples.
* dev: benchmarks/labelled.yaml, the 0.1 labels of 102 entries, keeping only the entries of
  the other three quarters (the ones classes of misreading were fixed on).
* dev sample: benchmarks/labels/dev_part1.yaml .. dev_part4.yaml, 60 rows of the other
  three quarters outside labelled.yaml (labels/draw_sample.py dev: 48 with written
  arithmetic, 12 without), labelled blind at stop 22 in the validation labels' format;
  development material, measured before any class found on it was fixed.
* dev sample 2: benchmarks/labels/dev2_part1.yaml .. dev2_part4.yaml, 60 further such rows
  (labels/draw_sample.py dev2), labelled the same way later in stop 22.
* dev sample 3: benchmarks/labels/dev3_part1.yaml .. dev3_part4.yaml, 60 further such rows
  (labels/draw_sample.py dev3), labelled the same way at stop 24, before any finding on
  them was looked at.

For every labelled row, mclint runs with --show-verified; each problem finding is placed in
its field and matched to the labelled claims it overlaps (at least half of the shorter span;
a field finding matches its field's label).  Printed, per set and per grade:

  precision (material)   material problems on a labelled slip / material problems
  recall                 labelled slips with a problem finding / labelled slips
  false alarms           problems on no labelled slip, per 100 rows
  verified rate          correct claims that mclint verified / correct claims

A field the labels call "unexplained" (its notes neither give nor contradict it) is no slip;
a finding on one is counted apart (`unexplained fields flagged`) and, in the strict figures,
as a false alarm.  Exits 0 whatever the figures (2 when mclint cannot run).

Data: Epoch AI, epoch.ai, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, DEFAULT_CSV, load_yaml, run_mclint, short  # noqa: E402
from split import is_validation  # noqa: E402

LABELS = BENCH / "labels"


def find_all(hay: str, needle: str) -> list[int]:
    out, i = [], hay.find(needle)
    while needle and i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def overlaps(a, b) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def load_rows(csv_path: str) -> dict[str, dict]:
    csv.field_size_limit(sys.maxsize)
    rows: dict[str, dict] = {}
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault((row.get("Model") or "").strip(), row)
    return rows


def validation_labels(pattern: str = "val_part*.yaml") -> list[dict]:
    """The blind labels as a flat list of claims, each with its entry and kind."""
    out = []
    for part in sorted(LABELS.glob(pattern)):
        for row in load_yaml(part) or []:
            for c in row.get("claims") or []:
                out.append({**c, "entry": row["entry"].strip()})
    return out


def dev_labels() -> list[dict]:
    """The 0.1 labels of entries outside the validation quarter."""
    out = []
    for c in load_yaml(BENCH / "labelled.yaml") or []:
        if not is_validation(c["entry"]):
            out.append({**c, "entry": c["entry"].strip()})
    return out


def measure(labels: list[dict], rows: dict[str, dict], findings: list[dict]) -> dict:
    """Match findings to labelled claims; count precision, recall and false alarms."""
    entries = {c["entry"] for c in labels}
    claims = []
    for c in labels:
        row = rows.get(c["entry"])
        if row is None:
            continue
        if c.get("kind") == "field":
            claims.append({**c, "span": None, "hit": [], "ver": []})
            continue
        note = row.get(c["field"]) or ""
        starts = find_all(note, c["text"])
        occ = c.get("occurrence", 0) or 0
        span = (starts[occ], starts[occ] + len(c["text"])) if occ < len(starts) else None
        claims.append({**c, "span": span, "hit": [], "ver": []})
    by_field = defaultdict(list)
    for c in claims:
        by_field[(c["entry"], c["field"])].append(c)

    problems, placed_counter = [], Counter()
    for f in findings:
        entry = (f.get("entry") or "").strip()
        if entry not in entries:
            continue
        row = rows[entry]
        text = row.get(f["field"] or "")
        cands = by_field.get((entry, f["field"]), [])
        if f["field"] in row and not f["field"].endswith(" notes"):
            ms = [c for c in cands if c.get("kind") == "field"]          # a field finding
        else:
            starts = find_all(text or "", f["text"])
            k = placed_counter[(entry, f["field"], f["text"])]
            placed_counter[(entry, f["field"], f["text"])] += 1
            if starts:
                s = starts[min(k, len(starts) - 1)]
                span = (s, s + len(f["text"]))
                ms = [c for c in cands if c["span"] and overlaps(span, c["span"])]
            else:
                ms = [c for c in cands if c["span"] and (f["text"] in c["text"]
                                                         or c["text"] in f["text"])]
        if f["status"] == "verified":
            for c in ms:
                c["ver"].append(f)
        elif f["status"] == "problem":
            slips = [c for c in ms if c.get("slip")]
            for c in slips:
                c["hit"].append(f)
            unexplained = [c for c in ms if c.get("verdict") == "unexplained"]
            problems.append((f, slips, unexplained, ms))

    slips = [c for c in claims if c.get("slip")]
    correct = [c for c in claims if not c.get("slip") and c.get("kind") != "field"]
    by_grade = defaultdict(lambda: Counter())
    for f, s, u, _ in problems:
        g = f.get("grade") or "?"
        by_grade[g]["real" if s else "unexplained field" if u else "false alarm"] += 1
    material = [p for p in problems if p[0].get("grade") == "material"]
    real_material = [p for p in material if p[1]]
    fa = [p for p in problems if not p[1] and not p[2]]
    fa_strict = [p for p in problems if not p[1]]
    n = len(entries)

    def ratio(a, b):
        return a / b if b else float("nan")

    return {
        "rows": n,
        "claims": len(claims),
        "slips": len(slips),
        "material_problems": len(material),
        "precision_material": ratio(len(real_material),
                                    len([p for p in material if p[1] or not p[2]])),
        "precision_material_strict": ratio(len(real_material), len(material)),
        "recall": ratio(sum(1 for c in slips if c["hit"]), len(slips)),
        "false_alarms": len(fa),
        "false_alarms_per_100_rows": 100 * len(fa) / n if n else float("nan"),
        "false_alarms_per_100_rows_strict": 100 * len(fa_strict) / n if n else float("nan"),
        "unexplained_fields_flagged": sum(1 for p in problems if not p[1] and p[2]),
        "verified_rate": ratio(sum(1 for c in correct if c["ver"]), len(correct)),
        "by_grade": {g: dict(c) for g, c in sorted(by_grade.items())},
        "_missed": [c for c in slips if not c["hit"]],
        "_unverified": [c for c in correct if not c["ver"]],
        "_false_alarms": fa_strict,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", action="store_true", help="list missed slips and false alarms")
    args = ap.parse_args(argv)
    rows = load_rows(args.csv)
    out = run_mclint([args.csv], "--show-verified")
    findings = out.get("findings", [])
    samples = [validation_labels(p) for p in ("val_part*.yaml", "val2_part*.yaml",
                                               "val3_part*.yaml")]
    sets = {"validation": measure([c for s in samples for c in s], rows, findings)}
    for k, labels in enumerate(samples, 1):
        if labels:
            sets[f"  sample {k}"] = measure(labels, rows, findings)
    sets["dev"] = measure(dev_labels(), rows, findings)
    for name, pattern in (("dev sample", "dev_part*.yaml"), ("dev sample 2", "dev2_part*.yaml"),
                          ("dev sample 3", "dev3_part*.yaml")):
        labels = validation_labels(pattern)
        if labels:
            sets[name] = measure(labels, rows, findings)
    if args.json:
        print(json.dumps({k: {n: v for n, v in m.items() if not n.startswith("_")}
                          for k, m in sets.items()}, indent=1))
        return 0
    print(f"{'':34}" + "".join(f"{name:>14}" for name in sets))
    lines = [
        ("rows labelled", "rows", "{:d}"),
        ("claims labelled", "claims", "{:d}"),
        ("slips labelled", "slips", "{:d}"),
        ("material problems reported", "material_problems", "{:d}"),
        ("precision (material)", "precision_material", "{:.3f}"),
        ("  strict (unexplained fields = FA)", "precision_material_strict", "{:.3f}"),
        ("recall of labelled slips", "recall", "{:.3f}"),
        ("false alarms", "false_alarms", "{:d}"),
        ("false alarms per 100 rows", "false_alarms_per_100_rows", "{:.1f}"),
        ("  strict", "false_alarms_per_100_rows_strict", "{:.1f}"),
        ("unexplained fields flagged", "unexplained_fields_flagged", "{:d}"),
        ("verified rate of correct claims", "verified_rate", "{:.3f}"),
    ]
    for label, key_, f in lines:
        print(f"{label:34}" + "".join(f"{f.format(sets[s][key_]):>14}" for s in sets))
    print("\nproblems by grade (real / unexplained field / false alarm):")
    for s in sets:
        for g, c in sets[s]["by_grade"].items():
            print(f"  {s.strip():<11} {g:<9} {c.get('real', 0):>4} / {c.get('unexplained field', 0):>3}"
                  f" / {c.get('false alarm', 0):>3}")
    if args.list:
        for s in [k for k in ("validation", "dev", "dev sample", "dev sample 2", "dev sample 3")
                  if k in sets]:
            print(f"\n== {s}: missed slips")
            for c in sets[s]["_missed"]:
                print(f"  {c['entry']} [{c['field']}] {c.get('kind')} {short(str(c['text']), 90)!r}"
                      f" ({c.get('grade') or c.get('slip_type')}; "
                      f"{'verified' if c['ver'] else 'silent'})")
            print(f"== {s}: problems on no labelled slip")
            for f, _s, u, ms in sets[s]["_false_alarms"]:
                on = "unexplained field" if u else (f"on {short(ms[0]['text'], 40)!r}" if ms
                                                    else "no label there")
                print(f"  {f['entry'].strip()} [{f['field']}] {f['rule']} {f.get('grade')} "
                      f"({on}): {short(f['message'], 140)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
