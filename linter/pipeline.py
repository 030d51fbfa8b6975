"""The one pipeline every entry point calls: read, extract, check, locate, suppress, filter, sort.

The command line turns its arguments into `Options` and prints a `Report`; the Python API
(`linter.lint`) builds the same `Options` from keyword arguments and returns the same
report as JSON.  Nothing here prints, writes a file or keeps state between runs.

Stages, for each input file (the configuration that governs it decides the rules):

    read      bytes -> text -> entries (readers/)
    extract   entries' text segments -> claims and calculations (extract/, spaCy)
    check     each selected rule's kind over each entry (checks/)
    locate    segment offsets -> file line and column, once per finding
    suppress  inline directives and configured suppressions (post/suppress.py)
    filter    per-file ignores
then, over the whole run: unused suppressions, the baseline, and one sort.

A database file (CSV, TSV) is read, extracted, checked and located piece by piece
(`lint_stream`), its directives gathered as it goes, so that memory is bounded by a piece
and the findings; its text is kept only when asked (`Options.keep_text`: --fix, --diff and
the HTML report need it).  Every other input is read whole (`lint_text`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import KINDS
from .checks.context import EntryContext
from .config import Config, ConfigError, code_matches, find_config, load_config
from .extract import extract_many
from .model.claims import Extraction
from .model.entries import Entry, Note
from .model.findings import Finding
from .model.positions import LineIndex
from .parallel import PARALLEL_ENTRIES, cores, map_batches
from .post import suppress as suppress_mod
from .quantities.hardware import Hardware, load_hardware
from .quantities.roles import Registry
from .readers import (
    MAX_BYTES,
    InputError,
    decode,
    decode_pieces,
    read,
    reader_for,
    split_long,
)
from .ruleset.load import Rule, RuleError, aliases_of, load_rules, matches, registry_for, select

if TYPE_CHECKING:
    from .post.fix import Snapshot

EMPTY = Extraction((), ())
BATCH = 128       # entries extracted together: one spaCy batch, one progress step
PARALLEL_PIECES = 8   # a database read for forked workers comes in pieces this much larger
STDIN = "-"


class UsageError(Exception):
    """Options or a configuration that cannot be used: one line, exit code 2."""


@dataclass(frozen=True)
class Options:
    """What a run checks and how: the command line's flags, or the API's keywords."""

    select: tuple[str, ...] = ()            # replaces the configuration's select
    extend_select: tuple[str, ...] = ()     # adds to it
    ignore: tuple[str, ...] = ()            # adds to the configuration's ignore
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (glob, codes), added
    rules: tuple[str, ...] = ()             # extra rule files or folders
    config: str | None = None               # this configuration for every input
    isolated: bool = False                  # no configuration at all
    show_verified: bool = False
    show_claims: bool = False               # also list every claim the extractor bound
    report_unused_suppressions: bool = False
    stdin_filename: str = "<stdin>"
    baseline: str | None = None             # report only problems this baseline lacks
    keep_text: bool = False                 # keep each file's bytes and text in the report
                                            # (Report.snapshots), for --fix or a report
                                            # that shows the text
    jobs: int = 1                           # processes for a large file (fork, POSIX);
                                            # 0: one per core


@dataclass(frozen=True)
class Input:
    """One thing to lint: a file path, or text read elsewhere (stdin, the API) with its name."""

    path: str
    data: bytes | None = None     # None: read the file at `path`


@dataclass
class Report:
    """What a run found, what it could not read, and what it read."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    files: int = 0
    entries: int = 0
    rules: tuple[Rule, ...] = ()            # every rule that ran (for formatters)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)   # path -> what was linted
                                            # (with Options.keep_text)
    baseline: dict | None = None            # {file, matched, fixed: [...]} with a baseline
    claims: list[dict] | None = None        # with Options.show_claims: what was extracted
    fail_on: dict[str, str] = field(default_factory=dict)   # path -> its config's fail-on


