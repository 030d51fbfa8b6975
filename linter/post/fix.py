"""--fix and --diff: apply the fixes findings carry, splicing only their spans, atomically.

A fix replaces text[start:end] (character offsets in the decoded file) when that span
still reads `original`.  Overlapping fixes are not applied together: the first one
wins and the others stay findings.  The file is re-encoded as it came (UTF-8, UTF-8
with its BOM, UTF-16/32 with their BOM), so every byte outside the fixed spans is
unchanged, and written through a temporary file in the same folder and os.replace,
keeping the file's mode; a file that changed on disk since it was read is left alone.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import signal
import stat
import tempfile
from dataclasses import dataclass

from ..model.findings import Finding, Fix

BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


class FixError(Exception):
    """A file mclint will not rewrite, and why."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes and text as they were linted."""

    path: str
    data: bytes
    text: str


@dataclass(frozen=True)
class Outcome:
    """What fixing one file did (or would do)."""

    path: str
    old: str
    new: str
    fixed: tuple[Finding, ...]     # findings whose fix is in `new`

    @property
    def changed(self) -> bool:
        return self.old != self.new


def encode(text: str, data: bytes) -> bytes:
    """Encode text the way the original bytes were encoded (a UTF-16/32 BOM is restored)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return bom + text.encode(codec)
    return text.encode("utf-8")   # a UTF-8 BOM is the text's first character


def select_fixes(text: str, findings: list[Finding]) -> list[tuple[Fix, list[Finding]]]:
    """Choose the fixes that can be applied together, each with the findings it fixes."""
    by_fix: dict[Fix, list[Finding]] = {}
    for f in findings:
        fix = f.fix
        if fix is None or not _applies(fix, text):
            continue
        by_fix.setdefault(fix, []).append(f)   # equal fixes from two findings count once
    chosen: list[tuple[Fix, list[Finding]]] = []
    for fix in sorted(by_fix, key=lambda x: (x.start, x.end, x.replacement)):
        if chosen:
            last = chosen[-1][0]
            # Overlap, or two edits at one point whose order would be a guess.
            if fix.start < last.end or fix.start == last.start:
                continue
        chosen.append((fix, by_fix[fix]))
    return chosen


def _applies(fix: Fix, text: str) -> bool:
    """Accept a fix only where the text still reads what the check saw."""
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (fix.start, fix.end))
    return (ints and isinstance(fix.replacement, str) and 0 <= fix.start <= fix.end <= len(text)
            and text[fix.start:fix.end] == fix.original)


def splice(text: str, fixes: list[Fix]) -> str:
    """Replace the spans of non-overlapping fixes sorted by position."""
    parts, pos = [], 0
    for fix in fixes:
        parts += [text[pos:fix.start], fix.replacement]
        pos = fix.end
    parts.append(text[pos:])
    return "".join(parts)


def plan(snapshot: Snapshot, findings: list[Finding]) -> Outcome:
    """Work out what --fix would make of one file."""
    chosen = select_fixes(snapshot.text, [f for f in findings if f.fix is not None])
    new = splice(snapshot.text, [fix for fix, _ in chosen])
    fixed = tuple(f for _, fs in chosen for f in fs)
    return Outcome(snapshot.path, snapshot.text, new, fixed)


def write(snapshot: Snapshot, new_text: str) -> None:
    """Replace the file with new_text atomically, if it is still what was linted."""
    data = encode(new_text, snapshot.data)
    if encode(snapshot.text, snapshot.data) != snapshot.data:
        raise FixError("cannot fix: the file does not re-encode to the same bytes")
    target = os.path.realpath(snapshot.path)   # write through a symlink, keep the link
    try:
        with open(target, "rb") as fh:
            current = fh.read()
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as exc:
        raise FixError(f"cannot fix: {exc.strerror}") from None
    if current != snapshot.data:
        raise FixError("not fixed: the file changed on disk since it was read")
    atomic_write(target, data, mode)


def atomic_write(path: str, data: bytes, mode: int | None = None) -> None:
    """Write a file through a temporary file in its folder and os.replace (all or nothing)."""
    owner = None
    try:
        st = os.stat(path)
        owner = (st.st_uid, st.st_gid)
    except OSError:
        pass
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        except OSError as exc:
            raise FixError(f"cannot write: {exc.strerror}") from None
    folder, name = os.path.split(path)
    # SIGINT/SIGTERM wait while the temporary file is created, so that an interruption
    # always lands inside the try below, which removes the file.
    blocked = _block_signals()
    try:
        fd, tmp = tempfile.mkstemp(dir=folder or ".", prefix=f".{name}.", suffix=".mclint")
    except OSError as exc:
        _unblock_signals(blocked)
        raise FixError(f"cannot create a temporary file: {exc.strerror}") from None
    try:
        _unblock_signals(blocked)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown"):
            try:   # keep the owner too (when root fixes someone's file); not possible otherwise
                if (os.stat(tmp).st_uid, os.stat(tmp).st_gid) != owner:
                    os.chown(tmp, *owner)
            except OSError:
                pass
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise FixError(f"cannot write: {exc.strerror}") from None
    except BaseException:
        _remove(tmp)
        raise


def _block_signals():
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def _unblock_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def unified_diff(outcome: Outcome) -> str:
    """Render the change as a unified diff, marking a last line without newline as git does."""
    old = _LINE.findall(outcome.old)
    new = _LINE.findall(outcome.new)
    out = []
    for line in difflib.unified_diff(old, new, fromfile=outcome.path, tofile=outcome.path):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
