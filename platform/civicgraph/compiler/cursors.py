"""Opaque cursors (base64 of an offset) and the page window a connection's arguments ask for.

Both the compiler (which turns the window into SKIP/LIMIT parameters) and the services (which
turn offsets back into cursors) use these, so the two cannot disagree.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from civicgraph.core.errors import BadInput


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str, field: str = "after") -> int:
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadInput("the cursor is not one this API gave out", field=field) from exc
    if prefix != "offset" or offset < 0:
        raise BadInput("the cursor is not one this API gave out", field=field)
    return offset


@dataclass(frozen=True)
class Window:
    """SKIP and LIMIT, and whether the order is reversed (``last`` without ``before``)."""

    skip: int
    limit: int
    reversed: bool = False


def window(args: Mapping[str, Any]) -> Window:
    first, last = args.get("first"), args.get("last")
    after, before = args.get("after"), args.get("before")
    if first is not None and last is not None:
        raise BadInput("give first or last, not both", field="last")
    if last is not None:
        if after is not None:
            raise BadInput("after goes with first; use before with last", field="after")
        if before is None:
            return Window(0, int(last), reversed=True)
        end = decode_cursor(before, "before")
        return Window(max(0, end - int(last)), min(int(last), end))
    if before is not None:
        raise BadInput("before goes with last; use after with first", field="before")
    start = decode_cursor(after) + 1 if after is not None else 0
    return Window(start, int(first if first is not None else 20))


def window_skip(args: Mapping[str, Any]) -> int:
    return window(args).skip


def window_limit(args: Mapping[str, Any]) -> int:
    return window(args).limit
