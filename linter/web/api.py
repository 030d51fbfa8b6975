"""What POST /api/lint accepts: a text or one uploaded file, its name, and a few options.

Two encodings: JSON ``{"text": ..., "filename": "card.md", "select": "MC1,MC201",
"ignore": [...], "show_verified": true, "show_claims": true}``, or multipart/form-data
with a ``text`` field or a ``file`` upload and the same names as fields.  Only options
that read nothing from the server are accepted: no ``rules``, ``config`` or ``baseline``
(paths on the server), and no configuration file is looked for.  The answer is exactly
``linter.lint(text, filename=filename, isolated=True, **options)``.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath

from ..readers import InputError, decode
from .worker import Job

MAX_TEXT = 5 * 1024 * 1024              # bytes of text (UTF-8), the limit the page states
MAX_BODY = MAX_TEXT + 64 * 1024         # the request: the text, its form fields, options
FLAGS = ("show_verified", "show_claims")
CODES = ("select", "ignore")
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}\Z")
_TRUE, _FALSE = {"true", "1", "on", "yes"}, {"false", "0", "off", "no", ""}


class BadRequest(Exception):
    """Input the API cannot use: answered with this status and message as JSON."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class TooLarge(Exception):
    """The request body passed MAX_BODY while it was being read."""


async def parse(request) -> Job:
    """The job a request asks for, or BadRequest."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        return _from_json(await request.body())
    if ctype == "multipart/form-data":
        return await _from_form(request)
    raise BadRequest("send application/json or multipart/form-data", 415)


def _from_json(body: bytes) -> Job:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the JSON body must be an object")
    _known(data.keys(), {"text", "filename"})
    text = data.get("text")
    if not isinstance(text, str):
        raise BadRequest("'text' is missing or not a string")
    return _job(text, data.get("filename"), {k: data[k] for k in (*CODES, *FLAGS) if k in data})


async def _from_form(request) -> Job:
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser

    parser = MultiPartParser(request.headers, request.stream(), max_files=1, max_fields=16,
                             max_part_size=MAX_BODY)
    parser.spool_max_size = MAX_BODY     # an upload stays in memory: nothing goes to disk
    try:
        form = await parser.parse()
    except (MultiPartException, ValueError) as exc:   # a malformed body
        raise BadRequest(f"malformed form data: {getattr(exc, 'message', exc)}") from None
    try:
        _known(form.keys(), {"text", "file", "filename"})
        if len(form.getlist("text")) + len(form.getlist("file")) != 1:
            raise BadRequest("send exactly one of 'text' and 'file'")
        upload, filename = form.get("file"), form.get("filename")
        if upload is not None:
            if not isinstance(upload, UploadFile):
                raise BadRequest("'file' must be a file upload")
            data = await upload.read()
            if len(data) > MAX_TEXT:
                raise BadRequest(_too_large(), 413)
            filename = filename or upload.filename
            try:
                text = decode(data, _name(filename) or "upload")
            except InputError as exc:
                raise BadRequest(f"the file cannot be read: {exc.message}") from None
        else:
            text = form.get("text")
            if not isinstance(text, str):
                raise BadRequest("'text' must be a form field, not a file")
        options = {k: form.get(k) for k in (*CODES, *FLAGS) if k in form}
        return _job(text, filename, options)
    finally:
        await form.close()


def _known(keys, extra: set[str]) -> None:
    allowed = extra | set(CODES) | set(FLAGS)
    for key in keys:
        if key not in allowed:
            raise BadRequest(f"unknown field {str(key)[:40]!r} (allowed: "
                             f"{', '.join(sorted(allowed))})")


def _job(text: str, filename, options: dict) -> Job:
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise BadRequest("the text is not valid Unicode (a lone surrogate)") from None
    if size > MAX_TEXT:
        raise BadRequest(_too_large(), 413)
    if filename is not None and not isinstance(filename, str):
        raise BadRequest("'filename' must be a string")
    out: dict = {}
    for key, value in options.items():
        out[key] = _codes(key, value) if key in CODES else _flag(key, value)
    return Job(text, _name(filename), out)


def _name(filename: str | None) -> str | None:
    """The file's own name (no folders), which only picks the reader; None if empty."""
    if not filename:
        return None
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip()
    if not name or len(name) > 255 or any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise BadRequest("'filename' must be a plain file name such as note.txt or models.csv")
    return name


def _codes(key: str, value) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(c, str) for c in items):
        raise BadRequest(f"'{key}' must be rule codes: a comma-separated string or a list")
    codes = tuple(c.strip() for c in items if c.strip())
    if len(codes) > 200 or not all(_CODE.match(c) for c in codes):
        raise BadRequest(f"'{key}' must be rule ids, prefixes or slugs such as MC1, MC201, "
                         "peak-flops")
    return codes


def _flag(key: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise BadRequest(f"'{key}' must be true or false")


def _too_large() -> str:
    return f"the text is larger than {MAX_TEXT // (1024 * 1024)} MB"
