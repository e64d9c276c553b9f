"""The partner graph's readable types, as the compiler and the GraphQL layer both see them.

One table drives the Cypher the compiler writes (labels, properties, relationship patterns,
filters, orderings), the GraphQL types built from it and the rules every write obeys (each
property's ``rules``: required, length, format, allowed values), so a field cannot exist in one
and not the other, and a value refused by a mutation is refused by a feed or a seed too. Every
label, property and relationship type named here is a constant of the code; user values only
ever travel as parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from civicgraph.core import validation
from civicgraph.core.validation import Rules

STRING, INT, FLOAT, DATE, DATETIME = "String", "Int", "Float", "Date", "DateTime"
ID, KIND = "ID", "Kind"

TEXT_MAX = 200
"""A text property's length limit unless it declares its own."""
LONG_TEXT_MAX = 4000


def _region_code() -> Prop:
    """A record's region as its ONS GSS code (``E12000003``), beside the human ``region``: the
    code is what joins official statistics (the partner graph's vocabulary lists the nine
    English regions)."""
    return Prop("regionCode", order=True, pattern=r"[EWSNK][0-9]{8}",
                hint="a GSS code: a letter and eight digits, such as E12000003",
                description="The region's ONS GSS code (E12000001 to E12000009 in England).")

# GraphQL enum value -> the organisation node's kind label (design brief section 3).
KIND_LABELS: dict[str, str] = {
    "AGENCY": "Agency",
    "START_UP": "StartUp",
    "EMPLOYER": "Employer",
    "TRAINING_PROVIDER": "TrainingProvider",
    "THIRD_SECTOR": "ThirdSector",
    "RESEARCH": "Research",
}
KIND_MEANINGS: dict[str, str] = {
    "AGENCY": "A public employment or social-services agency.",
    "START_UP": "A young company building a product or service.",
    "EMPLOYER": "An organisation that hires people.",
    "TRAINING_PROVIDER": "A school, college or other provider of training courses.",
    "THIRD_SECTOR": "A charity, association or other non-profit.",
    "RESEARCH": "A university or research institute.",
}
"""What each organisation kind is: ``OrganisationKind``'s value descriptions."""
PLATFORM_KINDS = ("JOB_BOARD", "TRAINING_CATALOGUE", "COMPANY_REGISTER", "SERVICE_DIRECTORY",
                  "OTHER")
PLATFORM_KIND_MEANINGS = ("Publishes vacancies.", "Publishes training courses.",
                          "A register of companies (legal facts).",
                          "Publishes public or partner services.", "Anything else.")


@dataclass(frozen=True)
class Prop:
    """A scalar field: its graph property and type; temporal values are returned as ISO text.

    ``required`` holds on create (and a required value cannot be cleared); ``read_only`` fields
    are the node envelope and derived figures, which no write sets. The remaining fields are
    the property's rules (see ``rules``).
    """

    name: str
    kind: str = STRING
    required: bool = False
    prop: str = ""
    filter: bool = True
    order: bool = False
    read_only: bool = False
    max_length: int | None = None
    pattern: str = ""
    hint: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    meanings: tuple[str, ...] = ()
    """What each of ``choices`` means, in order: the enum's value descriptions."""
    enum: str = ""
    """The enum's name when the set is served by more than this field (a pilot's funding
    method in its inputs and figures, a consent's ``DataCategory``); else ``<Type><Field>``."""
    count_of: str = ""
    """A figure no write stores: the live count of the (visible) records of the relationship
    field of this name, computed by the statement that reads, filters or orders by it."""
    expr: str = ""
    """A value computed in the read (``{v}`` is the node's variable) rather than stored."""
    many: bool = False
    """A list of scalars (a pilot's involved parties)."""
    deprecated: str = ""
    """Why a field is on its way out (a raw id beside its relationship), shown in the schema."""
    description: str = ""

    @property
    def rules(self) -> Rules:
        """What a write may store here: text is limited to TEXT_MAX unless declared otherwise,
        an organisation's kind is one of KIND_LABELS, dates are dates."""
        text = self.kind == STRING
        return Rules(
            required=self.required,
            max_length=self.max_length or (TEXT_MAX if text else None),
            pattern=self.pattern, hint=self.hint,
            choices=self.choices or (tuple(KIND_LABELS) if self.kind == KIND else ()),
            minimum=self.minimum, date=self.kind in (DATE, DATETIME))

    @property  # defined last: the name shadows the builtin in the rest of the class body
    def property(self) -> str:
        return self.prop or self.name


