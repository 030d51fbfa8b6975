"""Bad input, hostile numbers and adversarial strings: a clear error or a finding, never a
traceback or a hang, and the other files of the run are still linted (issue 7).

Bad input goes through the real command (`python -m linter`) next to a good file whose
finding must still be printed.  Hostile numbers and regular expressions run in a forked
child under a time limit: signal.alarm cannot stop a regular expression or spaCy's
tokenizer, which run in C, but a parent can kill a child.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import io
import multiprocessing
import os
import pkgutil
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

import linter
from linter.cli.main import main

GOOD_TEXT = "6 * 340B * 9T = 1.8E24\n"
GOOD_FINDING = "good.txt:1:17: MC101 6 * 340B * 9T = 1.8E24: recomputed 1.836e25"
CORPUS = ROOT.parent / "shared" / "corpus" / "epoch_models_dev.csv"


# --------------------------------------------------------------------------- helpers

def lint_with_good(tmp_path: Path, name: str | dict[str, bytes | None], data: bytes = b"", *,
                   timeout: float = 120):
    """Run the CLI on bad files and a good one; the good one's finding must be there.

    `name` is one file name (its content `data`) or {name: content} for several files
    (content None: the path is linted as it is, or is missing).
    """
    files = name if isinstance(name, dict) else {name: data}
    for file, content in files.items():
        if content is not None:
            (tmp_path / file).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD_TEXT)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("MCLINT_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "linter", "--isolated", *files, "good.txt"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr
    assert GOOD_FINDING in proc.stdout, proc.stdout + proc.stderr
    return proc


def assert_input_error(proc, message: str) -> None:
    """An input error is one line on stderr, in every format."""
    assert f"mclint: error: {message}" in proc.stderr.splitlines(), proc.stderr


def _child(conn, fn, args):
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a value
        conn.send(("raised", f"{type(exc).__name__}: {exc}"[:500]))
    finally:
        conn.close()


def bounded(fn, *args, seconds: float):
    """Run fn(*args) in a forked child; its result, or AssertionError if it takes too long."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    start = time.monotonic()
    proc.start()
    child.close()
    ready = parent.poll(seconds)
    if not ready:
        proc.kill()
        proc.join()
        raise AssertionError(f"hang: no result after {seconds} s")
    status, value = parent.recv()
    proc.join()
    assert status == "ok", value
    return value, time.monotonic() - start


