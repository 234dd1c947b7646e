"""A tiny end-to-end run of the benchmark: 50 synthetic articles, every JSON key a number."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.benchmarks import corpus
from tests.benchmarks.__main__ import main
from tests.benchmarks.measure import find_rg, percentile
from tests.benchmarks.queries import prefixes, query_mix
from tests.benchmarks.report import KEYS


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None


def test_query_mix_covers_every_category() -> None:
    mix = query_mix()
    categories = {q.category for q in mix}
    assert {"common", "rare", "and", "phrase", "fielded", "date", "prefix"} <= categories
    assert prefixes("oil p") == ["o", "oi", "oil", "oil ", "oil p"]
    assert all(q.as_you_type for q in mix if q.category == "prefix")


def test_synthetic_corpus_is_sharded_and_reused(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    info = corpus.build(target, 30, shared=tmp_path / "absent")
    files = list(corpus.iter_files(target))
    assert len(files) == info.articles == 30
    assert info.origin == "synthetic (seeds)"
    first = files[0].read_text(encoding="utf-8").split("\n")
    assert first[0].strip() and first[1].strip()  # headline line, date line
    assert info.bytes == sum(f.stat().st_size for f in files)
    mtime = files[0].stat().st_mtime_ns
    assert corpus.build(target, 30, shared=tmp_path / "absent").articles == 30
    assert files[0].stat().st_mtime_ns == mtime  # reused, not rewritten


def test_a_corpus_whose_folder_is_gone_is_built_again(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    corpus.build(target, 12, shared=tmp_path / "absent")
    shutil.rmtree(target)  # the manifest beside it stays
    info = corpus.build(target, 12, shared=tmp_path / "absent")
    assert len(list(corpus.iter_files(target))) == info.articles == 12


def test_replicas_beyond_the_distinct_texts_are_announced(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    records = [
        {
            "title": f"HARBOUR REPORT {i}",
            "date": f"1987-03-0{i + 1}T10:00:00",
            "source": "Wire",
            "dateline": "PORTSMOUTH, March 1 -",
            "body": "\n    ".join(f"Line {i}.{j} of the harbour report." for j in range(5)),
        }
        for i in range(3)
    ]
    (shared / "reuters21578.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    info = corpus.build(tmp_path / "c", 7, shared=shared)
    assert (info.articles, info.distinct, info.replicated) == (7, 3, 4)
    assert "replicas" in info.description and "shuffled paragraphs" in info.description
    texts = [p.read_text(encoding="utf-8") for p in corpus.iter_files(tmp_path / "c")]
    assert len(texts) == 7
    paragraphs = [frozenset(t.split("\n\n")[1:]) for t in texts]
    # Every replica carries exactly the paragraphs of one original.
    assert all(p in paragraphs[:3] for p in paragraphs[3:])
    assert {t.split("\n")[1] for t in texts} == {"Mar 01, 1987", "Mar 02, 1987", "Mar 03, 1987"}


def test_smoke_run_writes_every_key_as_a_number(tmp_path: Path) -> None:
    pytest.importorskip("index.library", reason="the Library is not there yet")
    out = tmp_path / "bench.json"
    code = main(
        [
            "--articles",
            "50",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(out),
            "--shared",
            str(tmp_path / "no-shared"),
            "--quick",
        ]
    )
    assert code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["articles"] == 50
    assert set(KEYS) <= set(result)
    allowed_null = {"rg_p50_ms"} if find_rg() is None else set()
    for key in KEYS:
        if key in allowed_null:
            continue
        assert isinstance(result[key], (int, float)), (key, result[key], result["notes"])
    assert result["search_p95_ms"] >= result["search_p50_ms"] > 0
    assert result["index_bytes_per_article"] > 0
    assert "synthesised" in " ".join(result["notes"])
