"""The ecosystem's one vocabulary of places, fields, skills and occupations.

Every seed (the demo, ``civicgraph generate``, identity's and the lab's demo records) and every
demo feed names its regions, skills and occupations from here, so records from different doors
join: a vacancy's ``regionCode`` joins the shipped claimant counts (ONS GSS codes of the nine
English regions), and matching on a skill finds every vacancy tagged with it, whoever wrote it.
Skills and occupations are the shipped ESCO-shaped sample (``esco_sample/``, see its README),
read by the same loader as a real ESCO download.
"""

from __future__ import annotations

import csv
import functools
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REGIONS: tuple[tuple[str, str], ...] = (
    ("E12000001", "North East"), ("E12000002", "North West"),
    ("E12000003", "Yorkshire and The Humber"), ("E12000004", "East Midlands"),
    ("E12000005", "West Midlands"), ("E12000006", "East of England"), ("E12000007", "London"),
    ("E12000008", "South East"), ("E12000009", "South West"),
)
"""The English regions (ONS RGN) as (GSS code, name), spelled as the ONS and the shipped
claimant counts spell them."""
REGION_NAMES: dict[str, str] = dict(REGIONS)
REGION_CODES: tuple[str, ...] = tuple(REGION_NAMES)

_PLACES: dict[str, tuple[str, ...]] = {
    "E12000001": ("newcastle upon tyne", "newcastle", "sunderland", "durham", "middlesbrough",
                  "gateshead"),
    "E12000002": ("manchester", "liverpool", "preston", "bolton", "lancaster", "chester"),
    "E12000003": ("leeds", "sheffield", "bradford", "york", "hull", "harrogate", "wakefield",
                  "huddersfield", "doncaster"),
    "E12000004": ("nottingham", "leicester", "derby", "lincoln", "northampton"),
    "E12000005": ("birmingham", "coventry", "wolverhampton", "stoke-on-trent", "worcester"),
    "E12000006": ("norwich", "cambridge", "ipswich", "peterborough", "colchester", "luton"),
    "E12000007": ("london", "westminster", "croydon", "camden", "hackney"),
    "E12000008": ("brighton", "oxford", "reading", "southampton", "portsmouth", "canterbury"),
    "E12000009": ("bristol", "plymouth", "exeter", "bath", "gloucester", "truro"),
}
_LOOKUP: dict[str, str] = {
    **{place: code for code, places in _PLACES.items() for place in places},
    **{name.casefold(): code for code, name in REGIONS},
    **{code.casefold(): code for code in REGION_CODES},
}


def region_code(*places: str | None) -> str | None:
    """The GSS code of the first of ``places`` (a region's name or code, or a town we know)
    that names an English region; None when none does (a feed's town we cannot place)."""
    for place in places:
        code = _LOOKUP.get(" ".join((place or "").casefold().split()))
        if code:
            return code
    return None


def region(code: str) -> dict[str, str]:
    """The properties a record stores for a region: its name (``region``) and ``regionCode``."""
    return {"region": REGION_NAMES[code], "regionCode": code}


FIELDS: tuple[tuple[str, str], ...] = (
    ("employment-services", "Employment services"), ("social-care", "Social care"),
    ("digital-skills", "Digital skills"), ("green-jobs", "Green jobs"),
    ("youth-employment", "Youth employment"), ("disability-inclusion", "Disability inclusion"),
    ("health-and-wellbeing", "Health and wellbeing"), ("housing", "Housing"),
    ("adult-learning", "Adult learning"), ("entrepreneurship", "Entrepreneurship"),
    ("migration-and-integration", "Migration and integration"), ("data-and-ai", "Data and AI"),
    ("public-procurement", "Public procurement"), ("care-economy", "Care economy"),
    ("transport", "Transport"), ("construction", "Construction"), ("hospitality", "Hospitality"),
    ("manufacturing", "Manufacturing"), ("financial-inclusion", "Financial inclusion"),
    ("community-development", "Community development"),
)
"""The lab's twenty fields of expertise, as (code, name)."""

