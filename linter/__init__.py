"""mclint: fact-check the numbers in AI model cards and model-database notes.

    >>> import linter
    >>> report = linter.lint("6 * 340B * 9T = 1.8E24")
    >>> report["findings"][0]["rule"]
    'MC101'

`lint` runs the same pipeline as the command line and returns exactly what
`mclint --format json` prints, suppressions and baselines included.
"""

from __future__ import annotations

import os

__version__ = "0.2.0"


def lint(text_or_path: str | os.PathLike, *, filename: str | None = None, **options) -> dict:
    """Lint a text (a str) or a file (a pathlib.Path) and return the JSON report.

    `filename` names a text and chooses its reader by suffix (``card.md``, ``models.csv``);
    without it a text is read as a plain note.  Keyword options are those of
    `linter.pipeline.Options` (select, ignore, rules, config, isolated, show_verified,
    report_unused_suppressions, baseline, ...); a sequence of rule codes may also be
    given as one comma-separated string.  Configuration files are found as the command
    line finds them (for a text: from the working folder) unless `isolated=True`.
    """
    from .formatters.json_format import to_json
    from .pipeline import Input, Options, run

    if isinstance(text_or_path, os.PathLike):
        item = Input(os.fspath(text_or_path))
    elif isinstance(text_or_path, str):
        item = Input(filename or "<text>", text_or_path.encode("utf-8"))
    else:
        raise TypeError("lint() takes a text (str) or a file path (pathlib.Path)")
    for key in ("select", "extend_select", "ignore", "rules"):
        if isinstance(options.get(key), str):
            options[key] = tuple(c.strip() for c in options[key].split(",") if c.strip())
        elif key in options:
            options[key] = tuple(options[key])
    report = run([item], Options(**options))
    return to_json(report, baseline=report.baseline)
