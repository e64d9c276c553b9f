"""Public kit pages: the catalogue, a kit's page, DCAT-AP metadata and release downloads.

No login: hackathon participants browse and download anonymously. Downloads (the zip, and each
file of a release alone) are served by werkzeug's conditional ``send_file``, which answers Range,
If-None-Match and If-Modified-Since from the file and the ETag we give it (its sha256); the
publisher leaves a file untouched when a rebuild makes the same bytes, so its Last-Modified
holds. ``Repr-Digest`` (RFC 9530) names the whole file's sha256, also on a ranged answer.

The DCAT-AP 3.0.1 documents are JSON-LD: one per kit, and the catalogue's, which holds every
kit's own document as a ``dcat:Dataset``. Each is checked against the official SHACL shapes in
the tests.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext

from civicgraph.config import Settings
from civicgraph.core.errors import NotFound
from civicgraph.core.graph import Graph
from hackathon_kits import releases, service

bp = Blueprint("kits", __name__, template_folder="templates")

IANA = "http://www.iana.org/assignments/media-types/"
IANA_ZIP = IANA + "application/zip"
SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
CATALOGUE_PUBLISHER = "CivicGraph"
YEAR = 31536000
CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
           "foaf": "http://xmlns.com/foaf/0.1/", "spdx": "http://spdx.org/rdf/terms#",
           "xsd": "http://www.w3.org/2001/XMLSchema#"}


@bp.context_processor
def _language() -> dict[str, Any]:
    """The page's language (the console's choice: ``?lang=``, then the session, then the
    browser's), for ``<html lang>`` and the language links."""
    return {"kits_locale": str(get_locale() or "en")}


def _deps() -> tuple[Graph, Settings]:
    ext: dict[str, Any] = current_app.extensions["civicgraph"]
    return ext["graph"], ext["settings"]


def _download_url(name: str, number: int) -> str:
    return url_for("kits.download", name=name, version=number, _external=True)


def _file_url(name: str, number: int, file: str) -> str:
    return url_for("kits.download_file", name=name, version=number, file=file, _external=True)


def repr_digest(sha256_hex: str) -> str:
    """RFC 9530's field value for a sha-256: the digest's bytes in base64, as a byte sequence."""
    return "sha-256=:" + base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii") + ":"


def _kits_with_files(graph: Graph, settings: Settings) -> list[dict[str, Any]]:
    kits = service.list_kits(graph, settings)
    for kit in kits:
        kit["files"] = _latest_files(settings, kit)
    return kits


def _latest_files(settings: Settings, kit: dict[str, Any]) -> list[dict[str, Any]]:
    latest = kit["latestRelease"]
    if latest is None:
        return []
    try:
        return releases.release_files(settings, latest)
    except NotFound:  # the zip is missing from the store: the page still lists the kit
        return []


@bp.get("/kits")
def catalogue() -> ResponseReturnValue:
    graph, settings = _deps()
    kits = service.list_kits(graph, settings)
    text = request.args.get("q", "").strip()
    chosen = [k for k in request.args.getlist("keyword") if k.strip()]
    keywords = sorted({k for kit in kits for k in kit["keywords"]}, key=str.casefold)
    found = service.search_kits(kits, text, chosen)
    return render_template("kits_catalogue.html", kits=found, total=len(kits), text=text,
                           chosen=chosen, keywords=keywords)


@bp.get("/kits/<name>")
def kit_page(name: str) -> ResponseReturnValue:
    graph, settings = _deps()
    try:
        kit = service.get_kit(graph, settings, name)
    except NotFound:
        return render_template("kits_missing.html", name=name), 404
    files = _latest_files(settings, kit)
    tables = releases.preview(settings, kit["latestRelease"], kit) if files else []
    return render_template("kits_kit.html", kit=kit, files=files, tables=tables,
                           preview_rows=releases.PREVIEW_ROWS,
                           live_queries=service.live_queries(name),
                           graphiql=url_for("graphql.graphql_get") if settings.graphiql
                           else None,
                           schema_org=json.dumps(schema_org(kit), indent=2),
                           download_url=_download_url, file_url=_file_url)


def _jsonld(document: dict[str, Any]) -> Response:
    return Response(json.dumps(document, indent=2, ensure_ascii=False),
                    mimetype="application/ld+json")


@bp.get("/kits/catalogue.jsonld")
def dcat_catalogue() -> ResponseReturnValue:
    graph, settings = _deps()
    return _jsonld(catalogue_dcat(_kits_with_files(graph, settings)))


@bp.get("/kits/<name>/dcat.jsonld")
def dcat(name: str) -> ResponseReturnValue:
    graph, settings = _deps()
    kit = service.get_kit(graph, settings, name)
    kit["files"] = _latest_files(settings, kit)
    return _jsonld({"@context": CONTEXT, **dcat_ap(kit)})