@dataclass(frozen=True)
class Rel:
    """A field that follows a relationship; ``many`` fields are lists, others a single node."""

    name: str
    rel_type: str
    direction: str  # "out", "in" or "both", seen from the node owning the field
    target: str
    many: bool = True
    description: str = ""
    connection: bool = False
    """Served as a connection (edges with the relationship's properties, totalCount, pages)."""
    edge: tuple[Prop, ...] = ()
    """The relationship's own properties, on each edge (a pilot partner's ``role``)."""
    order: tuple[str, ...] = ()
    """The default order of a nested connection, when not the target's own."""

    def pattern(self, source: str, target_var: str, target_label: str,
                rel_var: str = "") -> str:
        left = "<-" if self.direction == "in" else "-"
        right = "->" if self.direction == "out" else "-"
        return (f"({source}){left}[{rel_var}:{self.rel_type}]{right}"
                f"({target_var}:{target_label})")


@dataclass(frozen=True)
class RelFilter:
    """A filter on a relationship: in ``cypher``, ``{v}`` is replaced by the node's variable and
    ``{p}`` by the parameter (plain replacement, so Cypher's own braces stay single), and
    ``{seen:x}`` by the caller's visibility test of the related record ``x`` (so a TEST-mode
    record a caller cannot see never makes a filter match)."""

    name: str
    kind: str
    cypher: str
    description: str


