"""Every label a template uses is defined in theme/labels.yml (a typo would show nothing)."""

import re
import unicodedata

import pytest
import yaml
from conftest import ROOT

TEMPLATES = ROOT / "theme" / "templates"
LABELS = yaml.safe_load((ROOT / "theme" / "labels.yml").read_text(encoding="utf-8"))
USED = re.compile(r"\bL\.([a-z_0-9]+)|\bL\['([a-z_0-9]+)")


def used_labels():
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        for dotted, indexed in USED.findall(path.read_text(encoding="utf-8")):
            found.add(dotted or indexed)
    return sorted(found)


@pytest.mark.parametrize("key", [k for k in used_labels() if not k.endswith("_")])
def test_label_is_defined(key):
    assert key in LABELS


def test_labels_found_in_templates():
    assert {"posted", "views", "related", "most_read", "skip_link"} <= set(used_labels())


@pytest.mark.parametrize("period", ["7d", "30d", "all"])
def test_most_read_period_labels(period):
    """index.html builds these keys as 'most_read_' ~ period."""
    assert f"most_read_{period}" in LABELS


def test_labels_are_nfc_text():
    for key, value in LABELS.items():
        assert isinstance(value, str), key
        assert unicodedata.is_normalized("NFC", value), key
