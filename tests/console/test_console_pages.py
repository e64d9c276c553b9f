"""What every console page shares, seen through the Flask test client: error pages in the
layout and the reader's language, forms that leave an address one can reload, names in order."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from tests.builders import sign_in

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}


def _console(app: Flask, graph: Graph, email: str, password: str) -> FlaskClient:
    """A browser signed in to the console with the platform's own PKCE flow."""
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    browser = app.test_client()
    start = browser.get("/console/login?next=/console")
    back = sign_in(browser, start.headers["Location"], email, password)
    callback = urlsplit(back.headers["Location"])
    assert browser.get(f"{callback.path}?{callback.query}").status_code == 302
    return browser


def test_console_errors_are_pages_in_the_readers_language(app: Flask, graph: Graph) -> None:
    browser = app.test_client()
    missing = browser.get("/console/no-such-page")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "<h1>Page not found</h1>" in html and 'href="/console"' in html  # the layout
    french = browser.get("/console/no-such-page", headers=FRENCH)
    assert french.status_code == 404
    assert "<h1>Page introuvable</h1>" in french.get_data(as_text=True)
    wrong_way = browser.get("/console/expert/proposals/p1/score")  # a form's address
    assert wrong_way.status_code == 405 and wrong_way.mimetype == "text/html"
    assert "POST" in wrong_way.headers["Allow"]
    assert "This page cannot be opened this way" in wrong_way.get_data(as_text=True)
    refused = browser.post("/console/logout", data={})  # no CSRF token: the reason is shown
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "reload the page and try again" in refused.get_data(as_text=True)


