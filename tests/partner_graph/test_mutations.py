"""Create, update and delete with validation, optimistic concurrency and error codes."""

from __future__ import annotations

from collections.abc import Mapping

from flask.testing import FlaskClient

from tests.builders import gql
from tests.partner_graph.builders import SKILL, build, create, ok, register

UPDATE_VACANCY = """mutation U($input: UpdateVacancyInput!) {
  updateVacancy(input: $input) {
    vacancy { id title version salaryMin skills { nodes { name } } organisation { name } } } }"""
DELETE_VACANCY = """mutation D($id: ID!, $version: Int) {
  deleteVacancy(input: {id: $id, version: $version}) { deletedId } }"""


def update(record_id: str, version: int, values: Mapping[str, object]) -> dict[str, object]:
    """The variables of an update: the record, the version read and the new values."""
    return {"input": {"id": record_id, "version": version, **values}}


def code(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list)
    value: str = errors[0]["extensions"]["code"]
    return value


def test_update_names_the_version_it_read(client: FlaskClient) -> None:
    ids = build(client)
    first = ok(client, UPDATE_VACANCY, update(ids["welder"], 1, {
        "title": "Senior Welder", "salaryMin": 32000,
        "skillUris": [SKILL + "welding", SKILL + "python"]}))["updateVacancy"]["vacancy"]
    assert first["version"] == 2 and first["title"] == "Senior Welder"
    assert sorted(s["name"] for s in first["skills"]["nodes"]) == ["Python", "Welding"]
    assert first["organisation"] == {"name": "Northern Rail Works"}
    stale = gql(client, UPDATE_VACANCY, update(ids["welder"], 1, {"title": "Lost update"}))
    assert code(stale) == "CONFLICT"
    assert stale["errors"][0]["extensions"]["currentVersion"] == 2
    again = ok(client, "query N($id: ID!) { node(id: $id) { ... on Vacancy { title version } } }",
               {"id": ids["welder"]})
    assert again["node"] == {"title": "Senior Welder", "version": 2}


def test_update_and_delete_errors(client: FlaskClient) -> None:
    ids = build(client)
    missing = gql(client, UPDATE_VACANCY, update("no-such-id", 1, {"title": "x"}))
    assert code(missing) == "NOT_FOUND"
    unknown_skill = gql(client, UPDATE_VACANCY, update(ids["welder"], 1, {
        "skillUris": [SKILL + "juggling"]}))
    assert code(unknown_skill) == "NOT_FOUND"
    assert "juggling" in unknown_skill["errors"][0]["message"]
    for bad in ({"title": ""}, {"salaryMin": -1}, {"salaryMin": 50000, "salaryMax": 10},
                {"title": "t" * 201}, {"description": "d" * 4001}):
        body = gql(client, UPDATE_VACANCY, update(ids["welder"], 1, bad))
        assert code(body) == "BAD_USER_INPUT", (bad, body)
    # A status is a VacancyStatus: one outside the set is refused before anything runs.
    body = gql(client, UPDATE_VACANCY, update(ids["welder"], 1, {"status": "MAYBE"}),
               status=None)
    assert code(body) == "BAD_USER_INPUT" and "VacancyStatus" in body["errors"][0]["message"]
    body = gql(client, UPDATE_VACANCY, update(ids["welder"], 1, {"postedAt": "yesterday"}),
               status=None)
    assert code(body) == "BAD_USER_INPUT"
    # Nothing above changed the vacancy.
    assert ok(client, "query N($id: ID!) { node(id: $id) { ... on Vacancy { version } } }",
              {"id": ids["welder"]})["node"] == {"version": 1}
    assert code(gql(client, DELETE_VACANCY, {"id": ids["welder"], "version": 7})) == "CONFLICT"
    assert ok(client, DELETE_VACANCY, {"id": ids["welder"], "version": 1})["deleteVacancy"] == {
        "deletedId": ids["welder"]}
    assert code(gql(client, DELETE_VACANCY, {"id": ids["welder"]})) == "NOT_FOUND"
    assert ok(client, "{ vacancies { totalCount } }")["vacancies"]["totalCount"] == 2
    # An organisation still offering vacancies is kept: they would be offered by no one.
    busy = gql(client,
               "mutation D($id: ID!) { deleteOrganisation(input: {id: $id}) { deletedId } }",
               {"id": ids["D"]})
    assert code(busy) == "CONFLICT"
    assert "still offers 1" in busy["errors"][0]["message"]


