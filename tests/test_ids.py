"""Article ids: never a path that escapes its folder, no reserved names, no silent collisions."""
from __future__ import annotations

from pathlib import Path

import pytest

from framelens.errors import FramelensError
from framelens.ids import article_folder, article_id_for, check_article_id, check_unique_ids


@pytest.mark.parametrize("name", ["000_794d6e0919ecebcf", "harbour_flood", "index", "Zürich-2024.v2", "a b"])
def test_plain_names_are_ids(name):
    assert check_article_id(name) == name


@pytest.mark.parametrize(
    "name",
    [".", "..", "", " ", "_failed", ".hidden", "-rf", "a/b", "a\\b", "con", "NUL", "x" * 121, "a\u202eb", "a\u200bb", "a\x00b", "trail."],
)
def test_unsafe_or_reserved_names_are_refused(name):
    with pytest.raises(FramelensError, match="cannot be an article id"):
        check_article_id(name)


@pytest.mark.parametrize("filename", ["..txt", "_failed.txt", ".txt.txt"])
def test_file_names_that_would_escape_or_shadow_are_refused(filename):
    with pytest.raises(FramelensError, match="rename the file"):
        article_id_for(Path("/tmp") / filename)


def test_folder_is_always_a_direct_child(tmp_path):
    assert article_folder(tmp_path, "story").parent == tmp_path
    with pytest.raises(FramelensError):
        article_folder(tmp_path, "..")


def test_a_symlink_is_named_by_the_link(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("x")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert article_id_for(link) == "link"


def test_same_id_from_two_files_is_refused():
    with pytest.raises(FramelensError, match="same article id 'index'"):
        check_unique_ids([("index", "a/index.html"), ("index", "b/index.html")])
    with pytest.raises(FramelensError):
        check_unique_ids([("Story", "a/Story.txt"), ("story", "b/story.txt")])
    check_unique_ids([("index", "a/index.html"), ("index", "a/index.html"), ("other", "b/other.html")])
