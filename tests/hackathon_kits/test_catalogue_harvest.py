"""What a participant and a harvester check in the catalogue: search and keyword filters, each
kit's preview and per-file downloads, the GraphQL queries that serve its data live, the DCAT-AP
3.0.1 documents (0 Violations against the official shapes), ``Repr-Digest`` and an unchanged
rebuild that leaves the published zip, and so its Last-Modified, untouched."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from graphql import parse, validate
from graphql.language import (
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    TypeNode,
)
from pyshacl import validate as shacl_validate
from rdflib import Graph as RDF
from rdflib import Literal, URIRef
from rdflib.namespace import RDF as RDF_NS
from rdflib.namespace import SH, XSD

import hackathon_kits
from civicgraph.core.graph import Graph
from civicgraph.gateway.schema import schema
from hackathon_kits.builder.spec import SPECS_DIR
from tests.hackathon_kits import builders as factories
from tests.hackathon_kits.builders import build
from tests.hackathon_kits.conftest import KIT_STORE

KIT = "claimant-count-and-vacancies"
LIVE_DIR = Path(hackathon_kits.__file__).resolve().parent / "live"
SHAPES = Path(__file__).resolve().parent / "shapes" / "dcat-ap-3.0.1-SHACL.ttl"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"


def _kit_links(html: str) -> set[str]:
    return set(re.findall(r'<h2><a href="/kits/([a-z0-9-]+)">', html))


def test_catalogue_search_and_keyword_filters_in_both_languages(app: Flask) -> None:
    anonymous = app.test_client()
    every = _kit_links(anonymous.get("/kits").get_data(as_text=True))
    assert {KIT, "courses-and-skills", "vacancies-by-region-occupation-year"} <= every

    by_text = anonymous.get("/kits?q=Claimant+UNEMPLOYMENT")
    assert by_text.status_code == 200
    html = by_text.get_data(as_text=True)
    assert _kit_links(html) == {KIT}
    assert f"Kits shown: 1 of {len(every)}" in html
    assert 'value="Claimant UNEMPLOYMENT"' in html  # the search box keeps what was asked

    by_keyword = anonymous.get("/kits?keyword=ESCO").get_data(as_text=True)
    assert _kit_links(by_keyword) == {"courses-and-skills", "jobs-and-skills"}
    assert '<input type="checkbox" name="keyword" value="ESCO" checked>' in by_keyword
    both = anonymous.get("/kits?keyword=vacancies&keyword=unemployment").get_data(as_text=True)
    assert _kit_links(both) == {KIT}  # every chosen keyword must be the kit's

    nothing = anonymous.get("/kits?q=no-such-word-anywhere").get_data(as_text=True)
    assert _kit_links(nothing) == set() and "No kit matches" in nothing

    french = anonymous.get("/kits?lang=fr&q=Claimant+UNEMPLOYMENT").get_data(as_text=True)
    assert '<html lang="fr">' in french
    assert "Kits de données ouvertes CivicGraph" in french and "Chercher dans les kits" in french
    assert f"Kits affichés : 1 sur {len(every)}" in french


def _zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def _manifest(data: bytes) -> dict[str, str]:
    text = _zip_member(data, "manifest-sha256.txt").decode()
    return {line.split("  ")[1]: line.split("  ")[0] for line in text.splitlines()}


@pytest.mark.worker
def test_kit_page_previews_each_table_and_serves_each_file_alone(
    client: FlaskClient, graph: Graph, worker: object
) -> None:
    factories.vacancies(graph, {("North East", "Nurse", "2025-01"): 25,
                                ("London", "Welder", "2025-01"): 12})
    build(client, KIT)
    archive = client.get(f"/kits/{KIT}/releases/1/download").get_data()
    manifest = _manifest(archive)

    page = client.get(f"/kits/{KIT}").get_data(as_text=True)
    assert "Preview" in page
    claimants = list(csv.reader(io.StringIO(_zip_member(archive, "data/claimant-count.csv")
                                            .decode())))
    assert len(claimants) > 11  # the shipped table is longer than its preview
    header = "".join(f'<th scope="col">{c}</th>' for c in claimants[0])
    assert header in page
    for row in claimants[1:11]:
        assert "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" in page
    assert "<tr>" + "".join(f"<td>{v}</td>" for v in claimants[11]) + "</tr>" not in page
    assert "data/vacancies-by-region-month.csv" in page  # the second table is previewed too

    for name in manifest:  # every file of the zip has its own link
        assert f'href="http://localhost/kits/{KIT}/releases/1/files/{name}"' in page

    url = f"/kits/{KIT}/releases/1/files/data/claimant-count.csv"
    alone = client.get(url)
    body = alone.get_data()
    assert alone.status_code == 200 and alone.mimetype == "text/csv"
    assert body == _zip_member(archive, "data/claimant-count.csv")
    assert hashlib.sha256(body).hexdigest() == manifest["data/claimant-count.csv"]
    assert alone.headers["ETag"] == f'"{manifest["data/claimant-count.csv"]}"'
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert alone.headers["Repr-Digest"] == f"sha-256=:{digest}:"
    assert alone.headers["Content-Disposition"].startswith("attachment;")

    part = client.get(url, headers={"Range": "bytes=5-24"})
    assert part.status_code == 206 and part.get_data() == body[5:25]
    assert part.headers["Content-Range"] == f"bytes 5-24/{len(body)}"
    assert part.headers["Repr-Digest"] == f"sha-256=:{digest}:"  # the whole file's digest
    assert client.get(url, headers={"If-None-Match": alone.headers["ETag"]}).status_code == 304
    parquet = client.get(f"/kits/{KIT}/releases/1/files/data/claimant-count.parquet")
    assert parquet.status_code == 200 and parquet.get_data()[:4] == b"PAR1"

    assert client.get(f"/kits/{KIT}/releases/1/files/data/nope.csv").status_code == 404
    assert client.get(f"/kits/{KIT}/releases/1/files/../../../etc/passwd").status_code == 404
    assert client.get(f"/kits/{KIT}/releases/7/files/README.md").status_code == 404

    assert "query VacanciesByRegionMonth" in page and 'href="/graphql"' in page
    french = client.get(f"/kits/{KIT}?lang=fr").get_data(as_text=True)
    assert "Aperçu" in french and "Les mêmes données en direct, par GraphQL" in french


SAMPLE = {"String": "North East", "Date": "2025-01-01", "OrganisationKind": "EMPLOYER"}


def test_every_shipped_kit_has_live_queries_that_run_against_the_api(
    client: FlaskClient,
) -> None:
    for spec in sorted(SPECS_DIR.glob("*.yaml")):
        path = LIVE_DIR / f"{spec.stem}.graphql"
        assert path.is_file(), f"{spec.stem} has no live GraphQL queries"
        document = parse(path.read_text())
        assert validate(schema.graphql_schema, document) == [], spec.stem
        for operation in document.definitions:
            assert isinstance(operation, OperationDefinitionNode)
            variables = {v.variable.name.value: SAMPLE[_type_name(v.type)]
                         for v in operation.variable_definitions
                         if isinstance(v.type, NonNullTypeNode)}  # the optional ones unset
            assert operation.name is not None
            answer = client.post("/graphql", json={
                "query": path.read_text(), "variables": variables,
                "operationName": operation.name.value})
            body = answer.get_json()
            assert answer.status_code == 200 and "errors" not in body, (spec.stem, body)


def _type_name(node: TypeNode) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def _violations(document: str) -> list[str]:
    data = RDF().parse(data=document, format="json-ld")
    shapes = RDF().parse(SHAPES, format="turtle")
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none")
    found = [str(report.value(result, SH.resultMessage))
             for result in report.subjects(SH.resultSeverity, SH.Violation)]
    assert conforms == (not found)
    return found


@pytest.mark.worker
def test_catalogue_and_kit_dcat_documents_have_no_violation(
    client: FlaskClient, graph: Graph, worker: object
) -> None:
    factories.vacancies(graph, {("North East", "Nurse", "2025-01"): 25})
    build(client, KIT)

    catalogue = client.get("/kits/catalogue.jsonld")
    assert catalogue.status_code == 200 and catalogue.mimetype == "application/ld+json"
    assert _violations(catalogue.get_data(as_text=True)) == []
    kit = client.get(f"/kits/{KIT}/dcat.jsonld")
    assert _violations(kit.get_data(as_text=True)) == []

    data = RDF().parse(data=catalogue.get_data(as_text=True), format="json-ld")
    home = URIRef("http://localhost/kits/catalogue.jsonld")
    assert (home, RDF_NS.type, URIRef(DCAT + "Catalog")) in data
    listed = {str(d) for d in data.objects(home, URIRef(DCAT + "dataset"))}
    names = {p.stem for p in SPECS_DIR.glob("*.yaml")}
    assert {f"http://localhost/kits/{n}" for n in names} <= listed

    archive = client.get(f"/kits/{KIT}/releases/1/download").get_data()
    values = set(data.objects(None, URIRef(SPDX + "checksumValue")))
    zip_sha = hashlib.sha256(archive).hexdigest()
    assert Literal(zip_sha, datatype=XSD.hexBinary) in values
    csv_url = URIRef(f"http://localhost/kits/{KIT}/releases/1/files/data/claimant-count.csv")
    assert (csv_url, URIRef(DCAT + "downloadURL"), csv_url) in data
    assert Literal(_manifest(archive)["data/claimant-count.csv"], datatype=XSD.hexBinary) \
        in values


@pytest.mark.worker
def test_zip_answers_repr_digest_and_an_unchanged_rebuild_keeps_last_modified(
    client: FlaskClient, graph: Graph, worker: object
) -> None:
    factories.vacancies(graph, {("London", "Welder", "2025-03"): 14})
    build(client, KIT)
    url = f"/kits/{KIT}/releases/1/download"
    first = client.get(url)
    data = first.get_data()
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert first.headers["Repr-Digest"] == f"sha-256=:{digest}:"
    assert "Digest" not in first.headers
    stored = KIT_STORE / KIT / f"{hashlib.sha256(data).hexdigest()}.zip"
    before = stored.stat().st_mtime_ns
    modified = first.headers["Last-Modified"]

    time.sleep(1.1)  # a rewritten file would now show a later second in Last-Modified
    again = build(client, KIT)
    assert again["unchanged"] is True and again["releaseNumber"] == 1
    assert stored.stat().st_mtime_ns == before
    cached = client.get(url, headers={"If-Modified-Since": modified})
    assert cached.status_code == 304
    assert client.get(url).headers["Last-Modified"] == modified