def test_create_validates_and_requires_existing_relations(client: FlaskClient) -> None:
    org = register(client, "Employer", "EMPLOYER", "North")
    query = """mutation C($input: CreateVacancyInput!) {
        createVacancy(input: $input) { vacancy { id } } }"""
    no_org = gql(client, query, {"input": {"title": "Job", "organisationId": "nope"}})
    assert code(no_org) == "NOT_FOUND"
    no_title = gql(client, query, {"input": {"title": " ", "organisationId": org}})
    assert code(no_title) == "BAD_USER_INPUT"
    unknown = gql(client, query, {"input": {"title": "Job", "organisationId": org,
                                            "skillUris": ["http://example.org/none"]}})
    assert code(unknown) == "NOT_FOUND"
    assert ok(client, "{ vacancies { totalCount } }")["vacancies"]["totalCount"] == 0
    create(client, "Skill", {"uri": SKILL + "x", "name": "X"})
    duplicate = gql(client, """mutation S($uri: String!) {
        createSkill(input: {uri: $uri, name: "Y"}) { skill { id } } }""", {"uri": SKILL + "x"})
    assert code(duplicate) == "CONFLICT"


def test_organisation_update_renames_and_changes_kind(client: FlaskClient) -> None:
    a = register(client, "Alpha", "START_UP", "North")
    register(client, "Beta", "START_UP", "North")
    query = """mutation U($input: UpdateOrganisationInput!) {
        updateOrganisation(input: $input) {
          organisation { name kind version } } }"""
    taken = gql(client, query, update(a, 1, {"name": "BETA"}))
    assert code(taken) == "CONFLICT"
    changed = ok(client, query, update(a, 1, {"name": "Gamma", "kind": "EMPLOYER"}))
    assert changed["updateOrganisation"]["organisation"] == {
        "name": "Gamma", "kind": "EMPLOYER", "version": 2}
    employers = ok(client, """{ organisations(where: {kind: {eq: EMPLOYER}}) {
        nodes { name } } }""")
    assert employers["organisations"]["nodes"] == [{"name": "Gamma"}]
    deleted = ok(client, "mutation D($id: ID!) { deleteOrganisation(input: {id: $id, version: 2}) "
                         "{ deletedId } }", {"id": a})
    assert deleted["deleteOrganisation"]["deletedId"] == a


def test_a_rename_is_one_transaction_and_a_refused_one_changes_nothing(
        client: FlaskClient) -> None:
    """The rename reads the stored name and region, then writes: both in one transaction."""
    a = register(client, "Alpha", "START_UP", "North")
    register(client, "Beta", "START_UP", "North")
    query = """mutation U($input: UpdateOrganisationInput!) {
        updateOrganisation(input: $input) { organisation { name version } } }"""
    renamed = gql(client, query, update(a, 1, {"region": "South"}))
    assert renamed["data"]["updateOrganisation"]["organisation"] == {
        "name": "Alpha", "version": 2}
    statements = renamed["extensions"]["cypher"]
    assert len(statements) == 2, statements
    assert statements[0]["transaction"] == statements[1]["transaction"]
    refused = gql(client, query, update(a, 2, {"region": "North", "name": "beta",
                                               "kind": "EMPLOYER"}))
    assert code(refused) == "CONFLICT"
    stored = ok(client, """query O($id: ID!) { organisation(id: $id) {
        name region kind version } }""", {"id": a})
    assert stored["organisation"] == {"name": "Alpha", "region": "South", "kind": "START_UP",
                                      "version": 2}


