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

from typing import LiteralString

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

CONSENT_STATUSES = ("LIVE", "REPLACED", "WITHDRAWN", "EXPIRED")

ACCESS_OUTCOMES: dict[str, str] = {
    "READ": "A live consent covered the read: the categories in fields were read.",
    "REFUSED": "No live consent covered the request: nothing was read (fields were asked for).",
}
"""What became of a partner's request for a citizen's data; both are logged."""

STATUS_EXPR: LiteralString = (
    "CASE WHEN EXISTS { (:Consent)-[:SUPERSEDES]->({v}) } THEN 'REPLACED' "
    "WHEN {v}.withdrawnAt IS NOT NULL THEN 'WITHDRAWN' "
    "WHEN {v}.expiresAt <= datetime() THEN 'EXPIRED' ELSE 'LIVE' END")
"""A consent's status, computed where it is read (``{v}`` is the consent)."""

LEGAL_BASES: dict[str, str] = {
    "CONSENT": "The citizen's consent (GDPR art. 6(1)(a))",
    "CONTRACT": "A contract with the citizen, or steps they asked for before one (art. 6(1)(b))",
    "LEGAL_OBLIGATION": "A legal obligation of the organisation (art. 6(1)(c))",
    "PUBLIC_TASK": "A task in the public interest or of official authority (art. 6(1)(e))",
    "LEGITIMATE_INTERESTS": "The organisation's legitimate interests (art. 6(1)(f))",
}
"""Why an organisation may process the data of a declared purpose (GDPR art. 6(1))."""

PURPOSE_STATUSES: dict[str, str] = {
    "PROPOSED": "Declared by the organisation, waiting for the lab's approval.",
    "APPROVED": "Approved by the lab: citizens may consent to it.",
    "RETIRED": "No longer offered; consents already given stay until they end.",
}
PURPOSE_CODE = r"^[a-z0-9][a-z0-9-]{1,63}$"

DATA_USE_KINDS: dict[str, str] = {
    "matches_shown": "Vacancies matched to the citizen and shown to them",
    "courses_suggested": "Training courses suggested to the citizen",
    "application": "An application made for or with the citizen",
    "interview": "A job interview arranged for the citizen",
    "service_delivered": "A service delivered to the citizen",
}
"""What an organisation did with a read of a citizen's data: the value the citizen sees."""


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
     Prop("withdrawnAt", DATETIME, read_only=True,
          description="When it stopped allowing reads: withdrawn, or replaced by a newer one."),
     Prop("purposeVersion", INT, read_only=True, filter=False,
          description="The version of the declared purpose the citizen agreed to."),
     Prop("status", required=True, read_only=True, filter=False, expr=STATUS_EXPR,
          choices=CONSENT_STATUSES, meanings=(
              "Allows reads for its purpose until it expires.",
              "Replaced by a newer consent (narrowed or extended) for the same purpose.",
              "Withdrawn by the citizen.",
              "Past its end date."))),
    (Rel("organisation", "TO", "out", "Organisation", many=False,
         description="The organisation it allows to read."),
     Rel("declaredPurpose", "FOR", "out", "Purpose", many=False,
         description="The organisation's declared purpose it was given for."),
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

_THE_CITIZENS = "$admin OR EXISTS { ({v})-[:ABOUT]->(:Person {id: $callerPerson}) }"


def _chain(name: str) -> str:
    """A field of the citizen's chain: how many requests the citizen's log holds, from every
    organisation, is not the business of the one that made this request."""
    return f"CASE WHEN {_THE_CITIZENS} THEN {{v}}.{name} END"


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
     Prop("seq", INT, read_only=True, filter=False, expr=_chain("seq"),
          description="Its place in the citizen's access log: 1, 2, ... without gaps (the "
                      "citizen's and admins' to see)."),
     Prop("prevHash", read_only=True, filter=False, expr=_chain("prevHash"),
          description="The hash of the event before it in the citizen's log (64 zeros for "
                      "the first; the citizen's and admins' to see)."),
     Prop("hash", read_only=True, filter=False, expr=_chain("hash"),
          description="SHA-256 of the event's canonical form, which includes prevHash: "
                      "changing, removing or reordering an event breaks the chain (the "
                      "citizen's and admins' to see).")),
    (Rel("organisation", "BY", "out", "Organisation", many=False,
         description="The organisation whose client read."),
     Rel("citizen", "ABOUT", "out", "Person", many=False,
         description="Whose data was read."),
     Rel("consent", "UNDER", "out", "Consent", many=False,
         description="The consent that allowed the read (none when refused)."),
     Rel("uses", "FROM_READ", "in", "DataUse", connection=True,
         description="What the organisation did with this read, as it recorded it.")),
    default_order=("at",),
    # The organisation sees the requests it made (it knows it made them; the citizen stays a
    # Person under Person's guard); the chain's fields stay the citizen's (_chain).
    guard=f"({_THE_CITIZENS} OR EXISTS {{ ({{v}})-[:BY]->(:Organisation "
          "{id: $callerOrganisation}) })",
    description="One request for a citizen's data by an organisation's client, read or "
                "refused, in the citizen's hash-chained access log.",
)

