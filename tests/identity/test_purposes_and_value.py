"""Declared purposes, the value of each read, and the citizen's control over a consent.

A partner declares a purpose, the lab approves it, a citizen consents to it (recording the
version), the partner reads and says what came of the read, and the citizen sees that beside
the read, narrows or extends the consent, and keeps a receipt. Tokens come from the real
endpoints; the graph is the real Neo4j.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from tests.builders import bearer, create_public_client, gql, login_with_pkce, sign_in
from tests.identity.builders import two_organisations_and_a_citizen
from tests.identity.test_consent import MY_CONSENTS, PASSWORD, code

DECLARE = """
mutation D($input: DeclarePurposeInput!) {
  declarePurpose(input: $input) { purpose { id version code status categories legalBasis
    retentionDays organisation { name } } }
}
"""
APPROVE = """mutation A($id: ID!, $version: Int!) {
  approvePurpose(input: {id: $id, version: $version}) { purpose { id version status approvedAt } }
}"""
REVISE = """mutation R($id: ID!, $version: Int!, $text: String!) {
  revisePurpose(input: {id: $id, version: $version, benefitEn: $text}) {
    purpose { version status benefitEn } }
}"""
GRANT = """mutation G($purpose: ID!, $categories: [DataCategory!]) {
  grantConsent(input: {purposeId: $purpose, categories: $categories}) {
    consent { id status categories purposeVersion declaredPurpose { code } } }
}"""
GRANT_UNTIL = """mutation G($purpose: ID!, $until: DateTime!) {
  grantConsent(input: {purposeId: $purpose, expiresAt: $until}) { consent { id } } }"""
CHANGE = """mutation C($id: ID!, $categories: [DataCategory!], $until: DateTime) {
  changeConsent(input: {id: $id, categories: $categories, expiresAt: $until}) {
    consent { id status categories purposeVersion supersedes { id status withdrawnAt } } }
}"""
PROFILE = """query P($id: ID!) {
  citizenProfile(citizenId: $id, purpose: "job-matching") {
    read { id outcome fields seq hash } categories skills { totalCount } occupation { name } }
}"""
USE = """mutation U($read: ID!, $kind: DataUseKind!, $count: Int, $note: String,
                   $links: [String!]) {
  recordDataUse(input: {readId: $read, kind: $kind, count: $count, note: $note,
                        links: $links}) { dataUse { id kind count note links
    read { id } organisation { name } } }
}"""
TERMS = {
    "code": "job-matching", "nameEn": "Job matching", "nameFr": "Mise en relation",
    "descriptionEn": "We compare your skills with open vacancies.",
    "descriptionFr": "Nous comparons vos compétences aux offres.",
    "benefitEn": "Vacancies that fit you.", "benefitFr": "Des offres qui vous vont.",
    "categories": ["SKILLS", "OCCUPATION"], "legalBasis": "CONSENT", "retentionDays": 180,
}


@pytest.fixture
def lab(app: Flask, graph: Graph, authorised: Callable[..., FlaskClient]) -> dict[str, Any]:
    """A partner organisation with a writing client and a reading one, another organisation,
    a citizen with a skill and an occupation signed in from a phone app, and lab staff."""
    jobs, other, citizen = two_organisations_and_a_citizen(graph, PASSWORD)
    accounts.create(graph, email="sam@example.org", name="Sam Staff", password=PASSWORD,
                    roles=["LAB_STAFF"])
    phone = create_public_client(graph, ["graph:read", "graph:write", "lab:write",
                                         "consent:read", "consent:write"])
    me = login_with_pkce(app, phone, "aino@example.org", PASSWORD, "consent:read consent:write")
    staff = login_with_pkce(app, phone, "sam@example.org", PASSWORD, "lab:write graph:read")
    return {
        "jobs": jobs, "citizen": citizen, "me": bearer(app, me["access_token"]),
        "staff": bearer(app, staff["access_token"]),
        "writer": authorised(["graph:write", "graph:read"], jobs["id"]),
        "nosy_writer": authorised(["graph:write", "graph:read"], other["id"]),
        "reader": authorised(["citizen:read"], jobs["id"]),
        "nosy_reader": authorised(["citizen:read"], other["id"]),
    }


def declared_and_approved(lab: dict[str, Any]) -> dict[str, Any]:
    body = gql(lab["writer"], DECLARE, {"input": TERMS})
    assert "errors" not in body, body
    purpose = body["data"]["declarePurpose"]["purpose"]
    approved = gql(lab["staff"], APPROVE, {"id": purpose["id"], "version": purpose["version"]})
    assert "errors" not in approved, approved
    result: dict[str, Any] = approved["data"]["approvePurpose"]["purpose"]
    return result


def test_a_purpose_is_declared_approved_by_the_lab_and_then_consented_to(
    lab: dict[str, Any]
) -> None:
    body = gql(lab["writer"], DECLARE, {"input": TERMS})
    purpose = body["data"]["declarePurpose"]["purpose"]
    assert purpose["status"] == "PROPOSED" and purpose["organisation"] == {"name": "SkillBridge"}
    assert purpose["categories"] == ["OCCUPATION", "SKILLS"]
    # Not yet approved: citizens cannot consent to it, and it is not offered to them.
    assert code(gql(lab["me"], GRANT, {"purpose": purpose["id"]})) == "BAD_USER_INPUT"
    listed = gql(lab["me"], "{ purposes { totalCount } }", status=None)
    assert listed["data"] is None or listed["data"]["purposes"]["totalCount"] == 0
    # The partner cannot approve its own purpose; staff approve the version they read.
    assert code(gql(lab["writer"], APPROVE, {"id": purpose["id"], "version": 1},
                    status=None)) == "FORBIDDEN"
    assert code(gql(lab["staff"], APPROVE, {"id": purpose["id"], "version": 7})) == "CONFLICT"
    approved = gql(lab["staff"], APPROVE, {"id": purpose["id"], "version": 1})
    assert approved["data"]["approvePurpose"]["purpose"]["status"] == "APPROVED"
    assert approved["data"]["approvePurpose"]["purpose"]["approvedAt"]

    granted = gql(lab["me"], GRANT, {"purpose": purpose["id"]})["data"]["grantConsent"]
    consent = granted["consent"]
    assert consent["categories"] == ["OCCUPATION", "SKILLS"]  # all it needs, when not chosen
    assert consent["purposeVersion"] == 2 and consent["declaredPurpose"] == {
        "code": "job-matching"}

    # A revision is a new version waiting for approval; the consent keeps what was agreed.
    revised = gql(lab["writer"], REVISE, {"id": purpose["id"], "version": 2,
                                          "text": "Vacancies and courses that fit you."})
    assert revised["data"]["revisePurpose"]["purpose"] == {
        "version": 3, "status": "PROPOSED", "benefitEn": "Vacancies and courses that fit you."}
    assert code(gql(lab["nosy_writer"], REVISE, {"id": purpose["id"], "version": 3,
                                                 "text": "mine now"})) == "FORBIDDEN"
    mine = gql(lab["me"], "{ myConsents { nodes { purposeVersion status } } }")
    assert mine["data"]["myConsents"]["nodes"] == [{"purposeVersion": 2, "status": "LIVE"}]


@pytest.mark.parametrize("change, field", [
    ({"code": "Job Matching!"}, "code"),
    ({"categories": []}, "categories"),
    ({"retentionDays": 0}, "retentionDays"),
    ({"nameFr": ""}, "nameFr"),
    ({"descriptionEn": "x" * 1001}, "descriptionEn"),
])
def test_a_bad_declaration_is_refused_and_stores_nothing(
    lab: dict[str, Any], graph: Graph, change: dict[str, Any], field: str
) -> None:
    body = gql(lab["writer"], DECLARE, {"input": {**TERMS, **change}})
    assert code(body) == "BAD_USER_INPUT", body
    assert field in body["errors"][0]["message"] or body["errors"][0]["extensions"].get(
        "field") == field
    assert graph.run("MATCH (p:Purpose) RETURN count(p) AS n")[0]["n"] == 0


def test_one_code_per_organisation(lab: dict[str, Any]) -> None:
    declared_and_approved(lab)
    assert code(gql(lab["writer"], DECLARE, {"input": TERMS})) == "BAD_USER_INPUT"
    # Another organisation may use the same code for its own purpose.
    assert "errors" not in gql(lab["nosy_writer"], DECLARE, {"input": TERMS})


def test_narrow_then_extend_a_consent_each_replacing_the_last(lab: dict[str, Any]) -> None:
    purpose = declared_and_approved(lab)
    me, reader, citizen_id = lab["me"], lab["reader"], lab["citizen"]["id"]
    first = gql(me, GRANT, {"purpose": purpose["id"]})["data"]["grantConsent"]["consent"]

    narrowed = gql(me, CHANGE, {"id": first["id"], "categories": ["SKILLS"]})
    assert "errors" not in narrowed, narrowed
    second = narrowed["data"]["changeConsent"]["consent"]
    assert second["status"] == "LIVE" and second["categories"] == ["SKILLS"]
    assert second["supersedes"]["id"] == first["id"]
    assert second["supersedes"]["status"] == "REPLACED" and second["supersedes"]["withdrawnAt"]
    profile = gql(reader, PROFILE, {"id": citizen_id})["data"]["citizenProfile"]
    assert profile["categories"] == ["SKILLS"] and profile["occupation"] is None
    assert profile["skills"] == {"totalCount": 1}
    # The partner sees the read it made, not the citizen's chain (how many requests it holds).
    assert {k: profile["read"][k] for k in ("outcome", "fields", "seq", "hash")} == {
        "outcome": "READ", "fields": ["SKILLS"], "seq": None, "hash": None}

    # Extending stays within what the purpose declared.
    assert code(gql(me, CHANGE, {"id": second["id"], "categories": ["SKILLS", "CONTACT"]})) \
        == "BAD_USER_INPUT"
    assert code(gql(me, CHANGE, {"id": second["id"], "categories": ["SKILLS"]})) \
        == "BAD_USER_INPUT"  # nothing changed
    assert code(gql(me, CHANGE, {"id": first["id"], "categories": ["SKILLS"]})) \
        == "BAD_USER_INPUT"  # replaced: not in force
    extended = gql(me, CHANGE, {"id": second["id"], "categories": ["SKILLS", "OCCUPATION"],
                                "until": "2027-06-30T23:59:00+00:00"})
    third = extended["data"]["changeConsent"]["consent"]
    assert third["categories"] == ["OCCUPATION", "SKILLS"]
    profile = gql(reader, PROFILE, {"id": citizen_id})["data"]["citizenProfile"]
    assert profile["occupation"] == {"name": "Welder"}
    statuses = [c["status"] for c in gql(me, MY_CONSENTS)["data"]["myConsents"]["nodes"]]
    assert sorted(statuses) == ["LIVE", "REPLACED", "REPLACED"]


def test_a_citizen_cannot_change_someone_elses_consent(
    app: Flask, graph: Graph, lab: dict[str, Any]
) -> None:
    purpose = declared_and_approved(lab)
    mine = gql(lab["me"], GRANT, {"purpose": purpose["id"]})["data"]["grantConsent"]["consent"]
    accounts.create(graph, email="eve@example.org", name="Eve", password=PASSWORD,
                    roles=["CITIZEN"])
    console = create_public_client(graph, ["consent:read", "consent:write"])
    eve = bearer(app, login_with_pkce(app, console, "eve@example.org", PASSWORD,
                                      "consent:write")["access_token"])
    assert code(gql(eve, CHANGE, {"id": mine["id"], "categories": ["SKILLS"]})) == "NOT_FOUND"


def test_the_partner_records_what_came_of_a_read_and_the_citizen_sees_it(
    app: Flask, graph: Graph, lab: dict[str, Any]
) -> None:
    purpose = declared_and_approved(lab)
    gql(lab["me"], GRANT, {"purpose": purpose["id"]})
    reads = [gql(lab["reader"], PROFILE, {"id": lab["citizen"]["id"]})["data"]
             ["citizenProfile"]["read"]["id"] for _ in range(3)]
    shown = gql(lab["reader"], USE, {"read": reads[0], "kind": "MATCHES_SHOWN", "count": 12,
                                     "links": ["https://skillbridge.example/m/1"]})
    assert "errors" not in shown, shown
    use = shown["data"]["recordDataUse"]["dataUse"]
    assert (use["kind"], use["count"], use["read"], use["organisation"]) == (
        "MATCHES_SHOWN", 12, {"id": reads[0]}, {"name": "SkillBridge"})
    gql(lab["reader"], USE, {"read": reads[1], "kind": "COURSES_SUGGESTED", "count": 2,
                             "note": "Two welding courses near you"})
    # Only the organisation that read records a use of that read, and in bounds.
    assert code(gql(lab["nosy_reader"], USE, {"read": reads[2], "kind": "INTERVIEW"})) \
        == "NOT_FOUND"
    assert code(gql(lab["reader"], USE, {"read": reads[2], "kind": "INTERVIEW", "count": 0})) \
        == "BAD_USER_INPUT"
    assert code(gql(lab["reader"], USE, {"read": reads[2], "kind": "INTERVIEW",
                                         "links": ["javascript:alert(1)"]})) == "BAD_USER_INPUT"

    log = gql(lab["me"], """{ myAccessLog(orderBy: [{field: AT, direction: ASC}]) {
      nodes { id uses { totalCount nodes { kind count note links } } } } }""")
    nodes = log["data"]["myAccessLog"]["nodes"]
    assert [n["id"] for n in nodes] == reads
    assert nodes[0]["uses"]["nodes"] == [{"kind": "MATCHES_SHOWN", "count": 12, "note": None,
                                         "links": ["https://skillbridge.example/m/1"]}]
    assert nodes[1]["uses"]["nodes"][0]["note"] == "Two welding courses near you"
    assert nodes[2]["uses"]["totalCount"] == 0

    page = _console(app, graph).get("/console/me").get_data(as_text=True)
    summary = page.split('id="value"')[1].split("</p>")[0]
    assert "SkillBridge" in summary
    assert "used your skills 3 times" in summary and "used your occupation 3 times" in summary
    assert "showed you 12 vacancies" in summary and "suggested 2 courses" in summary
    french = _console(app, graph).get("/console/me?lang=fr").get_data(as_text=True)
    assert "a utilisé vos compétences 3 fois" in french and "vous a montré 12 offres" in french
    assert "“Two welding courses near you”" in page


def test_the_receipt_says_what_was_agreed_in_the_kantara_shape(
    app: Flask, graph: Graph, lab: dict[str, Any]
) -> None:
    purpose = declared_and_approved(lab)
    consent = gql(lab["me"], GRANT, {"purpose": purpose["id"], "categories": ["SKILLS"]}
                  )["data"]["grantConsent"]["consent"]
    browser = _console(app, graph)
    response = browser.get(f"/console/me/consents/{consent['id']}/receipt.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    receipt = response.get_json()
    assert receipt["version"] == "KI-CR-v1.1.0"
    assert receipt["consentReceiptID"] == consent["id"]
    assert receipt["piiPrincipalId"] == lab["citizen"]["id"]
    assert receipt["piiControllers"][0]["piiController"] == "SkillBridge"
    [service] = receipt["services"]
    assert service["service"] == "Job matching"
    assert service["purposes"][0]["piiCategory"] == ["The skills the citizen has recorded"]
    terms = receipt["civicgraph"]
    assert (terms["purposeVersion"], terms["legalBasis"], terms["retentionDays"],
            terms["status"]) == (2, "CONSENT", 180, "LIVE")
    assert browser.get("/console/me/consents/not-mine/receipt.json").status_code == 404


def _console(app: Flask, graph: Graph) -> FlaskClient:
    """The citizen's console session, signed in through the platform's PKCE flow with the
    console's own client (the demo seed registers it)."""
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    return _console_as(app, "aino@example.org")


