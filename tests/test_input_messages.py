"""Messages about input files: long paths keep their reason, dangling links say so."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.files import iter_files
from index.parse import ParseError, parse_file
from index.pipeline import process_file
from index.records import Problem
from index.textsafe import one_line, short_path


def test_a_very_long_path_keeps_its_reason() -> None:
    path = "/" + "/".join(["d" * 200] * 25) + "/story.txt"
    assert len(path) > 4_096
    line = one_line(str(Problem(path, "file name too long")), 400)  # as the CLI prints it
    assert line.endswith("story.txt: file name too long")
    assert line.startswith("/ddd") and "…" in line


def test_short_path_keeps_start_and_file_name() -> None:
    assert short_path("/a/b.txt") == "/a/b.txt"
    cut = short_path("/" + "x" * 1000 + "/name.txt", 100)
    assert len(cut) == 100 and cut.startswith("/xx") and cut.endswith("/name.txt")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_dangling_link_in_a_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (problem,) = list(iter_files([folder]))
    assert isinstance(problem, Problem) and problem.reason == "broken symbolic link"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_left_dangling_before_reading_is_named(tmp_path: Path) -> None:
    link = tmp_path / "story.txt"
    link.symlink_to(tmp_path / "moved.txt")
    with pytest.raises(ParseError, match="broken symbolic link"):
        parse_file(link)
    assert [p.reason for p in process_file(str(link))[1]] == ["broken symbolic link"]


def test_a_file_gone_before_reading_is_named(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file or directory"):
        parse_file(tmp_path / "missing.txt")


def test_a_deep_folder_reports_a_short_line(tmp_path: Path) -> None:
    # a path past PATH_MAX: the walk says why in one line that still shows the reason
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(22):  # relative to a descriptor: mkdir of the full path would fail
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    except OSError:
        pytest.skip("the file system refuses long paths")
    finally:
        os.close(fd)
    (problem,) = [p for p in iter_files([tmp_path]) if isinstance(p, Problem)]
    assert one_line(str(problem), 400).endswith(": file name too long")
