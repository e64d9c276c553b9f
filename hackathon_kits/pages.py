"""Public kit pages: the catalogue, a kit's page, DCAT-AP metadata and release downloads.

No login: hackathon participants browse and download anonymously. Downloads are served by
werkzeug's conditional ``send_file``, which answers Range and If-None-Match from the file and the
ETag we give it (the release's sha256).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from civicgraph.config import Settings
from civicgraph.core.errors import NotFound
from civicgraph.core.graph import Graph
from hackathon_kits import service

bp = Blueprint("kits", __name__, template_folder="templates")

IANA_ZIP = "http://www.iana.org/assignments/media-types/application/zip"
SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"


def _deps() -> tuple[Graph, Settings]:
    ext: dict[str, Any] = current_app.extensions["civicgraph"]
    return ext["graph"], ext["settings"]


def _download_url(name: str, number: int) -> str:
    return url_for("kits.download", name=name, version=number, _external=True)


@bp.get("/kits")
def catalogue() -> ResponseReturnValue:
    graph, settings = _deps()
    return render_template("kits_catalogue.html", kits=service.list_kits(graph, settings))


@bp.get("/kits/<name>")
def kit_page(name: str) -> ResponseReturnValue:
    graph, settings = _deps()
    try:
        kit = service.get_kit(graph, settings, name)
    except NotFound:
        return render_template("kits_missing.html", name=name), 404
    return render_template("kits_kit.html", kit=kit,
                           schema_org=json.dumps(schema_org(kit), indent=2),
                           download_url=_download_url)


@bp.get("/kits/<name>/dcat.jsonld")
def dcat(name: str) -> ResponseReturnValue:
    graph, settings = _deps()
    body = json.dumps(dcat_ap(service.get_kit(graph, settings, name)), indent=2)
    return Response(body, mimetype="application/ld+json")


# Release numbers are Neo4j integers (64 bits); a larger number names no release (404), rather
# than reaching the driver, which cannot send it.
@bp.get(f"/kits/<name>/releases/<int(max={2**63 - 1}):version>/download")
def download(name: str, version: int) -> ResponseReturnValue:
    graph, settings = _deps()
    range_header = request.headers.get("Range", "")
    counted = not range_header or range_header.replace(" ", "").startswith("bytes=0-")
    if counted and request.method == "GET" and "If-None-Match" not in request.headers:
        path, release = service.release_download(graph, settings, name, version)
    else:
        release = service.get_release(graph, name, version)
        path = settings.kit_store_dir / str(release["path"])
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=f"{name}-release-{version}.zip", conditional=True,
                         etag=str(release["sha256"]), max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Digest"] = f"sha-256={release['sha256']}"
    return response


def _landing(kit: dict[str, Any]) -> str:
    return url_for("kits.kit_page", name=kit["name"], _external=True)


def dcat_ap(kit: dict[str, Any]) -> dict[str, Any]:
    """DCAT-AP 3.0.1: a Dataset with one Distribution per release."""
    distributions = []
    for release in kit["releases"]:
        url = _download_url(kit["name"], release["number"])
        distributions.append({
            "@id": url, "@type": "dcat:Distribution",
            "dct:title": f"{kit['title']}, release {release['number']}",
            "dct:description": "Zip of CSV and Parquet files with datapackage.json, README, "
                               "data dictionary and sha256 manifest.",
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": IANA_ZIP},
            "dct:license": {"@id": kit["licenceUrl"]},
            "dcat:byteSize": {"@value": str(release["bytes"]),
                              "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": SPDX_SHA256},
                              "spdx:checksumValue": release["sha256"]},
            "dct:issued": {"@value": release["builtAt"], "@type": "xsd:dateTime"},
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "spdx": "http://spdx.org/rdf/terms#",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": _landing(kit), "@type": "dcat:Dataset",
        "dct:identifier": kit["name"], "dct:title": kit["title"],
        "dct:description": kit["description"], "dcat:keyword": kit["keywords"],
        "dct:license": {"@id": kit["licenceUrl"]},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": kit["publisher"]},
        "dcat:landingPage": {"@id": _landing(kit)},
        "dcat:distribution": distributions,
    }


def schema_org(kit: dict[str, Any]) -> dict[str, Any]:
    """schema.org Dataset with a DataDownload per release, for search engines."""
    return {
        "@context": "https://schema.org/", "@type": "Dataset", "name": kit["title"],
        "description": kit["description"], "url": _landing(kit), "identifier": kit["name"],
        "keywords": kit["keywords"], "license": kit["licenceUrl"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": kit["publisher"]},
        "variableMeasured": sorted({c["title"] for d in kit["datasets"] for c in d["columns"]}),
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "application/zip",
             "contentUrl": _download_url(kit["name"], r["number"]),
             "contentSize": f"{r['bytes']} B", "sha256": r["sha256"],
             "version": str(r["number"]), "uploadDate": r["builtAt"]}
            for r in kit["releases"]],
    }
