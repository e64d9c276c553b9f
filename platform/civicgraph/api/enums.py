"""GraphQL enums built from the code tables that define closed sets.

A closed set (a pilot partner's role, a session's kind, a webhook event) is written once, in its
domain's service, as a code table: ``{code: description}``. The enum a client sees is built from
that table, so the schema cannot list a value the service refuses, or miss one it accepts, and
each value carries the table's description into introspection and the SDL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum as PyEnum
from typing import Any

import graphene

_NOT_NAME = re.compile(r"[^0-9A-Za-z]+")
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def member_name(code: str) -> str:
    """The GraphQL name of a code: ``pilot.advanced`` is ``PILOT_ADVANCED``, a field name
    ``createdAt`` is ``CREATED_AT``."""
    return _NOT_NAME.sub("_", _WORD_START.sub("_", code)).strip("_").upper()


def code_enum(name: str, table: Mapping[str, str], description: str) -> Any:
    """A graphene Enum whose values are the table's codes, each described by the table.

    A resolver receives the member (``civicgraph.api.mutation.plain`` gives its code); a
    resolver may return the code itself and it is served as the member's name.
    """
    names = [member_name(code) for code in table]
    if len(set(names)) != len(names):
        raise ValueError(f"{name}: two codes share a GraphQL name: {names}")

    def describe(member: PyEnum | None) -> str:
        return description if member is None else table[member.value]

    return graphene.Enum(name, [(member_name(code), code) for code in table],
                         description=describe)
