"""Speed: mclint on the whole dev corpus against spaCy's bare tokenizer, and a cold start.

    python benchmarks/speed.py [CSV] [--repeat N]

(a) spacy.blank("en") tokenizing every notes cell of the dev corpus (nlp.pipe);
(b) mclint linting the whole corpus in the same process (read, extract, check, locate),
    both after a warm-up, best of --repeat runs; the ratio b / a;
(c) wall time of a cold `python -m linter NOTE` next to a cold `python -c "import spacy"`,
    median of --repeat runs each, with bytecode compiled as an installed package has it;
(d) peak memory (max RSS) of this process and of the cold runs.

Data: Epoch AI (epoch.ai), CC BY 4.0.  Timings depend on the machine and its load: run it
on an otherwise idle machine and compare ratios rather than seconds.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CSV = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"
NOTE = ROOT / "fixtures" / "notes" / "nemotron-4-340b.txt"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


# Cold runs as after `pip install .`, which compiles every module to bytecode: bytecode is
# allowed (PYTHONDONTWRITEBYTECODE unset) and kept out of the tree, and one unmeasured run
# of each command writes it.
COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
COLD_ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "mclint-speed-pycache")


def cold(cmd: list[str], repeat: int) -> float:
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False, env=COLD_ENV)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False, env=COLD_ENV)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    path = Path(args.csv)
    if not path.exists():
        print(f"no corpus at {path}: give the path of epoch_models_dev.csv")
        return 2

    import spacy

    from linter.pipeline import default_settings, lint_paths

    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    columns = [c for c in rows[0] if c.lower().endswith("notes")]
    texts = [r[c] for r in rows for c in columns if r[c].strip()]
    chars = sum(map(len, texts))

    nlp = spacy.blank("en")
    list(nlp.pipe(texts[:50]))
    tokenize = best(lambda: list(nlp.pipe(texts)), args.repeat)

    settings = default_settings()
    lint_paths([str(NOTE)], settings)  # build the pipeline once
    report = None

    def lint():
        nonlocal report
        report = lint_paths([str(path)], settings)

    whole = best(lint, args.repeat)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    cold_spacy = cold([sys.executable, "-c", "import spacy"], args.repeat)
    cold_note = cold([sys.executable, "-m", "linter", str(NOTE), "--quiet"], args.repeat)
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    problems = sum(1 for f in report.findings if not f.verified)
    print(f"dev corpus: {len(rows):,} entries, {len(texts):,} notes cells, {chars:,} characters")
    print(f"(a) spacy.blank('en') tokenizing all notes   {tokenize:7.3f} s   (best of {args.repeat})")
    print(f"(b) mclint linting the whole corpus          {whole:7.3f} s   "
          f"({report.entries:,} entries, {problems} problems)")
    print(f"    ratio b / a                               {whole / tokenize:7.2f}   (target <= 3)")
    print(f"(c) cold `python -c 'import spacy'`           {cold_spacy:7.3f} s   (median of "
          f"{args.repeat})")
    print(f"    cold `mclint` on one note                 {cold_note:7.3f} s")
    print(f"    ratio                                     {cold_note / cold_spacy:7.2f}   "
          "(target <= 1.5)")
    print(f"(d) peak memory: this process {peak_self:,.0f} MB; largest cold run "
          f"{peak_child:,.0f} MB")
    print(f"    load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
