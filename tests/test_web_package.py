"""A non-editable install ships the page and the report's assets: built as a wheel, installed
apart from this checkout, the HTML report renders and the server serves every asset."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

STATIC = sorted(p.relative_to(ROOT).as_posix()
                for p in (ROOT / "linter" / "web" / "static").iterdir() if p.is_file())
OFFLINE = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
           "No matching distribution found", "Could not find a version that satisfies")

CHECK = """
import sys, pathlib, linter
from linter.formatters.html import document
assert pathlib.Path(linter.__file__).is_relative_to(pathlib.Path(sys.argv[1])), linter.__file__
page = document({"findings": [], "errors": [], "claims": [], "summary": {
    "problems": 0, "errors": 0, "warnings": 0, "verified": 0, "files": 1, "entries": 1}},
    {"note.txt": "no numbers"})
assert "mclint.css" not in page and ".tip {" in page and "mclintMarks" in page
from starlette.testclient import TestClient
from linter.web.app import create_app
client = TestClient(create_app(), base_url="http://127.0.0.1:8000")
for name in sys.argv[2:]:
    path = "/" if name.endswith("index.html") else "/static/" + name.rsplit("/", 1)[1]
    assert client.get(path).status_code == 200, path
print("ok")
"""


def test_the_wheel_ships_the_static_assets_and_they_are_found_installed(tmp_path):
    pytest.importorskip("starlette", reason="the web extra is not installed")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(tmp_path / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=600, check=False)
    if build.returncode and any(s in build.stderr for s in OFFLINE):
        pytest.skip("the package index cannot be reached to build the wheel")
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("mclint-*.whl")
    with zipfile.ZipFile(wheel) as z:
        assert set(STATIC) <= set(z.namelist())
        z.extractall(tmp_path / "site")      # a wheel is a zip of what it installs
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "site"))
    run = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path / "site"), *STATIC],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
                         check=False)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
