#!/usr/bin/env python3
"""Fuzz mclint: lint generated and mutated inputs; count crashes, hangs and time per input.

    python benchmarks/fuzz.py [--inputs 100000] [--cli 500] [--workers 2] [--seed 7]
                              [--timeout 5] [--corpus CSV] [--out benchmarks/out]
    python benchmarks/fuzz.py --replay benchmarks/out/crash-000123.csv

Issue 7. Inputs are drawn from the dev corpus (default ../shared/corpus/epoch_models_dev.csv;
Data: Epoch AI, epoch.ai, CC BY 4.0): notes, rows and entries written as .txt, .md, .csv,
.yaml, .json and .jsonl, then mutated 0-4 times (byte flips, truncation, duplicated or deleted
lines, inserted operators and digits, random unicode, huge numbers, quote imbalance, line
endings, a BOM or UTF-16, repeated chunks, swapped chunks).

Input i is made from its own random generator (seed, i), so any input can be made again
from its number. In-process part: worker processes (--workers) run the Python API the CLI
runs (readers.decode, pipeline.lint_text with default_settings, then fix.plan and
fix.unified_diff on the findings that carry a fix), each input under signal.alarm(--timeout);
a worker that stops answering (a hang in C code, where an alarm cannot interrupt) is
killed after 6 x --timeout and replaced. A crash is any exception but InputError; a hang
is an input past the timeout. Crashing and hanging inputs are saved under --out (gitignored)
with their traceback, as is the slowest input. Then --cli real `python -m linter` launches
with random options on generated files check exit codes (0, 1, 2), that no traceback or
"internal error" is printed, and that exit 2 comes with a message.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import multiprocessing as mp
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CSV = (ROOT / ".." / "shared" / "corpus" / "epoch_models_dev.csv").resolve()
KINDS = ("txt", "md", "csv", "yaml", "json", "jsonl")
csv.field_size_limit(sys.maxsize)

OPERATORS = ["*", "=", "/", "^", "×", "≈", "~", "+", "-", "(", ")", "**", " = ", " * ",
             " / ", "->", "→", "%", "x", "·", "≃", "√"]
HUGE = ["9" * 400, "1e999", "1e-999", "NaN", "nan", "inf", "Infinity", "-inf", "10^10^10^10",
        ",".join(["999"] * 60), "1" * 5000, "0", "0.0", "-0", "1e308", "2^1024", "10⁹⁹⁹⁹",
        "1.5 x 10^99999", "5 / 0", "0 / 0", "999999999999999999999B", "1e300T"]
UNICODE = ["\u200b", "\u200d", "\ufeff", "\u202e", "\u2028", "\u00a0", "\u0301", "１２３",
           "٣٤٥", "⁰¹²", "½", "𝟙𝟚", "😀", "\x00", "\r", "\t", "—", "−", "’", "“", "\\", "\x1b",
           "\ud800", "\U0010ffff", "ﬀ", "İ", "ß"]


# ------------------------------------------------------------------------------ the corpus

def load_corpus(path: Path) -> dict:
    """The corpus as rows (dicts), its header, the notes texts and the raw CSV lines."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [r for r in reader if r]
    notes_cols = [i for i, h in enumerate(header) if h.endswith(" notes")]
    notes = [r[i] for r in rows for i in notes_cols if i < len(r) and r[i].strip()]
    return {"header": header, "rows": rows, "notes": notes}


def _entry(corpus: dict, row: list[str], rng: random.Random) -> dict:
    """A corpus row as a mapping: the id, some fields, the non-empty notes."""
    out = {}
    for name, value in zip(corpus["header"], row):
        if value.strip() and (name == "Model" or name.endswith(" notes") or rng.random() < 0.3):
            out[name] = value
    return out


