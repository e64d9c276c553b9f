"""The lab's rules as declared data, checked without services: status sets, conditions with
their text and their Cypher fact, and the Cypher that receives the sets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from civicgraph.console import SOURCE as TRANSLATIONS
from civicgraph.lab import cypher as lab_cypher
from civicgraph.lab.cypher.transitions import FACTS
from civicgraph.lab.pages.present import progress
from civicgraph.lab.service import pilots
from civicgraph.lab.service.lifecycles import (
    CHALLENGE,
    LIFECYCLES,
    PILOT,
    STAGE_GATES,
    STATUS_PARAMS,
)

KINDS = sorted(LIFECYCLES)
LAB = Path(lab_cypher.__file__).resolve().parent.parent
CYPHER_SOURCES = sorted(Path(lab_cypher.__file__).parent.glob("*.py"))
ALL_STATUSES = sorted({s for lc in LIFECYCLES.values() for s in lc.statuses})


@pytest.mark.parametrize("kind", KINDS)
def test_each_named_set_names_only_statuses_of_its_lifecycle(kind: str) -> None:
    lc = LIFECYCLES[kind]
    for name, members in lc.sets.items():
        assert members, name
        assert set(members) <= set(lc.statuses), (name, members)
        # In the lifecycle's order, once each: messages list them as the lifecycle reads.
        assert list(members) == [s for s in lc.statuses if s in members], (name, members)


@pytest.mark.parametrize("kind", KINDS)
def test_every_transition_waits_only_for_conditions_its_lifecycle_declares(kind: str) -> None:
    lc = LIFECYCLES[kind]
    declared = [c.name for c in lc.conditions]
    assert len(declared) == len(set(declared))
    for t in lc.transitions:
        assert {t.source, t.target} <= set(lc.statuses), t
        assert set(t.conditions) <= set(declared), t
    used = {c for t in lc.transitions for c in t.conditions}
    assert used == set(declared), "a declared condition no move waits for"


@pytest.mark.parametrize("kind", KINDS)
def test_every_condition_has_a_text_and_a_fact(kind: str) -> None:
    lc = LIFECYCLES[kind]
    assert set(FACTS[lc.label]) == {c.name for c in lc.conditions}
    for condition in lc.conditions:
        assert condition.text.strip() and FACTS[lc.label][condition.name].strip()


def test_every_condition_text_is_translated_into_french() -> None:
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    for lc in LIFECYCLES.values():
        for condition in lc.conditions:
            message = catalog.get(condition.text)
            assert message is not None and message.string, condition


def test_the_stage_gates_are_the_pilot_moves_that_wait_for_conditions() -> None:
    assert list(STAGE_GATES) == ["PILOT", "SCALING", "MAINSTREAMED"]
    assert STAGE_GATES["PILOT"] == (
        "has_outcome_measures", "every_measure_has_baseline", "sponsor_signed_off")
    assert [pilots.next_stage(s) for s in PILOT.statuses] == [
        "PILOT", "SCALING", "MAINSTREAMED", None, None]


def test_a_set_travels_to_cypher_under_its_kind_and_name() -> None:
    assert CHALLENGE.params("taking_proposals", "rubric_editable") == {
        "challengeTakingProposals": ["OPEN"], "challengeRubricEditable": ["DRAFT"]}
    assert CHALLENGE.words("editable") == "DRAFT or OPEN"


def test_the_lab_cypher_names_only_declared_sets() -> None:
    named = re.compile(r"\$((?:idea|challenge|proposal|pilot)[A-Z]\w*)")
    wanted = {param for source in CYPHER_SOURCES for param in named.findall(source.read_text())
              if not param.endswith("Id")}  # a record's id, like $challengeId
    assert wanted and wanted <= set(STATUS_PARAMS), wanted - set(STATUS_PARAMS)


def test_the_lab_python_names_only_declared_sets() -> None:
    sources = [p for folder in ("service", "pages", "api") for p in (LAB / folder).glob("*.py")]
    uses = re.compile(r"\b(IDEA|CHALLENGE|PROPOSAL|PILOT)\.(?:sets\[|params\(|words\()([^\])]*)")
    seen = 0
    for source in sources:
        for kind, args in uses.findall(source.read_text()):
            for name in re.findall(r"[\"'](\w+)[\"']", args):
                assert name in LIFECYCLES[kind].sets, (source.name, kind, name)
                seen += 1
    assert seen


def test_the_lab_cypher_spells_out_no_status_but_a_new_records_first() -> None:
    initials = {lc.initial for lc in LIFECYCLES.values()}
    statuses = "|".join(ALL_STATUSES)
    for source in CYPHER_SOURCES:
        text = source.read_text()
        for created in re.findall(rf"status: '({statuses})'", text):
            assert created in initials, (source.name, created)
        left = re.findall(rf"'({statuses})'", re.sub(rf"status: '({statuses})'", "", text))
        assert not left, (source.name, left)


def test_progress_shows_the_target_rule_the_cypher_computed() -> None:
    measure = {"baseline": 10.0, "target": 20.0, "direction": "INCREASE", "latest": 15.0,
               "met": False, "measurements": [{"value": 15.0, "at": "2027-01-01T00:00:00Z"}]}
    shown = progress(measure)
    assert (shown["percent"], shown["met"], shown["latest"]) == (50, False, 15.0)
    assert progress({**measure, "latest": 25.0, "met": True})["percent"] == 100
