"""Partners of partners, the shortest chain of partnerships, similar organisations."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.builders import gql
from tests.partner_graph.builders import build, ok, register

REACH = """query R($id: ID!, $hops: Int) { partnersOfPartners(id: $id, hops: $hops) {
  distance organisation { name } } }"""
CHAIN = """query C($from: ID!, $to: ID!, $max: Int) {
  partnershipChain(from: $from, to: $to, maxHops: $max) { length
    organisations { nodes { name } } } }"""
SIMILAR = """query S($id: ID!) { similarOrganisations(id: $id) {
  score sharedFields sharedSkills sharedPartners organisation { name } } }"""


def test_discovery_queries(client: FlaskClient) -> None:
    ids = build(client)
    one = ok(client, REACH, {"id": ids["A"], "hops": 1})["partnersOfPartners"]
    assert [(r["distance"], r["organisation"]["name"]) for r in one] == [
        (1, "Northern Rail Works"), (1, "SkillBridge")]
    two = gql(client, REACH, {"id": ids["A"]})
    assert len(two["extensions"]["cypher"]) == 1
    assert [(r["distance"], r["organisation"]["name"]) for r in
            two["data"]["partnersOfPartners"]] == [
        (1, "Northern Rail Works"), (1, "SkillBridge"), (2, "Metro Health Trust"),
        (2, "Open Skills College")]
    too_far = gql(client, REACH, {"id": ids["A"], "hops": 5})
    assert too_far["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    chain = ok(client, CHAIN, {"from": ids["D"], "to": ids["E"]})["partnershipChain"]
    assert chain["length"] == 4
    assert [o["name"] for o in chain["organisations"]["nodes"]] == [
        "Metro Health Trust", "Northern Rail Works", "North Employment Agency", "SkillBridge",
        "Open Skills College"]
    assert ok(client, CHAIN, {"from": ids["D"], "to": ids["E"], "max": 3})[
        "partnershipChain"] is None
    same = gql(client, CHAIN, {"from": ids["D"], "to": ids["D"]})
    assert same["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = gql(client, CHAIN, {"from": ids["D"], "to": "nope"})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    similar = ok(client, SIMILAR, {"id": ids["B"]})["similarOrganisations"]
    # SkillBridge: python skill shared with Rail Works and the College; partner A shared with
    # Rail Works (A's other partner); partner E's other partners: none.
    assert similar[0] == {"score": 2.5, "sharedFields": 0, "sharedSkills": 1,
                          "sharedPartners": 1, "organisation": {"name": "Northern Rail Works"}}
    assert similar[1]["organisation"]["name"] == "Open Skills College"
    assert similar[1]["sharedSkills"] == 1


def test_an_organisation_with_no_partners_reaches_no_one(admin_client: FlaskClient) -> None:
    """No partners is an empty answer; only an unknown id is NOT_FOUND."""
    alone = register(admin_client, "Lone Agency", "AGENCY", "North")
    assert ok(admin_client, REACH, {"id": alone, "hops": 2})["partnersOfPartners"] == []
    unknown = gql(admin_client, REACH, {"id": "no-such-id", "hops": 2})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
