"""Identity's worker tasks and beat entries: the signed checkpoints of the citizens' access logs,
and the reminders of consents about to end.

A checkpoint signs every chain's head with the platform's signing key (the newest key of
``CIVICGRAPH_KEYS_DIR``, the one the JWKS publishes), so a later rewrite of a whole chain no
longer matches what was published. The worker reads the same key folder as the web app.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from civicgraph.config import load_settings
from civicgraph.core import runtime
from civicgraph.identity.oauth.keys import KeyRing
from civicgraph.identity.service import access_log, consent

SIGN_ACCESS_LOG_CHECKPOINT = "civicgraph.identity.sign_access_log_checkpoint"
REMIND_ENDING_CONSENTS = "civicgraph.identity.remind_ending_consents"

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "identity-access-log-checkpoint": {"task": SIGN_ACCESS_LOG_CHECKPOINT, "schedule": 3600.0},
    "identity-remind-ending-consents": {"task": REMIND_ENDING_CONSENTS, "schedule": 3600.0},
}


@shared_task(name=SIGN_ACCESS_LOG_CHECKPOINT)  # type: ignore[untyped-decorator]
def sign_access_log_checkpoint() -> dict[str, Any]:
    key = KeyRing(load_settings().keys_dir).signing_key()
    made = access_log.make_checkpoint(runtime.graph(), key)
    return {"id": made["id"], "at": made["at"], "chains": made["chains"]}


@shared_task(name=REMIND_ENDING_CONSENTS)  # type: ignore[untyped-decorator]
def remind_ending_consents() -> dict[str, Any]:
    return {"reminded": consent.remind_ending(runtime.graph())}
