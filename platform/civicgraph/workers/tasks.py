"""The platform's own worker task: a report of what the worker runs on."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any

from celery import shared_task

DIAGNOSTICS = "civicgraph.diagnostics"


@shared_task(name=DIAGNOSTICS)  # type: ignore[untyped-decorator]
def diagnostics() -> dict[str, Any]:
    """Report what the worker runs on; also proves the standard library's `platform` is intact."""
    return {
        "system": platform.system(),
        "python": platform.python_version(),
        "pid": os.getpid(),
        "executable": sys.executable,
    }
