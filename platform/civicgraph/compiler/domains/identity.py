"""Identity and consent in the model: the consents citizens give organisations, the access
events a partner's read of citizen data writes, and the OAuth clients that act for
organisations.

Who sees what is each type's ``guard``: a consent is seen by the citizen who gave it, the
organisation it was given to and admins; an access event by the citizen it is about and admins
(the record of processing is admin's); an OAuth client by its organisation and admins. A
citizen reached through a consent is a ``Person`` under its own guard, so an organisation never
learns a citizen's name from a consent: that takes ``citizenProfile``, under the consent, which
logs the read.

The closed sets are the tables the services check (``CATEGORIES``, ``GRANT_TYPES``): stored as
lower-case codes, served as the enum names the GraphQL layer gives those codes.
"""

from __future__ import annotations

from civicgraph.compiler.model import _COMMON, DATETIME, ID, INT, NodeType, Prop, Rel

CATEGORIES: dict[str, str] = {
    "contact": "Name, email and region",
    "skills": "The skills the citizen has recorded",
    "occupation": "The citizen's occupation",
}
"""The categories of a citizen's data a consent can cover."""

GRANT_TYPES: dict[str, str] = {
    "client_credentials": "The client acts for itself with its secret (confidential clients)",
    "authorization_code": "A person signs in and approves the client (with PKCE)",
    "refresh_token": "The client renews an access token without asking the person again",
}
"""How a client obtains tokens."""

CONSENT_STATUSES = ("LIVE", "WITHDRAWN", "EXPIRED")

ACCESS_OUTCOMES: dict[str, str] = {
    "READ": "A live consent covered the read: the categories in fields were read.",
    "REFUSED": "No live consent covered the request: nothing was read (fields were asked for).",
}
"""What became of a partner's request for a citizen's data; both are logged."""

_STATUS = ("CASE WHEN {v}.withdrawnAt IS NOT NULL THEN 'WITHDRAWN' "
           "WHEN {v}.expiresAt <= datetime() THEN 'EXPIRED' ELSE 'LIVE' END")


def _codes(name: str, table: dict[str, str], enum: str, description: str) -> Prop:
    """A list of a table's codes, served as the enum's names (the codes upper-cased)."""
    return Prop(name, many=True, filter=False, read_only=True, required=True,
                choices=tuple(code.upper() for code in table), meanings=tuple(table.values()),
                enum=enum, expr="[x IN coalesce({v}." + name + ", []) | toUpper(x)]",
                description=description)


CONSENT = NodeType(
    "Consent", "Consent",
    (*_COMMON, Prop("purpose", required=True, order=True, read_only=True),
     _codes("categories", CATEGORIES, "DataCategory", "The categories of data it covers."),
     Prop("grantedAt", DATETIME, required=True, order=True, read_only=True),
     Prop("expiresAt", DATETIME, required=True, order=True, read_only=True),
     Prop("withdrawnAt", DATETIME, read_only=True),
     Prop("status", required=True, read_only=True, filter=False, expr=_STATUS,
          choices=CONSENT_STATUSES, meanings=(
              "Allows reads for its purpose until it expires.",
              "Withdrawn by the citizen (or replaced by a newer consent).",
              "Past its end date."))),
    (Rel("organisation", "TO", "out", "Organisation", many=False,
         description="The organisation it allows to read."),
     Rel("citizen", "GAVE", "in", "Person", many=False,
         description="Who gave it (seen by themselves and admins)."),
     Rel("supersededBy", "SUPERSEDES", "in", "Consent", many=False,
         description="The consent that replaced this one, if any."),
     Rel("supersedes", "SUPERSEDES", "out", "Consent", many=False,
         description="The consent this one replaced, if any.")),
    default_order=("grantedAt",),
    guard=("($admin OR EXISTS { ({v})<-[:GAVE]-(:Person {id: $callerPerson}) } "
           "OR EXISTS { ({v})-[:TO]->(:Organisation {id: $callerOrganisation}) })"),
    description="A citizen's consent to one organisation using some of their data for one "
                "purpose, until it expires or is withdrawn.",
)

