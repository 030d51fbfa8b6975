#!/usr/bin/env python3
"""Precision of mclint on the triaged dev-corpus findings (issue 6.1).

Usage:
    python benchmarks/precision.py [CSV] [--triage FILE] [--json]

CSV defaults to ../shared/corpus/epoch_models_dev.csv relative to the repository root, the
triage file to benchmarks/triage.yaml. Runs mclint (subprocess, --format json, problems only),
matches each finding to a triage item by (rule, entry, field, text) and prints
precision = real / (real + false-alarm) per rule and overall, the unclear counts, the findings
not yet triaged and the triage items whose finding has disappeared. Always exits 0 (2 only
when mclint itself cannot run).

Data: Epoch AI, epoch.ai, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, DEFAULT_CSV, key, load_yaml, run_mclint, short

VERDICTS = ("real", "false-alarm", "unclear")


def precision(real: int, fa: int) -> str:
    return f"{real / (real + fa):.3f}" if real + fa else "n/a"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--triage", default=str(BENCH / "triage.yaml"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    out = run_mclint([args.csv])
    findings = [f for f in out.get("findings", []) if not f.get("verified")]

    items = load_yaml(Path(args.triage)) or []
    triage: dict[tuple, dict] = {}
    bad = []
    for it in items:
        if not isinstance(it, dict) or it.get("verdict") not in VERDICTS:
            bad.append(it)
            continue
        triage[key(it)] = it

    per_rule: dict[str, Counter] = defaultdict(Counter)
    untriaged, used = [], set()
    for f in findings:
        k = key(f)
        it = triage.get(k)
        if it is None:
            untriaged.append(f)
            per_rule[f["rule"]]["untriaged"] += 1
            continue
        used.add(k)
        per_rule[f["rule"]][it["verdict"]] += 1
    stale = [it for k, it in triage.items() if k not in used]

    total = Counter()
    for c in per_rule.values():
        total.update(c)

    if args.json:
        print(
            json.dumps(
                {
                    "findings": len(findings),
                    "per_rule": {
                        r: dict(c) | {"precision": precision(c["real"], c["false-alarm"])}
                        for r, c in sorted(per_rule.items())
                    },
                    "overall": dict(total)
                    | {"precision": precision(total["real"], total["false-alarm"])},
                    "untriaged": [
                        {
                            "rule": f["rule"],
                            "entry": f["entry"],
                            "field": f["field"],
                            "text": f["text"],
                        }
                        for f in untriaged
                    ],
                    "stale": [
                        {
                            "rule": i["rule"],
                            "entry": i["entry"],
                            "field": i["field"],
                            "text": i["text"],
                        }
                        for i in stale
                    ],
                },
                indent=1,
                ensure_ascii=False,
            )
        )
        return 0

    print(
        f"mclint on {args.csv}: {len(findings)} problems; triage file {args.triage}: {len(triage)} items"
    )
    if not triage:
        print("No triage items yet: every finding below is untriaged (precision n/a).")
    print()
    print(
        f"{'rule':<7} {'findings':>8} {'real':>5} {'false':>6} {'unclear':>8} {'untriaged':>10} {'precision':>10}"
    )
    for rule, c in sorted(per_rule.items()):
        n = sum(c.values())
        print(
            f"{rule:<7} {n:>8} {c['real']:>5} {c['false-alarm']:>6} {c['unclear']:>8} {c['untriaged']:>10} {precision(c['real'], c['false-alarm']):>10}"
        )
    n = sum(total.values())
    print(
        f"{'overall':<7} {n:>8} {total['real']:>5} {total['false-alarm']:>6} {total['unclear']:>8} {total['untriaged']:>10} "
        f"{precision(total['real'], total['false-alarm']):>10}"
    )
    print()
    print(
        f"precision = real / (real + false-alarm) = {total['real']} / {total['real'] + total['false-alarm']} = "
        f"{precision(total['real'], total['false-alarm'])}   (target >= 0.95)"
    )
    print(f"unclear: {total['unclear']}")
    for label, prefixes in (
        ("calculation and relation rules (MC1xx, MC2xx)", ("MC1", "MC2")),
        ("field rules (MC3xx)", ("MC3",)),
    ):
        fam = Counter()
        for rule, c in per_rule.items():
            if rule.startswith(prefixes):
                fam.update(c)
        print(
            f"  {label}: {fam['real']} / {fam['real'] + fam['false-alarm']} = {precision(fam['real'], fam['false-alarm'])}"
        )

    fa = [
        (f, triage[key(f)])
        for f in findings
        if key(f) in triage and triage[key(f)]["verdict"] == "false-alarm"
    ]
    if fa:
        print(f"\nfalse alarms ({len(fa)}):")
        for f, it in fa:
            print(
                f"  {f['rule']} [{f['entry']} / {f['field']}] {short(f['text'], 60)!r}: {short(it.get('reason', ''), 140)}"
            )
    print(f"\nfindings not yet triaged ({len(untriaged)}):")
    for f in untriaged:
        print(
            f"  line {f.get('line')}: {f['rule']} [{f['entry']} / {f['field']}] {short(f['text'])!r}"
        )
        print(f"      {short(f.get('message', ''), 160)}")
    if not untriaged:
        print("  (none)")
    print(f"\ntriage items whose finding disappeared ({len(stale)}):")
    for it in stale:
        print(
            f"  {it['rule']} [{it['entry']} / {it['field']}] {short(it['text'])!r} (was {it['verdict']})"
        )
    if not stale:
        print("  (none)")
    if bad:
        print(
            f"\nignored {len(bad)} malformed triage item(s) (verdict must be one of {', '.join(VERDICTS)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
