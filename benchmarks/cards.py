#!/usr/bin/env python3
"""mclint on real model cards: what it checks, what it flags, against blind labels.

Usage:
    python benchmarks/cards.py [CARDS_DIR] [--list] [--json]

CARDS_DIR defaults to ../shared/corpus/modelcards (56 model cards and READMEs, byte-exact;
SOURCES.md there names each one's repository, path and commit; each keeps its authors'
licence).  The labels are benchmarks/labels/cards_part1.yaml and cards_part2.yaml, typed by
hand before the checking core that reads Markdown first ran on the cards
(benchmarks/labels/SPEC.md says how).  Nothing was tuned on them.

Printed: per card, the claims mclint verified, flagged (by grade) and set aside; then over
all labelled cards:

  slips labelled          claims the labels call wrong
  recall                  labelled slips with a problem finding on their line
  problems reported       problem findings (material, minor, notation)
  false alarms            problems on a line with no labelled slip
  verified                labelled correct claims with a verified finding on their line

A finding is matched to a label by line (the label's `line`, or its `ref_line` for a
claim that compares two places) and, when the label gives it, by the stated number's text.
Exits 0 whatever the figures (2 when mclint cannot run).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, ROOT, load_yaml, run_mclint  # noqa: E402

DEFAULT_CARDS = (ROOT / ".." / "shared" / "corpus" / "modelcards").resolve()


def labels() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for part in ("cards_part1.yaml", "cards_part2.yaml"):
        for entry in load_yaml(BENCH / "labels" / part) or []:
            out[entry["entry"]] = entry.get("claims") or []
    return out


def lines_of(label: dict) -> set[int]:
    return {n for n in (label.get("line"), label.get("ref_line")) if isinstance(n, int)}


def matches(f: dict, label: dict) -> bool:
    if f["line"] not in lines_of(label):
        return False
    stated = str(label.get("stated_text") or "")
    text = f.get("text") or ""
    return not stated or stated in text or text in stated or f["line"] != label.get("line")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cards", nargs="?", default=str(DEFAULT_CARDS))
    ap.add_argument("--list", action="store_true", help="list misses and false alarms")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    folder = Path(args.cards)
    cards = sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.name != "SOURCES.md")
    if not cards:
        print(f"no model cards in {folder}", file=sys.stderr)
        return 2
    out = run_mclint(cards, "--show-verified")
    by_card: dict[str, list[dict]] = defaultdict(list)
    for f in out["findings"]:
        by_card[Path(f["path"]).name].append(f)
    labelled = labels()

    rows, totals = [], Counter()
    misses, alarms = [], []
    for card in cards:
        fs = by_card.get(card.name, [])
        status = Counter(f["status"] for f in fs)
        grades = Counter(f["grade"] for f in fs if f["status"] == "problem")
        rows.append((card.name, status["verified"], grades["material"], grades["minor"],
                     grades["notation"], status["skipped"]))
        totals.update({"cards": 1, "verified findings": status["verified"],
                       "skipped findings": status["skipped"]})
        if card.name not in labelled:
            continue
        claims = labelled[card.name]
        problems = [f for f in fs if f["status"] == "problem"]
        totals["labelled cards"] += 1
        for lab in claims:
            if lab.get("slip"):
                totals["slips labelled"] += 1
                if any(matches(f, lab) for f in problems):
                    totals["slips found"] += 1
                else:
                    misses.append((card.name, lab))
            elif lab.get("grade") is None:
                totals["correct claims labelled"] += 1
                if any(matches(f, lab) for f in fs if f["status"] == "verified"):
                    totals["correct claims verified"] += 1
        for f in problems:
            totals[f"problems {f['grade']}"] += 1
            if not any(matches(f, lab) for lab in claims if lab.get("slip")):
                totals[f"false alarms {f['grade']}"] += 1
                alarms.append((card.name, f))

    slips = totals["slips labelled"]
    reported = sum(totals[f"problems {g}"] for g in ("material", "minor", "notation"))
    false = sum(totals[f"false alarms {g}"] for g in ("material", "minor", "notation"))
    figures = {
        "cards": totals["cards"],
        "labelled cards": totals["labelled cards"],
        "slips labelled": slips,
        "recall": totals["slips found"] / slips if slips else None,
        "problems reported": reported,
        "precision": (reported - false) / reported if reported else None,
        "false alarms": false,
        "false alarms per card": false / max(1, totals["labelled cards"]),
        "correct claims labelled": totals["correct claims labelled"],
        "correct claims verified": totals["correct claims verified"],
        "verified findings": totals["verified findings"],
        "skipped findings": totals["skipped findings"],
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'card':58} {'verified':>8} {'material':>8} {'minor':>6} {'notation':>8} "
          f"{'skipped':>7}")
    for name, *counts in rows:
        print(f"{name[:58]:58} " + " ".join(f"{n:>{w}}" for n, w in
                                            zip(counts, (8, 8, 6, 8, 7))))
    print()
    for k, v in figures.items():
        shown = f"{v:.3f}" if isinstance(v, float) else ("n/a" if v is None else v)
        print(f"{k:28} {shown:>8}")
    if args.list:
        print("\n== missed slips")
        for name, lab in misses:
            print(f"  {name}:{lab.get('line')} {lab.get('kind')} {lab.get('text')!r} "
                  f"({lab.get('grade')})")
        print("== problems on no labelled slip")
        for name, f in alarms:
            print(f"  {name}:{f['line']} {f['rule']} {f['grade']}: {f['message'][:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