def _console_as(app: Flask, email: str, going_to: str = "/console/me") -> FlaskClient:
    browser = app.test_client()
    start = browser.get(f"/console/login?next={going_to}")
    back = sign_in(browser, start.headers["Location"], email, PASSWORD)
    callback = urlsplit(back.headers["Location"])
    browser.get(f"{callback.path}?{callback.query}")
    return browser


def test_a_consent_about_to_end_is_reminded_once_on_the_worker(
    app: Flask, graph: Graph, lab: dict[str, Any], worker: Any
) -> None:
    from civicgraph.config import load_settings
    from civicgraph.core.queue import create_celery
    from civicgraph.identity.tasks import REMIND_ENDING_CONSENTS
    from civicgraph.workers.celery_app import beat_schedule

    assert beat_schedule()["identity-remind-ending-consents"]["task"] == REMIND_ENDING_CONSENTS
    purpose = declared_and_approved(lab)
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).isoformat()
    ending = gql(lab["me"], GRANT_UNTIL, {"purpose": purpose["id"], "until": soon}
                 )["data"]["grantConsent"]["consent"]
    celery = create_celery(load_settings())
    assert celery.send_task(REMIND_ENDING_CONSENTS).get(timeout=60) == {"reminded": 1}
    assert celery.send_task(REMIND_ENDING_CONSENTS).get(timeout=60) == {"reminded": 0}
    page = _console(app, graph).get("/console/me").get_data(as_text=True)
    notice = page.split('id="ending-soon"')[1].split("</div>")[0]
    assert f"Your consent to SkillBridge ends on {soon[:10]}" in notice
    assert f'href="#consent-{ending["id"]}"' in notice
    # Extended: the new consent ends later, and the reminder of the old one is gone.
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=200)).isoformat()
    assert "errors" not in gql(lab["me"], CHANGE, {"id": ending["id"], "until": later})
    assert 'id="ending-soon"' not in _console(app, graph).get("/console/me").get_data(
        as_text=True)
    assert celery.send_task(REMIND_ENDING_CONSENTS).get(timeout=60) == {"reminded": 0}


