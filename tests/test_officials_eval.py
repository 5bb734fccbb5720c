"""Precision and recall of the officials tagging on the labelled evaluation set.

The set (tests/officials_eval/: 15 articles, a registry, the expected tags) is built for
real; `make eval-officials` prints the same figures.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "officials_eval"))

from evaluate_officials import evaluate, score


def test_precision_and_recall_on_the_evaluation_set():
    precision, recall, errors, count, pairs = evaluate()
    assert count >= 12
    assert pairs >= 30
    assert errors == []
    assert precision >= 0.98
    assert recall >= 0.98


def test_score_counts_wrong_and_missing_tags():
    expected = {"a.md": ["x", "y"], "b.md": []}
    precision, recall, errors = score(expected, {"a.md": ["x"], "b.md": ["z"]})
    assert (precision, recall) == (0.5, 0.5)
    assert errors == [("a.md", ["y"], []), ("b.md", [], ["z"])]
