"""Sessions and workshops: everyone sees what is coming and registers; staff schedule them and
take attendance."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from civicgraph.console.forms import act
from civicgraph.console.shell import actor, graph, signed_in
from civicgraph.core.access import EXPERT, LAB_WRITE, ROLE_SCOPES, STAFF
from civicgraph.core.errors import NotFound
from civicgraph.lab.policy import scope_of
from civicgraph.lab.service import sessions

_SCOPE = scope_of("Mutation.joinLabSession")
ANYONE = frozenset(ROLE_SCOPES)
SCHEDULERS = STAFF | {EXPERT}


def _listing(failure: dict[str, Any] | None = None) -> str:
    who = actor()
    return render_template("console/sessions.html", failure=failure,
                           sessions=sessions.for_person(graph(), who if who.signed_in else None),
                           kinds=sessions.KINDS, can_schedule=who.has_any(SCHEDULERS))


def listing() -> ResponseReturnValue:
    return _listing()


@signed_in(ANYONE, scope=_SCOPE)
def join(session_id: str) -> ResponseReturnValue:
    return act(lambda: sessions.join(graph(), actor(), session_id),
               "You are registered. See you there.", _listing, "console.sessions",
               f"session-{session_id}")


@signed_in(ANYONE, scope=_SCOPE)
def leave(session_id: str) -> ResponseReturnValue:
    return act(lambda: sessions.leave(graph(), actor(), session_id),
               "Your registration is cancelled.", _listing, "console.sessions",
               f"session-{session_id}")


def _new_page(failure: dict[str, Any] | None = None) -> str:
    return render_template("console/staff_session_new.html", failure=failure,
                           kinds=sessions.KINDS, fields=sessions.field_choices(graph()))


@signed_in(SCHEDULERS, scope=LAB_WRITE)
def new() -> ResponseReturnValue:
    if request.method == "GET":
        return _new_page()
    form = request.form

    def schedule() -> Any:
        capacity = form.get("capacity", "").strip()
        return sessions.create(
            graph(), actor(), title=form.get("title"), kind=form.get("kind", ""),
            starts_at=_utc(form.get("startsAt")), ends_at=_utc(form.get("endsAt")),
            field_codes=form.getlist("fields"), description=form.get("description") or None,
            location=form.get("location") or None,
            capacity=int(capacity) if capacity.isdigit() else None)
    return act(schedule, "The session is scheduled.", _new_page, "console.sessions", "session")


def _utc(value: str | None) -> str:
    """A ``datetime-local`` value, read as UTC (the form says so)."""
    return f"{value}:00+00:00" if value and len(value) == 16 else (value or "")


def _people_page(session_id: str, failure: dict[str, Any] | None = None) -> str:
    try:
        found = sessions.with_people(graph(), actor(), session_id)
    except NotFound:
        abort(404)
    return render_template("console/staff_session.html", session=found, kinds=sessions.KINDS,
                           failure=failure)


@signed_in(SCHEDULERS, scope=LAB_WRITE)
def people(session_id: str) -> ResponseReturnValue:
    if request.method == "GET":
        return _people_page(session_id)
    return act(lambda: sessions.record_attendance(graph(), actor(), session_id,
                                                  request.form.getlist("attended")),
               "Attendance is recorded.", lambda failure=None: _people_page(session_id, failure),
               "console.session_people", "attendance", session_id=session_id)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/sessions", "sessions", listing)
    bp.add_url_rule("/sessions/<session_id>/join", "session_join", join, methods=["POST"])
    bp.add_url_rule("/sessions/<session_id>/leave", "session_leave", leave, methods=["POST"])
    bp.add_url_rule("/staff/sessions/new", "session_new", new, methods=["GET", "POST"])
    bp.add_url_rule("/staff/sessions/<session_id>", "session_people", people,
                    methods=["GET", "POST"])
