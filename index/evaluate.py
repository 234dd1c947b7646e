"""Score statement extraction against brat-annotated attributions (PolNeAR layout)."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.evaluate_bbc import (  # noqa: F401 (the BBC scorer's names, as before)
    HONORIFICS,
    BbcCounts,
    BbcDocument,
    BbcQuote,
    BbcReport,
    _bbc_misses,
    bbc_speaker_right,
    format_bbc,
    greedy_match,
    is_speech,
    load_bbc,
    map_span,
    match_people,
    normalise_name,
    person_names,
)
from index.evaluate_speed import speed
from index.extract import find_statements
from index.extract.actors import find_actors
from index.records import Statement
from index.scoring import THRESHOLDS, EvaluationError, cover, words_of

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_WORD = re.compile(r"\w+")
# Quote marks that make a gold Content span a direct quote ('' is the NYT archive's mark).
_QUOTE_MARK = re.compile(r"[\"“”«»„]|''")
PRONOUNS = frozenset(
    ["he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "me", "his", "its", "their", "this", "that", "who"]
)
_STOP = frozenset(
    ["the", "a", "an", "of", "for", "and", "or", "in", "on", "at", "to", "by", "from", "with", "'s", "s", "mr", "mrs", "ms", "dr", "his", "her", "its", "their", "this", "that", "these", "those", "who", "which"]
)

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: Content spans (maybe discontinuous), Source and Cue."""

    content: Spans
    source: Spans = ()
    cue: Spans = ()

    def content_text(self, text: str) -> str:
        return " ".join(text[s:e] for s, e in self.content)

    def source_text(self, text: str) -> str:
        return " ".join(text[s:e] for s, e in self.source)

    def is_direct(self, text: str) -> bool:
        return bool(_QUOTE_MARK.search(self.content_text(text)))


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    annotator: str
    attributions: tuple[GoldAttribution, ...]


def parse_ann(ann: str, text_length: int) -> tuple[GoldAttribution, ...]:
    """Attribution events of one brat .ann file; lines that are not T/E records (span
    texts holding newlines continue on the next line) are skipped."""
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        tm = _T_LINE.match(line)
        if tm:
            parts = []
            for piece in tm.group(3).split(";"):
                a, b = (int(x) for x in piece.split())
                if 0 <= a <= b <= text_length:
                    parts.append((a, b))
            spans[tm.group(1)] = tuple(parts)
            continue
        em = _E_LINE.match(line)
        if em:
            args: dict[str, str] = {}
            for item in em.group(2).split():
                role, _, ref = item.partition(":")
                args[role] = ref
            events.append(args)
    out = []
    for args in events:
        content = spans.get(args.get("Content", ""), ())
        if not content:
            continue
        out.append(
            GoldAttribution(
                content=content,
                source=spans.get(args.get("Source", ""), ()),
                cue=spans.get(args.get("Cue", ""), ()),
            )
        )
    return tuple(out)


def load_corpus(folder: Path) -> list[GoldDocument]:
    """Documents of a PolNeAR split folder (`text/*.txt` + `attributions/*_ANNOTATOR.ann`).

    Several annotators may have annotated one article; the annotator whose id sorts first
    is used, so the choice is deterministic and independent of the extractor.
    """
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise EvaluationError(f"{folder}: expected text/ and attributions/ folders")
    by_stem: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem, _, _annotator = ann.stem.rpartition("_")
        by_stem.setdefault(stem, []).append(ann)
    docs = []
    for stem, anns in sorted(by_stem.items()):
        txt = text_dir / f"{stem}.txt"
        if not txt.is_file():
            continue
        ann = sorted(anns)[0]
        text = txt.read_text(encoding="utf-8")
        gold = parse_ann(ann.read_text(encoding="utf-8"), len(text))
        docs.append(GoldDocument(stem, text, ann.stem.rpartition("_")[2], gold))
    if not docs:
        raise EvaluationError(f"{folder}: no annotated articles found")
    return docs


