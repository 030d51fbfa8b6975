#!/usr/bin/env python3
"""Quantity extraction: mclint's extractor against quantulum3 on the labelled claims (issue 6.4).

Usage:
    python benchmarks/extraction.py [--labels FILE] [--repeat N] [--misses N] [--json]

For every labelled claim text (benchmarks/labelled.yaml, duplicates of the same text in the same
field counted once) both extractors read the text; a labelled quantity is *recovered* when an
extracted quantity (each used once) has its value within 0.5% (in base units: FLOP, FLOP/s,
seconds, bytes, counts; percent as a fraction) and the same unit class. Prints the accuracy of
each (strict: value and class; value only; and split into quantities with a unit and bare
numbers), and the time each takes on the same texts: a separate load time (mclint: import,
hardware table, spaCy pipeline; quantulum3: import and its classifier, loaded by the first
parse) and the median of N warm passes over all texts.

Data: Epoch AI, epoch.ai, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH, ROOT, load_yaml, short

sys.path.insert(0, str(ROOT))

TOL = 0.005
# mclint kinds -> the label's unit classes (kinds of counted nouns are 'count')
MCLINT_KIND = {None: "dimensionless", "cores": "chips"}
MCLINT_SAME = {
    "flop",
    "flop_rate",
    "time",
    "tokens",
    "words",
    "parameters",
    "chips",
    "chip_time",
    "core_time",
    "bytes",
    "percent",
    "epochs",
}
MCLINT_COUNT = {
    "samples",
    "steps",
    "images",
    "sequences",
    "residues",
    "proteins",
    "pairs",
    "examples",
    "documents",
    "games",
    "frames",
    "iterations",
    "updates",
    "queries",
    "molecules",
    "nodes",
    "datapoints",
    "points",
    "entries",
    "structures",
    "compounds",
    "chains",
    "moves",
}

# quantulum3 units -> (class, factor to base units)
QU_UNITS = {
    "second": ("time", 1),
    "minute": ("time", 60),
    "hour": ("time", 3600),
    "day": ("time", 86400),
    "week": ("time", 604800),
    "month": ("time", 2629800),
    "year": ("time", 31557600),
    "millisecond": ("time", 1e-3),
    "byte": ("bytes", 1),
    "kilobyte": ("bytes", 1e3),
    "megabyte": ("bytes", 1e6),
    "gigabyte": ("bytes", 1e9),
    "terabyte": ("bytes", 1e12),
    "petabyte": ("bytes", 1e15),
    "kibibyte": ("bytes", 1024),
    "mebibyte": ("bytes", 1024**2),
    "gibibyte": ("bytes", 1024**3),
    "tebibyte": ("bytes", 1024**4),
    "percentage": ("percent", 0.01),
    "dimensionless": ("dimensionless", 1),
}


def mclint_class(kind):
    if kind in MCLINT_KIND:
        return MCLINT_KIND[kind]
    if kind in MCLINT_SAME:
        return kind
    if kind in MCLINT_COUNT:
        return "count"
    return str(kind)


def quantulum_class(q):
    name = q.unit.name
    if name in QU_UNITS:
        cls, factor = QU_UNITS[name]
        return cls, q.value * factor
    return f"{q.unit.entity.name}:{name}", q.value


def match(labelled: list[dict], extracted: list[tuple[float, str]], strict: bool) -> list[bool]:
    used = [False] * len(extracted)
    out = []
    for lq in labelled:
        ok = False
        for i, (v, cls) in enumerate(extracted):
            if used[i] or (strict and cls != lq["unit"]):
                continue
            ref = lq["value"]
            if abs(v - ref) <= TOL * abs(ref) or (ref == 0 and v == 0):
                used[i] = ok = True
                break
        out.append(ok)
    return out


def quantulum_classifier(mode: str, cache: Path) -> tuple[str | None, str, float]:
    """Which classifier quantulum3 will use: (classifier_path, description, training seconds)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import classifier as qc
    if mode == "off" or not qc.USE_CLF:
        why = (
            "off"
            if mode == "off"
            else "scikit-learn/joblib not installed; pip install 'quantulum3[classifier]'"
        )
        if qc.USE_CLF:  # make quantulum3 skip its classifier
            qc.USE_CLF = False
        return None, f"not used ({why}): quantulum3 falls back to its heuristic disambiguation", 0.0
    if mode != "auto":
        return mode, f"loaded from {mode}", 0.0
    try:  # the model shipped with quantulum3 (pickled with some scikit-learn version)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if qc.Classifier().loaded:
                return None, "the model shipped with quantulum3", 0.0
    except Exception as exc:  # noqa: BLE001  (an old pickle fails with a newer scikit-learn)
        shipped_error = f"{type(exc).__name__}: {exc}"
    else:
        shipped_error = "not loaded"
    from importlib.metadata import version

    path = cache / f"quantulum3-clf-sklearn-{version('scikit-learn')}.joblib"
    if path.exists():
        return (
            str(path),
            f"retrained for scikit-learn {version('scikit-learn')} (cached at {path})",
            0.0,
        )
    cache.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qc.train_classifier(store=True, output_path=str(path), n_jobs=2)
    return (
        str(path),
        f"retrained for scikit-learn {version('scikit-learn')} (the shipped model does not load: {shipped_error})",
        time.perf_counter() - t,
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(BENCH / "labelled.yaml"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--misses", type=int, default=12, help="print this many misses of each extractor"
    )
    ap.add_argument(
        "--classifier",
        default="auto",
        help="quantulum3's unit classifier: auto (use it when scikit-learn is importable, "
        "retraining it once into --classifier-cache if the shipped model does not load), "
        "off, or the path of a classifier .joblib",
    )
    ap.add_argument("--classifier-cache", default=str(Path.home() / ".cache" / "mclint-benchmarks"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    labels = load_yaml(Path(args.labels)) or []
    seen, items = set(), []
    for c in labels:
        k = (c["entry"], c["field"], c["text"])
        if k not in seen and c.get("quantities"):
            seen.add(k)
            items.append(c)
    texts = [c["text"] for c in items]
    n_q = sum(len(c["quantities"]) for c in items)
    if not items:
        print("no labelled quantities: nothing to measure")
        return 0

    # --- mclint
    t0 = time.perf_counter()
    from linter.extract import extract
    from linter.quantities.hardware import load_hardware

    chips = load_hardware().aliases
    extract("warm-up: 6 * 1B * 1T = 6e21 FLOP", chips)
    m_load = time.perf_counter() - t0
    m_times, m_out = [], None
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        res = [
            [(cl.value, mclint_class(cl.kind)) for cl in extract(tx, chips).claims] for tx in texts
        ]
        m_times.append(time.perf_counter() - t)
        m_out = res

    # --- quantulum3
    clf_path, clf_note, train_s = quantulum_classifier(args.classifier, Path(args.classifier_cache))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        parser.parse("warm-up: 3 hours and 825 GB", classifier_path=clf_path)
    q_load = time.perf_counter() - t0
    q_times, q_out = [], None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(max(1, args.repeat)):
            t = time.perf_counter()
            res = [
                [quantulum_class(q)[::-1] for q in parser.parse(tx, classifier_path=clf_path)]
                for tx in texts
            ]
            q_times.append(time.perf_counter() - t)
            q_out = res

    # --- accuracy
    acc = {}
    misses = {"mclint": [], "quantulum3": []}
    for name, outs in (("mclint", m_out), ("quantulum3", q_out)):
        tot = Counter()
        per_class = defaultdict(lambda: [0, 0])
        for c, ex in zip(items, outs):
            strict = match(c["quantities"], ex, True)
            loose = match(c["quantities"], ex, False)
            for lq, s, l in zip(c["quantities"], strict, loose):
                unit = lq["unit"] != "dimensionless"
                tot["n"] += 1
                tot["strict"] += s
                tot["value"] += l
                tot["n_unit" if unit else "n_bare"] += 1
                tot["strict_unit" if unit else "strict_bare"] += s
                per_class[lq["unit"]][1] += 1
                per_class[lq["unit"]][0] += s
                if not s:
                    got = [f"{v:.4g} {k}" for v, k in ex]
                    misses[name].append(
                        f"{lq['text']!r} = {lq['value']:.4g} {lq['unit']} in {short(c['text'], 60)!r}; got {got[:6]}"
                    )
        acc[name] = {
            "accuracy": tot["strict"] / tot["n"],
            "value_only": tot["value"] / tot["n"],
            "with_unit": tot["strict_unit"] / tot["n_unit"] if tot["n_unit"] else float("nan"),
            "bare_numbers": tot["strict_bare"] / tot["n_bare"] if tot["n_bare"] else float("nan"),
            "n": tot["n"],
            "n_unit": tot["n_unit"],
            "n_bare": tot["n_bare"],
            "per_class": {k: v for k, v in sorted(per_class.items())},
        }
    timing = {
        "mclint": {"load_s": m_load, "warm_s": statistics.median(m_times)},
        "quantulum3": {
            "load_s": q_load,
            "warm_s": statistics.median(q_times),
            "classifier": clf_note,
            "classifier_training_s": train_s,
        },
    }
    if args.json:
        print(
            json.dumps(
                {"texts": len(texts), "quantities": n_q, "accuracy": acc, "timing": timing},
                indent=1,
            )
        )
        return 0

    print(
        f"{n_q} labelled quantities in {len(texts)} claim texts "
        f"({acc['mclint']['n_unit']} with a unit, {acc['mclint']['n_bare']} bare numbers); "
        f"recovered = value within {TOL:.1%} and same unit class"
    )
    print(
        f"{'':12} {'accuracy':>9} {'with unit':>10} {'bare':>7} {'value only':>11} {'load s':>8} {'warm s':>8} {'ms/text':>8}"
    )
    for name in ("mclint", "quantulum3"):
        a, t = acc[name], timing[name]
        print(
            f"{name:12} {a['accuracy']:>9.3f} {a['with_unit']:>10.3f} {a['bare_numbers']:>7.3f} {a['value_only']:>11.3f} "
            f"{t['load_s']:>8.2f} {t['warm_s']:>8.3f} {1000 * t['warm_s'] / len(texts):>8.2f}"
        )
    print(f"(warm = median of {args.repeat} passes over the {len(texts)} texts, one call per text)")
    print(
        f"quantulum3 classifier: {clf_note}"
        + (f"; training took {train_s:.1f} s (not in load)" if train_s else "")
    )
    print("\nper unit class (strict):  class  n  mclint  quantulum3")
    for cls in sorted(acc["mclint"]["per_class"]):
        mh, n = acc["mclint"]["per_class"][cls]
        qh, _ = acc["quantulum3"]["per_class"].get(cls, (0, n))
        print(f"  {cls:<14} {n:>4} {mh / n:>7.2f} {qh / n:>11.2f}")
    for name in ("mclint", "quantulum3"):
        print(f"\nfirst {args.misses} of {len(misses[name])} misses of {name}:")
        for line in misses[name][: args.misses]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
