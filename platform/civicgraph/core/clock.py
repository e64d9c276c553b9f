"""Time as the lab sees it: aware UTC datetimes, written to the graph as ISO strings."""

from __future__ import annotations

import datetime as dt

from civicgraph.core.errors import BadInput


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime | None = None) -> str:
    return (moment or now()).astimezone(dt.UTC).isoformat()


def parse(value: str | dt.datetime | None, field: str) -> dt.datetime:
    """Accept ISO 8601 with a zone (or a datetime); a naive time is refused, not guessed."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
        except ValueError as exc:
            raise BadInput(f"{field} must be an ISO 8601 date and time", field=field) from exc
    if moment.tzinfo is None:
        raise BadInput(f"{field} must name its time zone (e.g. 2027-01-31T17:00:00Z)",
                       field=field)
    return moment.astimezone(dt.UTC)
