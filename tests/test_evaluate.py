"""The statement scorer: brat parsing, annotator choice, matching, metrics and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.evaluate import (
    EvaluationError,
    bbc_speaker_right,
    cover,
    evaluate,
    evaluate_bbc,
    greedy_match,
    load_bbc,
    load_corpus,
    main,
    map_span,
    match,
    merge_utterances,
    normalise_name,
    parse_ann,
    speaker_matches,
    words_of,
)
from index.records import Actor, Statement

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
            target = (
                root / "text" / f"{stem}.txt"
                if name == "text"
                else (root / "attributions" / f"{stem}_{name}.ann")
            )
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
    text = "x \"quoted words\" and ''nyt style'' and plain"
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
    root = write_corpus(
        tmp_path / "c",
        {
            "doc": {"text": TEXT, "b2": ann(TEXT, rows), "a1": ann(TEXT, [])},
        },
    )
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


# -- the BBC quotations scorer -----------------------------------------------------------

BBC_BODY = (
    'Gordon Brown said the economy would grow. "We are ready," Mr Brown said. "The plan works."\n\n'
    "The weather was fine.\n\n"
    "Analysts believe rates will rise."
)


def bbc_folder(tmp_path: Path, body: str = BBC_BODY, raw: str | None = None) -> Path:
    """A tiny corpus in the BBC set's layout: annotations.jsonl beside ../bbc.jsonl."""
    raw = body if raw is None else raw

    def quote(fragment: str, kind: str, reference: str) -> dict[str, object]:
        start = raw.index(fragment)
        return {
            "quote": fragment,
            "quote_span": [start, start + len(fragment)],
            "kind": kind,
            "speaker": "",
            "reference": reference,
            "verb": "",
        }

    gold = {
        "id": "politics/001",
        "quotations": [
            quote("the economy would grow", "indirect", "Gordon Brown"),
            quote('"We are ready,"', "direct", "Gordon Brown"),
            quote('"The plan works."', "direct", "Gordon Brown"),
        ],
        "people": ["Gordon Brown"],
        "sources": ["Gordon Brown"],
    }
    folder = tmp_path / "bbc-quotes"
    folder.mkdir()
    (folder / "annotations.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    record = {"id": "politics/001", "title": "Brown speech", "category": "politics", "body": raw}
    (tmp_path / "bbc.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return folder


def test_bbc_names_normalise_case_possessive_the_and_honorifics() -> None:
    assert normalise_name("Mr Brown's") == "brown"
    assert normalise_name("The Ministry") == "ministry"
    assert normalise_name("Lord Falconer") == "falconer"
    assert bbc_speaker_right("Mr Brown", "Gordon Brown")
    assert bbc_speaker_right("gordon brown", "Gordon Brown")
    assert not bbc_speaker_right("Gordon", "Gordon Brown")  # the last word, not any word
    assert not bbc_speaker_right(None, "Gordon Brown")


def test_greedy_match_goes_in_gold_order_and_takes_the_best_cover() -> None:
    text = "aa bb cc dd ee ff gg hh"
    gold = [words_of(text, [(0, 8)]), words_of(text, [(9, 23)])]
    wide = Statement(None, text, "indirect", None, 0, len(text))
    narrow = Statement(None, text[:8], "indirect", None, 0, 8)
    # greedy: gold 0 takes its best cover (narrow, 100 %), gold 1 then gets wide
    assert greedy_match(gold, [wide, narrow], 0.3) == [(0, 1), (1, 0)]
    # with only the wide one, gold 0 claims it first and gold 1 goes unmatched
    # (a maximum matching would do no better here; greedy order is the GGT rule)
    assert greedy_match(gold, [wide], 0.3) == [(0, 0)]
    assert greedy_match(gold, [Statement(None, "aa", "indirect", None, 0, 2)], 0.4) == []


def test_map_span_finds_the_passage_in_a_body_the_parser_shortened() -> None:
    raw = 'Tuesday, 1 March\n\nHe said "yes" and "yes" again.'
    body = raw[len("Tuesday, 1 March\n\n") :]
    start = raw.rindex('"yes"')
    assert map_span(raw, body, start, start + 5) == (body.rindex('"yes"'), body.rindex('"yes"') + 5)
    assert map_span(raw, raw, 3, 7) == (3, 7)
    assert map_span(raw, body, 0, 7) is None


def test_bbc_scorer_counts_passages_speakers_and_people(tmp_path: Path) -> None:
    (doc,) = load_bbc(bbc_folder(tmp_path))
    assert doc.category == "politics" and doc.lost == 0 and len(doc.quotes) == 3
    report = evaluate_bbc([doc], keep_misses=True)
    data = report.to_json()["30%"]["all"]  # type: ignore[index]
    assert data["gold"] == 3
    assert 0.0 <= data["precision"] <= 1.0 and 0.0 <= data["speaker_accuracy"] <= 1.0
    assert "politics" in report.to_json()["80%"]  # type: ignore[operator]
    assert "speaker_accuracy" not in report.to_json()["80%"]["all"]  # type: ignore[index]
    assert all("type" in m for m in report.misses)


def test_bbc_scorer_speech_only_and_one_to_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import index.evaluate as ev

    (doc,) = load_bbc(bbc_folder(tmp_path))
    body = doc.body

    def at(
        fragment: str,
        speaker: str | None,
        act: str = "speech",
        kind: str = "direct",
        utterance: int = 0,
    ) -> Statement:
        s = body.index(fragment)
        return Statement(
            speaker, fragment, kind, "said", s, s + len(fragment), act=act, utterance=utterance
        )

    fake = (
        at("the economy would grow", "Gordon Brown", kind="indirect"),
        at("We are ready,", "Mr Brown"),
        at("We are ready,", "Mr Brown"),  # a duplicate: one-to-one leaves it unmatched
        at("The plan works.", "Brown"),
        at("rates will rise", "Analysts", act="thought", kind="indirect"),  # not scored
    )
    monkeypatch.setattr(ev, "find_statements", lambda body, actors: fake)
    monkeypatch.setattr(
        ev,
        "find_actors",
        lambda body: (Actor("Gordon Brown", "person"), Actor("Analysts", "person")),
    )
    data = ev.evaluate_bbc([doc]).to_json()["30%"]["all"]  # type: ignore[index]
    assert (data["gold"], data["predicted"], data["matched"]) == (3, 4, 3)
    assert data["precision"] == 0.75 and data["recall"] == 1.0
    assert data["direct_recall"] == 1.0 and data["indirect_recall"] == 1.0
    assert data["speaker_accuracy"] == 1.0
    assert data["people_precision"] == 0.5 and data["people_recall"] == 1.0


def test_bbc_gold_spans_follow_the_parsed_body(tmp_path: Path) -> None:
    raw = "Tuesday, 1 March\n\n" + BBC_BODY
    (doc,) = load_bbc(bbc_folder(tmp_path, raw=raw))
    for q in doc.quotes:
        assert doc.body[q.start : q.end] in raw  # placed on the same text, whatever the parser kept


def test_bbc_cli_prints_a_table_and_reports_a_missing_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = bbc_folder(tmp_path)
    assert main(["--bbc", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "politics" in out and "30%" in out and "80%" in out
    assert main(["--bbc", str(folder), "--json"]) == 0
    assert "speaker_accuracy" in json.loads(capsys.readouterr().out)["30%"]["all"]
    assert main(["--bbc", str(tmp_path / "nowhere")]) == 2
    assert "annotations.jsonl" in capsys.readouterr().err


def test_merge_utterances_joins_the_passages_of_one_utterance() -> None:
    body = '"A," X said. "B." Then "C," Y said.'
    a = Statement("X", "A,", "direct", "said", 1, 3, utterance=0)
    b = Statement(None, "B.", "direct", None, 15, 17, utterance=0)
    c = Statement("Y", "C,", "direct", "said", 25, 27, utterance=1)
    merged = merge_utterances([a, b, c], body)
    assert [(m.start, m.end, m.speaker, m.kind) for m in merged] == [
        (1, 17, "X", "direct"),
        (25, 27, "Y", "direct"),
    ]
    assert merged[0].text == body[1:17]


@pytest.mark.corpora
@pytest.mark.skipif(not (CORPORA / "bbc-quotes").is_dir(), reason="BBC quotations set absent")
def test_bbc_set_loads_every_gold_span() -> None:
    docs = load_bbc(CORPORA / "bbc-quotes")
    assert len(docs) == 60 and sum(d.lost for d in docs) == 0
    assert sum(len(d.quotes) for d in docs) == 497


def test_speed_keeps_the_least_per_chunk_beside_whole_runs(tmp_path: Path, capsys) -> None:
    from index.evaluate import main
    from index.evaluate_speed import speed

    body = (
        'Officials said the talks would go on. "It is grave," Geir Pedersen told reporters. ' * 60
    )
    path = tmp_path / "bodies.jsonl"
    records = [{"body": f"Story {i}. {body}"} for i in range(3)] + [{"body": "too short"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    figures = speed([path], repeats=2, chunk=2)
    assert figures["articles"] == 3  # the short body is skipped
    # A sum of least chunk times is at most the best whole run, itself at most the median.
    assert 0 < figures["extract_ms"] <= figures["extract_best_pass_ms"]
    assert figures["extract_best_pass_ms"] <= figures["extract_median_ms"]
    with pytest.raises(EvaluationError):
        speed([path], size=10**6)
    assert main(["--speed", str(tmp_path / "missing.jsonl")]) == 2
    assert "evaluate:" in capsys.readouterr().err
