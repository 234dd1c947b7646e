"""The statement scorer: brat parsing, annotator choice, matching, metrics and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.article import Statement
from index.evaluate import (
    EvaluationError,
    cover,
    evaluate,
    load_corpus,
    main,
    match,
    parse_ann,
    speaker_matches,
    words_of,
)

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
POLNEAR_DEV = CORPORA / "polnear" / "dev"

TEXT = (
    "Rally news\n"
    '"We will win this state," Smith said on Monday.\n'
    "Officials said the count would finish by Friday.\n"
    "The weather was fine.\n"
)


def span(text: str, fragment: str) -> str:
    start = text.index(fragment)
    return f"{start} {start + len(fragment)}"


def ann(text: str, rows: list[tuple[str, str, str]]) -> str:
    """brat lines for (source, cue, content) triples (source may be '')."""
    lines, t = [], 0
    for n, (source, cue, content) in enumerate(rows, 1):
        ids = {}
        for label, frag in (("Source", source), ("Cue", cue), ("Content", content)):
            if not frag:
                continue
            t += 1
            ids[label] = f"T{t}"
            lines.append(f"T{t}\t{label} {span(text, frag)}\t{frag}")
        args = " ".join(f"{k}:{v}" for k, v in ids.items())
        lines.append(f"E{n}\tAttribution:{ids['Cue']} {args}")
    return "\n".join(lines) + "\n"


def write_corpus(root: Path, docs: dict[str, dict[str, str]]) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for stem, files in docs.items():
        for name, content in files.items():
            target = root / "text" / f"{stem}.txt" if name == "text" else (
                root / "attributions" / f"{stem}_{name}.ann")
            target.write_text(content, encoding="utf-8")
    return root


def test_parse_ann_reads_discontinuous_spans_and_skips_wrapped_span_text() -> None:
    text = "a" * 100
    data = (
        "T1\tSource 0 5\tSmith\n"
        "T2\tCue 6 10\tsaid\n"
        "T3\tContent 11 20;30 40\tfirst part\nsecond line of the span text\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
        "T4\tContent 50 60\tno source\n"
        "T5\tCue 61 65\tsays\n"
        "E2\tAttribution-no-source:T5 Cue:T5 Content:T4\n"
        "T6\tDiscard 70 80\tx\n"
    )
    first, second = parse_ann(data, len(text))
    assert first.content == ((11, 20), (30, 40))
    assert first.source == ((0, 5),) and first.cue == ((6, 10),)
    assert second.source == () and second.content == ((50, 60),)


def test_direct_means_the_content_holds_a_quote_mark() -> None:
    text = 'x "quoted words" and \'\'nyt style\'\' and plain'
    data = (
        f"T1\tContent {span(text, chr(34) + 'quoted words' + chr(34))}\tq\n"
        f"T2\tContent {span(text, chr(39) * 2 + 'nyt style' + chr(39) * 2)}\tq\n"
        f"T3\tContent {span(text, 'plain')}\tq\n"
        "E1\tAttribution:T1 Content:T1\nE2\tAttribution:T2 Content:T2\n"
        "E3\tAttribution:T3 Content:T3\n"
    )
    kinds = [g.is_direct(text) for g in parse_ann(data, len(text))]
    assert kinds == [True, True, False]


def test_cover_counts_gold_words_inside_the_prediction() -> None:
    text = "one two three four five"
    words = words_of(text, [(0, len(text))])
    assert cover(words, 0, 7) == pytest.approx(0.4)
    assert cover(words, 0, len(text)) == 1.0
    assert cover([], 0, 10) == 0.0


def test_matching_is_one_to_one_and_maximal() -> None:
    text = "aa bb cc dd ee ff gg hh"
    gold = [words_of(text, [(0, 8)]), words_of(text, [(9, 23)])]
    wide = Statement(None, text, "indirect", None, 0, len(text))
    assert len(match(gold, [wide], 0.3)) == 1  # one prediction matches one gold at most
    narrow = Statement(None, text[:8], "indirect", None, 0, 8)
    # the wide prediction covers gold 1 best, but gold 0 may also take it: both get one
    assert match(gold, [wide, narrow], 0.3) == [(0, 1), (1, 0)]
    assert match(gold, [narrow], 0.8) == [(0, 0)]
    assert match(gold, [Statement(None, "aa", "indirect", None, 0, 2)], 0.4) == []


def test_speaker_matches_on_a_shared_content_word() -> None:
    assert speaker_matches("Bashar al-Assad", "President Assad")
    assert speaker_matches("Syrian Defense Ministry", "the ministry")
    assert not speaker_matches("Geir Pedersen", "the UN envoy")
    assert not speaker_matches(None, "Smith")
    assert not speaker_matches("The", "the state")


def test_load_corpus_picks_the_first_annotator_and_needs_both_folders(tmp_path: Path) -> None:
    rows = [("Smith", "said", "We will win this state")]
    root = write_corpus(tmp_path / "c", {
        "doc": {"text": TEXT, "b2": ann(TEXT, rows), "a1": ann(TEXT, [])},
    })
    (doc,) = load_corpus(root)
    assert doc.annotator == "a1" and doc.attributions == ()
    with pytest.raises(EvaluationError, match="text/ and attributions/"):
        load_corpus(tmp_path / "missing")
    (tmp_path / "empty" / "text").mkdir(parents=True)
    (tmp_path / "empty" / "attributions").mkdir()
    with pytest.raises(EvaluationError, match="no annotated articles"):
        load_corpus(tmp_path / "empty")


def test_evaluate_scores_the_extractor_on_a_small_corpus(tmp_path: Path) -> None:
    rows = [
        ("Smith", "said", '"We will win this state,"'),
        ("Officials", "said", "the count would finish by Friday"),
        ("", "was", "The weather was fine"),  # an attribution the extractor cannot see
    ]
    root = write_corpus(tmp_path / "c", {"doc": {"text": TEXT, "x": ann(TEXT, rows)}})
    report = evaluate(load_corpus(root))
    data = report.to_json()
    at30 = data["statements"]["30%"]
    assert at30["all"]["gold"] == 3 and at30["all"]["matched"] == 2
    assert at30["all"]["predicted"] == 2 and at30["all"]["precision"] == 1.0
    assert at30["direct"]["recall"] == 1.0 and at30["indirect"]["recall"] == 0.5
    assert data["speaker"]["scored"] == 2 and data["speaker"]["correct"] == 2


def test_cli_prints_a_table_or_json_and_fails_cleanly(tmp_path: Path, capsys) -> None:
    rows = [("Smith", "said", '"We will win this state,"')]
    root = write_corpus(tmp_path / "c", {"doc": {"text": TEXT, "x": ann(TEXT, rows)}})
    assert main([str(root)]) == 0
    table = capsys.readouterr().out
    assert "speaker accuracy" in table and "30% all" in table and "80% direct" in table
    assert main([str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["statements"]) == {"30%", "80%"}
    assert main([str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err and "Traceback" not in err


@pytest.mark.corpora
@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="../shared/corpora/polnear is absent")
def test_polnear_dev_figures_hold() -> None:
    data = evaluate(load_corpus(POLNEAR_DEV)).to_json()
    at30 = data["statements"]["30%"]
    # floors a little under the measured figures, so a regression shows up here
    assert at30["all"]["f1"] >= 0.70
    assert at30["direct"]["recall"] >= 0.94
    assert data["speaker"]["accuracy"] >= 0.85
