"""Console sign-in through the platform's own OAuth server (PKCE), its session and CSRF rules."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from tests.builders import sign_in
from tests.identity.builders import approved_purpose


def _signed_in(app: Flask, graph: Graph, email: str, password: str) -> FlaskClient:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    browser = app.test_client()
    start = browser.get("/console/login?next=/console/staff")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["demo-console"]
    back = sign_in(browser, authorize, email, password)
    assert back.status_code == 302, back.get_data(as_text=True)
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/console/callback"
    done = browser.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 302 and done.headers["Location"] == "/console/staff"
    cookie = done.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    return browser


def test_staff_sign_in_and_sign_out_revokes_the_session(app: Flask, graph: Graph) -> None:
    browser = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    page = browser.get("/console/staff")
    assert page.status_code == 200 and "Lab figures" in page.get_data(as_text=True)
    stolen = browser.get_cookie("session")
    assert stolen is not None
    html = page.get_data(as_text=True)
    csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
    assert browser.post("/console/logout", data={"csrf_token": csrf}).status_code == 302
    assert browser.get("/console/staff").status_code == 302
    # The cookie copied before signing out no longer works: its access token was revoked.
    replay = app.test_client()
    replay.set_cookie("session", stolen.value)
    refused = replay.get("/console/staff")
    assert refused.status_code == 302 and "/console/login" in refused.headers["Location"]


def test_forms_need_the_session_csrf_token(app: Flask, graph: Graph) -> None:
    browser = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    refused = browser.post("/console/staff/challenges/any/assign", data={})
    assert refused.status_code == 400
    forged = browser.post("/console/staff/challenges/any/assign", data={"csrf_token": "x"})
    assert forged.status_code == 400


def test_pages_follow_the_roles(app: Flask, graph: Graph) -> None:
    anonymous = app.test_client()
    gone = anonymous.get("/console/staff/ideas")
    assert gone.status_code == 302 and "/console/login" in gone.headers["Location"]
    assert anonymous.get("/console").status_code == 200
    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    assert citizen.get("/console/staff").status_code == 403
    assert citizen.get("/console/expert").status_code == 403
    mine = citizen.get("/console/me")
    assert mine.status_code == 200 and "Every read of your data" in mine.get_data(as_text=True)


def test_a_callback_that_did_not_start_here_is_refused(app: Flask) -> None:
    browser = app.test_client()
    browser.get("/console/login")
    refused = browser.get("/console/callback?code=abc&state=not-ours")
    assert refused.status_code == 400
    assert "did not start here" in refused.get_data(as_text=True)


def test_french_from_the_browser_or_the_switch(app: Flask) -> None:
    browser = app.test_client()
    french = browser.get("/console", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    html = french.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Défis ouverts" in html and "Aller au contenu" in html
    english = browser.get("/console?lang=en", headers={"Accept-Language": "fr"})
    assert "Open challenges" in english.get_data(as_text=True)
    kept = browser.get("/console", headers={"Accept-Language": "fr"})
    assert "Open challenges" in kept.get_data(as_text=True)  # the switch is remembered


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_citizen_grants_a_declared_purpose_and_a_bad_form_keeps_the_choices(
    app: Flask, graph: Graph
) -> None:
    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    graph.run("CREATE (:Organisation {id: 'org-consent', name: 'Job Matchers', region: 'North', "
              "kind: 'START_UP', nameKey: 'job matchers|north', version: 1})", write=True)
    purpose_id = approved_purpose(graph, "org-consent", "job-matching", ("skills", "occupation"))
    page = citizen.get("/console/me").get_data(as_text=True)
    assert "Job Matchers: Job matching" in page
    assert "checked" not in page.split('name="purposeId"')[1].split(">")[0]  # none preselected
    bad = citizen.post("/console/me/consents", data={
        "csrf_token": _csrf(page), "categories": ["skills"], "expiresOn": "2001-01-01"},
        follow_redirects=True)
    assert [r.status_code for r in bad.history] == [303] and bad.request.path == "/console/me"
    html = bad.get_data(as_text=True)
    assert "Choose what your data may be used for." in html and 'aria-invalid="true"' in html
    assert 'value="skills" checked' in html and 'value="2001-01-01"' in html  # choices kept
    french = citizen.post("/console/me/consents?lang=fr", data={
        "csrf_token": _csrf(page), "purposeId": purpose_id, "categories": ["contact"]},
        follow_redirects=True)
    assert [r.status_code for r in french.history] == [303]
    assert ("Cette finalité n\u2019utilise pas certaines des données que vous avez cochées"
            in french.get_data(as_text=True))
    citizen.get("/console?lang=en")
    granted = citizen.post("/console/me/consents", data={
        "csrf_token": _csrf(page), "purposeId": purpose_id,
        "categories": ["skills", "occupation"],
        "expiresOn": (dt.date.today() + dt.timedelta(days=90)).isoformat()})
    assert granted.status_code == 302
    mine = citizen.get("/console/me").get_data(as_text=True)
    assert "May read your occupation and your skills." in mine
    rows = graph.run("MATCH (c:Consent)-[:TO]->(:Organisation {id: 'org-consent'}) "
                     "MATCH (c)-[:FOR]->(p:Purpose) "
                     "RETURN c.purpose AS purpose, c.categories AS categories, p.id AS pid")
    assert [(r["purpose"], r["categories"], r["pid"]) for r in rows] == [
        ("job-matching", ["occupation", "skills"], purpose_id)]


def test_an_expert_declares_a_conflict_in_the_console(app: Flask, graph: Graph) -> None:
    from civicgraph.core.actor import Actor
    from civicgraph.identity.service import accounts
    from civicgraph.lab.service import challenges, evaluation
    from civicgraph.lab.service import demo as lab_demo

    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    staff = accounts.authenticate(graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    assert staff is not None
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    evaluation.assign_experts(graph, Actor(staff["id"], frozenset({"LAB_STAFF"})),
                              challenge["id"])
    expert = _signed_in(app, graph, lab_demo.EXPERT_EMAIL, lab_demo.EXPERT_PASSWORD)
    page = expert.get("/console/expert").get_data(as_text=True)
    assert "Declare a conflict of interest" in page
    proposal_id = page.split("/console/expert/proposals/")[1].split("/")[0]
    empty = expert.post(f"/console/expert/proposals/{proposal_id}/conflict",
                        data={"csrf_token": _csrf(page), "reason": ""}, follow_redirects=True)
    assert empty.request.path == "/console/expert"
    assert 'aria-invalid="true"' in empty.get_data(as_text=True)
    done = expert.post(f"/console/expert/proposals/{proposal_id}/conflict",
                       data={"csrf_token": _csrf(page), "reason": "I advise them"})
    assert done.status_code == 302
    after = expert.get("/console/expert").get_data(as_text=True)
    assert ("You may not score this proposal. You declared a conflict of interest: I advise them"
            in after)


def test_a_stage_gate_reads_in_french(app: Flask, graph: Graph) -> None:
    from civicgraph.core.actor import Actor
    from civicgraph.identity.service import accounts
    from civicgraph.lab.service import challenges, pilots, proposals
    from civicgraph.lab.service import demo as lab_demo

    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    staff = accounts.authenticate(graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    assert staff is not None
    lab = Actor(staff["id"], frozenset({"LAB_STAFF"}))
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    chosen = proposals.for_challenge(graph, challenge["id"])[0]["id"]
    proposals.advance(graph, lab, chosen, "SHORTLISTED", 2, "promising")
    proposals.advance(graph, lab, chosen, "SELECTED", 3, "the best")
    pilot = pilots.start(graph, lab, chosen, title="Bus pilot")
    browser = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    page = browser.get(f"/console/staff/pilots/{pilot['id']}", headers={"Accept-Language": "fr"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "expérimentation a au moins un indicateur de résultat" in html
    assert "Le commanditaire a approuvé cette étape" in html
    # Moving the pilot and signing its stage off are two actions, with two words.
    assert ">Faire passer</button>" in html and "Approuver PILOT en tant que commanditaire" in html
    assert "Valider" not in html


def test_a_citizen_going_to_their_data_is_asked_only_for_a_citizens_scopes(
    app: Flask, graph: Graph
) -> None:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    browser = app.test_client()
    home = browser.get("/console").get_data(as_text=True)
    assert 'href="/console/me"' in home  # "My data" is there before signing in
    start = browser.get("/console/me")
    to_login = start.headers["Location"]
    authorize = browser.get(to_login).headers["Location"]
    assert parse_qs(urlsplit(authorize).query)["scope"] == ["graph:read consent:read consent:write"]
    page = browser.get(authorize).get_data(as_text=True)
    assert "list your consents and who read your data" in page
    assert "lab:write" not in page and "innovation lab" not in page
    french = browser.get(authorize, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and "voir vos consentements et qui a lu vos données" \
        in french
    back = sign_in(browser, authorize, demo_identity.CITIZEN_EMAIL,
                   demo_identity.CITIZEN_PASSWORD)
    callback = urlsplit(back.headers["Location"])
    done = browser.get(f"{callback.path}?{callback.query}")
    assert done.headers["Location"] == "/console/me"
    assert browser.get("/console/me").status_code == 200
    # Staff signing in from the lab's pages still get the lab's scopes.
    lab = parse_qs(urlsplit(app.test_client().get("/console/login?next=/console/staff")
                            .headers["Location"]).query)["scope"][0]
    assert "lab:write" in lab.split()