@dataclass(frozen=True)
class NodeType:
    name: str
    label: str
    props: tuple[Prop, ...]
    rels: tuple[Rel, ...] = ()
    rel_filters: tuple[RelFilter, ...] = ()
    default_order: tuple[str, ...] = ("name",)
    fulltext_index: str | None = None
    """The full-text index (a migration's) behind the type's root ``search:`` argument."""
    description: str = ""
    ordered: tuple[tuple[str, str], ...] = ()
    """Pairs (low, high) of properties a write may not give the wrong way round."""
    guard: str = ""
    """Who may see a node of this type, as a Cypher predicate on ``{v}`` that reads the
    caller's parameters (``$staff``, ``$expert``, ``$callerOrganisation``, ``$callerPerson``,
    ``$admin``: ``compiler.visibility``) and the constants in ``params``. The compiler adds it to
    every match of the label, root or nested, so a hidden node is never reached through another."""
    params: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Constant parameters the guard and computed fields read (status sets of a lifecycle)."""

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def rel(self, name: str) -> Rel | None:
        return next((r for r in self.rels if r.name == name), None)

    def rel_filter(self, name: str) -> RelFilter | None:
        return next((f for f in self.rel_filters if f.name == name), None)

    @cached_property
    def writable(self) -> tuple[Prop, ...]:
        return tuple(p for p in self.props if not p.read_only)

    @cached_property
    def rules(self) -> dict[str, Rules]:
        return {p.name: p.rules for p in self.writable}

    def clean(self, values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
        """The writable properties among ``values``, checked and trimmed by their rules; every
        write path (mutation, console, feed, seed, generator) stores only what this returns."""
        return validation.clean(self.rules, values, creating=creating, ordered=self.ordered)


_COMMON = (
    Prop("id", ID, required=True, read_only=True),
    Prop("version", INT, required=True, filter=False, read_only=True),
    Prop("createdAt", DATETIME, filter=False, order=True, read_only=True,
         description="When the record was made."),
    Prop("updatedAt", DATETIME, filter=False, order=True, read_only=True,
         description="When the record last changed."),
)


SOURCE_EDGE = (
    Prop("key", required=True, description="The record's key in the platform's feed."),
    Prop("fetchedAt", DATETIME, required=True),
    Prop("hash", required=True, description="sha256 of the mapped record's canonical JSON."),
    Prop("withdrawnAt", DATETIME, description="When the feed stopped listing it."),
)


PARTNERSHIP_EDGE = (
    Prop("since", DATE, order=True, description="When the partnership began, if known."),
    Prop("agreement", description="The agreement it rests on (a reference), if recorded."),
)


def _sources() -> Rel:
    """Provenance: which platforms said this, under which key, when, with which hash."""
    return Rel("sources", "SOURCED_FROM", "out", "PartnerPlatform", connection=True,
               edge=SOURCE_EDGE, description="The partner platforms whose feeds sent it.")


def _exists(pattern: str) -> str:
    return "EXISTS { " + pattern + " } = {p}"


ORGANISATION = NodeType(
    "Organisation", "Organisation",
    (*_COMMON,
     Prop("name", required=True, order=True), Prop("kind", KIND, required=True, order=True),
     Prop("region", required=True, order=True, max_length=100), _region_code(),
     Prop("description", max_length=LONG_TEXT_MAX), Prop("website"), Prop("businessId"),
     Prop("partnerCount", INT, order=True, read_only=True, count_of="partners")),
    (Rel("partners", "PARTNERS_WITH", "both", "Organisation", connection=True,
         edge=PARTNERSHIP_EDGE, description="Its direct partners, with the partnership's terms."),
     Rel("vacancies", "OFFERED_BY", "in", "Vacancy", connection=True),
     Rel("trainingCourses", "OFFERED_BY", "in", "TrainingCourse", connection=True),
     Rel("services", "OFFERED_BY", "in", "Service", connection=True),
     Rel("fields", "IN_FIELD", "out", "Field", connection=True,
         description="Fields of expertise it works in."),
     Rel("skills", "HAS_SKILL", "out", "Skill", connection=True,
         description="Skills it has capability in."),
     Rel("platforms", "OPERATES", "out", "PartnerPlatform", connection=True),
     Rel("challenges", "POSTED_BY", "in", "Challenge", connection=True,
         description="Challenges it posted to the lab."),
     Rel("proposals", "SUBMITTED_BY", "in", "Proposal", connection=True,
         description="Proposals it made to the lab's challenges."),
     Rel("pilots", "INVOLVES", "in", "Pilot", connection=True,
         edge=(Prop("role", required=True, enum="PilotPartnerRole"),),
         description="Pilots it is involved in, with its role in each."),
     _sources()),
    (RelFilter("field", STRING, "EXISTS { ({v})-[:IN_FIELD]->(:Field {code: {p}}) }",
               "Works in the field with this code."),
     RelFilter("skill", STRING, "EXISTS { ({v})-[:HAS_SKILL]->(:Skill {uri: {p}}) }",
               "Has capability in the skill with this URI."),
     RelFilter("capableIn", "Capability",
               "(EXISTS { ({v})-[:IN_FIELD]->(f:Field) WHERE f.code IN {p}.fields } OR "
               "EXISTS { ({v})-[:HAS_SKILL]->(s:Skill) WHERE s.uri IN {p}.skills })",
               "Works in any of these fields or has any of these skills."),
     RelFilter("partnerOf", ID,
               "EXISTS { ({v})-[:PARTNERS_WITH]-({v}_r:Organisation {id: {p}}) "
               "WHERE {seen:{v}_r} }",
               "Is a direct partner of the organisation with this id."),
     RelFilter("hasPartners", "Boolean", _exists("({v})-[:PARTNERS_WITH]-({v}_r:Organisation) "
                                                 "WHERE {seen:{v}_r}"),
               "Has (true) or has no (false) partners."),
     RelFilter("hasVacancies", "Boolean", _exists("({v})<-[:OFFERED_BY]-({v}_r:Vacancy) "
                                                  "WHERE {seen:{v}_r}"),
               "Offers (true) or offers no (false) vacancies.")),
    fulltext_index="organisation_text",
    description="An organisation of the ecosystem; `kind` names which one.",
)

FIELD = NodeType(
    "Field", "Field",
    (*_COMMON, Prop("code", required=True, order=True), Prop("name", required=True, order=True)),
    (Rel("organisations", "IN_FIELD", "in", "Organisation", connection=True),
     Rel("services", "IN_FIELD", "in", "Service", connection=True)),
    description="A field of expertise of the lab (e.g. employment services).",
)

SKILL = NodeType(
    "Skill", "Skill",
    (*_COMMON, Prop("uri", required=True, order=True), Prop("name", required=True, order=True)),
    (Rel("organisations", "HAS_SKILL", "in", "Organisation", connection=True),
     Rel("vacancies", "REQUIRES", "in", "Vacancy", connection=True),
     Rel("trainingCourses", "TEACHES", "in", "TrainingCourse", connection=True),
     Rel("occupations", "NEEDS_SKILL", "in", "Occupation", connection=True)),
    description="An ESCO-style skill.",
)

OCCUPATION = NodeType(
    "Occupation", "Occupation",
    (*_COMMON, Prop("uri", required=True, order=True), Prop("code", order=True),
     Prop("name", required=True, order=True)),
    (Rel("skills", "NEEDS_SKILL", "out", "Skill", connection=True),
     Rel("vacancies", "FOR_OCCUPATION", "in", "Vacancy", connection=True)),
    description="An ESCO-style occupation with its ISCO-08 code.",
)

PARTNER_PLATFORM = NodeType(
    "PartnerPlatform", "PartnerPlatform",
    (*_COMMON,
     Prop("name", required=True, order=True, pattern=r"[a-z0-9][a-z0-9-]{1,62}",
          hint="2-63 lower-case letters, digits or dashes"),
     Prop("kind", choices=PLATFORM_KINDS, meanings=PLATFORM_KIND_MEANINGS),
     Prop("mode", choices=("TEST", "PRODUCTION"), meanings=(
         "Onboarding: its records are seen by its own client and admins only.",
         "Promoted by an admin: its records are public.")),
     Prop("connector", read_only=True),
     Prop("transport", read_only=True, enum="FeedTransport",
          description="How its feed's records arrive."),
     Prop("allowedRecordTypes", many=True, filter=False, read_only=True),
     Prop("clientId", read_only=True, description="The OAuth client it acts through."),
     Prop("scheduleSeconds", INT, read_only=True),
     Prop("nextSyncAt", DATETIME, order=True, read_only=True),
     Prop("promotedAt", DATETIME, read_only=True)),
    (Rel("operators", "OPERATES", "in", "Organisation", connection=True),
     Rel("syncRuns", "SYNCS", "in", "SyncRun", connection=True, order=("requestedAt",),
         description="Its feed's sync runs, oldest first.")),
    description="Another organisation's system whose feed joins the graph.",
)

VACANCY = NodeType(
    "Vacancy", "Vacancy",
    (*_COMMON, Prop("title", required=True, order=True),
     Prop("description", max_length=LONG_TEXT_MAX),
     Prop("region", order=True), _region_code(), Prop("postedAt", DATE, order=True),
     Prop("closesAt", DATE, order=True), Prop("contractType"),
     Prop("salaryMin", INT, order=True, minimum=0), Prop("salaryMax", INT, order=True, minimum=0),
     Prop("status", order=True, choices=("OPEN", "CLOSED", "WITHDRAWN"), meanings=(
         "Taking applications.", "No longer taking applications.",
         "No partner feed lists it any more."))),
    (Rel("organisation", "OFFERED_BY", "out", "Organisation", many=False),
     Rel("occupation", "FOR_OCCUPATION", "out", "Occupation", many=False),
     Rel("skills", "REQUIRES", "out", "Skill", connection=True), _sources()),
    (RelFilter("organisation", ID, "EXISTS { ({v})-[:OFFERED_BY]->({v}_r:Organisation {id: {p}}) "
               "WHERE {seen:{v}_r} }",
               "Offered by the organisation with this id."),
     RelFilter("skill", STRING, "EXISTS { ({v})-[:REQUIRES]->(:Skill {uri: {p}}) }",
               "Requires the skill with this URI."),
     RelFilter("occupation", STRING,
               "EXISTS { ({v})-[:FOR_OCCUPATION]->(:Occupation {uri: {p}}) }",
               "For the occupation with this URI.")),
    default_order=("title",),
    fulltext_index="vacancy_text",
    description="A job vacancy offered by an organisation.",
    ordered=(("salaryMin", "salaryMax"),),
)

TRAINING_COURSE = NodeType(
    "TrainingCourse", "TrainingCourse",
    (*_COMMON, Prop("title", required=True, order=True),
     Prop("description", max_length=LONG_TEXT_MAX), Prop("region", order=True), _region_code(),
     Prop("mode", choices=("IN_PERSON", "ONLINE", "BLENDED"), meanings=(
         "Taught in a classroom.", "Taught online.", "Partly in a classroom, partly online.")),
     Prop("durationHours", INT, order=True, minimum=0),
     Prop("startDate", DATE, order=True), Prop("cost", FLOAT, order=True, minimum=0)),
    (Rel("provider", "OFFERED_BY", "out", "Organisation", many=False),
     Rel("skills", "TEACHES", "out", "Skill", connection=True), _sources()),
    (RelFilter("skill", STRING, "EXISTS { ({v})-[:TEACHES]->(:Skill {uri: {p}}) }",
               "Teaches the skill with this URI."),
     RelFilter("provider", ID, "EXISTS { ({v})-[:OFFERED_BY]->({v}_r:Organisation {id: {p}}) "
               "WHERE {seen:{v}_r} }",
               "Offered by the organisation with this id.")),
    default_order=("title",),
    fulltext_index="training_course_text",
    description="A training course offered by an organisation.",
)

SERVICE = NodeType(
    "Service", "Service",
    (*_COMMON, Prop("name", required=True, order=True),
     Prop("description", max_length=LONG_TEXT_MAX), Prop("region", order=True),
     Prop("audience")),
    (Rel("provider", "OFFERED_BY", "out", "Organisation", many=False),
     Rel("fields", "IN_FIELD", "out", "Field", connection=True)),
    (RelFilter("field", STRING, "EXISTS { ({v})-[:IN_FIELD]->(:Field {code: {p}}) }",
               "In the field with this code."),),
    fulltext_index="service_text",
    description="A public or partner service offered to citizens.",
)

TYPES: dict[str, NodeType] = {
    t.name: t for t in (ORGANISATION, FIELD, SKILL, OCCUPATION, PARTNER_PLATFORM, VACANCY,
                        TRAINING_COURSE, SERVICE)
}

PARTNER_GRAPH_TYPES = tuple(TYPES)
"""The partner graph's own types (its create/update/delete mutations are per type)."""

# The other domains' declarations use the classes above, so they join the table last.
from civicgraph.compiler.domains import feeds, identity, kits, lab, webhooks  # noqa: E402

TYPES.update({t.name: t for t in (*lab.TYPES, *feeds.TYPES, *identity.TYPES, *kits.TYPES,
                                  *webhooks.TYPES)})

PARAMS: dict[str, list[str]] = {
    name: list(values) for t in TYPES.values() for name, values in t.params}
"""Every guard's constant parameters, sent with every compiled statement."""
