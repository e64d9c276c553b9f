"""What identity tests build: apps with keys of their own, and a token decoded the way a resource
server would (against the published JWKS, never the server's private key)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from joserfc import jwt
from joserfc.jwk import KeySet

from civicgraph.app import create_app


def decode(app: Flask, token: str) -> Any:
    jwks = app.test_client().get("/.well-known/jwks.json").get_json()
    return jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"])


def other_app(tmp_path: Path, **overrides: Any) -> Flask:
    """An app with its own keys; the rate limits are out of the way unless a test sets them."""
    flask_app = create_app({"keys_dir": tmp_path / "keys", "log_json": True,
                            "token_rate_per_ip": 1_000_000, "token_rate_per_client": 1_000_000,
                            **overrides})
    flask_app.testing = True
    return flask_app


def approved_purpose(graph: Any, organisation_id: str, code: str = "job-matching",
                     categories: tuple[str, ...] = ("contact", "skills", "occupation")) -> str:
    """A purpose the organisation declared and the lab approved, through the services; its id."""
    from civicgraph.core.access import Principal
    from civicgraph.identity.service import purposes

    partner = Principal(subject="partner", client_id="partner", organisation_id=organisation_id,
                        scopes=frozenset({"graph:write"}))
    declared = purposes.declare(graph, partner, {
        "code": code, "nameEn": code.replace("-", " ").capitalize(), "nameFr": code,
        "descriptionEn": f"We use your data for {code}.", "descriptionFr": f"Pour {code}.",
        "benefitEn": "Vacancies that fit you.", "benefitFr": "Des offres pour vous.",
        "categories": list(categories), "legalBasis": "CONSENT", "retentionDays": 90})
    staff = Principal(subject="staff", client_id="console", person_id="staff",
                      scopes=frozenset({"lab:write"}), roles=frozenset({"LAB_STAFF"}))
    approved: str = purposes.approve(graph, staff, declared["id"], declared["version"])["id"]
    return approved


def two_organisations_and_a_citizen(graph: Any, password: str) -> tuple[Any, Any, Any]:
    """SkillBridge and Nosy Ltd (North), and Aino, a citizen with a skill (Welding) and an
    occupation (Welder): the world the consent tests read."""
    from civicgraph.identity.service import accounts
    from civicgraph.partner_graph.service import organisations

    jobs = organisations.register(graph, name="SkillBridge", kind="START_UP", region="North",
                                  description=None)
    other = organisations.register(graph, name="Nosy Ltd", kind="EMPLOYER", region="North",
                                   description=None)
    citizen = accounts.create(graph, email="aino@example.org", name="Aino Virtanen",
                              password=password, roles=["CITIZEN"], region="North")
    graph.run(
        "MATCH (p:Person {id: $id}) "
        "CREATE (p)-[:HAS_SKILL]->(:Skill {id: randomUUID(), uri: 'esco:s1', name: 'Welding'}) "
        "CREATE (p)-[:HAS_OCCUPATION]->(:Occupation {id: randomUUID(), uri: 'esco:o1', "
        "  code: '7212', name: 'Welder'})", {"id": citizen["id"]}, write=True)
    return jobs, other, citizen