PURPOSE = NodeType(
    "Purpose", "Purpose",
    (*_COMMON,
     Prop("code", required=True, order=True, pattern=PURPOSE_CODE, max_length=64,
          hint="a short code of lower-case letters, digits and dashes, e.g. job-matching",
          description="What partners name in citizenProfile(purpose:)."),
     Prop("nameEn", required=True, max_length=120, description="Its name in English."),
     Prop("nameFr", required=True, max_length=120, description="Its name in French."),
     Prop("descriptionEn", required=True, max_length=1000,
          description="What the data is used for, in plain English."),
     Prop("descriptionFr", required=True, max_length=1000,
          description="What the data is used for, in plain French."),
     Prop("benefitEn", required=True, max_length=500,
          description="The service the citizen gets in return, in English."),
     Prop("benefitFr", required=True, max_length=500,
          description="The service the citizen gets in return, in French."),
     _codes("categories", CATEGORIES, "DataCategory", "The categories of data it needs."),
     Prop("legalBasis", required=True, choices=tuple(LEGAL_BASES),
          meanings=tuple(LEGAL_BASES.values()), description="Why it may process the data."),
     Prop("retentionDays", INT, required=True, minimum=1,
          description="How long the organisation keeps what it read, in days."),
     Prop("status", required=True, read_only=True, choices=tuple(PURPOSE_STATUSES),
          meanings=tuple(PURPOSE_STATUSES.values())),
     Prop("approvedAt", DATETIME, read_only=True,
          description="When the lab approved this version.")),
    (Rel("organisation", "DECLARED_BY", "out", "Organisation", many=False,
         description="The organisation that declared it."),),
    default_order=("code",),
    guard=("({v}.status = 'APPROVED' OR $staff OR "
           "EXISTS { ({v})-[:DECLARED_BY]->(:Organisation {id: $callerOrganisation}) })"),
    description="A purpose an organisation declares for citizens' data: what it uses which "
                "categories for, on which legal basis, for how long, and what the citizen "
                "gets in return. Citizens consent to approved purposes only.",
)

DATA_USE = NodeType(
    "DataUse", "DataUse",
    (Prop("id", ID, required=True, read_only=True),
     Prop("at", DATETIME, required=True, order=True, read_only=True),
     Prop("kind", required=True, read_only=True, choices=tuple(k.upper() for k in DATA_USE_KINDS),
          meanings=tuple(DATA_USE_KINDS.values()), expr="toUpper({v}.kind)",
          description="What the organisation did."),
     Prop("count", INT, required=True, read_only=True, filter=False,
          description="How many (vacancies shown, courses suggested, ...)."),
     Prop("note", read_only=True, filter=False,
          description="The organisation's words to the citizen, if any."),
     Prop("links", many=True, required=True, read_only=True, filter=False,
          expr="coalesce({v}.links, [])", description="Where the citizen can see it.")),
    (Rel("organisation", "BY", "out", "Organisation", many=False,
         description="The organisation that recorded it."),
     Rel("citizen", "ABOUT", "out", "Person", many=False,
         description="Whom it was for."),
     Rel("read", "FROM_READ", "out", "AccessEvent", many=False,
         description="The read of the citizen's data it came from.")),
    default_order=("at",),
    guard=("($admin OR EXISTS { ({v})-[:ABOUT]->(:Person {id: $callerPerson}) } "
           "OR EXISTS { ({v})-[:BY]->(:Organisation {id: $callerOrganisation}) })"),
    description="What an organisation did with one read of a citizen's data (matches shown, "
                "courses suggested, an interview, a service): the value the citizen sees "
                "beside the read.",
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

TYPES: tuple[NodeType, ...] = (CONSENT, ACCESS_EVENT, OAUTH_CLIENT, PURPOSE, DATA_USE)