SAMPLE_DIR = Path(__file__).resolve().parent / "esco_sample"
SKILL_PREFIX = "urn:esco-sample:skill:"
OCCUPATION_PREFIX = "urn:esco-sample:occupation:"


@dataclass
class EscoData:
    occupations: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)

    def needs(self, occupation_uri: str, *, essential_only: bool = False) -> list[str]:
        """The skill URIs an occupation needs, essential ones first, in file order."""
        found = [r for r in self.relations if r["occupation"] == occupation_uri
                 and (r["essential"] or not essential_only)]
        return [r["skill"] for r in sorted(found, key=lambda r: not r["essential"])]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(handle)]


def load(directory: Path = SAMPLE_DIR) -> EscoData:
    """occupations_en.csv, skills_en.csv and occupationSkillRelations_en.csv from a folder (ESCO's
    CSV download, or the shipped sample in its shape)."""
    data = EscoData()
    for row in _rows(directory / "occupations_en.csv"):
        data.occupations.append({"uri": row["conceptUri"], "name": row["preferredLabel"],
                                 "code": row.get("iscoGroup") or None,
                                 "description": row.get("description") or None})
    for row in _rows(directory / "skills_en.csv"):
        data.skills.append({"uri": row["conceptUri"], "name": row["preferredLabel"],
                            "skillType": row.get("skillType") or None})
    for row in _rows(directory / "occupationSkillRelations_en.csv"):
        relation = row["relationType"].lower()
        if relation not in {"essential", "optional"}:
            raise ValueError(f"relationType must be essential or optional, got {relation!r}")
        data.relations.append({"occupation": row["occupationUri"], "skill": row["skillUri"],
                               "essential": relation == "essential"})
    return data


@functools.cache
def sample() -> EscoData:
    """The shipped sample, read once."""
    return load()


def _slug(text: str) -> str:
    return "-".join(text.casefold().split())


def skill(key: str) -> str:
    """A sample skill's URI by its short name (``python``); KeyError if the sample lacks it, so
    a seed cannot invent a skill outside the vocabulary."""
    uri = SKILL_PREFIX + key
    if uri not in {s["uri"] for s in sample().skills}:
        raise KeyError(f"no skill {key!r} in the ESCO-shaped sample")
    return uri


def occupation(name: str) -> dict[str, Any]:
    """A sample occupation by its name's slug (``data-analyst``, ``software-developer``)."""
    for found in sample().occupations:
        if _slug(found["name"]) == name:
            return found
    raise KeyError(f"no occupation {name!r} in the ESCO-shaped sample")


def node_id(kind: str, key: str) -> str:
    """A vocabulary node's id, derived from its key, so every seed gives the same node the same
    id whichever of them made it first."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"civicgraph-vocabulary:{kind}:{key}"))


def rows(skill_uris: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The vocabulary as the bulk writers' rows: fields, skills (all, or those of
    ``skill_uris``) and the occupations that need at least one of them, each linked to the
    essential skills kept (an optional relation is the ESCO loader's to write, with its flag)."""
    data = sample()
    kept = set(skill_uris) if skill_uris is not None else {s["uri"] for s in data.skills}
    occupations = []
    for o in data.occupations:
        needs = [u for u in data.needs(o["uri"], essential_only=True) if u in kept]
        if needs:
            occupations.append({"props": {"id": node_id("occupation", o["uri"]), "uri": o["uri"],
                                          "code": o["code"], "name": o["name"]},
                                "skills": needs})
    return {
        "fields": [{"props": {"id": node_id("field", c), "code": c, "name": n}}
                   for c, n in FIELDS],
        "skills": [{"props": {"id": node_id("skill", s["uri"]), "uri": s["uri"],
                              "name": s["name"]}}
                   for s in data.skills if s["uri"] in kept],
        "occupations": occupations,
    }