def generate(corpus: dict, rng: random.Random, kind: str) -> str:
    """A well-formed input of one kind, drawn from the corpus."""
    rows = corpus["rows"]
    if kind == "txt":
        return "\n\n".join(rng.choice(corpus["notes"]) for _ in range(rng.randint(1, 3)))
    if kind == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator=rng.choice(["\n", "\r\n"]))
        header = corpus["header"]
        if rng.random() < 0.3:     # a narrower table
            keep = sorted({0} | set(rng.sample(range(len(header)), rng.randint(1, 8))))
        else:
            keep = list(range(len(header)))
        writer.writerow([header[i] for i in keep])
        for _ in range(rng.randint(1, 6)):
            row = rng.choice(rows)
            writer.writerow([row[i] if i < len(row) else "" for i in keep])
        return buf.getvalue()
    entries = [_entry(corpus, rng.choice(rows), rng) for _ in range(rng.randint(1, 3))]
    if kind == "json":
        value = entries if len(entries) > 1 or rng.random() < 0.3 else entries[0]
        return json.dumps(value, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
    if kind == "jsonl":
        return "".join(json.dumps(e, ensure_ascii=rng.random() < 0.5) + "\n" for e in entries)
    import yaml

    if kind == "yaml":
        value = entries if len(entries) > 1 else entries[0]
        return yaml.safe_dump(value, allow_unicode=rng.random() < 0.5, sort_keys=False,
                              default_style=rng.choice([None, None, '"', "|"]))
    # md: a model card, front matter from an entry and a body of notes
    front = {"model_name": entries[0].get("Model", "x")}
    for k, v in entries[0].items():
        if rng.random() < 0.5:
            front[k] = v
    body = "\n\n".join(rng.choice(corpus["notes"]) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.15:
        return "# Card\n\n" + body
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body


# ---------------------------------------------------------------------------- mutations

def _pos(rng: random.Random, text) -> int:
    return rng.randint(0, len(text)) if text else 0


def _insert(text: str, rng: random.Random, piece: str) -> str:
    i = _pos(rng, text)
    return text[:i] + piece + text[i:]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def m_truncate(text, rng):
    return text[:_pos(rng, text)]


def m_dup_line(text, rng):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return "".join(lines)


def m_del_line(text, rng):
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def m_operator(text, rng):
    return _insert(text, rng, rng.choice(OPERATORS))


def m_digits(text, rng):
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
    return _insert(text, rng, digits + rng.choice(["", "", "B", "T", "e25", ".5", ",000", "%",
                                                   " FLOP", " GPUs", " days", "x"]))


def m_unicode(text, rng):
    if rng.random() < 0.5:
        piece = rng.choice(UNICODE)
    else:
        piece = "".join(chr(rng.randint(0x20, 0x2FFFF)) for _ in range(rng.randint(1, 5)))
    return _insert(text, rng, piece)


def m_huge(text, rng):
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not digits:
        return _insert(text, rng, rng.choice(HUGE))
    i = rng.choice(digits)
    j = i
    while j < len(text) and (text[j].isdigit() or text[j] in ".,eE+"):
        j += 1
    return text[:i] + rng.choice(HUGE) + text[j:]


def m_quote(text, rng):
    q = rng.choice(['"', "'", '"', '""', "`"])
    quotes = [i for i, ch in enumerate(text) if ch in "\"'"]
    if quotes and rng.random() < 0.5:
        i = rng.choice(quotes)
        return text[:i] + text[i + 1:]
    return _insert(text, rng, q)


def m_line_endings(text, rng):
    return text.replace("\r\n", "\n").replace("\n", rng.choice(["\r\n", "\r", "\n\n"]))


def m_repeat(text, rng):
    if not text:
        return text
    i = _pos(rng, text)
    chunk = text[i:i + rng.randint(1, 40)]
    return text[:i] + chunk * rng.randint(2, 300) + text[i:]


def m_swap(text, rng):
    if len(text) < 4:
        return text
    a, b = sorted(rng.sample(range(len(text)), 2))
    c = min(len(text), b + rng.randint(1, 50))
    return text[:a] + text[b:c] + text[a:b] + text[c:]


def m_structure(text, rng):
    return _insert(text, rng, rng.choice(["{", "}", "[", "]", ":", ",", "\n- ", "---\n", "&a ",
                                          "*a", "!!python/object/apply:os.system [id]", "\\u",
                                          "\\", "\t", "#", "<!-- mclint: disable -->", "|\n",
                                          "<!-- mclint: disable-next-line=MC1 -->\n"]))


TEXT_MUTATIONS = [m_truncate, m_dup_line, m_del_line, m_operator, m_digits, m_unicode, m_huge,
                  m_quote, m_line_endings, m_repeat, m_swap, m_structure]


def encode(text: str, rng: random.Random) -> bytes:
    """Bytes of the text: UTF-8 mostly, sometimes with a BOM, UTF-16 or broken bytes."""
    roll = rng.random()
    if roll < 0.04:
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if roll < 0.06:
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]), "surrogatepass")
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    if data and rng.random() < 0.08:          # byte flips
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    if data and rng.random() < 0.02:          # a cut in the middle of a character
        data = data[:rng.randrange(len(data))]
    return bytes(data)


