"""Consent and citizen data through GraphQL: citizens manage consents and read who used their
data; partners read citizen profiles under consent; admins export the record of processing."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from civicgraph.api.context import ctx
from civicgraph.api.enums import code_enum
from civicgraph.identity.service import consent as service

DataCategory = code_enum("DataCategory", service.CATEGORIES,
                         "A category of a citizen's data that a consent covers.")

# Which fields of CitizenProfile belong to which data category.
FIELD_CATEGORY = {"name": "contact", "email": "contact", "region": "contact",
                  "skills": "skills", "occupation": "occupation"}


class Consent(graphene.ObjectType):
    id = graphene.ID(required=True)
    organisation_id = graphene.ID(required=True)
    organisation_name = graphene.String(required=True)
    purpose = graphene.String(required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    granted_at = graphene.String(required=True)
    expires_at = graphene.String(required=True)
    withdrawn_at = graphene.String()
    status = graphene.String(required=True, description="LIVE, WITHDRAWN or EXPIRED.")
    superseded_by = graphene.ID(description="The consent that replaced this one, if any.")


class AccessEvent(graphene.ObjectType):
    """One read of a citizen's data by an organisation's client."""

    id = graphene.ID(required=True)
    at = graphene.String(required=True)
    organisation_id = graphene.ID(required=True)
    organisation_name = graphene.String(required=True)
    client_id = graphene.String(required=True)
    purpose = graphene.String(required=True)
    fields = graphene.List(graphene.NonNull(graphene.String), required=True,
                           description="The data categories read.")
    consent_id = graphene.ID()


class SkillRef(graphene.ObjectType):
    class Meta:
        name = "ConsentedSkill"

    uri = graphene.String(required=True)
    name = graphene.String()


class OccupationRef(graphene.ObjectType):
    class Meta:
        name = "ConsentedOccupation"

    uri = graphene.String(required=True)
    code = graphene.String()
    name = graphene.String()


class CitizenProfile(graphene.ObjectType):
    """A citizen's data as one live consent allows; fields outside it are null."""

    id = graphene.ID(required=True)
    consent_id = graphene.ID(required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True,
                               description="The categories the consent covers.")
    expires_at = graphene.String(required=True)
    name = graphene.String()
    email = graphene.String()
    region = graphene.String()
    skills = graphene.List(graphene.NonNull(SkillRef))
    occupation = graphene.Field(OccupationRef)


class ProcessingRecord(graphene.ObjectType):
    organisation_id = graphene.ID(required=True)
    organisation_name = graphene.String(required=True)
    purpose = graphene.String(required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    reads = graphene.Int(required=True)
    citizens = graphene.Int(required=True)
    client_ids = graphene.List(graphene.NonNull(graphene.String), required=True)
    first_access_at = graphene.String()
    last_access_at = graphene.String()
    live_consents = graphene.Int(required=True)


def requested_categories(info: Any) -> list[str]:
    """The categories the query selects, so only those are read and logged."""
    found: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        for selection in selection_set.selections if selection_set else []:
            if isinstance(selection, FieldNode) and selection.name.value in FIELD_CATEGORY:
                found.add(FIELD_CATEGORY[selection.name.value])
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = info.fragments.get(selection.name.value)
                walk(fragment.selection_set if fragment else None)

    for node in info.field_nodes:
        walk(node.selection_set)
    return sorted(found)


class ConsentQueries(graphene.ObjectType):
    citizen_profile = graphene.Field(
        CitizenProfile, required=True, citizen_id=graphene.ID(required=True),
        purpose=graphene.String(required=True),
        description="Needs citizen:read and a live consent to your organisation for purpose.",
    )
    my_consents = graphene.List(graphene.NonNull(Consent), required=True)
    my_access_log = graphene.List(graphene.NonNull(AccessEvent), required=True,
                                  first=graphene.Int(description="Newest first; 50 if omitted."))
    record_of_processing = graphene.List(graphene.NonNull(ProcessingRecord), required=True)

    @staticmethod
    def resolve_citizen_profile(root: Any, info: Any, citizen_id: str, purpose: str
                                ) -> dict[str, Any]:
        context = ctx(info)
        return service.citizen_profile(context.graph, context.principal, citizen_id=citizen_id,
                                       purpose=purpose, requested=requested_categories(info))

    @staticmethod
    def resolve_my_consents(root: Any, info: Any) -> list[dict[str, Any]]:
        return service.my_consents(ctx(info).graph, ctx(info).principal)

    @staticmethod
    def resolve_my_access_log(root: Any, info: Any, first: int | None = None
                              ) -> list[dict[str, Any]]:
        return service.my_access_log(ctx(info).graph, ctx(info).principal, first)

    @staticmethod
    def resolve_record_of_processing(root: Any, info: Any) -> list[dict[str, Any]]:
        return service.record_of_processing(ctx(info).graph)
