"""The connectors the platform knows, by name (a PartnerPlatform names one)."""

from __future__ import annotations

from partners.connectors.companies_house import CompaniesHouseConnector
from partners.connectors.contract import Connector
from partners.connectors.course import CourseConnector
from partners.connectors.jobposting import JobPostingConnector

CONNECTORS: dict[str, Connector] = {
    c.name: c for c in (JobPostingConnector(), CourseConnector(), CompaniesHouseConnector())
}


def connector(name: str) -> Connector:
    try:
        return CONNECTORS[name]
    except KeyError as exc:
        raise KeyError(f"no connector named {name!r}; known: {', '.join(CONNECTORS)}") from exc
