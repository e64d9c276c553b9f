"""Cypher expressions for the rules more than one statement applies, each written once here.

Statements splice these in; the status sets they name arrive as parameters from the lifecycle
tables (``lab.service.lifecycles``), so the rule's words live here and its statuses there.
"""

from __future__ import annotations


def before_deadline(record: str, at: str) -> str:
    """Strictly before: at the deadline itself the window has closed; no deadline, no window."""
    return f"coalesce({record}.deadline > datetime(${at}), false)"


def past_deadline(record: str, at: str) -> str:
    return f"coalesce({record}.deadline <= datetime(${at}), false)"


def challenge_open(challenge: str) -> str:
    return f"{challenge}.status IN $challengeTakingProposals"


def takes_proposals(challenge: str, at: str) -> str:
    """A challenge takes proposals (drafts, edits, submissions) in its status set, before its
    deadline."""
    return f"{challenge_open(challenge)} AND {before_deadline(challenge, at)}"


def latest_value(measure: str) -> str:
    """A measure's latest value: the one measured last (its ``at``), not the one recorded last."""
    return (f"COLLECT {{ MATCH (x:Measurement)-[:OF]->({measure}) "
            f"WITH x ORDER BY x.at DESC LIMIT 1 RETURN x.value }}[0]")


def target_met(measure: str, latest: str) -> str:
    """The latest value is at or past the target, in the measure's direction; false before any
    measurement. The stage gates and the pages showing progress both read this."""
    return (f"({latest} IS NOT NULL AND CASE {measure}.direction "
            f"WHEN 'DECREASE' THEN {latest} <= {measure}.target "
            f"ELSE {latest} >= {measure}.target END)")
