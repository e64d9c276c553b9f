"""The README's check, run as a stranger would: a fresh virtual environment, the README's own
install line from the package index, then the README's commands in the unzipped kit.

The kit is built by the builder library from fixed rows (no database), with what used to break
the check: Parquet resources, and missing integers, dates and booleans in them. When the package
index cannot be reached at all, the test is skipped and says so; any other failure fails it.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from hackathon_kits.builder.pipeline import build_kit
from hackathon_kits.builder.spec import SPECS_DIR, Dataset, load_spec_file

ROWS: dict[str, list[dict[str, Any]]] = {
    "vacancies": [
        {"vacancy_id": "v1", "title": "Data analyst", "organisation": "Acme",
         "occupation_uri": "http://data.europa.eu/esco/occupation/analyst",
         "region_code": "E12000003", "posted_on": "2026-01-05", "closes_on": None,
         "salary_min": None, "salary_max": 42000, "status": "OPEN"},
        {"vacancy_id": "v2", "title": "Welder", "organisation": None, "occupation_uri": None,
         "region_code": None, "posted_on": "2025-11-30", "closes_on": "2026-01-31",
         "salary_min": 25000, "salary_max": None, "status": "CLOSED"},
    ],
    "vacancy-skills": [
        {"vacancy_id": "v1", "skill_uri": "http://data.europa.eu/esco/skill/python",
         "skill": "Python", "essential": None},
        {"vacancy_id": "v1", "skill_uri": "http://data.europa.eu/esco/skill/sql",
         "skill": "SQL", "essential": True},
    ],
    "occupation-skills": [
        {"occupation_uri": "http://data.europa.eu/esco/occupation/analyst",
         "occupation_code": None, "occupation": "Data analyst",
         "skill_uri": "http://data.europa.eu/esco/skill/python", "skill": "Python",
         "essential": False},
    ],
}


class _Rows:
    def count(self, dataset: Dataset) -> int:
        return len(ROWS[dataset.name])

    @contextlib.contextmanager
    def rows(self, dataset: Dataset) -> Iterator[Iterator[Mapping[str, Any]]]:
        yield iter(ROWS[dataset.name])


def _index_reachable(python: Path, scratch: Path) -> bool:
    """Whether pip can fetch anything at all from its configured index."""
    probe = subprocess.run(
        [str(python), "-m", "pip", "download", "--no-deps", "--no-cache-dir", "-q",
         "-d", str(scratch), "frictionless"], capture_output=True, text=True, timeout=60)
    return probe.returncode == 0


def test_the_readmes_install_line_and_check_pass_in_a_fresh_environment(tmp_path: Path) -> None:
    spec = load_spec_file(SPECS_DIR / "jobs-and-skills.yaml")
    output = build_kit(spec, _Rows(), tmp_path / "build", lambda percent, stage: None)
    kit = tmp_path / "kit"
    with zipfile.ZipFile(output.zip_path) as zf:
        zf.extractall(kit)
    readme = (kit / "README.md").read_text()
    block = re.search(r"## Check and start\n.*?```sh\n(.*?)```", readme, re.S)
    assert block, "the README has no check commands"
    commands = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    installs = [c for c in commands if c.startswith("pip install ")]
    assert installs == ['pip install "frictionless[parquet,pandas]>=5.18,<6"'], commands

    venv = tmp_path / "stranger"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=60)
    bindir = venv / "bin"
    if not _index_reachable(bindir / "python", tmp_path / "probe"):
        pytest.skip("the package index pip is configured with cannot be reached: the README's "
                    "install line was not tried")
    # Only the fresh environment: no PYTHONPATH, and its bin first on PATH (as `activate`).
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=kit, env=env, capture_output=True,
                              text=True, timeout=180)
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
        if command.startswith("frictionless validate"):
            assert "INVALID" not in done.stdout, done.stdout[-3000:]
    assert (bindir / "frictionless").exists()
