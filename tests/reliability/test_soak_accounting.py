"""The soak's verdict on answers: what counts as an outage's honest 503 and what is a 5xx that
nothing explains (pure rules, no services)."""

from __future__ import annotations

from bench.soak_report import Answer, Outage, classify, percentile


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
