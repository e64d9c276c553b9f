"""The one writer of each partner-graph label: the Cypher that creates a node, or merges it on
its key, with the node envelope, and the one that links two organisations as partners.

Every statement that makes partner-graph records (the mutations, the bulk generator, the demo
seeds, the partner feeds' batch statement, the ESCO loader, identity's demo profile) is built
from these fragments, so a record is born the same way whichever door it came through. This
module is the partner graph's public face for the domains that write its records (partners,
identity's demo). The fragments are built from code constants only (labels from the model,
variables, parameter names): values travel as parameters; callers build them once, at import
where the statement is fixed.
"""

from __future__ import annotations

import re
from typing import LiteralString

from civicgraph.compiler.model import TYPES
from civicgraph.core.envelope import NOW, created, touched

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _name(text: LiteralString) -> LiteralString:
    if not _NAME.fullmatch(text):
        raise ValueError(f"not a Cypher name: {text!r}")
    return text


def _label(type_name: str) -> LiteralString:
    label: LiteralString = TYPES[type_name].label  # KeyError: not a label of the partner graph
    return label


def create(type_name: str, var: LiteralString, props: LiteralString, *,
           labels: LiteralString | None = None, at: LiteralString = NOW,
           id: LiteralString | None = None) -> LiteralString:
    """``CREATE (var:Label) SET var += props`` and the envelope; ``labels`` (an expression: a
    label or a list) are added, ``id`` is made here when ``props`` does not carry one."""
    v = _name(var)
    extra: LiteralString = f", {v}:$({labels})" if labels else ""
    return (f"CREATE ({v}:{_label(type_name)}) "
            f"SET {v} += {props}, {created(v, at, id=id)}{extra} ")


def merge(type_name: str, var: LiteralString, key: LiteralString, value: LiteralString, *,
          props: LiteralString | None = None, update: bool = False,
          labels: LiteralString | None = None, at: LiteralString = NOW,
          id: LiteralString | None = None, flag: bool = False) -> LiteralString:
    """``MERGE (var:Label {key: value})``: a new node gets ``props`` and the envelope; a node
    already there is left as it is, or, with ``update``, is given ``props`` and touched.

    ``labels`` are set either way. ``flag`` marks a node created here (``var._new``) for
    :func:`count_created`, which reads the mark and removes it.
    """
    v = _name(var)
    on_create: list[LiteralString] = []
    if props and not update:
        on_create.append(f"{v} += {props}")
    on_create.append(created(v, at, id=id))
    if flag:
        on_create.append(f"{v}._new = true")
    text: LiteralString = (f"MERGE ({v}:{_label(type_name)} {{{_name(key)}: {value}}}) "
                           "ON CREATE SET " + ", ".join(on_create) + " ")
    if update:
        text += f"ON MATCH SET {touched(v, at)} "
        if props:
            text += f"SET {v} += {props} "
    if labels:
        text += f"SET {v}:$({labels}) "
    return text


def count_created(var: LiteralString, *carry: LiteralString) -> LiteralString:
    """After a flagged :func:`merge`: ``created`` is true for the nodes it made (the mark is
    removed); ``var`` and the ``carry`` variables go on."""
    kept = ", ".join((_name(var), *(_name(c) for c in carry)))
    return (f"WITH {kept}, coalesce({var}._new, false) AS created REMOVE {var}._new "
            f"WITH {kept}, created ")


def unlinked(a: LiteralString, b: LiteralString) -> LiteralString:
    """The condition under which two organisations may be linked: not partners either way."""
    return f"NOT ({_name(a)})-[:PARTNERS_WITH]-({_name(b)})"


def partnership(a: LiteralString, b: LiteralString, since: LiteralString) -> LiteralString:
    """``CREATE`` the partnership of ``a`` and ``b`` (since a date, or null), stamped."""
    return (f"CREATE ({_name(a)})-[:PARTNERS_WITH {{since: {since}, createdAt: {NOW}}}]->"
            f"({_name(b)}) ")