def test_a_missing_record_in_a_signed_in_page_is_an_html_404(app: Flask, graph: Graph) -> None:
    staff = _console(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    new = staff.get("/console/staff/challenges/no-such-challenge", headers=FRENCH)
    html = new.get_data(as_text=True)
    assert new.status_code == 404 and new.mimetype == "text/html"
    assert "Page introuvable" in html and "Se déconnecter" in html  # still signed in


def test_a_service_refusal_in_a_console_page_is_a_page_too(app: Flask, graph: Graph) -> None:
    citizen = _console(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    unknown = citizen.get("/console/me/consents/no-such-consent/receipt.json")
    assert unknown.status_code == 404 and unknown.mimetype == "text/html"
    assert "you have no consent with id no-such-consent" in unknown.get_data(as_text=True)


def test_the_api_keeps_its_json_errors(client: FlaskClient) -> None:
    for path in ("/no-such-thing", "/graphql/nothing-here", "/oauth/nothing-here"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.is_json, path
        assert answer.get_json()["error"]["code"] == "NOT_FOUND"
    wrong = client.delete("/graphql")
    assert wrong.status_code == 405 and wrong.is_json
    assert wrong.get_json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_refused_form_goes_back_to_its_page_with_the_input_kept(
    app: Flask, graph: Graph
) -> None:
    staff = _console(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    page = staff.get("/console/staff/webhooks").get_data(as_text=True)
    sent = staff.post("/console/staff/webhooks", data={
        "csrf_token": _csrf(page), "url": "ftp://example.org/hook",
        "events": ["pilot.advanced", "proposal.selected"]})
    # See other: the address bar ends on a page one can reload or copy, read by GET.
    assert sent.status_code == 303 and sent.headers["Location"] == "/console/staff/webhooks"
    shown = staff.get(sent.headers["Location"])
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'aria-invalid="true"' in html
    assert 'value="ftp://example.org/hook"' in html
    assert 'value="pilot.advanced" checked' in html and 'value="proposal.selected" checked' in html
    assert 'value="challenge.opened" checked' not in html
    again = staff.get("/console/staff/webhooks").get_data(as_text=True)  # a reload: shown once
    assert 'aria-invalid="true"' not in again and "ftp://example.org/hook" not in again


def test_a_refused_move_goes_back_to_the_board_it_was_sent_from(
    app: Flask, graph: Graph
) -> None:
    from civicgraph.lab.service import challenges
    from civicgraph.lab.service import demo as lab_demo

    staff = _console(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    board = f"/console/staff/challenges/{challenge['id']}"
    page = staff.get(board).get_data(as_text=True)
    moved = staff.post(f"{board}/move", data={"csrf_token": _csrf(page), "to": "OPEN",
                                              "version": "999", "reason": "my own words"},
                       follow_redirects=True)
    assert [r.status_code for r in moved.history] == [303] and moved.request.path == board
    html = moved.get_data(as_text=True)
    assert "Someone else changed this record" in html and "my own words" in html


def test_a_refused_pilot_start_goes_back_to_the_board_with_the_reason(
    app: Flask, graph: Graph
) -> None:
    from civicgraph.core.actor import Actor
    from civicgraph.identity.service import accounts
    from civicgraph.lab.service import challenges, proposals
    from civicgraph.lab.service import demo as lab_demo

    staff = _console(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    person = accounts.by_email(graph, demo_identity.STAFF_EMAIL)
    assert person is not None
    lab = Actor(person["id"], frozenset({"LAB_STAFF"}))
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    chosen = proposals.for_challenge(graph, challenge["id"])[0]["id"]
    proposals.advance(graph, lab, chosen, "SHORTLISTED", 2, "promising")
    proposals.advance(graph, lab, chosen, "SELECTED", 3, "the best")
    board = f"/console/staff/challenges/{challenge['id']}"
    page = staff.get(board).get_data(as_text=True)
    too_long = "A pilot title far too long " * 20
    started = staff.post(f"{board}/proposals/{chosen}/pilot",
                         data={"csrf_token": _csrf(page), "title": too_long},
                         follow_redirects=True)
    assert [r.status_code for r in started.history] == [303] and started.request.path == board
    html = started.get_data(as_text=True)
    assert too_long.strip() in html  # the title typed is kept
    assert "the limit is 200" in html  # and the refusal is said beside it
    assert graph.run("MATCH (p:Pilot) RETURN count(p) AS n")[0]["n"] == 0


def test_a_conflict_of_interest_reads_as_a_sentence_in_each_language(
    app: Flask, graph: Graph
) -> None:
    from civicgraph.core.actor import Actor
    from civicgraph.identity.service import accounts
    from civicgraph.lab.service import challenges, evaluation
    from civicgraph.lab.service import demo as lab_demo

    staff = _console(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    account = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                    demo_identity.STAFF_PASSWORD)
    assert account is not None
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    evaluation.assign_experts(graph, Actor(account["id"], frozenset({"LAB_STAFF"})),
                              challenge["id"])
    insider = _console(app, graph, lab_demo.INSIDER_EMAIL, lab_demo.EXPERT_PASSWORD)
    english = insider.get("/console/expert?lang=en").get_data(as_text=True)
    assert ("You may not score this proposal. You are a member of the proposing organisation, "
            "Rural Bus Start-up.") in english
    french = insider.get("/console/expert?lang=fr").get_data(as_text=True)
    assert ("Vous ne pouvez pas noter cette proposition. Vous êtes membre de "
            "l\u2019organisation qui propose, Rural Bus Start-up.") in french
    assert "member of the proposer" not in english + french
    board = staff.get(f"/console/staff/challenges/{challenge['id']}?lang=fr")
    conflicts = board.get_data(as_text=True).split('id="conflicts"')[1].split("</table>")[0]
    assert "Membre de l\u2019organisation qui propose, Rural Bus Start-up." in conflicts


def test_console_lists_people_and_organisations_whatever_the_case_of_their_names(
    app: Flask, graph: Graph
) -> None:
    from civicgraph.core.actor import Actor
    from civicgraph.identity.service import accounts
    from civicgraph.lab.service import challenges, evaluation, sessions
    from civicgraph.lab.service import demo as lab_demo
    from tests.identity.builders import approved_purpose
    from tests.lab.builders import FUTURE, organisation, person

    staff = _console(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    person(graph, "alex lowercase", {"EXPERT"}, None, (lab_demo.FIELD,))
    account = accounts.authenticate(graph, demo_identity.STAFF_EMAIL,
                                    demo_identity.STAFF_PASSWORD)
    assert account is not None
    [challenge] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    evaluation.assign_experts(graph, Actor(account["id"], frozenset({"LAB_STAFF"})),
                              challenge["id"])
    board = staff.get(f"/console/staff/challenges/{challenge['id']}").get_data(as_text=True)
    judges = board.split('id="judges"')[1].split("</table>")[0]
    assert (judges.index("alex lowercase") < judges.index("Demo Expert")
            < judges.index("Demo Insider Expert"))
    facilitators = [person(graph, name, {"EXPERT"}).id for name in ("Bea Bold", "al small")]
    sessions.create(graph, Actor(account["id"], frozenset({"LAB_STAFF"})),
                    title="Ordering workshop", kind="CO_DESIGN", starts_at=FUTURE,
                    ends_at="2099-01-01T12:00:00Z", field_codes=[], expert_ids=facilitators)
    listing = staff.get("/console/sessions").get_data(as_text=True)
    assert "al small, Bea Bold" in listing

    for name in ("Zeta Works", "acme data", "Beta Jobs"):
        approved_purpose(graph, organisation(graph, name))
    listed = staff.get("/console/staff/purposes?lang=en").get_data(as_text=True)
    assert listed.index("acme data:") < listed.index("Beta Jobs:") < listed.index("Zeta Works:")