def run_main(*args: str) -> tuple[int, str, str]:
    """The CLI in this process (a forked child): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module", autouse=True)
def _warm_pipeline():
    """Build the spaCy pipeline once, before forking, so children start warm."""
    from linter.extract import extract

    extract("6 * 7B = 4.2e10")


# --------------------------------------------------------------- 1. bad input, via the CLI

def test_binary_file(tmp_path):
    proc = lint_with_good(tmp_path, "bin.txt", b"6 * 7B\x00\x01\x02\xff")
    assert proc.returncode == 2
    assert_input_error(proc, "bin.txt: binary file (NUL byte at byte 6), not text (UTF-16 and "
                             "UTF-32 files need a BOM)")


def test_invalid_utf8_gives_byte_offset_line_and_column(tmp_path):
    # Columns count characters: "café " is 5 characters (6 bytes) before the bad byte.
    proc = lint_with_good(tmp_path, "bad.txt", "ok line\ncafé ".encode() + b"\xe9 x\n")
    assert proc.returncode == 2
    assert_input_error(proc, "bad.txt:2:6: invalid UTF-8 at byte 14")


def test_invalid_utf8_after_lone_cr_line_endings(tmp_path):
    proc = lint_with_good(tmp_path, "cr-bad.txt", b"a\rb\rcaf\xe9")
    assert proc.returncode == 2
    assert_input_error(proc, "cr-bad.txt:3:4: invalid UTF-8 at byte 7")


def test_utf8_with_bom(tmp_path):
    # The BOM is not a column (editors do not show it); the number right after it is
    # still found.
    proc = lint_with_good(tmp_path, "bom.txt", codecs.BOM_UTF8 + GOOD_TEXT.encode())
    assert proc.returncode == 1
    assert "bom.txt:1:17: MC101 6 * 340B * 9T = 1.8E24" in proc.stdout


def test_utf8_bom_model_card_without_front_matter(tmp_path):
    proc = lint_with_good(tmp_path, "card.md", codecs.BOM_UTF8 + GOOD_TEXT.encode())
    assert "card.md:1:17: MC101 6 * 340B * 9T = 1.8E24" in proc.stdout


def test_utf16_and_utf32_with_bom(tmp_path):
    boms = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    files = {f"{codec}.txt": boms.get(codec, b"") + ("Some text\n" + GOOD_TEXT).encode(codec)
             for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32")}
    proc = lint_with_good(tmp_path, files)
    assert proc.returncode == 1
    for name in files:
        assert f"{name}:2:17: MC101 6 * 340B * 9T = 1.8E24" in proc.stdout


def test_crlf_line_endings(tmp_path):
    proc = lint_with_good(tmp_path, "crlf.txt", b"one\r\ntwo\r\n  " + GOOD_TEXT.encode()
                          .replace(b"\n", b"\r\n"))
    assert "crlf.txt:3:19: MC101" in proc.stdout


def test_lone_cr_line_endings(tmp_path):
    proc = lint_with_good(tmp_path, "cr.txt", b"one\rtwo\r  " + GOOD_TEXT.encode()
                          .replace(b"\n", b"\r"))
    assert "cr.txt:3:19: MC101" in proc.stdout


def test_crlf_csv_cell_spanning_lines(tmp_path):
    data = ('Model,Training compute notes\r\nA,"first line\r\nsecond: ' + GOOD_TEXT.strip()
            + '"\r\n').encode()
    proc = lint_with_good(tmp_path, "crlf.csv", data)
    assert "crlf.csv:3:25: MC101 6 * 340B * 9T = 1.8E24" in proc.stdout


def test_empty_file(tmp_path):
    files = {"empty.txt": b"", "blank.txt": b"\n\n", "bom.txt": codecs.BOM_UTF8,
             "spaces.txt": b"   \t  "}
    proc = lint_with_good(tmp_path, files)
    assert proc.returncode == 1 and proc.stdout.endswith(
        "Found 1 problem (1 error, 0 warnings) in 5 files.\n")


def test_empty_structured_files(tmp_path):
    files = {f"empty.{kind}": b"" for kind in ("csv", "json", "yaml", "md", "jsonl")}
    proc = lint_with_good(tmp_path, files)
    # A JSON document needs a value; the others are files with no entries.
    assert proc.returncode == 2 and proc.stderr.count("mclint: error: ") == 1
    assert_input_error(proc, "empty.json:1:1: unexpected end of input: expected a value")


@pytest.mark.slow
def test_50_mb_database(tmp_path):
    """50 MB of CSV: the dev corpus (or, in a clone without it, the Epoch sample in
    fixtures/), then rows whose long notes hold no numbers."""
    source = CORPUS if CORPUS.exists() else ROOT / "fixtures" / "entries" / "epoch_sample.csv"
    corpus = source.read_bytes()
    head, _, body = corpus.partition(b"\n")
    columns = head.decode().split(",")
    words = (b"the model was trained on a large corpus of web text and code with a standard "
             b"transformer recipe; see the paper for the \"\"details\"\" of the setup\n") * 12
    notes = columns.index("Training compute notes")
    rows, size, i = [head + b"\n" + body], len(corpus), 0
    while size < 50 * 2**20:
        cells = [b""] * len(columns)
        cells[0], cells[notes] = b"Filler model %d" % i, b'"' + words + b'"'
        rows.append(b",".join(cells) + b"\n")
        size += len(rows[-1])
        i += 1
    data = b"".join(rows)
    slip = [b""] * len(columns)
    slip[0], slip[notes] = b"Slip", GOOD_TEXT.strip().encode()
    column = len(b",".join(slip[:notes])) + 2 + 16
    start = time.monotonic()
    proc = lint_with_good(tmp_path, "big.csv", data + b",".join(slip) + b"\n", timeout=300)
    elapsed = time.monotonic() - start
    assert proc.returncode == 1 and elapsed < 240
    line = data.count(b"\n") + 1
    assert (f"big.csv:{line}:{column}: MC101 6 * 340B * 9T = 1.8E24: recomputed 1.836e25"
            in proc.stdout), proc.stdout[-2000:]
    # the source's entries (1,587 in the corpus), the filler rows, the slip, and good.txt.
    from linter.readers import read

    base = len(read(str(source), corpus.decode("utf-8")))
    summary = proc.stdout.splitlines()[-1]
    assert re.search(rf"in 2 files, {base + i + 2} entries\.( \[\*\] \d+ fixable with --fix\.)?$",
                     summary), summary


def test_single_5_mb_line(tmp_path):
    """5 MB of note text on one line (no line break): cut into pieces, all of it linted."""
    sentence = ("The model has 70B parameters and was trained on 2T tokens with a standard "
                "recipe for several weeks on a large cluster of accelerators. ")
    line = sentence * (5_000_000 // len(sentence))
    proc = lint_with_good(tmp_path, "line.txt", (line + GOOD_TEXT.strip()).encode(), timeout=300)
    assert proc.returncode == 1
    assert f"line.txt:1:{len(line) + 17}: MC101 6 * 340B * 9T = 1.8E24" in proc.stdout


def test_csv_ragged_rows(tmp_path):
    data = b"Model,Parameters,Parameters notes\nA,1,7B\nB,1,7B,extra\n"
    proc = lint_with_good(tmp_path, "ragged.csv", data)
    assert proc.returncode == 2
    assert_input_error(proc, "ragged.csv:3:1: row has 4 cells but the header has 3 (first extra "
                             "cell at 3:8)")


def test_csv_short_rows_are_fine(tmp_path):
    data = b"Model,Parameters,Training compute notes\nA\nB,1\nC,,\"" + GOOD_TEXT.strip().encode() \
        + b"\"\n"
    proc = lint_with_good(tmp_path, "short.csv", data)
    assert proc.returncode == 1 and "short.csv:4:21: MC101" in proc.stdout


def test_csv_quote_never_closed(tmp_path):
    data = b'Model,Parameters notes\nA,"7B\nB,8B\n'
    proc = lint_with_good(tmp_path, "open.csv", data)
    assert proc.returncode == 2
    assert_input_error(proc, "open.csv:2:3: unbalanced quote: the quoted cell that starts here is "
                             "never closed")


def test_csv_quote_closed_too_early(tmp_path):
    data = b'Model,Parameters notes\nA,"the "7B" model"\n'
    proc = lint_with_good(tmp_path, "early.csv", data)
    assert proc.returncode == 2
    assert_input_error(proc, "early.csv:2:3: unbalanced quote: the quoted cell that starts here "
                             "closes at 2:8 and goes on with '7' (a quote inside a quoted cell "
                             "must be doubled)")


def test_csv_missing_id_column(tmp_path):
    proc = lint_with_good(tmp_path, "noid.csv", b"Name,Parameters notes\nA,7B\n")
    assert proc.returncode == 2
    assert_input_error(proc, "noid.csv:1:1: missing id column 'Model' of Epoch's layout; for "
                             "another layout set a column mapping in the config (columns: {id: "
                             "..., notes: [...], fields: {column: role}})")


def test_csv_duplicate_column_names(tmp_path):
    proc = lint_with_good(tmp_path, "dup.csv",
                          b"Model,Parameters,Parameters notes,Parameters\nA,1,7B,2\n")
    assert proc.returncode == 2
    assert_input_error(proc, "dup.csv:1:35: duplicate column name 'Parameters'")


def test_yaml_billion_laughs(tmp_path):
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(9))
    start = time.monotonic()
    proc = lint_with_good(tmp_path, "lol.yaml", bomb.encode())
    assert time.monotonic() - start < 60
    assert proc.returncode == 2
    assert_input_error(proc, "lol.yaml:2:8: YAML aliases are not allowed")


DEEP = b"[" * 10_000 + b"]" * 10_000


def test_json_nested_10000_deep(tmp_path):
    proc = lint_with_good(tmp_path, "deep.json", DEEP)
    assert proc.returncode == 2
    assert_input_error(proc, "deep.json:1:201: nesting deeper than 200 levels")


def test_jsonl_yaml_and_front_matter_nested_10000_deep(tmp_path):
    files = {"deep.jsonl": b'{"a": ' + DEEP + b"}\n", "deep.yaml": b"a: " + DEEP,
             "deep.md": b"---\na: " + DEEP + b"\n---\nBody\n"}
    proc = lint_with_good(tmp_path, files)
    assert proc.returncode == 2
    assert_input_error(proc, "deep.jsonl:1:206: nesting deeper than 200 levels")
    assert_input_error(proc, "deep.yaml:1:103: nesting deeper than 100 levels")
    assert_input_error(proc, "deep.md:2:103: nesting deeper than 100 levels")


def test_model_card_front_matter_never_closed(tmp_path):
    proc = lint_with_good(tmp_path, "open.md", b"---\nmodel_name: x\n\n# Card\n6 * 7B\n")
    assert proc.returncode == 2
    assert_input_error(proc, "open.md:1:1: front matter opened here is not closed by a '---' line")


def test_model_card_broken_front_matter_yaml(tmp_path):
    proc = lint_with_good(tmp_path, "broken.md", b"---\nmodel_name: [x\nparams: 7B\n---\nBody\n")
    assert proc.returncode == 2
    assert re.search(r"mclint: error: broken\.md:3:\d+: invalid YAML: ", proc.stderr)


def test_model_card_front_matter_python_tag(tmp_path):
    proc = lint_with_good(tmp_path, "tag.md",
                          b"---\nmodel_name: !!python/object/apply:os.system [id]\n---\nBody\n")
    assert proc.returncode == 2
    assert_input_error(proc, "tag.md:2:13: YAML tag !!python/object/apply:os.system is not "
                             "allowed (mclint never builds Python objects from its input)")


def test_huge_integers_in_structured_files(tmp_path):
    big = "9" * 5000
    (tmp_path / "big.json").write_text(f'{{"name": "X", "Parameters": {big}, '
                                       f'"Training compute (FLOP)": 1e999}}\n')
    (tmp_path / "big.yaml").write_text(f"name: X\nParameters: {big}\n")
    data = f"Model,Parameters,Parameters notes\nX,{big},{big[:400]} parameters\n".encode()
    proc = lint_with_good(tmp_path, {"big.csv": data, "big.json": None, "big.yaml": None})
    assert proc.returncode == 1 and "mclint: error: " not in proc.stderr


def test_an_empty_folder_and_a_missing_file(tmp_path):
    (tmp_path / "folder.txt").mkdir()      # a folder is searched: here it holds nothing
    proc = lint_with_good(tmp_path, {"folder.txt": None, "missing.txt": None})
    assert proc.returncode == 2
    assert "folder.txt" not in proc.stdout + proc.stderr
    assert_input_error(proc, "missing.txt: no such file")


# ------------------------------------------------------------- 2. hostile numbers, in-process

HOSTILE_NUMBERS = {
    "1e999": "Training took 6 * 1e999 FLOP = 1e999 FLOP.",
    "1e-999": "1e-999 * 5 = 3 and 1e-999 FLOP",
    "nan": "NaN * 3 = NaN, nan = 5 and NaN% MFU",
    "inf": "inf * 2 = inf, Infinity FLOP = 1e309 FLOP",
    "zero-divisor": "5 / 0 = 3",
    "zero-over-zero": "0 / 0 = 0 and (6 * 7B) / 0 = 1e22 and 7B / (3 - 3) = 1",
    "power-tower": "10^10^10^10 = 5 and 10^10^10^10 FLOP",
    "power-overflow": "2^1024 = 5, 10^308 * 10^308 = 5, 1e308 * 1e308 = 1e300",
    "huge-exponent": "1.5 x 10^99999 FLOP and 10⁹⁹⁹⁹⁹ FLOP = 5 and 2^" + "9" * 400 + " = 5",
    "400-digit-integer": "9" * 400 + " * 2 = 3 and " + "1" * 400 + " parameters",
    "400-digit-grouped": ",".join(["999"] * 134) + " tokens = 5",
    "10000-factors": " * ".join(["2"] * 10_000) + " = 3",
    "10000-factors-with-suffixes": " * ".join(["7B"] * 10_000) + " = 3",
    "5000-equals": " = ".join(["6"] * 5_001),
    "deep-parentheses": "(" * 5_000 + "6 * 7B" + ")" * 5_000 + " = 4.2e10",
    "negative-zero": "-0 * 5 = 0 and -0.0 / -0 = 1",
}


def _lint_file(path: str) -> tuple[int, str, str]:
    return run_main("--isolated", "--show-verified", path)


@pytest.mark.parametrize("name", sorted(HOSTILE_NUMBERS))
def test_hostile_numbers_never_crash_or_hang(tmp_path, name):
    path = tmp_path / "note.txt"
    path.write_text(HOSTILE_NUMBERS[name])
    (code, out, err), _ = bounded(_lint_file, str(path), seconds=30)
    assert code in (0, 1), out + err
    assert "Traceback" not in out + err and "internal error" not in out + err
    for line in out.splitlines()[:-1]:        # every finding points into the file
        assert line.startswith(f"{path}:1:")


def test_hostile_numbers_in_database_fields(tmp_path):
    big = "9" * 400
    path = tmp_path / "models.csv"
    path.write_text(
        "Model,Parameters,Training compute (FLOP),Training dataset size (datapoints),"
        "Hardware quantity,Training compute notes\n"
        f"A,{big},1e999,nan,inf,\"6 * {big} * 9T = 1e999\"\n"
        "B,0,0,0,0,\"6 * 0 * 9T = 0 and 5 / 0 = 3\"\n"
        "C,-1e308,1e-999,-0,1.7e308B,\"1e308 * 1e308 = 1e300\"\n")
    (code, out, err), _ = bounded(_lint_file, str(path), seconds=30)
    assert code in (0, 1) and "internal error" not in out + err, out + err


# ------------------------------------------- 2b. regular expressions against backtracking

ADVERSARIAL = {
    "digits": "1" * 100_000 + "x",
    "groups": ",".join(["123"] * 50_000),
    "e": "e" * 100_000,
    "parentheses": "(" * 50_000,
    "brackets": "[" * 50_000 + " " * 50_000,
    "spaces": " " * 100_000 + "x",
    "tabs-spaces": " \t" * 50_000 + "x",
    "line-breaks": "\r\n" * 50_000 + "x",
    "quotes": '"' * 50_001 + "x",
    "digit-commas": "1," * 50_000 + "x",
    "digit-e": "1e" * 50_000,
    "digit-dots": "1." * 50_000 + "x",
    "dashes": "-" * 100_000,
    "stars": "*" * 100_000,
    "equals": "=" * 100_000,
    "directive": "<!-- mclint: disable=" + "A-" * 50_000 + "!",
    "hashes": "# mclint:" * 10_000,
    "superscripts": "10" + "⁰" * 100_000,
    "times-ten": "1 x 10^" * 15_000,
    "label": "6 N " * 25_000 + "x",
    "words": "a " * 50_000 + "=",
    "key": "a" + " " * 100_000 + "b",
    "delimiters": "--- " * 25_000 + "x",
}


def _module_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern held by a module of linter/ (in a dict or tuple too)."""
    found: dict[str, re.Pattern] = {}
    for info in pkgutil.walk_packages(linter.__path__, "linter."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            items = value.items() if isinstance(value, dict) else \
                enumerate(value) if isinstance(value, tuple) else [(None, value)]
            for key, item in items:
                if isinstance(item, re.Pattern):
                    found[f"{info.name}.{name}" + ("" if key is None else f"[{key!r}]")] = item
    return found


_RE_CALLS = {"compile", "match", "search", "sub", "subn", "findall", "finditer", "fullmatch",
             "split"}


def _inline_patterns() -> dict[str, re.Pattern]:
    """Patterns written as literals in re.*() calls anywhere in linter/ (inside functions too)."""
    import ast

    found: dict[str, re.Pattern] = {}
    package = Path(linter.__file__).parent     # installed anywhere: site-packages or a clone
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_CALLS and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                where = f"{path.relative_to(package).as_posix()}:{node.lineno}"
                name = f"linter/{where} re.{node.func.attr}"
                found[name] = re.compile(node.args[0].value)
    return found


def _yaml_regexes() -> dict[str, re.Pattern]:
    from linter.extract.patterns import load_patterns

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "REGEX":
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return {f"patterns.yaml REGEX {r}": re.compile(r) for r in sorted(set(walk(load_patterns())))}


def _tokenizer_regexes() -> dict[str, object]:
    from linter.extract import pipeline

    tok = pipeline().tokenizer
    return {"tokenizer prefix_search": tok.prefix_search,
            "tokenizer suffix_search": tok.suffix_search,
            "tokenizer infix_finditer": tok.infix_finditer,
            "tokenizer url_match": tok.url_match}


def _all_patterns() -> dict[str, object]:
    found: dict[str, object] = dict(_module_patterns())
    known = {(p.pattern, p.flags) for p in found.values()}
    found.update({k: p for k, p in _inline_patterns().items() if (p.pattern, p.flags) not in known})
    found.update(_yaml_regexes())
    found.update(_tokenizer_regexes())
    return found


PATTERNS = _all_patterns()
BACKTRACKING: dict[str, str] = {}    # known quadratic patterns (none left)


def _exercise(pattern) -> float:
    worst = 0.0
    for text in ADVERSARIAL.values():
        start = time.monotonic()
        if isinstance(pattern, re.Pattern):
            pattern.search(text)
            pattern.match(text)
            for _ in pattern.finditer(text):
                pass
        else:                           # a bound method: search, match or finditer
            result = pattern(text)
            if result is not None and not isinstance(result, re.Match):
                for _ in result:
                    pass
        worst = max(worst, time.monotonic() - start)
    return worst


def test_every_regex_is_found():
    assert len(PATTERNS) >= 40
    assert "linter.readers.csv_reader._QUOTED" in PATTERNS
    assert "linter.post.suppress.DIRECTIVE" in PATTERNS
    assert any(k.startswith("patterns.yaml REGEX") for k in PATTERNS)


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=[pytest.mark.xfail(reason=BACKTRACKING[n], strict=False)])
    if n in BACKTRACKING else n for n in sorted(PATTERNS)])