def test_lab_staff_approve_a_purpose_from_the_console(
    app: Flask, graph: Graph, lab: dict[str, Any]
) -> None:
    declared = gql(lab["writer"], DECLARE, {"input": TERMS})["data"]["declarePurpose"]["purpose"]
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    staff = _console_as(app, "sam@example.org", "/console/staff/purposes")
    page = staff.get("/console/staff/purposes").get_data(as_text=True)
    assert "SkillBridge: Job matching" in page and "Waiting for approval" in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    stale = staff.post(f"/console/staff/purposes/{declared['id']}/approve",
                       data={"csrf_token": token, "version": "9"})
    assert stale.status_code == 303 and stale.headers["Location"] == "/console/staff/purposes"
    assert "Someone else changed this record" in staff.get(
        "/console/staff/purposes").get_data(as_text=True)
    approved = staff.post(f"/console/staff/purposes/{declared['id']}/approve",
                          data={"csrf_token": token, "version": "1"})
    assert approved.status_code == 302
    assert graph.run("MATCH (p:Purpose {id: $id}) RETURN p.status AS s",
                     {"id": declared["id"]})[0]["s"] == "APPROVED"
    assert "Approved" in staff.get("/console/staff/purposes?lang=en").get_data(as_text=True)
    citizen = _console_as(app, "aino@example.org")
    assert citizen.get("/console/staff/purposes").status_code == 403


