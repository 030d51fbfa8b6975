"""The one core loop every entry point calls: read, extract, check, suppress, locate, sort."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from .checks.context import EntryContext
from .model.entries import Entry, Note
from .extract import Extraction, extract_many
from .model.findings import Finding
from .quantities.hardware import Hardware, load_hardware
from .checks import KINDS
from .model.positions import LineIndex
from .cli.progress import Progress
from .cli.progress import wanted as progress_wanted
from .readers import MAX_BYTES, InputError, decode, read
from .ruleset.load import Rule, load_rules

EMPTY = Extraction((), ())


@dataclass(frozen=True)
class Settings:
    """What a run checks and how."""

    rules: tuple[Rule, ...]
    hardware: Hardware
    show_verified: bool = False
    config: object = None          # linter.config.Config
    suppress: object = None        # callable(findings, entry, text) -> findings
    jobs: int = 1                  # processes for large inputs (fork, POSIX only)
    progress: bool = False         # a progress bar on an interactive stderr


def default_settings(**kw) -> Settings:
    return Settings(rules=load_rules(), hardware=load_hardware(), **kw)


@dataclass
class Report:
    """Findings of a run, input errors, and what was read."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: int = 0
    entries: int = 0
    checked: int = 0   # stated calculations and relations looked at


def lint_paths(paths: Iterable[str], settings: Settings) -> Report:
    """Lint files; unreadable ones become errors and the others are still linted."""
    report = Report()
    for path in paths:
        try:
            data = read_bytes(path)
            text = decode(data, path)
            lint_text(text, path, settings, report)
        except InputError as exc:
            report.errors.append(exc)
    report.findings.sort(key=Finding.sort_key)
    return report


def read_bytes(path: str) -> bytes:
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(path, "is a directory")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file larger than {MAX_BYTES // 2**20} MB")
        with open(p, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None


BATCH = 128  # entries extracted together: one spaCy batch, one progress step


def lint_text(text: str, path: str, settings: Settings, report: Report | None = None) -> Report:
    """Lint the decoded text of one file (or of stdin)."""
    report = report if report is not None else Report()
    entries = read(path, text, settings.config)
    report.files += 1
    report.entries += len(entries)
    bar = Progress(len(entries), path) if progress_wanted(settings.progress, len(entries)) else None
    batches = [(k, min(k + BATCH, len(entries))) for k in range(0, len(entries), BATCH)]
    if settings.jobs > 1 and len(batches) > 1 and _can_fork():
        results = _parallel(text, entries, settings, batches)
    else:
        results = (_lint_batch(text, entries[a:b], settings) for a, b in batches)
    for (a, b), findings in zip(batches, results):
        report.findings.extend(findings)
        if bar is not None:
            bar.advance(b - a)
    if bar is not None:
        bar.close()
    report.findings.sort(key=Finding.sort_key)
    return report


def _lint_batch(text: str, entries: list[Entry], settings: Settings,
                index: LineIndex | None = None) -> list[Finding]:
    """Extract, check, suppress and locate a batch of entries of one file."""
    index = index or _line_index(text)
    out: list[Finding] = []
    for entry, notes in zip(entries, _extract(entries, settings)):
        findings = check_entry(entry, notes, settings)
        if settings.suppress is not None:
            findings = settings.suppress(findings, entry, text)
        out.extend(locate(f, entry, index) for f in findings)
    return out


_INDEX: list = [None, None]  # [text, its LineIndex]: the file being linted


def _line_index(text: str) -> LineIndex:
    """One LineIndex per text (batches of one file share it)."""
    if _INDEX[0] is not text:  # the same object, not just an equal id
        _INDEX[:] = [text, LineIndex(text)]
    return _INDEX[1]


# Parallel linting forks worker processes that inherit the loaded pipeline, rules and
# the file's text; only batch numbers go to them and findings come back.
_JOB: tuple = ()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _work(batch: tuple[int, int]) -> list[Finding]:
    text, entries, settings = _JOB
    a, b = batch
    return _lint_batch(text, entries[a:b], settings)


def _parallel(text: str, entries: list[Entry], settings: Settings, batches):
    """Yield each batch's findings, in order, computed by settings.jobs processes."""
    import multiprocessing

    global _JOB
    extract_many([], settings.hardware.aliases)  # build the pipeline before forking
    _JOB = (text, entries, settings)
    try:
        with multiprocessing.get_context("fork").Pool(settings.jobs) as pool:
            yield from pool.imap(_work, batches)
    finally:
        _JOB = ()


def _extract(entries: list[Entry], settings: Settings) -> list[list[Note]]:
    """Run the extractor over every segment with a digit in it, in one spaCy batch."""
    # A text repeated across entries ("Taken from Llama 3.1 70B") is read once: an
    # extraction holds offsets into its own text only.
    texts = list(dict.fromkeys(s.text for e in entries for s in e.segments
                               if any(ch.isdigit() for ch in s.text)))
    results = dict(zip(texts, extract_many(texts, settings.hardware.aliases)))
    return [[Note(s, results.get(s.text, EMPTY)) for s in e.segments] for e in entries]


def check_entry(entry: Entry, notes: list[Note], settings: Settings) -> list[Finding]:
    """Run every selected rule over one entry."""
    ctx = EntryContext(entry, notes, settings.hardware, settings.show_verified)
    out: list[Finding] = []
    for rule in settings.rules:
        for finding in KINDS[rule.kind].check(rule, ctx):
            out.append(replace(finding, path=entry.path, entry=entry.id))
    return out


def locate(f: Finding, entry: Entry, index: LineIndex) -> Finding:
    """Fill in line and column from the finding's offsets in its segment or field."""
    start, end = _file_offsets(f, entry)
    line, col = index.position(start)
    end_line, end_col = index.position(max(start, end))
    return replace(f, line=line, column=col, end_line=end_line, end_column=end_col, offset=start)


def _file_offsets(f: Finding, entry: Entry) -> tuple[int, int]:
    for seg in entry.segments:
        if seg.field == f.field:
            return seg.file_offset(f.start), seg.file_offset(f.end)
    fv = entry.fields.get(f.field or "")
    if fv is not None:
        return fv.start + f.start, fv.start + (f.end or len(fv.raw))
    return 0, 0
