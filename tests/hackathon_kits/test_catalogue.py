"""The public side: catalogue and kit pages, DCAT-AP, downloads with Range and ETag, the CLI."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from civicgraph.cli import main
from civicgraph.cli.devstack import Service
from civicgraph.core.graph import Graph
from tests.builders import gql
from tests.hackathon_kits import builders as factories
from tests.hackathon_kits.builders import build

pytestmark = pytest.mark.worker

KIT = "claimant-count-and-vacancies"


def test_catalogue_kit_page_dcat_and_ranged_download(
    client: FlaskClient, graph: Graph, worker: Service
) -> None:
    factories.vacancies(graph, {("North East", "Nurse", "2025-01"): 25,
                                ("London", "Welder", "2025-01"): 7})
    build(client, KIT)

    catalogue = client.get("/kits")
    assert catalogue.status_code == 200 and catalogue.mimetype == "text/html"
    html = catalogue.get_data(as_text=True)
    assert '<html lang="en">' in html and "<h1>Open-data kits</h1>" in html
    for name in ("vacancies-by-region-occupation-year", "courses-and-skills",
                 "partnerships-by-kind-and-region", KIT):
        assert f'href="/kits/{name}"' in html

    page = client.get(f"/kits/{KIT}").get_data(as_text=True)
    assert "Data dictionary" in page and "Disclosure control" in page
    assert "ILLUSTRATIVE DATA" in page
    assert f'href="http://localhost/kits/{KIT}/releases/1/download"' in page
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    dataset = json.loads(block.group(1))
    assert dataset["@type"] == "Dataset" and dataset["distribution"][0]["@type"] == "DataDownload"

    dcat = client.get(f"/kits/{KIT}/dcat.jsonld")
    assert dcat.mimetype == "application/ld+json"
    doc = dcat.get_json()
    assert doc["@type"] == "dcat:Dataset" and doc["dct:title"] and doc["dct:description"]
    assert doc["dct:license"]["@id"].startswith("http://www.nationalarchives.gov.uk/")
    dist = doc["dcat:distribution"][0]
    assert dist["dcat:accessURL"] == dist["dcat:downloadURL"]

    url = f"/kits/{KIT}/releases/1/download"
    full = client.get(url)
    data = full.get_data()
    sha = hashlib.sha256(data).hexdigest()
    assert dist["spdx:checksum"]["spdx:checksumValue"] == {"@value": sha, "@type": "xsd:hexBinary"}
    assert int(dist["dcat:byteSize"]["@value"]) == len(data)
    assert full.headers["Content-Disposition"].startswith("attachment;")

    part = client.get(url, headers={"Range": "bytes=10-109"})
    assert part.status_code == 206
    assert part.get_data() == data[10:110]
    assert part.headers["Content-Range"] == f"bytes 10-109/{len(data)}"

    cached = client.get(url, headers={"If-None-Match": f'"{sha}"'})
    assert cached.status_code == 304

    downloads = gql(client, "query($n: String!) { kitRelease(name: $n, number: 1) { downloads } }",
                    {"n": KIT})
    assert downloads["data"]["kitRelease"]["downloads"] == 1  # the ranged tail and 304 not counted

    assert client.get(f"/kits/{KIT}/releases/9/download").status_code == 404
    missing = client.get("/kits/no-such-kit")
    assert missing.status_code == 404 and "<h1>Kit not found</h1>" in missing.get_data(as_text=True)


def test_kits_query_lists_every_kit_with_its_dictionary(client: FlaskClient) -> None:
    body = gql(client, "{ kits { name licence datasets { name columns { name type } } "
                       "disclosureMethod latestRelease { number } } }")
    kits = {k["name"]: k for k in body["data"]["kits"]}
    assert {"vacancies-by-region-occupation-year", "courses-and-skills",
            "partnerships-by-kind-and-region", KIT} <= set(kits)
    assert kits[KIT]["datasets"][0]["columns"][0] == {"name": "region_code", "type": "STRING"}
    assert kits[KIT]["latestRelease"] is None


def test_cli_builds_with_a_progress_bar_and_lists(graph: Graph, worker: Service) -> None:
    factories.vacancies(graph, {("North", "Nurse", "2025-01"): 12})
    runner = CliRunner()
    result = runner.invoke(main, ["kits", "build", "test-vacancies"])
    assert result.exit_code == 0, result.output
    assert "published release 1" in result.output
    listing = runner.invoke(main, ["kits", "list"])
    assert listing.exit_code == 0 and "test-vacancies" in listing.output


def test_cli_check_names_what_is_wrong(graph: Graph) -> None:
    runner = CliRunner()
    good = runner.invoke(main, ["kits", "check", "courses-and-skills", "test-vacancies"])
    assert good.exit_code == 0 and "courses-and-skills: ok" in good.output
    bad = runner.invoke(main, ["kits", "check", "test-writer", "no-such-kit"])
    assert bad.exit_code != 0
    assert "datasets.sneaky.cypher: a kit query must only read" in bad.output
    assert "no kit named 'no-such-kit'" in bad.output


def test_catalogue_is_public_but_building_needs_lab_write(app: Flask) -> None:
    anonymous = app.test_client()
    assert anonymous.get("/kits").status_code == 200
    body = gql(anonymous, "{ kits { name } }")
    assert {k["name"] for k in body["data"]["kits"]} >= {"vacancies-by-region-occupation-year"}
    refused = gql(anonymous, 'mutation { buildKit(input: {name: "x"}) { build { id } } }',
                  status=401)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