@dataclass(frozen=True)
class Settings:
    """The rules and options that govern the inputs under one configuration."""

    rules: tuple[Rule, ...]
    known: tuple[Rule, ...]
    hardware: Hardware
    config: Config | None = None
    show_verified: bool = False
    show_claims: bool = False
    registry: Registry | None = None       # the roles of `known` (built-in when None)

    @property
    def roles(self) -> Registry:
        return self.registry if self.registry is not None else registry_for(self.known)

    @property
    def extracts(self) -> bool:
        """Whether any rule reads text (a field-only run needs no spaCy)."""
        return self.show_claims or any({"claims", "calculations"} & set(r.consumes)
                                       for r in self.rules)
    invalid_directives: bool = True         # report MC001 (unless ignored)


def default_settings(**kw) -> Settings:
    """Settings with every built-in rule and no configuration (tests, benchmarks)."""
    rules = load_rules()
    return Settings(rules=select(rules), known=rules, hardware=load_hardware(), **kw)


def run(inputs: list[Input], options: Options,
        progress: Callable[[str, int, int | None], None] | None = None) -> Report:
    """Lint the inputs; unreadable ones become errors and the others are still linted."""
    known = _load_baseline(options.baseline) if options.baseline else None
    report = Report(claims=[] if options.show_claims else None)
    rules: dict[str, Rule] = {}
    used: list[suppress_mod.Use] = []
    for config, group in _groups(inputs, options):
        settings = make_settings(config, options)
        for r in settings.rules:
            rules.setdefault(r.id, r)
        if settings.invalid_directives:
            rules.setdefault(suppress_mod.INVALID_RULE.id, suppress_mod.INVALID_RULE)
        for item in group:
            if config is not None and config.fail_on:
                report.fail_on[item.path] = config.fail_on
            _lint_input(item, settings, options, report, used, progress)
    if options.report_unused_suppressions:
        rules.setdefault(suppress_mod.UNUSED_RULE.id, suppress_mod.UNUSED_RULE)
        report.findings += suppress_mod.unused(used)
    report.rules = tuple(sorted(rules.values(), key=lambda r: r.id))
    if known is not None:
        _apply_baseline(report, known, options.baseline, [i.path for i in inputs])
    report.findings.sort(key=Finding.sort_key)
    return report


def _load_baseline(path: str):
    from .post import baseline as baseline_mod

    try:
        return baseline_mod.load(path)
    except baseline_mod.BaselineError as exc:
        raise UsageError(str(exc)) from None


def _apply_baseline(report: Report, known, path: str, linted: list[str]) -> None:
    """Drop the problems the baseline records; note which recorded ones are gone."""
    from .post import baseline as baseline_mod

    before = len(report.findings)
    root = Path(path).resolve().parent
    report.findings, gone = baseline_mod.apply(report.findings, known, root, linted)
    report.baseline = {"file": path, "matched": before - len(report.findings),
                       "fixed": [item.to_dict() for item in gone]}


def make_settings(config: Config | None, options: Options) -> Settings:
    """Load the rules for inputs under one configuration and select those that run."""
    cfg = config or Config()
    try:
        known = cfg.apply_tolerance(load_rules(tuple(options.rules) + tuple(cfg.rules)))
        cfg.check_codes(known + suppress_mod.BUILTIN_RULES)
    except (ConfigError, RuleError) as exc:
        raise UsageError(str(exc)) from None
    everything = known + suppress_mod.BUILTIN_RULES
    for flag, codes in (("--select", options.select), ("--extend-select", options.extend_select),
                        ("--ignore", options.ignore)):
        for code in codes:
            if not any(matches(r, code) for r in everything):
                raise UsageError(f"{flag}: {code!r} matches no rule (see 'mclint rules')")
    chosen = list(options.select) or list(cfg.select or ())
    if options.extend_select:
        # on top of the selection, or of the default one (every rule but the previews)
        chosen = (chosen or [r.id for r in known if not r.preview]) + \
            list(options.extend_select)
    ignored = list(cfg.ignore) + list(options.ignore)
    rules = select(known, chosen, ignored)
    invalid = suppress_mod.INVALID_RULE
    try:
        registry = registry_for(known)
    except ValueError as exc:     # two rule files defining one role two ways
        raise UsageError(str(exc)) from None
    return Settings(rules=rules, known=known, hardware=load_hardware(), config=config,
                    show_verified=options.show_verified or bool(cfg.show_verified),
                    show_claims=options.show_claims, registry=registry,
                    invalid_directives=not any(code_matches(c, invalid.id, invalid.slug)
                                               for c in ignored))