def match(
    gold_words: Sequence[Sequence[tuple[int, int]]],
    predicted: Sequence[Statement],
    threshold: float,
) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs whose cover exceeds `threshold`:
    a maximum matching (augmenting paths), each gold trying its best-covering
    predictions first, so one long prediction cannot shadow two gold statements."""
    options: list[list[int]] = []
    for words in gold_words:
        scored = []
        if words:
            lo, hi = words[0][0], words[-1][1]
            for pi, st in enumerate(predicted):
                if st.end <= lo or st.start >= hi:
                    continue
                c = cover(words, st.start, st.end)
                if c > threshold:
                    scored.append((-c, pi))
        options.append([pi for _c, pi in sorted(scored)])
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for pi in options[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    for gi in range(len(gold_words)):
        if options[gi]:
            augment(gi, set())
    return sorted((gi, pi) for pi, gi in owner.items())


def content_words(text: str) -> set[str]:
    return {w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP}


def speaker_matches(predicted: str | None, gold_source: str) -> bool:
    if not predicted:
        return False
    return bool(content_words(predicted) & content_words(gold_source))


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0

    def scores(self) -> dict[str, float | int]:
        p = self.matched_predicted / self.predicted if self.predicted else 0.0
        r = self.matched_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched_gold,
        }


@dataclass
class Report:
    documents: int = 0
    seconds: float = 0.0
    counts: dict[str, dict[str, Counts]] = field(default_factory=dict)
    speaker_scored: int = 0
    speaker_correct: int = 0
    pronoun_sources: int = 0
    pronoun_resolved: int = 0
    no_source: int = 0
    misses: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        acc = self.speaker_correct / self.speaker_scored if self.speaker_scored else 0.0
        return {
            "documents": self.documents,
            "articles_per_second": round(self.documents / self.seconds, 1) if self.seconds else 0,
            "statements": {
                f"{int(t * 100)}%": {k: c.scores() for k, c in by_kind.items()}
                for t, by_kind in ((float(t), v) for t, v in self.counts.items())
            },
            "speaker": {
                "accuracy": round(acc, 4),
                "scored": self.speaker_scored,
                "correct": self.speaker_correct,
                "pronoun_sources": self.pronoun_sources,
                "pronoun_sources_resolved": self.pronoun_resolved,
                "no_source": self.no_source,
            },
        }


def merge_utterances(statements: Sequence[Statement], body: str) -> list[Statement]:
    """PolNeAR's unit: one attribution per utterance, its content possibly discontinuous.
    The passages of one utterance become one prediction running from the first passage
    to the last (the gold content holds no words of the attribution between them, so
    only the passages' words count); direct if any passage is."""
    groups: dict[int, list[Statement]] = {}
    for st in statements:
        groups.setdefault(st.utterance, []).append(st)
    merged = []
    for parts in groups.values():
        if len(parts) == 1:
            merged.append(parts[0])
            continue
        first = parts[0]
        start, end = min(p.start for p in parts), max(p.end for p in parts)
        merged.append(Statement(
            next((p.speaker for p in parts if p.speaker), None),
            body[start:end],
            "direct" if any(p.kind == "direct" for p in parts) else first.kind,
            first.cue, start, end, act=first.act, utterance=first.utterance,
        ))
    return sorted(merged, key=lambda st: (st.start, st.end))


def evaluate(docs: Sequence[GoldDocument], keep_misses: bool = False) -> Report:
    report = Report(documents=len(docs))
    for t in THRESHOLDS:
        report.counts[str(t)] = {k: Counts() for k in ("all", "direct", "indirect")}
    started = time.perf_counter()
    # the stages themselves rather than extract(), whose safety net would turn a bug
    # into silently empty predictions
    predictions = [merge_utterances(find_statements(d.text, find_actors(d.text)), d.text) for d in docs]
    report.seconds = time.perf_counter() - started
    for doc, predicted in zip(docs, predictions, strict=True):
        gold = doc.attributions
        gold_words = [words_of(doc.text, g.content) for g in gold]
        gold_kind = ["direct" if g.is_direct(doc.text) else "indirect" for g in gold]
        for t in THRESHOLDS:
            by_kind = report.counts[str(t)]
            pairs = match(gold_words, predicted, t)
            matched_g = {gi for gi, _ in pairs}
            matched_p = {pi for _, pi in pairs}
            for kind in ("all", "direct", "indirect"):
                c = by_kind[kind]
                g_idx = [i for i, k in enumerate(gold_kind) if kind in ("all", k)]
                p_idx = [i for i, s in enumerate(predicted) if kind in ("all", s.kind)]
                c.gold += len(g_idx)
                c.predicted += len(p_idx)
                c.matched_gold += sum(1 for i in g_idx if i in matched_g)
                c.matched_predicted += sum(1 for i in p_idx if i in matched_p)
            if t != THRESHOLDS[0]:
                continue
            for gi, pi in pairs:
                src = gold[gi].source_text(doc.text).strip()
                if not src:
                    report.no_source += 1
                    continue
                if src.lower() in PRONOUNS:
                    report.pronoun_sources += 1
                    report.pronoun_resolved += predicted[pi].speaker is not None
                    continue
                report.speaker_scored += 1
                ok = speaker_matches(predicted[pi].speaker, src)
                report.speaker_correct += ok
                if keep_misses and not ok:
                    report.misses.append({"doc": doc.name, "type": "speaker", "gold": src,
                                          "predicted": str(predicted[pi].speaker),
                                          "text": predicted[pi].text[:120]})
            if keep_misses:
                for gi, g in enumerate(gold):
                    if gi not in matched_g:
                        report.misses.append({"doc": doc.name, "type": f"missed-{gold_kind[gi]}",
                                              "gold": g.content_text(doc.text)[:160],
                                              "predicted": g.source_text(doc.text)})
                for pi, s in enumerate(predicted):
                    if pi not in matched_p:
                        report.misses.append({"doc": doc.name, "type": f"spurious-{s.kind}",
                                              "gold": "", "predicted": str(s.speaker),
                                              "text": s.text[:160]})
    return report


def format_table(report: Report) -> str:
    data: Any = report.to_json()  # nested dicts of figures
    lines = [
        f"{report.documents} documents, {data['articles_per_second']} articles/s",
        f"{'cover':>6} {'kind':<9} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6} {'match':>6}",
    ]
    for cover_key, by_kind in data["statements"].items():
        for kind, s in by_kind.items():
            lines.append(
                f"{cover_key:>6} {kind:<9} {s['precision']:>6.3f} {s['recall']:>6.3f} "
                f"{s['f1']:>6.3f} {s['gold']:>6} {s['predicted']:>6} {s['matched']:>6}"
            )
    sp = data["speaker"]
    lines.append(
        f"speaker accuracy {sp['accuracy']:.3f} ({sp['correct']}/{sp['scored']} matched "
        f"statements with a non-pronoun source; {sp['pronoun_sources']} pronoun sources left "
        f"out, {sp['pronoun_sources_resolved']} of them resolved; {sp['no_source']} without "
        "source)"
    )
    return "\n".join(lines)



# -- the BBC quotations set: see index/evaluate_bbc.py ---------------------------------

def evaluate_bbc(docs: Sequence[BbcDocument], keep_misses: bool = False) -> BbcReport:
    """Score passages of speech against the BBC set: cover > 30 % (and 80 %) of a gold
    quotation's words, greedy in gold order, speaker right by resolved name."""
    report = BbcReport(documents=len(docs), lost=sum(d.lost for d in docs))
    started = time.perf_counter()
    runs = []
    for d in docs:
        actors = find_actors(d.body)
        runs.append((actors, find_statements(d.body, actors)))
    report.seconds = time.perf_counter() - started
    for t in THRESHOLDS:
        by_cat: dict[str, BbcCounts] = {"all": BbcCounts()}
        report.counts[str(t)] = by_cat
        for doc, (actors, statements) in zip(docs, runs, strict=True):
            predicted = [s for s in statements if is_speech(s)]
            gold_words = [words_of(doc.body, [(q.start, q.end)]) for q in doc.quotes]
            pairs = greedy_match(gold_words, predicted, t)
            c = BbcCounts(gold=len(doc.quotes), predicted=len(predicted), matched=len(pairs))
            c.gold_direct = sum(q.kind == "direct" for q in doc.quotes)
            c.gold_indirect = c.gold - c.gold_direct
            c.matched_direct = sum(doc.quotes[gi].kind == "direct" for gi, _ in pairs)
            c.matched_indirect = c.matched - c.matched_direct
            c.speaker_right = sum(
                bbc_speaker_right(predicted[pi].speaker, doc.quotes[gi].reference) for gi, pi in pairs
            )
            people = person_names(actors)
            c.people_gold, c.people_predicted = len(doc.people), len(set(map(normalise_name, people)))
            c.people_matched = match_people(people, doc.people)
            by_cat.setdefault(doc.category, BbcCounts()).add(c)
            by_cat["all"].add(c)
            if keep_misses and t == THRESHOLDS[0]:
                report.misses.extend(_bbc_misses(doc, predicted, pairs, people))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m index.evaluate",
        description="Score statements against brat attributions (statement P/R/F1 at 30%% "
        "and 80%% word cover, direct and indirect, and speaker accuracy).",
    )
    parser.add_argument(
        "folder", type=Path, nargs="?", help="a split folder with text/ and attributions/"
    )
    parser.add_argument(
        "--speed", type=Path, nargs="+", metavar="JSONL",
        help="instead, time extraction on 4 KB bodies from these JSON-lines corpora",
    )
    parser.add_argument(
        "--bbc", type=Path, metavar="DIR",
        help="instead, score the BBC quotations set (DIR/annotations.jsonl, texts from "
        "DIR/../bbc.jsonl) with its own rules",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", action="store_true", help="list misses (JSON lines)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    args = parser.parse_args(argv)
    if args.speed:
        try:
            figures = speed(args.speed)
        except (EvaluationError, OSError, ValueError) as exc:
            print(f"evaluate: {exc}".replace("\n", " "), file=sys.stderr)
            return 2
        print(json.dumps(figures) if args.json else
              f"{figures['articles']} bodies of 4 KB: actors {figures['actors_ms']} ms, "
              f"statements {figures['statements_ms']} ms, extract {figures['extract_ms']} ms "
              f"per article = {figures['extract_articles_per_second']} articles/s (CPU time, "
              f"least of 5 runs per 10 bodies; whole runs: best {figures['extract_best_pass_ms']} ms,"
              f" median {figures['extract_median_ms']} ms = "
              f"{figures['extract_median_articles_per_second']} articles/s)")
        return 0
    if args.bbc:
        return _main_bbc(args.bbc, args.json, args.misses, args.limit)
    if args.folder is None:
        parser.error("give a corpus folder, --bbc DIR, or --speed JSONL...")
    try:
        docs = load_corpus(args.folder)
    except (EvaluationError, OSError, UnicodeDecodeError) as exc:
        print(f"evaluate: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    if args.limit:
        docs = docs[: args.limit]
    report = evaluate(docs, keep_misses=args.misses)
    try:
        if args.misses:
            for miss in report.misses:
                print(json.dumps(miss, ensure_ascii=False))
            return 0
        print(json.dumps(report.to_json(), indent=2) if args.json else format_table(report))
    except BrokenPipeError:  # `python -m index.evaluate DIR | head` is not an error
        sys.stderr.close()
    return 0


def _main_bbc(folder: Path, as_json: bool, misses: bool, limit: int) -> int:
    try:
        docs = load_bbc(folder)
    except (EvaluationError, OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        print(f"evaluate: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    if limit:
        docs = docs[:limit]
    report = evaluate_bbc(docs, keep_misses=misses)
    try:
        if misses:
            for miss in report.misses:
                print(json.dumps(miss, ensure_ascii=False))
        else:
            print(json.dumps(report.to_json(), indent=2) if as_json else format_bbc(report))
    except BrokenPipeError:
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
