"""Names in the order people read a list in: "acme" between "Abbey" and "Beta", not after
"Zeta" as Neo4j's ordering of strings (by code point, capitals first) would put it.

A Cypher fragment for ORDER BY, written once for every page that lists people or organisations
by name: the lower-cased name, then the name itself so the order stays total. The GraphQL
compiler's sorts are its own (declared per field, index-backed) and do not come through here.
"""

from __future__ import annotations

import re
from typing import LiteralString

_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)?")


def by_name(name: LiteralString) -> LiteralString:
    """ORDER BY keys for ``name`` (``x.name``, or a returned column such as ``ownerName``)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a Cypher property or column: {name!r}")
    return "toLower(" + name + "), " + name
