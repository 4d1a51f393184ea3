"""A non-editable install into a fresh virtualenv works outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import fsrules

from .conftest import REPO


@pytest.mark.slow
def test_wheel_install_runs_demo_outside_the_repo(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(REPO)], check=True,
                   env=env, cwd=tmp_path, timeout=600)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = subprocess.run([str(env_dir / "bin" / "fsrules"), "demo", "--format", "json"],
                         capture_output=True, text=True, env=env, cwd=outside, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    assert '"VETO-005"' in run.stdout
    assert "site-packages" in subprocess.run(
        [str(python), "-c", "import fsrules_rulesets, sys; print(fsrules_rulesets.__file__)"],
        capture_output=True, text=True, env=env, cwd=outside, check=True).stdout
    assert sys.prefix != str(env_dir)
    # the report schema ships inside the wheel, and the typed reader reads the report back
    (outside / "report.json").write_text(run.stdout, encoding="utf-8")
    check = ("import fsrules, pathlib; s = fsrules.report_schema(); "
             "t = pathlib.Path('report.json').read_text(encoding='utf-8'); "
             "r = fsrules.Report.from_json(t); assert r.to_json() == t; "
             "print(s['version'], len(r.findings))")
    out = subprocess.run([str(python), "-c", check], capture_output=True, text=True, env=env,
                         cwd=outside, check=True).stdout.split()
    assert out[0] == fsrules.REPORT_SCHEMA_VERSION
    assert int(out[1]) > 0