def test_regex_has_no_catastrophic_backtracking(name):
    worst, _ = bounded(_exercise, PATTERNS[name], seconds=4)
    assert worst < 1.0, f"{name}: {worst:.2f} s on one adversarial string"


# ------------------------------------------------ hostile texts for linter/extract

def _extract_values(text: str) -> list[tuple[str, float]]:
    from linter.extract import extract

    return [(c.text, c.value) for c in extract(text).claims]


def test_ten_to_the_ten_is_ten_billion():
    (values, _) = bounded(_extract_values, "10^10 FLOP and 10^10 = 1e10", seconds=30)
    assert values[0] == ("10^10 FLOP", 1e10)
    assert values[1][1] == 1e10


def test_extractor_accepts_texts_longer_than_a_million_characters():
    (values, _) = bounded(_extract_values, "a " * 600_000 + "6 * 7B = 4.2e10", seconds=60)
    assert ("4.2e10", 4.2e10) in values


def test_many_equals_signs_in_one_paragraph_are_linear():
    text = " = ".join(["6 * 7B"] * 5_001)
    _, seconds = bounded(_extract_values, text, seconds=4)
    assert seconds < 4


@pytest.mark.parametrize("text", ["(" * 20_000 + "6" + ")" * 20_000, "=" * 20_000,
                                  "(" * 50_000, "*" * 100_000, "%~" * 25_000])
