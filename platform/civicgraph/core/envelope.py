"""The node envelope: ``createdAt``, ``updatedAt`` and ``version`` (and ``id`` on create).

Every domain stamps its nodes the same way, so optimistic concurrency (an update names the
version it read) and "what changed since" reads work on any label. Written once here, as Cypher
fragments, so no statement types the envelope out by hand and none can drift: a node is born at
version 1 with ``createdAt = updatedAt``, and every change moves ``updatedAt`` and adds one.

The arguments are code, never user input: a variable name, and the moment as one of
``datetime()`` (the statement's clock), ``$param`` or ``datetime($param)``; they are checked, so
a value cannot be spliced into a statement through here.
"""

from __future__ import annotations

import re
from typing import LiteralString

NOW: LiteralString = "datetime()"
AT: LiteralString = "datetime($at)"
"""The moment a service passes as the ``$at`` parameter (its clock, which tests can set)."""

_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_AT = re.compile(r"datetime\(\)|\$[A-Za-z_]\w*|datetime\(\$[A-Za-z_]\w*\)")
_ID = re.compile(r"randomUUID\(\)|\$[A-Za-z_]\w*(\.\w+)?|[A-Za-z_]\w*\.\w+"
                 r"|coalesce\([A-Za-z_$][\w.]*, randomUUID\(\)\)")


def _checked(pattern: re.Pattern[str], text: LiteralString, what: str) -> LiteralString:
    if not pattern.fullmatch(text):
        raise ValueError(f"not a Cypher {what}: {text!r}")
    return text


def created(var: LiteralString, at: LiteralString = NOW, *,
            id: LiteralString | None = None) -> LiteralString:
    """SET items for a node just created: ``var.createdAt = at, var.updatedAt = at,
    var.version = 1``, preceded by ``var.id = id`` when the id is made here (``randomUUID()``,
    a parameter or a row's field) rather than carried in the node's properties."""
    v = _checked(_VAR, var, "variable")
    when = _checked(_AT, at, "moment")
    stamp = f"{v}.createdAt = {when}, {v}.updatedAt = {when}, {v}.version = 1"
    if id is None:
        return stamp
    return f"{v}.id = {_checked(_ID, id, 'id')}, " + stamp


def created_map(at: LiteralString = NOW) -> LiteralString:
    """The same stamp as entries of a ``CREATE (n:Label {...})`` property map."""
    when = _checked(_AT, at, "moment")
    return f"createdAt: {when}, updatedAt: {when}, version: 1"


def touched(var: LiteralString, at: LiteralString = NOW, *,
            unless: LiteralString | None = None) -> LiteralString:
    """SET items for a node changed: ``var.updatedAt = at, var.version = var.version + 1``.

    ``unless`` is a Cypher condition under which the version stays (a node created earlier in
    the same statement, a change that is no change); ``updatedAt`` moves either way.
    """
    v = _checked(_VAR, var, "variable")
    when = _checked(_AT, at, "moment")
    step: LiteralString = "1" if unless is None else f"CASE WHEN {unless} THEN 0 ELSE 1 END"
    return f"{v}.updatedAt = {when}, {v}.version = {v}.version + {step}"
