"""Sessions and workshops in the console: staff schedule one, people register (never past its
places), cancel, and staff take attendance once it has started; in English and French."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from civicgraph.core.graph import Graph
from civicgraph.identity import demo as demo_identity
from civicgraph.lab.service import demo as lab_demo
from tests.console.test_console_auth import _csrf, _signed_in


def _section(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    return page[start:page.index("</section>", start)]


def test_staff_schedule_a_session_people_register_and_attendance_is_taken(
    app: Flask, graph: Graph
) -> None:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    assert lab_demo.seed_sessions(graph, demo_identity.STAFF_EMAIL) == {"labSessionsCreated": 3}
    assert lab_demo.seed_sessions(graph, demo_identity.STAFF_EMAIL) == {"labSessionsCreated": 0}
    public = app.test_client().get("/console/sessions").get_data(as_text=True)
    assert "Co-design: the job adviser&#39;s van" in public and "Sign in to register" in public

    staff = _signed_in(app, graph, demo_identity.STAFF_EMAIL, demo_identity.STAFF_PASSWORD)
    form = staff.get("/console/staff/sessions/new").get_data(as_text=True)
    assert "A co-design workshop" in form
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).strftime("%Y-%m-%dT09:00")
    end = start.replace("T09:00", "T08:00")
    wrong = staff.post("/console/staff/sessions/new", data={
        "csrf_token": _csrf(form), "title": "Hack the North: jobs and skills",
        "kind": "HACKATHON", "startsAt": start, "endsAt": end, "capacity": "1",
        "fields": lab_demo.FIELD}, follow_redirects=True)
    assert [r.status_code for r in wrong.history] == [303]
    assert "a session ends after it starts" in wrong.get_data(as_text=True)
    assert "Hack the North: jobs and skills" in wrong.get_data(as_text=True)  # kept
    made = staff.post("/console/staff/sessions/new", data={
        "csrf_token": _csrf(form), "title": "Hack the North: jobs and skills",
        "kind": "HACKATHON", "startsAt": start, "endsAt": start.replace("T09:00", "T17:00"),
        "capacity": "1", "location": "https://meet.example.org/hack", "fields": lab_demo.FIELD})
    assert made.status_code == 302 and made.headers["Location"] == "/console/sessions"
    [row] = graph.run("MATCH (s:Session {title: 'Hack the North: jobs and skills'}) "
                      "RETURN s.id AS id, s.capacity AS capacity, toString(s.startsAt) AS at")
    assert row["capacity"] == 1 and row["at"].startswith(start)

    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    page = citizen.get("/console/sessions").get_data(as_text=True)
    hack = _section(page, "Hack the North: jobs and skills")
    assert "0 of 1 places taken" in hack and "A hackathon: teams build on a data kit" in hack
    joined = citizen.post(f"/console/sessions/{row['id']}/join", data={"csrf_token": _csrf(page)})
    assert joined.status_code == 302
    page = citizen.get("/console/sessions").get_data(as_text=True)
    assert "You are registered." in _section(page, "Hack the North: jobs and skills")
    # The one place is taken: staff cannot register past it.
    full = staff.post(f"/console/sessions/{row['id']}/join", data={"csrf_token": _csrf(form)},
                      follow_redirects=True)
    assert [r.status_code for r in full.history] == [303]
    assert "the session is full" in full.get_data(as_text=True)
    french = citizen.get("/console/sessions?lang=fr").get_data(as_text=True)
    assert "Sessions et ateliers" in french and "Annuler mon inscription" in french

    # Attendance is for after the start.
    people = staff.get(f"/console/staff/sessions/{row['id']}").get_data(as_text=True)
    assert "Demo Citizen" in people
    [citizen_id] = re.findall(r'name="attended" value="([^"]+)"', people)
    early = staff.post(f"/console/staff/sessions/{row['id']}", data={
        "csrf_token": _csrf(people), "attended": citizen_id}, follow_redirects=True)
    assert [r.status_code for r in early.history] == [303]
    assert "once the session has started" in early.get_data(as_text=True)
    graph.run("MATCH (s:Session {id: $id}) SET s.startsAt = datetime() - duration('PT1H')",
              {"id": row["id"]}, write=True)
    took = staff.post(f"/console/staff/sessions/{row['id']}", data={
        "csrf_token": _csrf(people), "attended": citizen_id})
    assert took.status_code == 302
    after = staff.get(f"/console/staff/sessions/{row['id']}").get_data(as_text=True)
    assert "1 registered, 1 attended" in after
    # Once started, a registration stays: the citizen can no longer cancel it.
    late = citizen.post(f"/console/sessions/{row['id']}/leave", data={"csrf_token": _csrf(page)})
    assert late.status_code == 303
    assert graph.run("MATCH (:Person {email: $e})-[r:PARTICIPATES_IN]->(:Session {id: $id}) "
                     "RETURN r.attended AS a", {"e": demo_identity.CITIZEN_EMAIL,
                                                "id": row["id"]})[0]["a"] is True


def test_a_citizen_cancels_a_registration_before_the_start(app: Flask, graph: Graph) -> None:
    demo_identity.seed(graph, app.config["SETTINGS"].issuer)
    lab_demo.seed(graph, demo_identity.STAFF_EMAIL)
    lab_demo.seed_sessions(graph, demo_identity.STAFF_EMAIL)
    citizen = _signed_in(app, graph, demo_identity.CITIZEN_EMAIL, demo_identity.CITIZEN_PASSWORD)
    page = citizen.get("/console/sessions").get_data(as_text=True)
    [sid] = [r["id"] for r in graph.run("MATCH (s:Session {kind: 'PITCH'}) RETURN s.id AS id")]
    assert citizen.post(f"/console/sessions/{sid}/join",
                        data={"csrf_token": _csrf(page)}).status_code == 302
    assert citizen.post(f"/console/sessions/{sid}/leave",
                        data={"csrf_token": _csrf(page)}).status_code == 302
    page = citizen.get("/console/sessions").get_data(as_text=True)
    assert "Your registration is cancelled." in page
    assert "0 registered" in _section(page, "Pitch day: mobile advice pilots")