def _groups(inputs: list[Input], options: Options) -> list[tuple[Config | None, list[Input]]]:
    """Group inputs by the configuration that governs each (stdin: the working folder's)."""
    try:
        if options.isolated:
            return [(None, list(inputs))]
        if options.config:
            return [(load_config(options.config), list(inputs))]
        groups: dict[str, tuple[Config | None, list[Input]]] = {}
        cache: dict = {}
        for item in inputs:
            start = os.getcwd() if item.data is not None else \
                os.path.dirname(os.path.abspath(item.path))
            config = find_config(start, cache)
            groups.setdefault(config.path if config else "", (config, []))[1].append(item)
        return list(groups.values())
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def read_bytes(path: str) -> bytes:
    """A file's bytes, or an InputError naming the file and why."""
    with os_errors(path):
        file_size(path)
        with open(path, "rb") as fh:
            return fh.read()


def file_size(path: str) -> int:
    """The size of a file mclint may read, or an InputError naming the file and why not."""
    with os_errors(path):
        p = Path(path)
        if p.is_dir():
            raise InputError(path, "is a directory")
        size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputError(path, f"file larger than {MAX_BYTES // 2**20} MB")
    return size


@contextmanager
def os_errors(path: str):
    """Turn the errors of reading a file into an InputError naming it and why."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None


def _lint_input(item: Input, settings: Settings, options: Options, report: Report,
                used: list, progress) -> None:
    """Lint one input; an input it cannot read, or a bug it hits, stops only this input."""
    try:
        if _streams(item, options):
            findings, entries, found = lint_stream(item.path, settings, options.jobs, progress)
        else:
            data = item.data if item.data is not None else read_bytes(item.path)
            text = decode(data, item.path)
            if options.keep_text:
                from .post.fix import Snapshot

                report.snapshots[item.path] = Snapshot(item.path, data, text)
            del data
            findings, entries = lint_text(text, item.path, settings, options.jobs, progress)
            found = suppress_mod.find(text)
            del text
        if report.claims is not None:
            findings, claims = _split_claims(findings)
            report.claims += claims
    except InputError as exc:
        report.errors.append(exc)
        return
    except RecursionError as exc:   # deeply nested input that some stage walks recursively
        report.errors.append(InputError(item.path, f"input nested too deeply to lint ({exc})"))
        return
    except Exception as exc:        # a bug in mclint: report it, and lint the other inputs
        if os.environ.get("MCLINT_DEBUG"):
            raise
        report.errors.append(InputError(
            item.path, f"internal error while linting: {type(exc).__name__}: "
                       f"{str(exc)[:300]} (set MCLINT_DEBUG=1 for the traceback, and please "
                       "report it)"))
        return
    report.files += 1
    report.entries += entries
    aliases = aliases_of(settings.known)
    findings, uses = suppress_mod.apply(findings, suppress_mod.scopes(found, item.path, aliases),
                                        item.path, settings.config, settings.rules,
                                        settings.known, aliases)
    used += uses
    if settings.invalid_directives:     # after suppression: a directive cannot hide its own
        findings += suppress_mod.check_directives(
            found, item.path, settings.known + suppress_mod.BUILTIN_RULES)
    if settings.config is not None and settings.config.per_file_ignores or \
            options.per_file_ignores:
        findings = _per_file_ignores(findings, item.path, settings.config, options, aliases)
    report.findings += findings


def _streams(item: Input, options: Options) -> bool:
    """Whether an input is read piece by piece: a database file, unless its text must be
    kept (to fix it, or to show it in a report)."""
    return item.data is None and not options.keep_text and reader_for(item.path) == "csv"


def _per_file_ignores(findings: list[Finding], path: str, config: Config | None,
                      options: Options, aliases: dict) -> list[Finding]:
    """Drop the findings whose rules per-file-ignores switch off for this file."""
    codes = list(config.ignored_codes(path)) if config is not None else []
    cli = Config(per_file_ignores=options.per_file_ignores)
    codes = [aliases.get(c, c) for c in codes + list(cli.ignored_codes(path))]
    return [f for f in findings if not any(code_matches(c, f.rule, f.slug) for c in codes)]


def lint_text(text: str, path: str, settings: Settings, jobs: int = 1,
              progress: Callable[[str, int, int | None], None] | None = None
              ) -> tuple[list[Finding], int]:
    """Read, extract, check and locate one decoded file; return its findings and entry count."""
    entries = read(path, text, settings.config)
    findings: list[Finding] = []
    done = 0
    for batch, found in _lint_entries(entries, settings, LineIndex(text), jobs):
        findings += found
        done += len(batch)
        if progress is not None:
            progress(path, done, len(entries))
    return findings, sum(not e.continued for e in entries)   # a long text cut is one entry


def lint_stream(path: str, settings: Settings, jobs: int = 1,
                progress: Callable[[str, int, int | None], None] | None = None
                ) -> tuple[list[Finding], int, list[suppress_mod.Directive]]:
    """`lint_text` for a database file read piece by piece (readers.csv_reader.stream), so
    that memory is bounded by a piece, not by the file.  Also returns the file's directives,
    which the pieces' text is needed to find."""
    from .readers import csv_reader  # here: a run on notes and cards never needs it

    file_size(path)
    findings: list[Finding] = []
    found: list[suppress_mod.Directive] = []
    count = 0
    columns = getattr(settings.config, "columns", None)
    with os_errors(path):
        # Forked workers pay off only for pieces of many entries (PARALLEL_ENTRIES).
        size = csv_reader.PIECE * (1 if jobs == 1 else PARALLEL_PIECES)
        for text, index, entries in csv_reader.stream(path, decode_pieces(path), columns, size):
            for batch, found_in_batch in _lint_entries(split_long(entries), settings, index, jobs):
                findings += found_in_batch
                count += sum(not e.continued for e in batch)
                if progress is not None:
                    progress(path, count, None)
            found += suppress_mod.find(text, index)
    if progress is not None:
        progress(path, count, count)
    return findings, count, found


