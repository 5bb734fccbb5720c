"""tools/search_index.py: what goes into the search index, and what it leaves alone."""

from conftest import FIXTURES

from tools.search_index import build, fold_d, main


def test_index_leaves_out_drafts_and_hidden_pages_and_keeps_the_site(
    site_builder, tmp_path, caplog
):
    """The index is built from what the pages mark as searchable: published articles and
    pages, never a draft or a hidden or future article (written to /ban-nhap/ here), and
    the site's own files keep their real đ."""
    out = site_builder(FIXTURES / "deploy" / "content")
    drafts = list((out / "ban-nhap").rglob("index.html"))
    assert drafts, "the fixture has drafts, hidden and future articles"
    assert all("data-pagefind-body" not in p.read_text("utf-8") for p in drafts)
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    searchable = [p for p in before if b"data-pagefind-body" in before[p]]
    assert build(out) == len(searchable) == 3  # two articles and the page "Giới thiệu"
    assert (out / "pagefind" / "pagefind.js").exists()
    assert not list(out.glob("pagefind.*"))  # the new and the old index are gone
    assert {p: p.read_bytes() for p in out.rglob("*.html") if "pagefind" not in p.parts} == before
    assert "đ".encode() in b"".join(before.values())
    # A second build replaces the index whole.
    stray = out / "pagefind" / "fragment" / "cu.pf_fragment"
    stray.write_bytes(b"old")
    assert build(out) == 3
    assert not stray.exists()
    # Staff are told in Vietnamese what is wrong.
    assert main(["--site", str(tmp_path / "khong-co")]) == 2
    assert "hãy dựng trang trước" in caplog.text
    empty = tmp_path / "trong"
    empty.mkdir()
    (empty / "index.html").write_text("<p>không có gì</p>", encoding="utf-8")
    assert main(["--site", str(empty)]) == 1
    assert "Không có trang nào để tìm kiếm" in caplog.text


def test_fold_d_writes_d_the_way_pagefind_folds_it():
    import unicodedata

    folded = fold_d(unicodedata.normalize("NFD", "Đảng ủy, 12/QĐ-UBND"))
    assert folded == "Ḏảng ủy, 12/QḎ-UBND"
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)
    )
    assert stripped == "Dang uy, 12/QD-UBND"
