"""The officials tag cache on its own: what makes it start empty, what it keeps."""

import json

from officials.cache import VERSION, TagCache, article_key, salt

ENTRY = {"officials": [["le-quang-thuy", 2]], "speaker": None, "links": [[3, 16, "le-quang-thuy"]]}


def test_entries_come_back_in_the_next_build(tmp_path):
    path = tmp_path / "var" / "tags.json"
    first = TagCache(str(path), "s1")
    first.put("k", ENTRY)
    first.save()
    again = TagCache(str(path), "s1")
    assert again.get("k") == ENTRY and again.hits == 1


def test_another_salt_starts_empty(tmp_path):
    path = tmp_path / "tags.json"
    cache = TagCache(str(path), "s1")
    cache.put("k", ENTRY)
    cache.save()
    assert TagCache(str(path), "s2").get("k") is None


def test_salt_follows_registry_and_settings(tmp_path):
    registry = tmp_path / "officials.yml"
    registry.write_text("- id: a\n", encoding="utf-8")
    base = salt(registry, {"per_page": 30})
    assert salt(registry, {"per_page": 30}) == base
    assert salt(registry, {"per_page": 31}) != base
    registry.write_text("- id: b\n", encoding="utf-8")
    assert salt(registry, {"per_page": 30}) != base


def test_key_separates_its_parts():
    assert article_key("ab", "c") != article_key("a", "bc")


def test_unreadable_file_is_an_empty_cache(tmp_path):
    for text in ("{not json", "[]", json.dumps({"version": VERSION, "salt": "s"})):
        path = tmp_path / "tags.json"
        path.write_text(text, encoding="utf-8")
        assert TagCache(str(path), "s").get("k") is None


def test_only_entries_this_build_used_are_kept(tmp_path):
    path = tmp_path / "tags.json"
    cache = TagCache(str(path), "s")
    cache.put("old", ENTRY)
    cache.put("kept", ENTRY)
    cache.save()
    cache = TagCache(str(path), "s")
    cache.get("kept")
    cache.put("new", ENTRY)
    cache.save()
    saved = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert set(saved) == {"kept", "new"}


def test_the_file_this_process_wrote_is_not_parsed_again_until_another_writes_it(
    tmp_path, monkeypatch
):
    path = tmp_path / "tags.json"
    cache = TagCache(str(path), "s")
    cache.put("k", ENTRY)
    cache.save()
    parsed = []
    real_load = json.load
    monkeypatch.setattr(json, "load", lambda f: parsed.append(1) or real_load(f))
    assert TagCache(str(path), "s").get("k") == ENTRY and parsed == []
    # Another process (`make html` beside the preview) writes the file: read again.
    data = {"version": VERSION, "salt": "s", "entries": {"other": ENTRY}}
    path.write_text(json.dumps(data), encoding="utf-8")
    again = TagCache(str(path), "s")
    assert parsed == [1] and again.get("k") is None and again.get("other") == ENTRY
