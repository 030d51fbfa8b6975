"""Speed: mclint on the whole dev corpus against spaCy's bare tokenizer, and a cold start.

    python benchmarks/speed.py [CSV] [--repeat N] [--memory MB]

(a) spacy.blank("en") tokenizing every notes cell of the dev corpus (nlp.pipe);
(b) mclint linting the whole corpus in the same process (read, extract, check, locate),
    both after a warm-up, best of --repeat runs; the ratio b / a;
(b') the same corpus as whole processes: `mclint CSV --format json -j 1` next to a script that
    reads the CSV and tokenizes its notes, alternated, median of --repeat runs each;
(c) wall time of a cold `python -m linter NOTE` next to a cold `python -c "import spacy"`,
    alternated, median of --repeat runs each, with bytecode compiled as an installed
    package has it (and mclint's unit cache as the first run left it);
(d) text dense with calculations ("6 * 340B * 9T = 1.8E25; " repeated) in one segment:
    characters per second at two lengths, and the ratio of their times (linear: about 2);
(e) peak memory (max RSS) of this process and of the cold runs; with --memory MB, of
    `mclint -j 1 --format json` on CSVs of MB and 4 x MB built by repeating the corpus rows
    (issue 15's targets are for 50 and 200 MB: --memory 50, which takes about 7 minutes).

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


def cold(cmds: list[list[str]], repeat: int) -> list[float]:
    """Median wall time of each command, the commands alternated run by run (so a change in
    the machine's load falls on all of them), after one unmeasured run of each."""
    for cmd in cmds:
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False, env=COLD_ENV)
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(repeat):
        for cmd, out in zip(cmds, times):
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False, env=COLD_ENV)
            out.append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def memory(corpus: Path, mb: int) -> tuple[int, float]:
    """Peak RSS (MB) of `mclint -j 1` on a CSV of about `mb` MB: the corpus rows repeated."""
    lines = corpus.read_bytes().splitlines(keepends=True)
    header, body = lines[0], b"".join(lines[1:])
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as fh:
        fh.write(header)
        written = len(header)
        while written < mb * 1_000_000:
            fh.write(body)
            written += len(body)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "linter", fh.name, "-j", "1",
                                 "--isolated", "-q", "--format", "json"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        return written, usage.ru_maxrss / 1024
    finally:
        os.unlink(fh.name)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--memory", type=int, default=0, metavar="MB",
                    help="also measure peak memory on CSVs of MB and 4 x MB (slow)")
    args = ap.parse_args(argv)
    path = Path(args.csv)
    if not path.exists():
        print(f"no corpus at {path}: give the path of epoch_models_dev.csv")
        return 2

    import spacy

    from linter.pipeline import Input, Options, run

    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    columns = [c for c in rows[0] if c.lower().endswith("notes")]
    texts = [r[c] for r in rows for c in columns if r[c].strip()]
    chars = sum(map(len, texts))

    nlp = spacy.blank("en")
    list(nlp.pipe(texts[:50]))
    tokenize = best(lambda: list(nlp.pipe(texts)), args.repeat)

    options = Options(isolated=True)
    run([Input(str(NOTE))], options)  # build the pipeline once
    report = None

    def lint():
        nonlocal report
        report = run([Input(str(path))], options)

    whole = best(lint, args.repeat)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tokenize_script = (
        "import csv, sys, spacy\n"
        "csv.field_size_limit(sys.maxsize)\n"
        f"rows = list(csv.DictReader(open({str(path)!r}, newline='', encoding='utf-8')))\n"
        "cols = [c for c in rows[0] if c.lower().endswith('notes')]\n"
        "nlp = spacy.blank('en')\n"
        "for doc in nlp.pipe(r[c] for r in rows for c in cols if r[c].strip()): pass\n")
    whole_tokenize, whole_mclint = cold([
        [sys.executable, "-c", tokenize_script],
        [sys.executable, "-m", "linter", str(path), "--format", "json", "-j", "1", "--isolated",
         "-q"]], args.repeat)

    dense = {}
    for n in (1000, 2000):
        data = ("6 * 340B * 9T = 1.8E25; " * n).encode()
        dense[n] = (len(data), best(lambda d=data: run([Input("dense.txt", d)], options),
                                    args.repeat))

    cold_spacy, cold_note = cold([[sys.executable, "-c", "import spacy"],
                                  [sys.executable, "-m", "linter", str(NOTE), "--quiet"]],
                                 args.repeat)
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    problems = sum(1 for f in report.findings if not f.verified)
    print(f"dev corpus: {len(rows):,} entries, {len(texts):,} notes cells, {chars:,} characters")
    print(f"(a) spacy.blank('en') tokenizing all notes   {tokenize:7.3f} s   (best of {args.repeat})")
    print(f"(b) mclint linting the whole corpus          {whole:7.3f} s   "
          f"({report.entries:,} entries, {problems} problems)")
    print(f"    ratio b / a                               {whole / tokenize:7.2f}   (target <= 3)")
    print(f"    as whole processes: a script tokenizing   {whole_tokenize:7.3f} s   (median of "
          f"{args.repeat})")
    print(f"    `mclint CSV --format json -j 1`           {whole_mclint:7.3f} s")
    print(f"    ratio                                     {whole_mclint / whole_tokenize:7.2f}   "
          "(target <= 1.5)")
    print(f"(c) cold `python -c 'import spacy'`           {cold_spacy:7.3f} s   (median of "
          f"{args.repeat})")
    print(f"    cold `mclint` on one note                 {cold_note:7.3f} s")
    print(f"    ratio                                     {cold_note / cold_spacy:7.2f}   "
          "(target <= 1.3)")
    (n1, t1), (n2, t2) = dense[1000], dense[2000]
    print(f"(d) dense calculation text, {n1:,} chars   {n1 / t1:9,.0f} chars/s")
    print(f"    dense calculation text, {n2:,} chars   {n2 / t2:9,.0f} chars/s   "
          "(target >= 300,000)")
    print(f"    time ratio for twice the text             {t2 / t1:7.2f}   (linear: 2)")
    print(f"(e) peak memory: this process {peak_self:,.0f} MB; largest cold run "
          f"{peak_child:,.0f} MB")
    if args.memory:
        peaks = []
        for mb in (args.memory, 4 * args.memory):
            size, peak = memory(path, mb)
            peaks.append(peak)
            print(f"    `mclint -j 1 --format json` on a {size / 1e6:,.0f} MB CSV: peak "
                  f"{peak:,.0f} MB" + ("   (target <= 250 for 50 MB)" if len(peaks) == 1 else
                                       f"   (+{peaks[1] / peaks[0] - 1:.0%}; target < +20% "
                                       "from 50 to 200 MB)"))
    print(f"    load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