def test_long_runs_of_operators_tokenize_in_linear_time(text):
    _, seconds = bounded(_extract_values, text, seconds=4)
    assert seconds < 4


def _lint_values(text: str) -> int:
    from linter.pipeline import default_settings, lint_text

    return len(lint_text(text, "adversarial.txt", default_settings(show_verified=True))[0])


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_strings_through_the_whole_pipeline(name):
    """The strings every regular expression is tried on, linted end to end."""
    _, seconds = bounded(_lint_values, ADVERSARIAL[name], seconds=10)
    assert seconds < 10


# ------------------------------------------- hostile configuration and baseline files

DEEP_TOML = "[tool.mclint]\nselect = " + "[" * 10_000 + "]" * 10_000 + "\n"
HOSTILE_SETTINGS = {
    "deep-toml": ("pyproject.toml", DEEP_TOML, [],
                  "pyproject.toml:1:1: invalid TOML: nested too deeply"),
    "long-int-toml": ("pyproject.toml", "[tool.mclint]\nx = " + "9" * 5000 + "\n", [],
                      "pyproject.toml:1:1: invalid TOML: Exceeds the limit (4300 digits)"),
    "long-int-yaml": (".mclint.yaml", "tolerance:\n  MC101: {gross_factor: " + "9" * 5000 + "}\n",
                      [], ".mclint.yaml:2:25: unsupported YAML value: Exceeds the limit"),
    "bad-date-yaml": (".mclint.yaml", "select: [MC1]\nshow-verified: 2001-13-45\n", [],
                      ".mclint.yaml:2:16: unsupported YAML value: month must be in 1..12"),
    "deep-yaml": (".mclint.yaml", "select: " + "[" * 10_000 + "]" * 10_000 + "\n", [],
                  ".mclint.yaml:1:108: invalid YAML: nesting deeper than 100 levels"),
    "alias-yaml": (".mclint.yaml", "select: &a [MC1]\nignore: *a\n", [],
                   ".mclint.yaml:2:9: YAML aliases are not allowed here"),
    "deep-baseline": ("base.json", "[" * 100_000 + "]" * 100_000, ["--baseline", "base.json"],
                      "base.json: not a mclint baseline (invalid JSON: nested too deeply)"),
    "long-int-baseline": ("base.json", '{"tool": "mclint", "version": ' + "9" * 5000 +
                          ', "findings": []}', ["--baseline", "base.json"],
                          "base.json: not a mclint baseline (invalid JSON: Exceeds the limit"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_SETTINGS))
