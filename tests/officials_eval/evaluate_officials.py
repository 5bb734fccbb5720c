"""Precision and recall of the officials tagging over a labelled set of articles.

    python tests/officials_eval/evaluate_officials.py [SET_DIR]

SET_DIR (default: this folder) holds `content/` (articles under bai-viet/, the registry in
data/officials.yml, photos) and `expected.yml` (article file name -> list of registry
ids). The site is built for real with the project's settings into a temporary folder and
the officials each article ends up with (`article.officials`) are compared with the list.
"""

import logging
import sys
import tempfile
from pathlib import Path

import yaml
from pelican import Pelican, signals
from pelican.settings import read_settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
_collected = []


def _collect(generators):
    for generator in generators:
        for article in getattr(generator, "articles", None) or []:
            _collected.append(article)


def tagged_articles(content):
    """{article file name: [official ids]} after a real build of `content`."""
    _collected.clear()
    signals.all_generators_finalized.connect(_collect)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = read_settings(
                str(ROOT / "pelicanconf.py"),
                override={
                    "PATH": str(content),
                    "OUTPUT_PATH": str(Path(tmp) / "output"),
                    "THEME": str(ROOT / "theme"),
                    "PLUGIN_PATHS": [str(ROOT / "plugins")],
                    "CACHE_PATH": str(Path(tmp) / "cache"),
                    "WITH_FUTURE_DATES": True,
                },
            )
            # The build's state goes with its output, not beside the evaluation set.
            settings["INCREMENTAL"] = {**settings["INCREMENTAL"], "state_dir": None}
            settings["OFFICIALS"] = {**settings["OFFICIALS"], "cache": ""}
            settings["PHOTOS"] = {**settings["PHOTOS"], "cache_dir": str(Path(tmp) / "photos")}
            Pelican(settings).run()
    finally:
        signals.all_generators_finalized.disconnect(_collect)
    return {
        Path(a.source_path).name: [o.id for o in getattr(a, "officials", None) or []]
        for a in _collected
    }


def score(expected, got):
    """(precision, recall, [(file, missing, wrong)]) over (article, official) pairs."""
    true_pos = false_pos = false_neg = 0
    errors = []
    for name, ids in sorted(expected.items()):
        want, have = set(ids or []), set(got.get(name, []))
        true_pos += len(want & have)
        false_pos += len(have - want)
        false_neg += len(want - have)
        if want != have:
            errors.append((name, sorted(want - have), sorted(have - want)))
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return precision, recall, errors


def evaluate(set_dir=HERE):
    """(precision, recall, errors, number of articles, number of expected tags)."""
    set_dir = Path(set_dir)
    expected = yaml.safe_load((set_dir / "expected.yml").read_text(encoding="utf-8"))
    got = tagged_articles(set_dir / "content")
    missing_files = sorted(set(expected) - set(got))
    if missing_files:
        raise SystemExit(f"không dựng được các bài: {', '.join(missing_files)}")
    pairs = sum(len(ids or []) for ids in expected.values())
    return (*score(expected, got), len(expected), pairs)


def main(argv):
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(message)s")
    set_dir = Path(argv[1]) if len(argv) > 1 else HERE
    precision, recall, errors, count, pairs = evaluate(set_dir)
    print(f"Bộ đánh giá: {set_dir} ({count} bài, {pairs} cặp bài – cán bộ cần gắn)")
    for name, missing, wrong in errors:
        print(f"  {name}: thiếu {missing or '-'}; gắn sai {wrong or '-'}")
    print(f"Precision (độ chính xác): {precision:.3f}")
    print(f"Recall (độ bao phủ):      {recall:.3f}")
    return 0 if precision >= 0.98 and recall >= 0.98 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
