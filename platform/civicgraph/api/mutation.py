"""The one mutation shape every domain uses: ``verbNoun(input: VerbNounInput!): VerbNounPayload!``.

A domain writes ``class SubmitIdea(Mutation)`` with an inner ``Input`` class holding the input
fields and the payload's fields on the class itself; the names of the input and payload types and
the single required ``input`` argument follow from the class name, so no domain can drift into
another argument or return style (``docs/api-conventions.md``). Relay's ``ClientIDMutation``
does the same but adds ``clientMutationId``, which nothing here needs.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.mutation import MutationOptions
from graphene.utils.props import props


class Mutation(graphene.Mutation):
    """Subclass with ``Input`` (optional: a mutation needing nothing takes no argument)."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls, name: str | None = None, _meta: MutationOptions | None = None, **options: Any,
    ) -> None:
        base = name or cls.__name__
        arguments: dict[str, Any] = {}
        input_class = getattr(cls, "Input", None)
        if input_class is not None:
            fields = {k: v for k, v in props(input_class).items()}
            cls.Input = type(f"{base}Input", (graphene.InputObjectType,), fields)
            arguments = {"input": cls.Input(required=True)}
        super().__init_subclass_with_meta__(
            name=f"{base}Payload", arguments=arguments, _meta=_meta, **options)

    @classmethod
    def Field(cls, *args: Any, **kwargs: Any) -> graphene.Field:
        """Every payload is non-null: a failure is an error, never a null payload."""
        kwargs.setdefault("required", True)
        return super().Field(*args, **kwargs)


def plain(value: Any) -> Any:
    """An enum member as its value (graphene hands resolvers the Python enum member)."""
    return getattr(value, "value", value)
