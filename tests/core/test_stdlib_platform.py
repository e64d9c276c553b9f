"""The service's folder is named `platform`, like a stdlib module: prove it shadows nothing."""

from __future__ import annotations

import platform
import sysconfig
from pathlib import Path

import civicgraph


def test_platform_is_the_standard_library_module() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(platform.__file__).resolve().parent == stdlib
    assert platform.system()  # e.g. "Linux"; the neo4j driver calls this for its user agent
    assert Path(civicgraph.__file__).resolve().parent.parent.name == "platform"
