"""The unit cache: what pint said of the units met, kept between runs, never changing a
finding (linter/quantities/unit_cache.py)."""

import json
import os
import subprocess
import sys

from conftest import FIXTURES, ROOT

SEED = FIXTURES / "notes" / "nemotron-4-340b.txt"
# One run of the seed note in a fresh process: its findings, and whether pint was imported.
SCRIPT = f"""
import json, sys, linter
report = linter.lint(open({str(SEED)!r}, encoding="utf-8").read(), isolated=True,
                     show_verified=True)
print(json.dumps({{"findings": report["findings"], "pint": "pint" in sys.modules}}))
"""


def run(cache: str, **env_vars: str) -> dict:
    env = {**os.environ, "MCLINT_CACHE_DIR": cache, **env_vars}
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_a_second_run_needs_no_pint_and_finds_the_same(tmp_path):
    first, second = run(str(tmp_path)), run(str(tmp_path))
    assert first["pint"] and not second["pint"]
    assert second["findings"] == first["findings"]
    assert len([f for f in first["findings"] if f["status"] == "verified"]) == 7
    [cached] = tmp_path.glob("units-*.json")
    assert json.loads(cached.read_text())["info"]["chip * hour"] == [3600.0, [["[time]", 1.0]]]


def test_a_broken_cache_file_is_read_as_empty_and_replaced(tmp_path):
    first = run(str(tmp_path))
    [cached] = tmp_path.glob("units-*.json")
    for broken in ('{"info": {"chip * hour": [3600.0]}, "parts": 7', '["not", "a", "table"]',
                   '{"info": {"chip * hour": "x", "day": [null, 1]}}'):
        cached.write_text(broken)
        assert run(str(tmp_path))["findings"] == first["findings"]
    assert run(str(tmp_path))["findings"] == first["findings"]


def test_an_empty_cache_dir_keeps_nothing(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert run("", HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))["pint"]
    assert list(home.iterdir()) == []


def test_without_a_setting_the_cache_is_in_the_users_cache_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MCLINT_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(tmp_path))
    subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    assert [p.name.startswith("units-") for p in (tmp_path / "mclint").iterdir()] == [True]
