"""Reading ESCO's CSV download (or the shipped sample in its shape) into plain rows."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "esco_sample"


@dataclass
class EscoData:
    occupations: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(handle)]


def load(directory: Path = SAMPLE_DIR) -> EscoData:
    """occupations_en.csv, skills_en.csv and occupationSkillRelations_en.csv from a folder."""
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
