"""Consent and citizen data through GraphQL: citizens manage consents and read who used their
data; partners read citizen profiles under consent; admins export the record of processing."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from civicgraph.api.context import ctx
from civicgraph.api.model_types import OBJECTS, DateTime, closed_set
from civicgraph.compiler.domains.identity import CONSENT
from civicgraph.compiler.selection import Selection
from civicgraph.identity.service import consent as service
from civicgraph.partner_graph.api.queries import Narrow, connection_field

Consent = OBJECTS["Consent"]
AccessEvent = OBJECTS["AccessEvent"]
DataCategory = closed_set("Consent", CONSENT.prop("categories"))  # type: ignore[arg-type]
"""The one enum of the categories, shared by consents, access events and grantConsent."""

# Which fields of CitizenProfile belong to which data category.
FIELD_CATEGORY = {"name": "contact", "email": "contact", "region": "contact",
                  "skills": "skills", "occupation": "occupation"}


def _codes(parent: dict[str, Any], key: str) -> list[str]:
    """A service's lower-case category codes as the enum's values (their upper-case names)."""
    return [str(code).upper() for code in parent.get(key) or []]


def mine(relationship: str, newest_first: str = "") -> Narrow:
    """The caller's own records of a root connection: the client's where and the record's
    ``relationship`` to the caller's person, both to hold, in the one compiled statement (the
    type's guard still applies; an admin's ``my…`` lists are their own too). ``newest_first``
    names the time the list is ordered by, newest first, unless the client orders it."""
    def narrow(info: Any, selection: Selection) -> Selection:
        args = dict(selection.args)
        own = {relationship + "Where": {"id": {"eq": ctx(info).principal.person_id}}}
        args["where"] = {"AND": [own, args["where"]]} if args.get("where") else own
        if newest_first and not args.get("orderBy"):
            args["orderBy"] = [{"field": newest_first, "direction": "DESC"}]
        return Selection(selection.field, selection.key, args, selection.children,
                         selection.on_type)
    return narrow


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
    categories = graphene.List(graphene.NonNull(DataCategory), required=True,
                               description="The categories the consent covers.",
                               resolver=lambda parent, info: _codes(parent, "categories"))
    expires_at = DateTime(required=True)
    name = graphene.String()
    email = graphene.String()
    region = graphene.String()
    skills = graphene.List(graphene.NonNull(SkillRef))
    occupation = graphene.Field(OccupationRef)


class ProcessingRecord(graphene.ObjectType):
    organisation_id = graphene.ID(required=True)
    organisation_name = graphene.String(required=True)
    purpose = graphene.String(required=True)
    categories = graphene.List(graphene.NonNull(DataCategory), required=True,
                               resolver=lambda parent, info: _codes(parent, "categories"))
    reads = graphene.Int(required=True)
    citizens = graphene.Int(required=True)
    client_ids = graphene.List(graphene.NonNull(graphene.String), required=True)
    first_access_at = DateTime()
    last_access_at = DateTime()
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
    my_consents = connection_field(
        "Consent", "The consents you gave, oldest first unless ordered.", mine("citizen"))
    my_access_log = connection_field(
        "AccessEvent", "Every read of your data by an organisation, newest first unless "
        "ordered.", mine("citizen", newest_first="at"))
    record_of_processing = graphene.List(graphene.NonNull(ProcessingRecord), required=True)

    @staticmethod
    def resolve_citizen_profile(root: Any, info: Any, citizen_id: str, purpose: str
                                ) -> dict[str, Any]:
        context = ctx(info)
        return service.citizen_profile(context.graph, context.principal, citizen_id=citizen_id,
                                       purpose=purpose, requested=requested_categories(info))

    @staticmethod
    def resolve_record_of_processing(root: Any, info: Any) -> list[dict[str, Any]]:
        return service.record_of_processing(ctx(info).graph)