def make_input(corpus: dict, seed: int, index: int) -> tuple[str, bytes, list[str]]:
    """Input number `index`: (file name, bytes, the mutations applied)."""
    rng = random.Random(f"{seed}-{index}")
    kind = KINDS[index % len(KINDS)]
    text = generate(corpus, rng, kind)
    done = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        mutation = rng.choice(TEXT_MUTATIONS)
        text = mutation(text, rng)
        done.append(mutation.__name__[2:])
    text = text[:400_000]                     # keep one input's work bounded
    return f"fuzz-{index:06d}.{kind}", encode(text, rng), done


# ------------------------------------------------------------------- in-process workers

class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def lint_one(name: str, data: bytes, settings_list) -> str:
    """Lint one input as the CLI does; return 'ok' or 'input-error' (raise on a crash)."""
    from linter.pipeline import lint_text
    from linter.post import fix as fix_mod
    from linter.readers import InputError, decode

    try:
        text = decode(data, name)
    except InputError:
        return "input-error"
    status = "ok"
    for settings in settings_list:
        try:
            findings, _ = lint_text(text, name, settings)
        except InputError:
            status = "input-error"
            continue
        fixes = [f for f in findings if f.fix is not None and not f.verified]
        if fixes:
            outcome = fix_mod.plan(fix_mod.Snapshot(name, data, text), fixes)
            if outcome.changed:
                fix_mod.unified_diff(outcome)
                fix_mod.encode(outcome.new, data)
        for f in findings:               # every finding points into the file
            if not (f.line >= 1 and f.column >= 1 and 0 <= f.offset <= len(text)):
                raise AssertionError(f"finding outside the file: {f.line}:{f.column} "
                                     f"offset {f.offset} of {len(text)}")
    return status


def worker(corpus_path: str, seed: int, timeout: float, tasks, results, busy) -> None:
    """Take batches of input numbers; report (index, status, seconds, detail) per input."""
    from linter.pipeline import default_settings

    corpus = load_corpus(Path(corpus_path))
    settings_list = [default_settings(), default_settings(show_verified=True)]
    lint_one("warm-up.txt", b"6 * 340B * 9T = 1.8E25", settings_list)   # build the pipeline
    signal.signal(signal.SIGALRM, _alarm)
    while True:
        batch = tasks.get()
        if batch is None:
            return
        out = []
        for index in batch:
            busy.value = index
            name, data, mutations = make_input(corpus, seed, index)
            start = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            detail = ""
            try:
                status = lint_one(name, data, settings_list[index % 2:index % 2 + 1])
            except Timeout:
                status = "hang"
            except Exception:  # noqa: BLE001 - a crash is what we are looking for
                status, detail = "crash", traceback.format_exc()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            out.append((index, status, time.perf_counter() - start, detail, mutations))
        busy.value = -1
        results.put(out)


