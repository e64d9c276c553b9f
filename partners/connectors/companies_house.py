"""An organisation register as CSV in the columns of UK Companies House's free "Basic Company
Data" product (BasicCompanyDataAsOneFile-YYYY-MM-DD.csv, published monthly under the Open
Government Licence v3.0).

The real header carries leading spaces on some names (" CompanyNumber"), so names are stripped.
Dates are DD/MM/YYYY; SIC columns hold "62012 - Business and domestic software development".
Columns used: CompanyName, CompanyNumber, RegAddress.PostTown, CompanyCategory, CompanyStatus,
IncorporationDate, SICCode.SicText_1..4, URI; the others are read and ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from civicgraph.partner_graph import vocabulary
from partners.connectors.contract import MappedRecord, OrgRef, RecordError, Schedule, Transport

_NUMBER = re.compile(r"^[A-Z0-9]{8}$")


def _kind(category: str, sic_codes: list[str]) -> str:
    """The platform's organisation kind from the legal form and the first SIC code."""
    lowered = category.lower()
    if "charit" in lowered or "community interest" in lowered:
        return "THIRD_SECTOR"
    code = sic_codes[0][:5] if sic_codes else ""
    if code.startswith("85"):
        return "TRAINING_PROVIDER"
    if code.startswith("72"):
        return "RESEARCH"
    return "EMPLOYER"


def _date(value: str, field: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date().isoformat()
    except ValueError as exc:
        raise RecordError(f"{field} is not a DD/MM/YYYY date: {value!r}") from exc


class CompaniesHouseConnector:
    name: ClassVar[str] = "companies-house-basic"
    record_type: ClassVar[str] = "Organisation"
    format: ClassVar[str] = "csv"
    transports: ClassVar[frozenset[Transport]] = frozenset({Transport.FILE, Transport.HTTP})
    truncatable: ClassVar[frozenset[str]] = frozenset()
    schedule: ClassVar[Schedule] = Schedule(every_seconds=30 * 24 * 3600)

    def key(self, raw: Mapping[str, Any]) -> str:
        number = str(raw.get("CompanyNumber") or "").strip().upper()
        if not _NUMBER.match(number):
            raise RecordError(f"CompanyNumber must be 8 letters or digits, got {number!r}")
        return number

    def map(self, raw: Mapping[str, Any]) -> MappedRecord:
        number = self.key(raw)
        name = str(raw.get("CompanyName") or "").strip()
        if not name:
            raise RecordError("CompanyName is empty")
        town = " ".join(str(raw.get("RegAddress.PostTown") or "").split()).title()
        code = vocabulary.region_code(town)
        region = vocabulary.REGION_NAMES[code] if code else town
        category = str(raw.get("CompanyCategory") or "").strip()
        sic = [str(raw.get(f"SICCode.SicText_{i}") or "").strip() for i in range(1, 5)]
        sic = [s for s in sic if s and s.lower() != "none supplied"]
        kind = _kind(category, sic)
        properties = {
            "name": name,
            "region": region,
            "regionCode": code,
            "town": town or None,
            "businessId": number,
            "kind": kind,
            "companyCategory": category or None,
            "companyStatus": str(raw.get("CompanyStatus") or "").strip() or None,
            "incorporatedOn": _date(str(raw.get("IncorporationDate") or ""),
                                    "IncorporationDate"),
            "sicCodes": sic,
            "registerUri": str(raw.get("URI") or "").strip() or None,
        }
        return MappedRecord(
            record_type=self.record_type,
            key=number,
            properties=properties,
            organisation=OrgRef(name=name, region=region, kind=kind, business_id=number,
                                region_code=code),
        )
