"""`newsroom ingest --jobs N` (and `jobs` in the config, $NEWSROOM_JOBS) bounds an ingest's parse workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index import jobs
from index.config import load_config
from reader.cli import main


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            f"Report {i}\n\nDec {1 + i % 28}, 2024\n\nOslo (Wire) Talks went on, item{i}.\n"
        )
    return folder


def test_check_accepts_whole_numbers_from_one() -> None:
    assert jobs.check("3") == 3 and jobs.check(1) == 1
    assert jobs.check("") is None and jobs.check(None) is None
    for bad in ("0", "-2", "two", "1.5"):
        with pytest.raises(ValueError, match="jobs must be"):
            jobs.check(bad)


def test_workers_are_bounded_inside_limited_only() -> None:
    assert jobs.workers(8) == 8
    with jobs.limited(2):
        assert jobs.workers(8) == 2 and jobs.workers(1) == 1 and not jobs.inline()
        with jobs.limited(None):  # an inner ingest without its own bound keeps the outer one
            assert jobs.workers(8) == 2
        with jobs.limited(1):
            assert jobs.inline()
    assert jobs.workers(8) == 8 and not jobs.inline()


def test_bad_jobs_in_config_and_environment_say_so(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('jobs = "0"\n')
    got = load_config(config, env={"NEWSROOM_JOBS": "many"})
    assert got.get("jobs") == ""
    assert any("jobs: jobs must be at least 1, not 0" in e for e in got.errors)
    assert any("$NEWSROOM_JOBS: jobs must be a whole number" in e for e in got.errors)
    assert load_config(config, env={"NEWSROOM_JOBS": "2"}).get("jobs") == "2"


@pytest.mark.parametrize("value", ["0", "x"])
def test_cli_refuses_bad_jobs_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    folder = _corpus(tmp_path / "in", 2)
    code = main(["--library", str(tmp_path / "lib"), "ingest", "--jobs", value, str(folder)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("newsroom: --jobs: jobs must") and err.count("\n") == 1
    assert not (tmp_path / "lib").exists()


def test_embedded_ingest_with_one_job_parses_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.ingest import worker

    folder = _corpus(tmp_path / "in", worker.POOL_MIN_FILES + 10)

    def no_pool(*args: Any, **kw: Any) -> bool:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(worker, "_run_parallel", no_pool)
    code = main(["--library", str(tmp_path / "lib"), "ingest", "--jobs", "1", str(folder)])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith(f"added {worker.POOL_MIN_FILES + 10},")


def test_embedded_ingest_starts_at_most_jobs_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.ingest import worker
    from index.library import Library

    folder = _corpus(tmp_path / "in", worker.POOL_MIN_FILES * 4)
    started: list[int] = []
    real = worker._run_parallel

    def counting(*args: Any, **kw: Any) -> bool:
        started.append(jobs.workers(64))
        return bool(real(*args, **kw))

    monkeypatch.setattr(worker, "_run_parallel", counting)
    monkeypatch.setattr(worker.os, "cpu_count", lambda: 64)
    with Library.open(tmp_path / "lib") as lib:
        report = lib.ingest([folder], jobs=2)
    assert report.added == worker.POOL_MIN_FILES * 4 and started == [2]


def test_config_jobs_reaches_the_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.ingest import worker

    folder = _corpus(tmp_path / "in", worker.POOL_MIN_FILES + 1)
    monkeypatch.setenv("NEWSROOM_JOBS", "1")
    monkeypatch.setattr(worker, "_run_parallel", lambda *a, **k: pytest.fail("a pool"))
    assert main(["--library", str(tmp_path / "lib"), "ingest", str(folder)]) == 0
    capsys.readouterr()


@pytest.mark.postgres
def test_postgres_ingest_with_one_job_parses_in_process(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    from index.postgres import parsing
    from index.postgres.library import PgLibrary

    folder = _corpus(tmp_path / "in", parsing.POOL_MIN_FILES + 10)

    class NoPool:
        def __init__(self, *a: Any, **k: Any) -> None:
            raise AssertionError("a pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    with PgLibrary.connect(pg_url) as lib:
        assert lib.ingest([folder], jobs=1).added == parsing.POOL_MIN_FILES + 10
