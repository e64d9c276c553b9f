"""Identity's rows of the access table: a citizen's own consents and access log need the
citizen role besides the scope; partners read a citizen's profile with citizen:read (consent
is then checked in the Cypher that reads it); clients and the record of processing are admin's."""

from __future__ import annotations

from civicgraph.core.access import (
    ADMIN,
    CITIZEN,
    CITIZEN_READ,
    CONSENT_READ,
    CONSENT_WRITE,
    GRAPH_READ,
    GRAPH_WRITE,
    LAB_STAFF,
    LAB_WRITE,
    Rule,
    needs,
)

POLICY: dict[str, Rule] = {
    "Query.citizenProfile": needs(CITIZEN_READ),
    "Query.myConsents": needs(CONSENT_READ, CITIZEN),
    "Query.myAccessLog": needs(CONSENT_READ, CITIZEN),
    "Query.recordOfProcessing": needs(ADMIN),
    "Query.oauthClients": needs(ADMIN),
    "Mutation.createOAuthClient": needs(ADMIN),
    "Mutation.grantConsent": needs(CONSENT_WRITE, CITIZEN),
    "Mutation.withdrawConsent": needs(CONSENT_WRITE, CITIZEN),
    "Mutation.changeConsent": needs(CONSENT_WRITE, CITIZEN),
    "Query.purposes": needs(GRAPH_READ),
    "Mutation.declarePurpose": needs(GRAPH_WRITE),
    "Mutation.revisePurpose": needs(GRAPH_WRITE),
    "Mutation.retirePurpose": needs(GRAPH_WRITE),
    "Mutation.approvePurpose": needs(LAB_WRITE, LAB_STAFF, "ADMIN"),
    "Mutation.recordDataUse": needs(CITIZEN_READ),
}
