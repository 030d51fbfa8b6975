#!/usr/bin/env python3
"""Recall, false alarms and verified rate of mclint on the labelled claims (issue 6.2).

Usage:
    python benchmarks/recall.py [CSV] [--labels FILE] [--json]

Lints the dev corpus (CSV, default ../shared/corpus/epoch_models_dev.csv relative to the
repository root) with --show-verified and keeps the findings of the labelled entries only.
A labelled slip is *flagged* when a problem finding of a calculation or relation rule
(MC1xx/MC2xx) in the same entry and notes field overlaps the claim's text (at least half of the
shorter of the two spans). Reports:

  recall              labelled slips flagged / labelled slips (also per slip type)
  false alarms        problem findings in those entries that match no labelled slip, per 100
                      entries (MC1xx/MC2xx in notes; field rules MC3xx listed apart, with their
                      triage verdict from benchmarks/triage.yaml)
  verified rate       labelled correct claims that a verified finding overlaps / correct claims

and lists the misses and the false alarms by entry. Always exits 0 (2 if mclint cannot run).

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
from _common import BENCH, DEFAULT_CSV, key, load_yaml, run_mclint, short

CALC_RULES = ("MC1", "MC2")


def find_all(hay: str, needle: str) -> list[int]:
    out, i = [], hay.find(needle)
    while needle and i >= 0:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return False
    return inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def load_fields(csv_path: str, entries: set[str]) -> dict[tuple[str, str], str]:
    fields: dict[tuple[str, str], str] = {}
    seen: Counter = Counter()
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("Model") or "").strip()
            if name not in entries:
                continue
            seen[name] += 1
            for col, val in row.items():
                if col and col.endswith(" notes"):
                    fields[(name, col)] = val or ""
    dup = [n for n, c in seen.items() if c > 1]
    if dup:
        print(f"warning: entries repeated in the CSV (first row used): {dup}", file=sys.stderr)
    return fields


def spans_of_findings(
    findings: list[dict], fields: dict
) -> list[tuple[dict, tuple[int, int] | None]]:
    """Place each finding in its field: the k-th finding with a given text takes the k-th occurrence."""
    by_text: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        by_text[
            (f["entry"].strip(), f["field"], f["text"], f.get("verified", False), f["rule"])
        ].append(f)
    placed = []
    for (entry, field, text, _v, _r), group in by_text.items():
        note = fields.get((entry, field))
        starts = find_all(note, text) if note is not None else []
        for i, f in enumerate(sorted(group, key=lambda g: g.get("offset", 0))):
            if starts:
                s = starts[min(i, len(starts) - 1)]
                placed.append((f, (s, s + len(text))))
            else:
                placed.append((f, None))
    return placed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--labels", default=str(BENCH / "labelled.yaml"))
    ap.add_argument("--triage", default=str(BENCH / "triage.yaml"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--strict", action="store_true",
                    help="take abbreviated inputs as exact (benchmarks/strict.mclint.yaml)")
    args = ap.parse_args(argv)

    labels = load_yaml(Path(args.labels)) or []
    if not labels:
        print(f"no labelled claims in {args.labels}: nothing to measure")
        return 0
    entries = {c["entry"] for c in labels}
    fields = load_fields(args.csv, entries)

    claims = []
    for c in labels:
        note = fields.get((c["entry"], c["field"]))
        starts = find_all(note, c["text"]) if note is not None else []
        occ = c.get("occurrence", 0) or 0
        span = (starts[occ], starts[occ] + len(c["text"])) if occ < len(starts) else None
        if span is None:
            print(
                f"warning: claim not found in its note: [{c['entry']} / {c['field']}] {short(c['text'])!r}",
                file=sys.stderr,
            )
        claims.append({**c, "span": span, "hit": [], "ver": []})

    out = run_mclint([args.csv], "--show-verified",
                     config=str(BENCH / "strict.mclint.yaml") if args.strict else None)
    mine = [f for f in out.get("findings", []) if f.get("entry", "").strip() in entries]
    placed = spans_of_findings(mine, fields)

    by_field = defaultdict(list)
    for c in claims:
        by_field[(c["entry"], c["field"])].append(c)

    def matching_claims(f, span):
        cands = by_field.get((f["entry"].strip(), f["field"]), [])
        if span is None:  # text not found verbatim: fall back to containment
            return [c for c in cands if f["text"] in c["text"] or c["text"] in f["text"]]
        return [c for c in cands if c["span"] and overlaps(span, c["span"])]

    field_findings, false_alarms = [], []
    for f, span in placed:
        if f.get("verified"):
            for c in matching_claims(f, span):
                c["ver"].append(f)
            continue
        if not f["rule"].startswith(CALC_RULES):
            field_findings.append(f)
            continue
        ms = matching_claims(f, span)
        slips = [c for c in ms if c["slip"]]
        for c in slips:
            c["hit"].append(f)
        if not slips:
            false_alarms.append((f, ms))

    slips = [c for c in claims if c["slip"]]
    correct = [c for c in claims if not c["slip"]]
    flagged = [c for c in slips if c["hit"]]
    missed = [c for c in slips if not c["hit"]]
    verified = [c for c in correct if c["ver"]]
    n_entries = len(entries)

    triage = {key(t): t for t in (load_yaml(Path(args.triage)) or []) if isinstance(t, dict)}
    field_real = [f for f in field_findings if triage.get(key(f), {}).get("verdict") == "real"]
    field_other = [f for f in field_findings if f not in field_real]

    by_type = defaultdict(lambda: [0, 0])
    for c in slips:
        by_type[c.get("slip_type") or "?"][1] += 1
        if c["hit"]:
            by_type[c.get("slip_type") or "?"][0] += 1
    substantive = [c for c in slips if c.get("slip_type") != "as-written"]
    sub_hit = [c for c in substantive if c["hit"]]

    def ratio(a, b):
        return a / b if b else float("nan")

    figures = {
        "entries": n_entries,
        "claims": len(claims),
        "slips": len(slips),
        "correct": len(correct),
        "recall": ratio(len(flagged), len(slips)),
        "recall_without_as_written": ratio(len(sub_hit), len(substantive)),
        "recall_by_type": {t: {"flagged": a, "slips": b} for t, (a, b) in sorted(by_type.items())},
        "false_alarms": len(false_alarms),
        "false_alarms_per_100_entries": 100 * len(false_alarms) / n_entries,
        "field_findings_not_real": len(field_other),
        "false_alarms_per_100_entries_all_rules": 100
        * (len(false_alarms) + len(field_other))
        / n_entries,
        "verified_rate": ratio(len(verified), len(correct)),
    }
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0

    print(
        f"labelled: {len(claims)} claims in {n_entries} entries ({len(slips)} slips, {len(correct)} correct)"
    )
    print(
        f"recall          = {len(flagged)} / {len(slips)} = {figures['recall']:.3f}   (target >= 0.95)"
    )
    print(
        f"  without as-written slips: {len(sub_hit)} / {len(substantive)} = {figures['recall_without_as_written']:.3f}"
    )
    for t, (a, b) in sorted(by_type.items()):
        print(f"  {t:<15} {a:>3} / {b:<3}")
    print(
        f"false alarms    = {len(false_alarms)} MC1xx/MC2xx findings matching no labelled slip "
        f"= {figures['false_alarms_per_100_entries']:.1f} per 100 entries"
    )
    print(
        f"  field rules (MC3xx) in these entries: {len(field_findings)} "
        f"({len(field_real)} triaged real, {len(field_other)} not); counting the latter too: "
        f"{figures['false_alarms_per_100_entries_all_rules']:.1f} per 100 entries"
    )
    print(
        f"verified rate   = {len(verified)} / {len(correct)} = {figures['verified_rate']:.3f} of the correct claims"
    )
    ignored_slips = sum(1 for c in missed if not c["ver"])
    print(
        f"  slips that mclint verified instead of flagging: {sum(1 for c in missed if c['ver'])}; "
        f"slips it said nothing about: {ignored_slips}"
    )

    print(f"\nmissed slips ({len(missed)}), by entry:")
    for entry in sorted({c["entry"] for c in missed}):
        for c in (c for c in missed if c["entry"] == entry):
            how = "verified" if c["ver"] else "ignored"
            print(
                f"  {entry} [{c['field']}] ({c.get('slip_type')}, {how}) {short(c['text'], 80)!r}: "
                f"stated {c['stated']:.6g}, recomputed {c['computed']:.6g} {c['unit']}"
            )
    print(f"\nfalse alarms ({len(false_alarms)}), by entry:")
    for f, ms in sorted(false_alarms, key=lambda x: (x[0]["entry"].strip(), x[0].get("offset", 0))):
        on = (
            f" (on a correct claim: {short(ms[0]['text'], 50)!r})"
            if ms
            else " (no labelled claim there)"
        )
        print(f"  {f['entry'].strip()} [{f['field']}] {f['rule']} {short(f['text'], 70)!r}{on}")
        print(f"      {short(f.get('message', ''), 150)}")
    if field_findings:
        print(f"\nfield findings (MC3xx) in the labelled entries ({len(field_findings)}):")
        for f in field_findings:
            v = triage.get(key(f), {}).get("verdict", "untriaged")
            print(
                f"  {f['entry'].strip()} [{f['field']}] {f['rule']} ({v}) {short(f.get('message', ''), 110)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