def _send(path: Path, mimetype: str, download_name: str, sha256: str) -> Response:
    response = send_file(path, mimetype=mimetype, as_attachment=True,
                         download_name=download_name, conditional=True, etag=sha256,
                         max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["Repr-Digest"] = repr_digest(sha256)
    return response


# Release numbers are Neo4j integers (64 bits); a larger number names no release (404), rather
# than reaching the driver, which cannot send it.
@bp.get(f"/kits/<name>/releases/<int(max={2**63 - 1}):version>/download")
def download(name: str, version: int) -> ResponseReturnValue:
    graph, settings = _deps()
    range_header = request.headers.get("Range", "")
    counted = not range_header or range_header.replace(" ", "").startswith("bytes=0-")
    if counted and request.method == "GET" and "If-None-Match" not in request.headers:
        path, release = releases.release_download(graph, settings, name, version)
    else:
        release = releases.get_release(graph, name, version)
        path = settings.kit_store_dir / str(release["path"])
    return _send(path, "application/zip", f"{name}-release-{version}.zip", str(release["sha256"]))


@bp.get(f"/kits/<name>/releases/<int(max={2**63 - 1}):version>/files/<path:file>")
def download_file(name: str, version: int, file: str) -> ResponseReturnValue:
    """One file of a release alone (its name as in the zip, e.g. ``data/vacancies.csv``)."""
    graph, settings = _deps()
    path, entry = releases.release_file(graph, settings, name, version, file)
    download_name = f"{name}-release-{version}-{file.replace('/', '-')}"
    return _send(path, entry["mediaType"], download_name, entry["sha256"])


def _landing(kit: dict[str, Any]) -> str:
    return url_for("kits.kit_page", name=kit["name"], _external=True)


def _checksum(sha256_hex: str) -> dict[str, Any]:
    return {"@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": SPDX_SHA256, "@type": "spdx:ChecksumAlgorithm"},
            "spdx:checksumValue": {"@value": sha256_hex, "@type": "xsd:hexBinary"}}


def _licence(kit: dict[str, Any]) -> dict[str, Any]:
    return {"@id": kit["licenceUrl"], "@type": "dct:LicenseDocument"}


def _media_type(mime: str) -> dict[str, Any]:
    return {"@id": IANA + mime, "@type": "dct:MediaType"}


def dcat_ap(kit: dict[str, Any]) -> dict[str, Any]:
    """DCAT-AP 3.0.1: a Dataset with one Distribution per release (its zip) and one per file of
    the newest release (each downloadable alone), without ``@context`` (the caller's)."""
    distributions = []
    for release in kit["releases"]:
        url = _download_url(kit["name"], release["number"])
        distributions.append({
            "@id": url, "@type": "dcat:Distribution",
            "dct:title": f"{kit['title']}, release {release['number']}",
            "dct:description": "Zip of CSV and Parquet files with datapackage.json, README, "
                               "data dictionary and sha256 manifest.",
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": _media_type("application/zip"),
            "dct:license": _licence(kit),
            "dcat:byteSize": {"@value": str(release["bytes"]),
                              "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": _checksum(release["sha256"]),
            "dct:issued": {"@value": release["builtAt"], "@type": "xsd:dateTime"},
        })
    latest = kit["latestRelease"]
    for file in kit.get("files", []):
        url = _file_url(kit["name"], latest["number"], file["name"])
        distributions.append({
            "@id": url, "@type": "dcat:Distribution",
            "dct:title": f"{kit['title']}, release {latest['number']}: {file['name']}",
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": _media_type(file["mediaType"]),
            "dct:license": _licence(kit),
            "dcat:byteSize": {"@value": str(file["bytes"]), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": _checksum(file["sha256"]),
            "dct:issued": {"@value": latest["builtAt"], "@type": "xsd:dateTime"},
        })
    return {
        "@id": _landing(kit), "@type": "dcat:Dataset",
        "dct:identifier": kit["name"], "dct:title": kit["title"],
        "dct:description": kit["description"], "dcat:keyword": kit["keywords"],
        "dct:license": _licence(kit),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": kit["publisher"]},
        "dcat:landingPage": {"@id": _landing(kit), "@type": "foaf:Document"},
        "dcat:distribution": distributions,
    }


def catalogue_dcat(kits: list[dict[str, Any]]) -> dict[str, Any]:
    """DCAT-AP 3.0.1: the Catalog of every kit, each the Dataset its own document describes, so
    a harvester needs this one URL."""
    home = url_for("kits.catalogue", _external=True)
    return {
        "@context": CONTEXT,
        "@id": url_for("kits.dcat_catalogue", _external=True), "@type": "dcat:Catalog",
        "dct:title": gettext("Open-data kits"),
        "dct:description": gettext(
            "Ready-made, disclosure-controlled data for hackathons: each kit is a zip of CSV "
            "and Parquet files with a data dictionary, a README and a Frictionless "
            "datapackage.json."),
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": CATALOGUE_PUBLISHER},
        "foaf:homepage": {"@id": home, "@type": "foaf:Document"},
        "dcat:dataset": [dcat_ap(kit) for kit in kits],
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
