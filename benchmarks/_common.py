"""Shared helpers for the benchmark scripts (not part of mclint).

Data credit: the benchmarks use Epoch AI's model database (Data: Epoch AI, epoch.ai, CC BY 4.0).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
DEFAULT_CSV = (ROOT / ".." / "shared" / "corpus" / "epoch_models_dev.csv").resolve()

csv.field_size_limit(sys.maxsize)


def run_mclint(paths, *extra: str, config: str | None = None) -> dict:
    """Run mclint in a subprocess (JSON output; no configuration files unless `config`
    names one) and return the parsed JSON."""
    cmd = [
        sys.executable,
        "-m",
        "linter",
        *map(str, paths),
        "--format",
        "json",
        *(["--config", config] if config else ["--isolated"]),
        "--quiet",
        *extra,
    ]
    proc = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"mclint failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr.strip()}"
        )
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"mclint printed no JSON ({exc}); stderr:\n{proc.stderr.strip()}")


def key(d: dict) -> tuple[str, str, str, str]:
    """The triage key: (rule, entry, field, text)."""
    return (
        str(d.get("rule", "")),
        str(d.get("entry", "")).strip(),
        str(d.get("field", "")),
        str(d.get("text", "")),
    )


def load_yaml(path: Path):
    import yaml

    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def short(s: str, n: int = 90) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"
