"""The web app served by gunicorn on a free port, Debian's Chromium driven by Playwright, axe-core.

No browser is downloaded: Playwright launches /usr/bin/chromium (``.ci/run`` and ``make test``
install it with apt when missing). axe-core comes from npm into test-artifacts at test time; if
it cannot be installed the tests fail with the reason (an accessibility check never skips).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from civicgraph.cli import devstack
from tests.conftest import ARTIFACTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE_DIR = ARTIFACTS / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="session")
def web(services: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under gunicorn against the session's Neo4j and Redis; yields its base URL."""
    port = devstack.free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(CIVICGRAPH_ISSUER=base, CIVICGRAPH_KEYS_DIR=str(tmp_path_factory.mktemp("webkeys")),
               CIVICGRAPH_TOKEN_RATE_PER_IP="100000", CIVICGRAPH_TOKEN_RATE_PER_CLIENT="100000",
               CIVICGRAPH_ENV="test")
    service = devstack.web_service(env, "127.0.0.1", port, services["logs"] / "console-web.log")
    service.start()
    try:
        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/console", timeout=2) as response:
                    return bool(response.status == 200)
            except OSError:
                return False

        devstack.wait_until(answers, 60, "the console's web server", service.alive)
        yield base
    finally:
        service.stop()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core for the accessibility checks: "
                        "install Node.js (npm) and run the tests again")
        done = subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "axe-core", "--no-package-lock",
             "--no-audit", "--no-fund", "--silent"], capture_output=True, text=True,
            timeout=300, check=False)
        if done.returncode != 0 or not AXE_JS.exists():
            pytest.fail(f"could not install axe-core with npm: {done.stderr.strip()[-800:]}")
    return AXE_JS


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/require.sh chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