def fuzz_in_process(args, corpus_path: Path, out_dir: Path) -> dict:
    ctx = mp.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    batch = 50
    pending = [list(range(i, min(i + batch, args.inputs))) for i in range(0, args.inputs, batch)]
    for b in pending:
        tasks.put(b)

    def start_worker():
        busy = ctx.Value("q", -1)
        p = ctx.Process(target=worker, args=(str(corpus_path), args.seed, args.timeout, tasks,
                                             results, busy), daemon=True)
        p.start()
        return {"proc": p, "busy": busy, "since": time.monotonic(), "last": -1}

    workers = [start_worker() for _ in range(args.workers)]
    counts = {"ok": 0, "input-error": 0, "crash": 0, "hang": 0}
    by_kind = {k: {"ok": 0, "input-error": 0, "crash": 0, "hang": 0} for k in KINDS}
    crashes, hangs = [], []
    slowest = (0.0, -1)
    lint_seconds = 0.0
    done = 0
    start = time.monotonic()
    corpus = load_corpus(corpus_path)
    last_report = start
    while done < args.inputs:
        try:
            out = results.get(timeout=1.0)
        except queue.Empty:
            out = []
        for index, status, seconds, detail, mutations in out:
            done += 1
            counts[status] += 1
            by_kind[KINDS[index % len(KINDS)]][status] += 1
            lint_seconds += seconds
            if seconds > slowest[0]:
                slowest = (seconds, index)
            if status in ("crash", "hang"):
                save(out_dir, status, corpus, args.seed, index, detail, mutations)
                (crashes if status == "crash" else hangs).append(index)
        # A worker stuck in one input past 6 x timeout: a hang the alarm could not stop.
        for w in workers:
            index = w["busy"].value
            if index != w["last"]:
                w["last"], w["since"] = index, time.monotonic()
            elif index >= 0 and time.monotonic() - w["since"] > 6 * args.timeout:
                w["proc"].kill()
                w["proc"].join()
                save(out_dir, "hang", corpus, args.seed, index, "killed: no answer", [])
                hangs.append(index)
                counts["hang"] += 1
                by_kind[KINDS[index % len(KINDS)]]["hang"] += 1
                done += 1
                # The rest of its batch is lost: put it back.
                lost = [i for i in range(index + 1, (index // batch + 1) * batch)
                        if i < args.inputs]
                if lost:
                    tasks.put(lost)
                w.update(start_worker())
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            rate = done / (last_report - start)
            print(f"  {done:,} inputs, {counts['crash']} crashes, {counts['hang']} hangs, "
                  f"{rate:.0f}/s", file=sys.stderr, flush=True)
    for _ in workers:
        tasks.put(None)
    for w in workers:
        w["proc"].join(timeout=10)
        if w["proc"].is_alive():
            w["proc"].kill()
    wall = time.monotonic() - start
    name, data, mutations = make_input(corpus, args.seed, slowest[1])
    (out_dir / f"slowest{Path(name).suffix}").write_bytes(data)
    return {
        "inputs": done, "counts": counts, "by_kind": by_kind, "crashes": crashes[:50],
        "hangs": hangs[:50], "wall_seconds": round(wall, 1),
        "seconds_per_input": round(wall / max(done, 1), 5),
        "lint_seconds_per_input": round(lint_seconds / max(done, 1), 5),
        "slowest": {"index": slowest[1], "seconds": round(slowest[0], 3), "name": name,
                    "bytes": len(data), "mutations": mutations},
    }


def save(out_dir: Path, status: str, corpus: dict, seed: int, index: int, detail: str,
         mutations: list[str]) -> None:
    name, data, _ = make_input(corpus, seed, index)
    path = out_dir / f"{status}-{index:06d}{Path(name).suffix}"
    path.write_bytes(data)
    path.with_suffix(path.suffix + ".txt").write_text(
        f"input {index} (seed {seed}), mutations: {', '.join(mutations) or 'none'}\n{detail}")


# ------------------------------------------------------------------------- CLI launches

FORMATS = ["text", "json", "sarif", "github"]
CODES = ["MC101", "MC1", "MC3", "calculation-mismatch", "MC2", "MC999", "nope", "all", ""]


def cli_args(rng: random.Random, files: list[str], tmp: Path) -> tuple[list[str], bytes | None]:
    args: list[str] = []
    stdin = None
    if rng.random() < 0.03:
        return rng.choice([["rules"], ["explain", "MC101"], ["explain", "MC999"], ["--version"],
                           ["--help"], ["explain"]]), None
    if rng.random() < 0.8:
        args.append("--isolated")
    if rng.random() < 0.5:
        args += ["--format", rng.choice(FORMATS)]
    for flag in ("--show-verified", "--statistics", "--quiet", "--exit-zero", "--diff",
                 "--report-unused-suppressions"):
        if rng.random() < 0.2:
            args.append(flag)
    if rng.random() < 0.2:
        args += ["--select", rng.choice(CODES)]
    if rng.random() < 0.15:
        args += ["--ignore", ",".join(rng.sample(CODES, 2))]
    if rng.random() < 0.1:
        args += ["--color", rng.choice(["always", "never", "auto"])]
    if rng.random() < 0.05:
        args += ["--jobs", rng.choice(["0", "2", "-1", "x"])]
    if rng.random() < 0.05:
        args += ["--baseline", rng.choice([str(tmp / "missing.json"), files[0]])]
    if rng.random() < 0.03:
        args += ["--bogus-option"]
    if rng.random() < 0.03 and "--isolated" not in args:
        config = tmp / rng.choice(["bad.mclint.yaml", "ok.mclint.yaml"])
        args += ["--config", str(config)]
    if rng.random() < 0.1:
        name = files.pop()
        stdin = Path(name).read_bytes()
        args += ["--stdin-filename", Path(name).name, "-"]
    return args + files, stdin


def fuzz_cli(args, corpus_path: Path, out_dir: Path) -> dict:
    corpus = load_corpus(corpus_path)
    tmp = Path(tempfile.mkdtemp(prefix="mclint-fuzz-"))
    (tmp / "bad.mclint.yaml").write_text("select: [MC1\ntolerence: 1\n")
    (tmp / "ok.mclint.yaml").write_text("select: [MC1, MC3]\nignore: [MC103]\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("MCLINT_DEBUG", None)
    problems: list[dict] = []
    codes: dict[int, int] = {}
    slowest = (0.0, None)

    def launch(i: int):
        rng = random.Random(f"cli-{args.seed}-{i}")
        folder = tmp / f"run{i}"
        folder.mkdir()
        files = []
        for k in range(rng.randint(1, 3)):
            name, data, _ = make_input(corpus, args.seed, args.inputs + i * 3 + k)
            (folder / name).write_bytes(data)
            files.append(str(folder / name))
        argv, stdin = cli_args(rng, files, tmp)
        start = time.monotonic()
        try:
            proc = subprocess.run([sys.executable, "-m", "linter", *argv], input=stdin,
                                  capture_output=True, env=env, cwd=folder, timeout=120)
        except subprocess.TimeoutExpired:
            return i, argv, None, "", "", 120.0
        seconds = time.monotonic() - start
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        shutil.rmtree(folder, ignore_errors=True)
        return i, argv, proc.returncode, out, err, seconds

    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        for i, argv, code, out, err, seconds in pool.map(launch, range(args.cli)):
            codes[code] = codes.get(code, 0) + 1
            if seconds > slowest[0]:
                slowest = (seconds, argv)
            why = None
            if code is None:
                why = "hang (120 s)"
            elif code not in (0, 1, 2):
                why = f"exit code {code}"
            elif "Traceback" in out + err:
                why = "traceback"
            elif "internal error" in out + err:
                why = "internal error"
            elif code == 2 and not (err.strip() or "(input error)" in out):
                why = "exit 2 without a message"
            if why:
                problems.append({"launch": i, "why": why, "argv": argv, "stderr": err[-2000:]})
    shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        (out_dir / "cli-problems.json").write_text(json.dumps(problems, indent=2))
    return {"launches": args.cli, "exit_codes": {str(k): v for k, v in sorted(
        codes.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))},
        "problems": len(problems), "slowest_seconds": round(slowest[0], 2),
        "slowest_argv": slowest[1]}


# ---------------------------------------------------------------------------------- main

def replay(path: Path) -> int:
    from linter.pipeline import default_settings

    data = path.read_bytes()
    try:
        print(lint_one(path.name.split("-", 1)[-1], data,
                       [default_settings(), default_settings(show_verified=True)]))
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return 1
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--inputs", type=int, default=100_000)
    p.add_argument("--cli", type=int, default=500)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CSV)
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    p.add_argument("--replay", type=Path)
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args()
    if args.replay:
        return replay(args.replay)
    args.out.mkdir(parents=True, exist_ok=True)
    figures = {"seed": args.seed, "timeout": args.timeout, "workers": args.workers}
    if args.inputs:
        print(f"fuzz: {args.inputs:,} inputs in-process ({args.workers} workers)...",
              file=sys.stderr, flush=True)
        figures["in_process"] = fuzz_in_process(args, args.corpus, args.out)
    if args.cli:
        print(f"fuzz: {args.cli} CLI launches...", file=sys.stderr, flush=True)
        figures["cli"] = fuzz_cli(args, args.corpus, args.out)
    (args.out / "fuzz-report.json").write_text(json.dumps(figures, indent=2) + "\n")
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    if "in_process" in figures:
        f = figures["in_process"]
        c = f["counts"]
        print(f"inputs            {f['inputs']:,}  (ok {c['ok']:,}, input errors "
              f"{c['input-error']:,})")
        print(f"crashes           {c['crash']}")
        print(f"hangs             {c['hang']}  (timeout {args.timeout} s)")
        s = f["slowest"]
        print(f"slowest input     #{s['index']} {s['name']} ({s['bytes']:,} bytes, mutations: "
              f"{', '.join(s['mutations']) or 'none'}): {s['seconds']} s")
        print(f"time per input    {f['lint_seconds_per_input'] * 1000:.2f} ms linting, "
              f"{f['seconds_per_input'] * 1000:.2f} ms wall ({args.workers} workers, "
              f"{f['wall_seconds']} s in all)")
        for kind, k in f["by_kind"].items():
            print(f"  .{kind:<6} ok {k['ok']:>6,}  input errors {k['input-error']:>6,}  "
                  f"crashes {k['crash']}  hangs {k['hang']}")
    if "cli" in figures:
        f = figures["cli"]
        print(f"CLI launches      {f['launches']}  exit codes {f['exit_codes']}  "
              f"problems {f['problems']}  slowest {f['slowest_seconds']} s")
    print(f"report            {args.out / 'fuzz-report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
