"""Every text/background pair of the theme's colour tokens reaches WCAG AA (4.5:1)."""

import re

import pytest
from conftest import ROOT

CSS = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
TOKENS = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", CSS))

# (text, background) pairs the stylesheet uses.
PAIRS = [
    ("text", "bg"), ("muted", "bg"), ("link", "bg"), ("text", "band"), ("muted", "band"),
    ("link", "band"), ("text", "notice"), ("link", "notice"), ("on-brand", "brand"),
    ("on-brand", "brand-dark"), ("on-brand-soft", "brand"), ("brand", "bg"), ("brand", "band"),
    ("on-brand", "link"),
]  # fmt: skip


def luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(("fg", "bg"), PAIRS, ids=[f"{f}-on-{b}" for f, b in PAIRS])
def test_pair_reaches_aa(fg, bg):
    assert contrast(TOKENS[fg], TOKENS[bg]) >= 4.5


def test_contrast_function_knows_black_on_white():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic near miss
