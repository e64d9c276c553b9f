"""Records a TEST-mode partner platform synced, made through the real feed sync, for the tests
that check such records never change an answer a public caller can see."""

from __future__ import annotations

from pathlib import Path

from civicgraph.core.graph import Graph
from partners.service import sync as partner_sync
from tests.partners.test_file_sync import register

HEADER = ("CompanyName,CompanyNumber,RegAddress.PostTown,CompanyCategory,CompanyStatus,"
          "IncorporationDate,SICCode.SicText_1,URI")


def hidden_organisation(graph: Graph, folder: Path, name: str, number: str) -> str:
    """An organisation only a TEST-mode company register knows; its id."""
    feed = folder / f"{number}.csv"
    feed.write_text(f"{HEADER}\n{name},{number},LEEDS,Private Limited Company,Active,"
                    "14/03/2016,62012 - Business and domestic software development,\n")
    register(graph, f"register-{number.lower()}", "companies-house-basic", str(feed),
             promote=False)
    partner_sync.sync_now(graph, f"register-{number.lower()}")
    found = graph.run("MATCH (o:Organisation {businessId: $n}) RETURN o.id AS id",
                      {"n": number})
    assert found, "the register's organisation was synced"
    return str(found[0]["id"])


def hidden_vacancy(graph: Graph, folder: Path, title: str, employer: str) -> str:
    """A vacancy only a TEST-mode job board lists, offered by ``employer`` (by name); its id."""
    feed = folder / "jobs.json"
    feed.write_text('[{"@type": "JobPosting", "identifier": "T-1", "title": "' + title + '",'
                    ' "hiringOrganization": "' + employer + '"}]')
    register(graph, "trial-board", "schemaorg-jobposting", str(feed), promote=False)
    partner_sync.sync_now(graph, "trial-board")
    return str(graph.run("MATCH (v:Vacancy {title: $t}) RETURN v.id AS id", {"t": title})[0]["id"])
