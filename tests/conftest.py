"""Shared helpers: lint text or files through the same core loop the CLI uses."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import hypothesis
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# Property tests draw the same examples on every run, so a run on a fresh clone (CI, a
# user's) is repeatable; MCLINT_HYPOTHESIS_SCALE (tests/test_properties.py) hunts with
# fresh random examples instead.
hypothesis.settings.register_profile("repeatable", derandomize=True, database=None)
if "MCLINT_HYPOTHESIS_SCALE" not in os.environ:
    hypothesis.settings.load_profile("repeatable")

# mclint's unit cache (linter/quantities/unit_cache.py) goes to a folder of this test run,
# not the user's ~/.cache, for the tests and the mclint processes they start.
os.environ.setdefault("MCLINT_CACHE_DIR", tempfile.mkdtemp(prefix="mclint-test-cache-"))


@pytest.fixture(scope="session")
def settings():
    from linter.pipeline import default_settings

    return default_settings()


def lint_text(text: str, *, select=None, show_verified=False, path="<text>"):
    """Findings for a text, optionally only some rules."""
    from linter.pipeline import Settings
    from linter.pipeline import lint_text as core_lint
    from linter.quantities.hardware import load_hardware
    from linter.ruleset.load import load_rules
    from linter.ruleset.load import select as select_rules

    rules = select_rules(load_rules(), select or [], [])
    s = Settings(rules=rules, known=load_rules(), hardware=load_hardware(),
                 show_verified=show_verified)
    findings, _ = core_lint(text, path, s)
    return sorted(findings, key=lambda f: f.sort_key())


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    """Run `python -m linter` and return the completed process (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        input=stdin, capture_output=True, cwd=cwd or ROOT, timeout=300,
    )
