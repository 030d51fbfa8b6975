"""The README's console examples are real: each `$ mclint ...` on files or folders of this
repository prints what the README shows (examples on files a reader would have, such as models.csv,
or piped through other tools, are left out)."""

import glob
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def _examples():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in BLOCK.findall(text):
        command, output = None, []
        for line in block.splitlines() + ["$ "]:
            if line.startswith("$ "):
                if command is not None:
                    yield command, "\n".join(output).strip("\n")
                command, output = line[2:].strip(), []
            else:
                output.append(line)


def _runnable(command: str) -> list[str] | None:
    if not command.startswith("mclint ") or any(c in command for c in "|<>;&"):
        return None
    words = shlex.split(command)[1:]
    args: list[str] = []
    for w in words:
        if "*" in w:
            found = sorted(glob.glob(w, root_dir=ROOT))
            if not found:
                return None
            args += found
        elif not w.startswith("-") and "/" in w and not (ROOT / w).exists():
            return None
        else:
            args.append(w)
    files = [a for a in args if not a.startswith("-") and (ROOT / a).exists()]
    return args if files else None


EXAMPLES = [(c, o) for c, o in _examples() if _runnable(c) is not None]


def test_the_readme_has_runnable_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("command, output", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_prints_what_the_readme_shows(command, output):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "linter", "--isolated", *_runnable(command)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.strip("\n") == output
