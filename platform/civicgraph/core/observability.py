"""Logs a person can read and a machine can parse: one JSON object a line, with the request id."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str] = ContextVar("civicgraph_request_id", default="-")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    """Configure the root logger once per process; calling again only changes the level."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(getattr(h, "_civicgraph", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._civicgraph = True  # type: ignore[attr-defined]
    if json_lines:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")
        )
    handler.addFilter(_RequestIdFilter())
    root.addHandler(handler)
    logging.getLogger("neo4j").setLevel(logging.WARNING)