def test_a_retired_purpose_can_be_narrowed_from_the_page_but_not_extended(
    app: Flask, graph: Graph, lab: dict[str, Any]
) -> None:
    purpose = declared_and_approved(lab)
    consent = gql(lab["me"], GRANT, {"purpose": purpose["id"]})["data"]["grantConsent"]["consent"]
    retired = gql(lab["writer"], """mutation R($id: ID!) { retirePurpose(input: {id: $id,
      version: 2}) { purpose { status } } }""", {"id": purpose["id"]})
    assert retired["data"]["retirePurpose"]["purpose"] == {"status": "RETIRED"}
    browser = _console(app, graph)
    page = browser.get("/console/me").get_data(as_text=True)
    action = f'action="/console/me/consents/{consent["id"]}/change"'
    form = page.split(action)[1].split("</form>")[0]
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    end = form.split('name="currentEnd" value="')[1].split('"')[0]
    later = browser.post(f"/console/me/consents/{consent['id']}/change", data={
        "csrf_token": token, "categories": ["skills", "occupation"], "currentEnd": end,
        "expiresOn": "2027-12-31"}, follow_redirects=True)
    assert [r.status_code for r in later.history] == [303]
    assert "This purpose is no longer open" in later.get_data(as_text=True)
    fewer = browser.post(f"/console/me/consents/{consent['id']}/change", data={
        "csrf_token": token, "categories": ["skills"], "currentEnd": end, "expiresOn": end})
    assert fewer.status_code == 302, fewer.get_data(as_text=True)
    nodes = gql(lab["me"], "{ myConsents { nodes { status categories purposeVersion } } }"
                )["data"]["myConsents"]["nodes"]
    assert sorted((n["status"], tuple(n["categories"]), n["purposeVersion"]) for n in nodes) == [
        ("LIVE", ("SKILLS",), 2), ("REPLACED", ("OCCUPATION", "SKILLS"), 2)]