def test_one_region_rule_for_register_and_update(client: FlaskClient) -> None:
    """A region of 150 characters is too long however the organisation is written."""
    long_region = "r" * 150
    registered = gql(client, """mutation R($input: RegisterOrganisationInput!) {
        registerOrganisation(input: $input) { organisation { id } } }""",
                      {"input": {"name": "Long Region Agency", "kind": "AGENCY",
                                 "region": long_region}})
    assert code(registered) == "BAD_USER_INPUT"
    assert registered["errors"][0]["extensions"]["field"] == "region"
    assert "the limit is 100" in registered["errors"][0]["message"]
    org = register(client, "Short Region Agency", "AGENCY", "North")
    updated = gql(client, """mutation U($input: UpdateOrganisationInput!) {
        updateOrganisation(input: $input) {
          organisation { region version } } }""", update(org, 1, {"region": long_region}))
    assert code(updated) == "BAD_USER_INPUT"
    assert updated["errors"][0]["extensions"]["field"] == "region"
    assert "the limit is 100" in updated["errors"][0]["message"]
    stored = ok(client, "query N($id: ID!) { node(id: $id) { ... on Organisation { region "
                        "version } } }", {"id": org})
    assert stored["node"] == {"region": "North", "version": 1}


REGISTER_PLATFORM = """mutation R($input: RegisterPartnerPlatformInput!) {
  registerPartnerPlatform(input: $input) { platform { id name mode } } }"""


def platform_input(name: str, kind: str = "JOB_BOARD") -> dict[str, object]:
    return {"input": {"name": name, "kind": kind, "connector": "schemaorg-jobposting",
                      "transport": "FILE", "location": "feed.json"}}


def test_a_platform_name_obeys_one_rule_for_register_and_update(client: FlaskClient) -> None:
    platform = ok(client, REGISTER_PLATFORM,
                  platform_input("jobs-board"))["registerPartnerPlatform"]["platform"]
    renamed = gql(client, """mutation U($input: UpdatePartnerPlatformInput!) {
        updatePartnerPlatform(input: $input) {
          partnerPlatform { name } } }""", update(platform["id"], 1, {"name": "Jobs Board!"}))
    assert code(renamed) == "BAD_USER_INPUT"
    assert "lower-case letters, digits or dashes" in renamed["errors"][0]["message"]
    # The kind is an enum: an unknown one is refused before anything runs, naming the enum
    # whose values the schema lists.
    unknown_kind = gql(client, REGISTER_PLATFORM, platform_input("other-board", "PIRATE_RADIO"),
                       status=400)
    assert code(unknown_kind) == "BAD_USER_INPUT"
    assert "PlatformKind" in unknown_kind["errors"][0]["message"]


def test_a_platform_is_only_added_by_registering_it(client: FlaskClient) -> None:
    """createPartnerPlatform skipped TEST mode and the kind check, then broke partnerFeeds with
    INTERNAL_SERVER_ERROR for every caller; registering is now the only way in."""
    gone = gql(client, """mutation { createPartnerPlatform(input: {name: "side-door",
        kind: "ANYTHING"}) { partnerPlatform { id } } }""", status=400)
    assert code(gone) == "GRAPHQL_VALIDATION_FAILED"
    platform = ok(client, REGISTER_PLATFORM,
                  platform_input("front-door"))["registerPartnerPlatform"]["platform"]
    assert platform["mode"] == "TEST"
    feeds = ok(client, "{ partnerFeeds { nodes { name mode kind } } }")["partnerFeeds"]["nodes"]
    assert feeds == [{"name": "front-door", "mode": "TEST", "kind": "JOB_BOARD"}]
