"""Kit tests read the shipped specs plus the test specs here, and publish into a scratch store.

The variables are set when this file is imported, before any fixture starts the session's
worker, so the worker and the web app see the same specs and store.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from civicgraph.config import PROJECT_ROOT

TEST_SPECS = Path(__file__).resolve().parent / "specs"
KIT_STORE = Path(tempfile.mkdtemp(prefix="civicgraph-kits-"))

os.environ["CIVICGRAPH_KIT_SPECS"] = os.pathsep.join(
    [str(PROJECT_ROOT / "hackathon_kits" / "specs"), str(TEST_SPECS)])
os.environ["CIVICGRAPH_KIT_STORE"] = str(KIT_STORE)
# The records' key for cell-key perturbation: known to the tests, so they can check the noise
# a cell got and that the key itself is in no kit.
CELL_KEY_SECRET = "test-cell-key-secret-4f1c9a"
os.environ["CIVICGRAPH_KIT_CELL_KEY_SECRET"] = CELL_KEY_SECRET


@pytest.fixture(scope="session", autouse=True)
def _remove_kit_store() -> Iterator[None]:
    """The scratch store lives for the session only."""
    yield
    shutil.rmtree(KIT_STORE, ignore_errors=True)


@pytest.fixture
def client(authorised: Callable[..., FlaskClient]) -> FlaskClient:
    """Building kits is lab work: these tests act as a client holding lab:write and kits:read
    (a token from the real token endpoint). The catalogue's public side is tested anonymously
    in test_catalogue.py."""
    return authorised(["lab:write", "kits:read"])
