"""The soak's verdict on answers: what counts as an outage's honest 503 and what is a 5xx that
nothing explains (pure rules, no services)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak_report import (
    BEGIN,
    END,
    Answer,
    Outage,
    classify,
    markdown,
    percentile,
    verdict,
    write_soak_section,
)


def test_only_a_503_during_an_outage_is_explained() -> None:
    outages = [Outage("Neo4j restarted", start=100.0, end=130.0)]
    answers = [
        Answer(at=110.0, kind="read", status=503, seconds=0.1),   # honest: during the outage
        Answer(at=110.0, kind="read", status=500, seconds=0.1),   # a 500, even in an outage
        Answer(at=200.0, kind="read", status=503, seconds=0.1),   # a 503 with no outage
        Answer(at=95.0, kind="read", status=503, seconds=10.0),   # in flight when it began
        Answer(at=50.0, kind="read", status=200, seconds=0.1, internal=True),
        Answer(at=60.0, kind="read", status=0, seconds=15.0),     # no answer: not a 5xx
    ]
    figures = classify(answers, outages)
    assert figures["unexplained"] == {
        "500 during an outage": 1, "503 outside outages": 1,
        "500 (GraphQL INTERNAL_SERVER_ERROR) outside outages": 1,
    }
    assert figures["by_status"] == {"500": 1, "500 (GraphQL INTERNAL_SERVER_ERROR)": 1,
                                    "503": 3, "no answer": 1}


def test_percentiles_pick_from_the_sorted_values() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99)) == (51.0, 100.0)


def _clean_run(**changes: object) -> dict[str, object]:
    """What a run that held reports; each test below breaks one figure of it."""
    report: dict[str, object] = {
        "acknowledged_writes": 812, "lost_writes": 0, "revoked": 40, "revoked_refused": 40,
        "resurrected_during_run": 0, "pushed_keys": 96, "pushed_missing": 0,
        "runs_left_open": 0, "push_after_soak": "accepted", "unexplained": {},
    }
    return {**report, **changes}


def test_a_run_that_held_passes() -> None:
    assert verdict(_clean_run()) == []


@pytest.mark.parametrize(("changes", "failed"), [
    ({"acknowledged_writes": 0},
     "no write was acknowledged (a soak that wrote nothing proves nothing)"),
    ({"lost_writes": 1}, "an acknowledged write is missing"),
    ({"revoked": 0, "revoked_refused": 0},
     "no working token was revoked (a soak that revoked nothing proves nothing)"),
    ({"revoked_refused": 39}, "a revoked token works after the run"),
    ({"resurrected_during_run": 2}, "a revoked token worked during the run"),
    ({"pushed_keys": 0}, "no pushed record was acknowledged"),
    ({"pushed_missing": 3}, "an acknowledged pushed record is missing"),
    ({"runs_left_open": 1}, "the feed is wedged (a sync run left QUEUED or RUNNING)"),
    ({"push_after_soak": "refused (409)"},
     "the feed is wedged (a push after the soak was refused)"),
    ({"unexplained": {"500 (GraphQL INTERNAL_SERVER_ERROR) during an outage": 1}},
     "a 5xx other than a 503 during an outage"),
])
def test_each_broken_promise_fails_the_run(changes: dict[str, object], failed: str) -> None:
    assert verdict(_clean_run(**changes)) == [failed]


def test_the_verdict_is_written_with_its_reasons() -> None:
    report = {**_clean_run(lost_writes=2, unexplained={"500 outside outages": 1}),
              "clients": 32, "requests": 10, "seconds": 1.0, "per_second": 10.0,
              "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0, "faults": [], "notes": [],
              "supervisor": [], "by_status": {"200": 9, "500": 1}, "memory_start_mib": {},
              "memory_end_mib": {}}
    report["failed_checks"] = verdict(report)
    report["passed"] = not report["failed_checks"]
    text = markdown(report)
    assert ("Verdict: **failed**: an acknowledged write is missing; "
            "a 5xx other than a 503 during an outage.") in text
    assert "- 500 outside outages: 1" in text


def test_a_new_soak_replaces_only_the_last_soaks_section(tmp_path: Path) -> None:
    doc = tmp_path / "reliability.md"
    doc.write_text("# Reliability\n\nThe defects and their tests.\n")
    write_soak_section(doc, "## The last soak\n\nfirst run\n")
    write_soak_section(doc, "## The last soak\n\nsecond run\n")
    text = doc.read_text()
    assert text.startswith("# Reliability\n\nThe defects and their tests.\n")
    assert "second run" in text and "first run" not in text
    assert text.count(BEGIN) == 1 and text.count(END) == 1
