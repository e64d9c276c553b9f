"""The kits' rows of the access table: the catalogue is public; a build's progress needs
kits:read and starting one needs lab:write."""

from __future__ import annotations

from civicgraph.core.access import KITS_READ, LAB_WRITE, PUBLIC, Rule, needs

POLICY: dict[str, Rule] = {
    "Query.kits": PUBLIC,
    "Query.kit": PUBLIC,
    "Query.kitRelease": PUBLIC,
    "Query.kitBuild": needs(KITS_READ),
    "Mutation.buildKit": needs(LAB_WRITE),
}