def _lint_entries(entries: list[Entry], settings: Settings, index: LineIndex, jobs: int):
    """(batch, its findings) for each batch of entries, in order; in forked workers when
    `jobs` and the number of entries make them worth it."""
    batches = [entries[k:k + BATCH] for k in range(0, len(entries), BATCH)]
    jobs = workers(jobs, len(entries))
    if jobs > 1:
        list(extract_many([], settings.hardware.aliases, settings.roles.bindings))  # before forking
        results = map_batches(lambda batch: _lint_batch(batch, settings, index), batches, jobs)
    else:
        results = (_lint_batch(batch, settings, index) for batch in batches)
    return zip(batches, results)


def workers(jobs: int, entries: int) -> int:
    """The processes worth using for a file: `jobs` (0: one per core), but one for a file of
    fewer than PARALLEL_ENTRIES entries, and never more than its batches."""
    if entries < PARALLEL_ENTRIES:
        return 1
    return max(1, min(jobs or cores(), -(-entries // BATCH)))


def _lint_batch(entries: list[Entry], settings: Settings, index: LineIndex) -> list:
    """Extract, check and locate a batch of entries of one file (with show_claims, the
    claims too, as dicts after the findings)."""
    out: list = []
    for entry, notes in zip(entries, _extract(entries, settings)):
        out += [locate(f, entry, index) for f in check_entry(entry, notes, settings)]
        if settings.show_claims:
            out += claim_records(entry, notes, index)
    return out


def _split_claims(items: list) -> tuple[list[Finding], list[dict]]:
    return ([x for x in items if isinstance(x, Finding)],
            [x for x in items if isinstance(x, dict)])


def claim_records(entry: Entry, notes: list[Note], index: LineIndex) -> list[dict]:
    """What the extractor bound in an entry, as the JSON 'claims' list shows it."""
    out = []
    for note in notes:
        for c in note.extraction.claims:
            start, end = note.segment.file_offset(c.start), note.segment.file_offset(c.end)
            (line, col), (end_line, end_col) = index.position(start), index.position(end)
            out.append({
                "path": entry.path, "entry": entry.id, "field": note.field, "text": c.text,
                "value": c.value, "number": c.number.value, "unit": c.unit_text or None,
                "kind": c.kind, "role": c.role, "line": line, "column": col,
                "end_line": end_line, "end_column": end_col, "offset": start,
                "end_offset": end, "hedge": c.hedge, "bound": c.bound,
                "range_high": c.high.value * c.factor if c.high is not None else None,
                "concluded": c.concluded, "chip": c.chip,
                "unknown_unit": c.unknown_unit or None})
    return out


def _extract(entries: list[Entry], settings: Settings) -> list[list[Note]]:
    """Run the extractor over every segment with a digit in it, in one spaCy batch."""
    # A text repeated across entries ("Taken from Llama 3.1 70B") is read once: an
    # extraction holds offsets into its own text only.
    if not settings.extracts:
        return [[Note(s, EMPTY) for s in e.segments] for e in entries]
    chips, bindings = settings.hardware.aliases, settings.roles.bindings
    texts = list(dict.fromkeys(s.text for e in entries for s in e.segments
                               if any(ch.isdigit() for ch in s.text)))
    results = dict(zip(texts, extract_many(texts, chips, bindings)))
    notes = [[Note(s, results.get(s.text, EMPTY)) for s in e.segments] for e in entries]
    if any(e.tables for e in entries):
        notes = [_bind_tables(e, n, chips, bindings) if e.tables else n
                 for e, n in zip(entries, notes)]
    return notes


def _bind_tables(entry: Entry, notes: list[Note], chips, bindings) -> list[Note]:
    """Give the numbers of an entry's tables the roles and units of their headers."""
    from .extract import tables

    labels = list(dict.fromkeys(label for t in entry.tables for label in tables.labels(t)))
    texts = [tables.header_texts(label) for label in labels]
    flat = list(extract_many([t for group in texts for t in group], chips, bindings))
    meanings, k = {}, 0
    for label, group in zip(labels, texts):
        meanings[label] = tables.meaning(label, flat[k:k + len(group)])
        k += len(group)
    by_field = {t.field: t for t in entry.tables}
    return [Note(n.segment, tables.bind(by_field[n.field], n.extraction, meanings))
            if n.field in by_field else n for n in notes]


def check_entry(entry: Entry, notes: list[Note], settings: Settings) -> list[Finding]:
    """Run every selected rule over one entry."""
    ctx = EntryContext(entry, notes, settings.hardware, settings.show_verified, settings.roles)
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
    return replace(f, line=line, column=col, end_line=end_line, end_column=end_col, offset=start,
                   end_offset=max(start, end))


def _file_offsets(f: Finding, entry: Entry) -> tuple[int, int]:
    for seg in entry.segments:
        if seg.field == f.field:
            return seg.file_offset(f.start), seg.file_offset(f.end)
    fv = entry.fields.get(f.field or "")
    if fv is not None:
        return fv.start + f.start, fv.start + (f.end or len(fv.raw))
    return 0, 0
