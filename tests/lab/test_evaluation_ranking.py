"""How proposals are ranked from the experts' scores, checked without services: a lenient and a
harsh judge count alike, excluded judges do not score, missing scores are named, ties are shown."""

from __future__ import annotations

from typing import Any

from civicgraph.lab.service.evaluation import rank

CRITERIA = [{"id": "impact", "name": "impact", "weight": 3},
            {"id": "cost", "name": "cost", "weight": 1}]
JUDGES = [{"id": "lenient", "name": "Lena"}, {"id": "harsh", "name": "Hari"}]


def proposal(pid: str, scores: dict[str, tuple[float, float]],
             ties: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": pid, "title": pid.title(), "status": "SUBMITTED", "ties": ties or [],
            "scores": [{"expertId": judge, "criterionId": k, "score": value}
                       for judge, pair in scores.items()
                       for k, value in zip(("impact", "cost"), pair, strict=True)]}


def test_each_judge_is_normalised_so_a_harsh_judge_counts_as_much_as_a_lenient_one() -> None:
    # Both judges prefer A to B to C; the lenient one scores everything 4-5, the harsh one 1-3.
    panel = {"criteria": CRITERIA, "judges": JUDGES, "proposals": [
        proposal("a", {"lenient": (5, 5), "harsh": (3, 3)}),
        proposal("b", {"lenient": (4.5, 4.5), "harsh": (2, 2)}),
        proposal("c", {"lenient": (4, 4), "harsh": (1, 1)}),
    ]}
    result = rank("ch", panel)
    rows = {r["proposalId"]: r for r in result["proposals"]}
    assert [r["proposalId"] for r in result["proposals"]] == ["a", "b", "c"]
    assert [rows[p]["rank"] for p in "abc"] == [1, 2, 3]
    # The same order from both judges gives the same z-scores from both: +1.2247, 0, -1.2247.
    for judge in rows["a"]["judges"]:
        assert judge["zScore"] == 1.2247
    assert rows["b"]["normalisedScore"] == 0.0 and rows["c"]["normalisedScore"] == -1.2247
    assert rows["a"]["rawWeightedMean"] == 4.0  # (5 + 3) / 2, weights 3:1 on equal scores
    assert result["missingScores"] == []


def test_excluded_judges_do_not_score_and_missing_scores_are_named() -> None:
    tie = {"expertId": "harsh", "name": "Hari", "code": "SAME_ORGANISATION"}
    panel: dict[str, Any] = {"criteria": CRITERIA, "judges": JUDGES, "proposals": [
        proposal("a", {"lenient": (5, 1)}, ties=[tie]),
        proposal("b", {"lenient": (2, 2), "harsh": (4, 4)}),
    ]}
    # The harsh judge works for A's proposer: excluded from A. On B they scored impact only.
    panel["proposals"][1]["scores"] = [
        s for s in panel["proposals"][1]["scores"]
        if not (s["expertId"] == "harsh" and s["criterionId"] == "cost")]
    result = rank("ch", panel)
    rows = {r["proposalId"]: r for r in result["proposals"]}
    assert rows["a"]["judgeCount"] == 1 and rows["a"]["excluded"] == [tie]
    assert result["missingScores"] == [{"proposalId": "b", "proposalTitle": "B",
                                        "expertId": "harsh", "name": "Hari",
                                        "missingCriteria": ["cost"]}]
    assert rows["b"]["judgeCount"] == 1


def test_equal_scores_are_a_visible_tie_and_share_a_rank() -> None:
    panel = {"criteria": CRITERIA, "judges": JUDGES[:1], "proposals": [
        proposal("a", {"lenient": (4, 4)}), proposal("b", {"lenient": (4, 4)}),
        proposal("c", {"lenient": (1, 1)}), proposal("d", {}),
    ]}
    rows = {r["proposalId"]: r for r in rank("ch", panel)["proposals"]}
    assert rows["a"]["rank"] == rows["b"]["rank"] == 1 and rows["c"]["rank"] == 3
    assert rows["a"]["tiedWith"] == ["b"] and rows["b"]["tiedWith"] == ["a"]
    assert rows["d"]["rank"] is None and rows["d"]["normalisedScore"] is None
