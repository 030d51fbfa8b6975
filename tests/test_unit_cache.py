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
import json, sys, yaml, linter
parses = []
load = yaml.load
yaml.load = lambda *args, **kwargs: parses.append(1) or load(*args, **kwargs)
report = linter.lint(open({str(SEED)!r}, encoding="utf-8").read(), isolated=True,
                     show_verified=True)
print(json.dumps({{"findings": report["findings"], "pint": "pint" in sys.modules,
                  "yaml": len(parses)}}))
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
    kept = json.loads(cached.read_text())
    assert kept["info"]["chip * hour"] == [3600.0, [["[time]", 1.0]]]
    # The packaged data files (units, roles, patterns, hardware) are parsed once, and the
    # unit spellings as the tokenizer splits them are kept, indexed by their first token.
    assert first["yaml"] == len(kept["data"]) == 4 and second["yaml"] == 0
    [index] = kept["unit index"].values()
    [(_, spellings)] = [w for w in index["first"] if w[0] == "teraflop"]
    assert ["teraflop", "/", "s"] in [words for words, _ in spellings]


def test_parsed_data_keeps_its_order_and_only_what_json_gives_back(tmp_path, monkeypatch):
    from linter.quantities import unit_cache

    monkeypatch.setenv("MCLINT_CACHE_DIR", str(tmp_path))
    unit_cache.store.cache_clear()
    try:
        ordered = {"z": 1, "a": [1.5, "x"], "m": None}
        assert list(unit_cache.parsed("t1", lambda t: ordered)) == ["z", "a", "m"]
        assert list(unit_cache.parsed("t1", lambda t: 1 / 0)) == ["z", "a", "m"]
        assert unit_cache.parsed("t2", lambda t: {1: "int key"}) == {1: "int key"}
        assert unit_cache.store().get("data", "x") is None
        assert len(unit_cache.store().answers["data"]) == 1
    finally:
        unit_cache.store.cache_clear()


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