ACCESS_EVENT = NodeType(
    "AccessEvent", "AccessEvent",
    (Prop("id", ID, required=True, read_only=True),
     Prop("at", DATETIME, required=True, order=True, read_only=True),
     Prop("purpose", required=True, read_only=True),
     _codes("fields", CATEGORIES, "DataCategory", "The data categories read."),
     Prop("clientId", required=True, read_only=True,
          description="The OAuth client id that read."),
     Prop("outcome", required=True, read_only=True, choices=tuple(ACCESS_OUTCOMES),
          meanings=tuple(ACCESS_OUTCOMES.values()), enum="AccessOutcome",
          description="Whether the request was read or refused."),
     Prop("seq", INT, required=True, order=True, read_only=True,
          description="Its place in the citizen's access log: 1, 2, ... without gaps."),
     Prop("prevHash", read_only=True, filter=False,
          description="The hash of the event before it in the citizen's log (64 zeros for "
                      "the first)."),
     Prop("hash", read_only=True, filter=False,
          description="SHA-256 of the event's canonical form, which includes prevHash: "
                      "changing, removing or reordering an event breaks the chain.")),
    (Rel("organisation", "BY", "out", "Organisation", many=False,
         description="The organisation whose client read."),
     Rel("citizen", "ABOUT", "out", "Person", many=False,
         description="Whose data was read."),
     Rel("consent", "UNDER", "out", "Consent", many=False,
         description="The consent that allowed the read (none when refused).")),
    default_order=("at",),
    guard="($admin OR EXISTS { ({v})-[:ABOUT]->(:Person {id: $callerPerson}) })",
    description="One request for a citizen's data by an organisation's client, read or "
                "refused, in the citizen's hash-chained access log.",
)

OAUTH_CLIENT = NodeType(
    "OAuthClient", "OAuthClient",
    (*_COMMON, Prop("clientId", required=True, order=True, read_only=True),
     Prop("name", required=True, order=True, read_only=True),
     Prop("scopes", many=True, required=True, filter=False, read_only=True,
          expr="coalesce({v}.scopes, [])"),
     _codes("grantTypes", GRANT_TYPES, "GrantType", "How it obtains tokens."),
     Prop("redirectUris", many=True, required=True, filter=False, read_only=True,
          expr="coalesce({v}.redirectUris, [])"),
     Prop("public", "Boolean", required=True, filter=False, read_only=True,
          expr="coalesce({v}.authMethod = 'none', false)",
          description="No secret (a browser or native app with PKCE)."),
     Prop("revoked", "Boolean", required=True, filter=False, read_only=True,
          expr="coalesce({v}.revoked, false)")),
    (Rel("organisation", "OWNED_BY", "out", "Organisation", many=False,
         description="The organisation it acts for, if any."),),
    default_order=("createdAt",),
    guard="($admin OR EXISTS { ({v})-[:OWNED_BY]->(:Organisation {id: $callerOrganisation}) })",
    description="A registered OAuth client (its secret is never shown after creation).",
)

CITIZEN_VIEW = NodeType(
    "CitizenProfile", "Person",
    (Prop("name"), Prop("email"), Prop("region")),
    (Rel("skills", "HAS_SKILL", "out", "Skill", connection=True,
         description="The skills the citizen recorded; null unless the consent covers skills."),
     Rel("occupation", "HAS_OCCUPATION", "out", "Occupation", many=False,
         description="The citizen's occupation; null unless the consent covers it.")),
    description="A citizen's data as one live consent allows.",
)
"""What ``citizenProfile`` reads of a citizen: not a type of the model (no ``node(id:)``, no
list): the fields the consented read compiles from the client's selection, each inside its
category's test, in the statement that checks the consent and logs the read. Skills and
occupations are the model's own records."""

CATEGORY_OF: dict[str, str] = {"name": "contact", "email": "contact", "region": "contact",
                               "skills": "skills", "occupation": "occupation"}
"""Which category of ``CATEGORIES`` each field of the consented view belongs to."""

TYPES: tuple[NodeType, ...] = (CONSENT, ACCESS_EVENT, OAUTH_CLIENT)
