"""The lab staff's console pages through the real app (Flask's test client, no browser): what the
editor, the pilot page and the evaluation board show and keep, in English and French."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from civicgraph.core import clock
from civicgraph.core.actor import Actor
from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.identity.service import accounts
from civicgraph.lab.service import challenges, evaluation, pilots
from civicgraph.lab.service import demo as lab_demo
from tests.builders import console_as
from tests.lab.builders import RUBRIC, field
from tests.lab.test_pilots_scenario import selected_proposal


class _Form(HTMLParser):
    """The fields of the form posting to ``action`` as a browser would send them untouched."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside = action, False
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self.inside = named.get("action") == self.action
        elif self.inside and tag == "input" and named.get("name"):
            self.values[str(named["name"])] = named.get("value") or ""
        elif self.inside and tag == "textarea":
            self._textarea = named.get("name")
            self.values[str(self._textarea)] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None


def form_of(page: str, action: str) -> dict[str, str]:
    parser = _Form(action)
    parser.feed(page)
    assert parser.values, f"no form posting to {action}"
    return dict(parser.values)


def staff_console(app: Flask, graph: Graph) -> tuple[FlaskClient, Actor]:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    account = accounts.by_email(graph, demo_identity.STAFF_EMAIL)
    assert account is not None
    return (console_as(app, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD),
            Actor(str(account["id"]), frozenset({"LAB_STAFF"})))


def test_saving_the_editor_untouched_keeps_the_deadline_and_the_version(
        app: Flask, graph: Graph) -> None:
    browser, staff = staff_console(app, graph)
    field(graph, "employment")
    made = challenges.create(graph, staff, title="Reach rural job seekers",
                             description="How do we reach them?", field_codes=["employment"],
                             criteria=RUBRIC, deadline="2099-06-30T17:00:00Z")
    url = f"/console/staff/challenges/{made['id']}/edit"
    seventeen = clock.parse("2099-06-30T17:00:00Z", "deadline")
    for status in ("DRAFT", "OPEN"):
        before = challenges.get(graph, made["id"])
        assert before["status"] == status
        form = form_of(browser.get(url).get_data(as_text=True), url)
        assert form["deadline"] == "2099-06-30T17:00"
        saved = browser.post(url, data=form)
        assert saved.status_code == 302, saved.get_data(as_text=True)
        after = challenges.get(graph, made["id"])
        assert clock.parse(after["deadline"], "deadline") == seventeen, status
        assert after["version"] == before["version"], status
        if status == "DRAFT":
            challenges.advance(graph, staff, made["id"], "OPEN", after["version"])

    # A real change keeps the time given, and is a new version.
    before = challenges.get(graph, made["id"])
    form = form_of(browser.get(url).get_data(as_text=True), url)
    saved = browser.post(url, data={**form, "deadline": "2099-07-15T09:30"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    after = challenges.get(graph, made["id"])
    assert clock.parse(after["deadline"], "deadline") == clock.parse(
        "2099-07-15T09:30:00Z", "deadline")
    assert after["version"] == before["version"] + 1
    assert form_of(browser.get(url).get_data(as_text=True), url)["deadline"] == "2099-07-15T09:30"

    # A day with no time is refused next to the field, in the reader's language.
    refused = browser.post(f"{url}?lang=fr", data={**form, "version": str(after["version"]),
                                                   "deadline": "2099-08-01"},
                          follow_redirects=True)
    assert [r.status_code for r in refused.history] == [303]  # back to the editor
    assert refused.request.path == url
    assert "indiquez la date limite par une date et une heure UTC" in refused.get_data(
        as_text=True)
    assert challenges.get(graph, made["id"])["version"] == after["version"]


def test_setting_a_baseline_says_the_baseline_is_set(app: Flask, graph: Graph) -> None:
    browser, staff = staff_console(app, graph)
    proposal_id, _ = selected_proposal(graph, staff)
    pilot = pilots.start(graph, staff, proposal_id, title="Job bus pilot")
    measure = pilots.add_measure(graph, staff, pilot["id"], name="Job starts", unit="people",
                                 target=50, direction="INCREASE")
    url = f"/console/staff/pilots/{pilot['id']}/measures/{measure['id']}"
    page = browser.get(f"/console/staff/pilots/{pilot['id']}?lang=en").get_data(as_text=True)
    token = form_of(page, url)["csrf_token"]
    said = browser.post(url, data={"csrf_token": token, "value": "10", "kind": "baseline"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Baseline set." in said and "Measurement recorded." not in said
    said = browser.post(url, data={"csrf_token": token, "value": "12", "kind": "measurement"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Measurement recorded." in said and "Baseline set." not in said
    browser.get("/console?lang=fr")
    said = browser.post(url, data={"csrf_token": token, "value": "11", "kind": "baseline"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Référence définie." in said


def test_the_board_names_the_proposal_of_each_missing_score(app: Flask, graph: Graph) -> None:
    browser, staff = staff_console(app, graph)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    [demo] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    evaluation.assign_experts(graph, staff, demo["id"])
    url = f"/console/staff/challenges/{demo['id']}"

    def missing(lang: str) -> list[str]:
        page = browser.get(f"{url}?lang={lang}").get_data(as_text=True)
        table = page.split('id="missing-scores"')[1].split("</table>")[0]
        return [" | ".join(cell.split("</td>")[0] for cell in row.split("<td>")[1:])
                for row in table.split("<tr>")[2:]]

    # The insider works for the bus's proposer: excluded from it, so not missing there.
    assert missing("en") == ["Job bus | Demo Expert",
                             "Advice vans | Demo Expert, Demo Insider Expert"]
    expert = accounts.by_email(graph, lab_demo.EXPERT_EMAIL)
    assert expert is not None
    judge = Actor(str(expert["id"]), frozenset({"EXPERT"}))
    impact = next(k["id"] for k in demo["criteria"] if k["name"] == "impact")
    [bus] = [p for p in evaluation.queue(graph, judge) if p["title"] == "Job bus"]
    evaluation.score(graph, judge, bus["id"], [{"criterionId": impact, "score": 7}])
    assert missing("en")[0] == "Job bus | Demo Expert (not yet: feasibility)"
    page = browser.get(f"{url}?lang=fr").get_data(as_text=True)
    assert "Juges qui ne l\u2019ont pas encore noté en entier" in page
    assert missing("fr")[0] == "Job bus | Demo Expert (pas encore : feasibility)"


def test_the_board_names_each_proposer(app: Flask, graph: Graph) -> None:
    browser, _staff = staff_console(app, graph)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    [demo] = [c for c in challenges.public_list(graph) if c["title"] == lab_demo.TITLE]
    page = browser.get(f"/console/staff/challenges/{demo['id']}").get_data(as_text=True)
    for org_name, title, _summary in lab_demo.PROPOSALS:
        card = page.split(f"-h\">{title} <span")[1].split("</section>")[0]
        assert f"Proposed by {org_name}" in card
    french = browser.get(f"/console/staff/challenges/{demo['id']}?lang=fr").get_data(as_text=True)
    assert f"Proposée par {lab_demo.PROPOSALS[0][0]}" in french
