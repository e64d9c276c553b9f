"""Keyset cursors: an item's sort-key values and id, bound to the list they came from.

A cursor is opaque to clients (base64 of a small JSON array): a format version, a fingerprint of
the list (root field, filters, search and order) and the item's values of the statement's sort
keys, the id last. The next page is "the items beyond these values in this order", which the
compiler writes as a keyset predicate the planner can start from an ordering index with, so page
1,000 costs what page 1 costs, and an insert or a delete before the cursor neither repeats nor
skips an item (an offset would shift). A cursor from another list (other filters, another order,
another field) would page a list it does not belong to, so it is refused, as is anything this API
did not give out; decoding checks every bound (length, shape, value types, int64 range) so that a
forged cursor is BAD_USER_INPUT, never a database error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j.time import Date, DateTime

from civicgraph.core.errors import BadInput

VERSION = 1
MAX_CURSOR = 2048
"""The longest cursor accepted (characters): sort keys are bounded properties."""
MAX_TEXT = 1000
INT64 = 2**63
DEFAULT_PAGE = 20


def fingerprint(field: str, args: Mapping[str, Any]) -> str:
    """What a cursor is bound to: the list's field and every argument that changes its items
    or their order (not the page size, not the cursors themselves)."""
    bound = {k: args.get(k) for k in ("where", "orderBy", "search")}
    text = json.dumps([field, bound], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _pack(value: Any) -> Any:
    if isinstance(value, DateTime):
        return {"t": value.iso_format()}
    if isinstance(value, Date):
        return {"d": value.iso_format()}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def encode(bound_to: str, values: Sequence[Any]) -> str:
    text = json.dumps([VERSION, bound_to, [_pack(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _refuse(field: str, why: str = "the cursor is not one this API gave out") -> BadInput:
    return BadInput(why, field=field)


def _fixed_offset(value: DateTime) -> DateTime:
    """The date-time with its offset as a fixed offset: the parser gives ``Z`` as the zone
    named UTC, which Neo4j does not compare equal to the stored ``Z`` instant (it orders it
    after), so a cursor would name a place beyond its own item."""
    offset = value.utcoffset()
    if offset is None:
        return value
    return value.replace(tzinfo=dt.timezone(offset))


def _unpack(value: Any, field: str) -> Any:
    if value is None or isinstance(value, bool | str):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise _refuse(field)
        return value
    if isinstance(value, int):
        if not -INT64 <= value < INT64:
            raise _refuse(field)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse(field)
        return value
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), = value.items()
        if isinstance(text, str) and len(text) <= 64:
            try:
                if tag == "t":
                    return _fixed_offset(DateTime.from_iso_format(text))
                if tag == "d":
                    return Date.from_iso_format(text)
            except (ValueError, TypeError, OverflowError) as exc:
                raise _refuse(field) from exc
    raise _refuse(field)


def decode(cursor: Any, bound_to: str, keys: int, field: str = "after") -> list[Any]:
    """The sort-key values of a cursor given out for the list ``bound_to`` with ``keys`` keys."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR:
        raise _refuse(field)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _refuse(field) from exc
    return _values(data, bound_to, keys, field)


NESTED = "~"
"""What a nested connection's cursor starts with. The statement writes it (a nested page's
items are not seen by Python on the way out), as the same JSON array a root cursor holds:
``[VERSION, fingerprint, [parent id, sort-key values..., id]]``, not base64 (Cypher has no
base64); it is no less opaque to a client, and it is decoded with the same bounds."""


def decode_nested(cursor: Any, bound_to: str, keys: int, field: str) -> list[Any]:
    """The parent's id and the sort-key values of a nested connection's cursor given out for
    the list ``bound_to`` (the owner type, field, filters and order) with ``keys`` keys."""
    if (not isinstance(cursor, str) or not cursor.startswith(NESTED)
            or len(cursor) > MAX_CURSOR):
        raise _refuse(field)
    try:
        data = json.loads(cursor[len(NESTED):], strict=False)
    except (ValueError, RecursionError) as exc:
        raise _refuse(field) from exc
    return _values(data, bound_to, keys + 1, field)


def _values(data: Any, bound_to: str, keys: int, field: str) -> list[Any]:
    if not (isinstance(data, list) and len(data) == 3 and data[0] == VERSION
            and isinstance(data[1], str) and isinstance(data[2], list)):
        raise _refuse(field)
    if data[1] != bound_to:
        raise _refuse(field, "the cursor belongs to another list (other field, filters or "
                             "order); page this list with its own cursors")
    if len(data[2]) != keys:
        raise _refuse(field)
    values = [_unpack(v, field) for v in data[2]]
    if not isinstance(values[-1], str):  # the id, last
        raise _refuse(field)
    return values


@dataclass(frozen=True)
class Window:
    """Which end a page starts from and how many items it has.

    ``cursor`` is the argument (``after`` or ``before``) the page is beyond, if any;
    ``reversed`` pages run in the reverse order (``last``), their items reversed afterwards.
    """

    size: int
    reversed: bool = False
    cursor: str | None = None


def window(args: Mapping[str, Any]) -> Window:
    first, last = args.get("first"), args.get("last")
    after, before = args.get("after"), args.get("before")
    if first is not None and last is not None:
        raise BadInput("give first or last, not both", field="last")
    if last is not None:
        if after is not None:
            raise BadInput("after goes with first; use before with last", field="after")
        return Window(int(last), reversed=True, cursor="before" if before is not None else None)
    if before is not None:
        raise BadInput("before goes with last; use after with first", field="before")
    size = DEFAULT_PAGE if first is None else int(first)
    return Window(size, cursor="after" if after is not None else None)
