"""Consent receipts: what a citizen agreed to, to keep, in a shape other tools read.

The receipt follows the Kantara Initiative Consent Receipt Specification v1.1 (the record
ISO/IEC TS 27560 builds on): the controller, the purpose and its categories of personal data,
how it ends. CivicGraph's own terms (legal basis, retention, the purpose version, what the
citizen gets back, the replacement chain) are in a ``civicgraph`` member beside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civicgraph.compiler.domains.identity import CATEGORIES, LEGAL_BASES
from civicgraph.core.access import Principal, require_person
from civicgraph.core.graph import Graph
from civicgraph.identity.service import consent

SPECIFICATION = "KI-CR-v1.1.0"


def _epoch(iso: str | None) -> int | None:
    if not iso:
        return None
    return int(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def receipt(graph: Graph, principal: Principal, consent_id: str, *, language: str,
            base_url: str) -> dict[str, Any]:
    """The receipt of one of the caller's consents (a replaced or withdrawn one too: the
    receipt says what was agreed then, and its state now)."""
    person_id = require_person(principal, "CITIZEN")
    record = consent.my_consent(graph, principal, consent_id)
    declared = record.get("declared") or {}
    french = language == "fr"
    name = declared.get("nameFr" if french else "nameEn") or record["purpose"]
    description = declared.get("descriptionFr" if french else "descriptionEn") or name
    ends = (f"Until {record['expiresAt'][:10]}, or when withdrawn on the CivicGraph console "
            "(Who may read your data)")
    return {
        "version": SPECIFICATION,
        "jurisdiction": "EU",
        "consentTimestamp": _epoch(record["grantedAt"]),
        "collectionMethod": "CivicGraph citizen console",
        "consentReceiptID": record["id"],
        "language": language,
        "piiPrincipalId": person_id,
        "piiControllers": [{"piiController": record["organisationName"],
                            "onBehalf": False, "contact": record["organisationName"]}],
        "policyUrl": f"{base_url}/console/me",
        "services": [{
            "service": name,
            "purposes": [{
                "purpose": description,
                "purposeCategory": [record["purpose"]],
                "consentType": "EXPLICIT",
                "piiCategory": [CATEGORIES[c] for c in record["categories"] if c in CATEGORIES],
                "primaryPurpose": True,
                "termination": ends,
                "thirdPartyDisclosure": False,
            }],
        }],
        "sensitive": False,
        "spiCat": [],
        "civicgraph": {
            "status": record["status"],
            "grantedAt": record["grantedAt"],
            "expiresAt": record["expiresAt"],
            "withdrawnAt": record["withdrawnAt"],
            "organisationId": record["organisationId"],
            "categories": record["categories"],
            "purposeId": declared.get("id"),
            "purposeVersion": record.get("purposeVersion"),
            "legalBasis": declared.get("legalBasis"),
            "legalBasisMeaning": LEGAL_BASES.get(str(declared.get("legalBasis"))),
            "retentionDays": declared.get("retentionDays"),
            "inReturn": declared.get("benefitFr" if french else "benefitEn"),
            "replaces": record.get("supersedes"),
            "replacedBy": record.get("supersededBy"),
        },
    }