def test_hostile_configuration_and_baseline_files(tmp_path, case):
    name, content, args, message = HOSTILE_SETTINGS[case]
    (tmp_path / name).write_text(content)
    (tmp_path / "note.txt").write_text(GOOD_TEXT)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("MCLINT_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "linter", *args, "note.txt"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"mclint: error: {message}"), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_someone_elses_broken_pyproject_is_not_ours_to_judge(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nx = " + "[" * 10_000 + "\n")
    proc = lint_with_good(tmp_path, "other.txt", b"nothing to check\n")
    assert proc.returncode == 1


def test_a_side_that_is_zero_is_set_aside_not_a_crash():
    """Found by benchmarks/fuzz.py: a mutated Epoch note, "-0 × 10^7 = 60,000,000 tokens",
    made the restatement check take log10 of an infinite ratio."""
    import linter

    findings = linter.lint("-0 × 10^7 = 60,000,000 tokens, only the first epoch",
                           isolated=True, show_verified=True)["findings"]
    assert [(f["rule"], f["status"], f["column"], f["message"]) for f in findings] == [
        ("MC101", "skipped", 1, "not checked: -0 × 10^7 = 60,000,000 tokens: '-0 × 10^7' and "
         "'60,000,000 tokens' are zero and not zero: not one figure written twice")]


def test_a_range_whose_low_end_would_overflow_is_no_range():
    """Found by benchmarks/fuzz.py (a mutated Epoch note, shrunk): "1.1e300T" then "1571B"
    across a line made the range reader scale 1.1e300 by 10^9 and overflow."""
    import linter

    report = linter.lint('1.1e300T parameters"\nTable of 1571B', isolated=True,
                         show_verified=True, show_claims=True)
    assert report["findings"] == []
    assert [(c["text"], c["value"], c["range_high"]) for c in report["claims"]] == [
        ("1.1e300", 1.1e300, None), ("1571B", 1.571e12, None)]
