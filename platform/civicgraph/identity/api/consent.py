"""Consent and citizen data through GraphQL: citizens manage consents and read who used their
data; partners read citizen profiles under consent; admins export the record of processing."""

from __future__ import annotations

from typing import Any

import graphene

from civicgraph.api.compiled import Compiled
from civicgraph.api.context import ctx
from civicgraph.api.model_filters import nested_args
from civicgraph.api.model_scalars import DateTime, closed_set
from civicgraph.api.model_types import CONNECTIONS, OBJECTS
from civicgraph.api.selection import document_key, root_selection
from civicgraph.compiler.domains.identity import CITIZEN_VIEW, CONSENT, DATA_USE, PURPOSE
from civicgraph.compiler.selection import Selection
from civicgraph.identity.service import consent as service
from civicgraph.partner_graph.api.queries import (
    Narrow,
    connection_field,
    prefetch_records,
    record_resolver,
    viewer,
)

Consent = OBJECTS["Consent"]
AccessEvent = OBJECTS["AccessEvent"]
Purpose = OBJECTS["Purpose"]
DataUse = OBJECTS["DataUse"]
DataCategory = closed_set("Consent", CONSENT.prop("categories"))  # type: ignore[arg-type]
"""The one enum of the categories, shared by consents, access events and grantConsent."""
LegalBasis = closed_set("Purpose", PURPOSE.prop("legalBasis"))  # type: ignore[arg-type]
DataUseKind = closed_set("DataUse", DATA_USE.prop("kind"))  # type: ignore[arg-type]

def _described(field: str) -> str:
    """The consented view's description of a field (compiler.domains.identity)."""
    rel = CITIZEN_VIEW.rel(field)
    return rel.description if rel is not None else ""


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


class CitizenProfile(graphene.ObjectType):
    """A citizen's data as one live consent allows; fields outside it are null.

    A view under a consent, not a record: it has no id of its own (the citizen is a Person,
    the consent a Consent, each a Node under its own guard), because every read of it must name
    the purpose and be logged, which ``node(id:)`` cannot. Skills and the occupation are the
    model's Skill and Occupation records."""

    read = graphene.Field(AccessEvent, required=True,
                          description="This read in the citizen's access log: name its id in "
                                      "recordDataUse to tell the citizen what came of it.")
    consent = graphene.Field(Consent, required=True,
                             description="The live consent this read is under.")
    categories = graphene.List(graphene.NonNull(DataCategory), required=True,
                               description="The categories the consent covers.",
                               resolver=lambda parent, info: _codes(parent, "__categories"))
    expires_at = DateTime(required=True, resolver=lambda parent, info: parent["__expiresAt"])
    name = graphene.String()
    email = graphene.String()
    region = graphene.String()
    skills = graphene.Field(CONNECTIONS["Skill"], args=nested_args("Skill"),
                            description=_described("skills"))
    occupation = graphene.Field(OBJECTS["Occupation"], description=_described("occupation"))


class ProcessingRecord(graphene.ObjectType):
    """What one organisation's clients read of citizens' data for one purpose."""

    organisation = graphene.Field(OBJECTS["Organisation"], required=True,
                                  resolver=record_resolver("Organisation", "organisationId"))
    purpose = graphene.String(required=True)
    categories = graphene.List(graphene.NonNull(DataCategory), required=True,
                               resolver=lambda parent, info: _codes(parent, "categories"))
    reads = graphene.Int(required=True)
    citizens = graphene.Int(required=True)
    client_ids = graphene.List(graphene.NonNull(graphene.String), required=True)
    first_access_at = DateTime()
    last_access_at = DateTime()
    live_consents = graphene.Int(required=True)


_RECORDS = ("consent", "read", "skills", "occupation")
"""The profile's fields that are the model's records, compiled in the read."""


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
    purposes = connection_field(
        "Purpose", "The purposes organisations declared for citizens' data: approved ones for "
        "everyone, proposed ones for their organisation and lab staff.")

    @staticmethod
    def resolve_citizen_profile(root: Any, info: Any, citizen_id: str, purpose: str
                                ) -> dict[str, Any]:
        context = ctx(info)
        selection = root_selection(info)
        profile = service.citizen_profile(
            context.graph, context.principal, citizen_id=citizen_id, purpose=purpose,
            root=selection, viewer=viewer(info), document=document_key(info))
        for sel in selection.children:
            if sel.field in _RECORDS and isinstance(profile.get(sel.key), dict):
                profile[sel.key] = Compiled(profile[sel.key])
        return profile

    @staticmethod
    def resolve_record_of_processing(root: Any, info: Any) -> list[dict[str, Any]]:
        # The organisations it names: one statement for all the rows, not one per row.
        return prefetch_records(info, ProcessingRecord,
                                service.record_of_processing(ctx(info).graph))
