"""Scoring against the BBC quotations set (Gender Gap Tracker conventions): the gold
quotations, their speakers resolved to names, and the greedy one-to-one match."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.records import Actor, Statement
from index.scoring import THRESHOLDS, EvaluationError, cover

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "professor",
        "rev",
        "rt",
        "hon",
        "baroness",
        "baron",
    ]
)
_POSSESSIVE = re.compile(r"['’]s?$")


def normalise_name(name: str | None) -> str:
    """A speaker or person name compared the way the BBC set's rules say: case, a
    possessive, a leading "the" and honorifics do not count."""
    words = [w for w in (name or "").replace("’", "'").split() if w]
    words = [
        _POSSESSIVE.sub("", w.strip(".,;:")) if w.endswith(("'s", "'")) else w.strip(".,;:")
        for w in words
    ]
    words = [w.lower() for w in words if w]
    if words and words[0] == "the":
        words = words[1:]
    while words and words[0].rstrip(".") in HONORIFICS and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def bbc_speaker_right(predicted: str | None, reference: str) -> bool:
    """The predicted speaker, normalised, is the reference or its last word."""
    pred, ref = normalise_name(predicted), normalise_name(reference)
    if not pred or not ref:
        return False
    return pred == ref or pred == ref.split()[-1]


@dataclass(frozen=True)
class BbcQuote:
    start: int
    end: int
    kind: str  # "direct" | "indirect"
    reference: str


@dataclass(frozen=True)
class BbcDocument:
    name: str
    category: str
    body: str
    quotes: tuple[BbcQuote, ...]
    people: tuple[str, ...]
    lost: int = 0  # gold spans that could not be placed in the parsed body


def map_span(raw: str, body: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of raw[start:end] in `body` (the parsed body may drop furniture lines):
    the occurrence of the same text nearest the raw offset, or None."""
    if raw == body:
        return start, end
    needle = raw[start:end]
    best: int | None = None
    at = body.find(needle)
    while at >= 0:
        if best is None or abs(at - start) < abs(best - start):
            best = at
        at = body.find(needle, at + 1)
    return None if best is None else (best, best + len(needle))


def load_bbc(folder: Path, corpus: Path | None = None) -> list[BbcDocument]:
    """The annotated stories of `folder/annotations.jsonl`, their bodies read from
    `bbc.jsonl` (next to the folder) through the JSON Lines parser ingest uses, so the
    text scored is the text a reader sees; gold spans are moved onto that body."""
    from datetime import datetime

    from index.parse.jsonl import record_to_article

    ann_path = folder / "annotations.jsonl"
    corpus = corpus or folder.parent / "bbc.jsonl"
    if not ann_path.is_file() or not corpus.is_file():
        raise EvaluationError(f"{folder}: expected annotations.jsonl and ../bbc.jsonl")
    gold = [
        json.loads(line)
        for line in ann_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    wanted = {g["id"] for g in gold}
    records: dict[str, dict[str, object]] = {}
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("id") in wanted:
                records[record["id"]] = record
    docs = []
    reference = datetime(2005, 1, 1)
    for g in gold:
        record = records.get(g["id"])
        if record is None:
            raise EvaluationError(f"{g['id']}: not in {corpus.name}")
        raw = str(record.get("body") or "")
        article, _why = record_to_article(record, corpus.name, g["id"], reference)
        body = article.body if article is not None else raw
        quotes, lost = [], 0
        for q in g["quotations"]:
            placed = map_span(raw, body, *q["quote_span"])
            if placed is None:
                lost += 1
                continue
            quotes.append(BbcQuote(placed[0], placed[1], q["kind"], q.get("reference") or ""))
        docs.append(
            BbcDocument(
                g["id"],
                g["id"].split("/")[0],
                body,
                tuple(quotes),
                tuple(g.get("people") or ()),
                lost,
            )
        )
    if not docs:
        raise EvaluationError(f"{folder}: no annotated articles found")
    return docs


def greedy_match(
    gold_words: Sequence[Sequence[tuple[int, int]]],
    predicted: Sequence[Statement],
    threshold: float,
) -> list[tuple[int, int]]:
    """The Gender Gap Tracker's matching: each gold quotation in order takes the
    unclaimed prediction that covers most of its words (more than `threshold`); of equal
    covers the tightest one, which leaves a wider prediction to the next quotation."""
    taken: set[int] = set()
    pairs = []
    for gi, words in enumerate(gold_words):
        if not words:
            continue
        lo, hi = words[0][0], words[-1][1]
        best, best_key = -1, (threshold, 0)
        for pi, st in enumerate(predicted):
            if pi in taken or st.end <= lo or st.start >= hi:
                continue
            c = cover(words, st.start, st.end)
            key = (c, -(st.end - st.start))
            if c > threshold and key > best_key:
                best, best_key = pi, key
        if best >= 0:
            taken.add(best)
            pairs.append((gi, best))
    return pairs


@dataclass
class BbcCounts:
    gold: int = 0
    gold_direct: int = 0
    gold_indirect: int = 0
    predicted: int = 0
    matched: int = 0
    matched_direct: int = 0
    matched_indirect: int = 0
    speaker_right: int = 0  # among matched (cover 0.3 only)
    people_gold: int = 0
    people_predicted: int = 0
    people_matched: int = 0

    def add(self, other: BbcCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        p, r = ratio(self.matched, self.predicted), ratio(self.matched, self.gold)
        return {
            "precision": p,
            "recall": r,
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "direct_recall": ratio(self.matched_direct, self.gold_direct),
            "indirect_recall": ratio(self.matched_indirect, self.gold_indirect),
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
        }


def person_names(actors: Sequence[Actor]) -> list[str]:
    return [a.name for a in actors if a.kind == "person"]


def match_people(predicted: Sequence[str], gold: Sequence[str]) -> int:
    """Predicted person names equal (normalised) to a listed person, one-to-one."""
    left = [normalise_name(g) for g in gold]
    hits = 0
    for name in dict.fromkeys(normalise_name(p) for p in predicted):
        if name in left:
            left.remove(name)
            hits += 1
    return hits


@dataclass
class BbcReport:
    documents: int = 0
    lost: int = 0
    seconds: float = 0.0
    # threshold -> category ("all" too) -> counts
    counts: dict[str, dict[str, BbcCounts]] = field(default_factory=dict)
    misses: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"documents": self.documents, "gold_spans_lost": self.lost}
        for t, by_cat in self.counts.items():
            out[f"{int(float(t) * 100)}%"] = {
                cat: {
                    **c.scores(),
                    **(
                        {
                            "speaker_accuracy": round(c.speaker_right / c.matched, 4)
                            if c.matched
                            else 0.0,
                            "people_precision": round(c.people_matched / c.people_predicted, 4)
                            if c.people_predicted
                            else 0.0,
                            "people_recall": round(c.people_matched / c.people_gold, 4)
                            if c.people_gold
                            else 0.0,
                        }
                        if t == str(THRESHOLDS[0])
                        else {}
                    ),
                }
                for cat, c in by_cat.items()
            }
        return out


def is_speech(st: Statement) -> bool:
    return getattr(st, "act", "speech") == "speech"


def _bbc_misses(
    doc: BbcDocument,
    predicted: Sequence[Statement],
    pairs: Sequence[tuple[int, int]],
    people: Sequence[str],
) -> list[dict[str, str]]:
    out = []
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, q in enumerate(doc.quotes):
        if gi not in matched_g:
            out.append(
                {
                    "doc": doc.name,
                    "type": f"missed-{q.kind}",
                    "gold": q.reference,
                    "text": doc.body[q.start : q.end][:160],
                }
            )
    for gi, pi in pairs:
        q, st = doc.quotes[gi], predicted[pi]
        if not bbc_speaker_right(st.speaker, q.reference):
            out.append(
                {
                    "doc": doc.name,
                    "type": "speaker",
                    "gold": q.reference,
                    "predicted": str(st.speaker),
                    "text": st.text[:120],
                }
            )
    for pi, st in enumerate(predicted):
        if pi not in matched_p:
            out.append(
                {
                    "doc": doc.name,
                    "type": f"spurious-{st.kind}",
                    "predicted": str(st.speaker),
                    "text": st.text[:160],
                }
            )
    gold_people = {normalise_name(g) for g in doc.people}
    pred_people = {normalise_name(p) for p in people}
    for name in sorted(pred_people - gold_people):
        out.append({"doc": doc.name, "type": "person-spurious", "predicted": name})
    for name in sorted(gold_people - pred_people):
        out.append({"doc": doc.name, "type": "person-missed", "gold": name})
    return out


def format_bbc(report: BbcReport) -> str:
    data: Any = report.to_json()  # nested dicts of figures
    lines = [
        f"{report.documents} BBC stories ({report.lost} gold spans not placed in the parsed body); "
        "passages of speech, greedy in gold order",
        f"{'cover':>6} {'category':<14} {'P':>6} {'R':>6} {'F1':>6} {'dirR':>6} {'indR':>6} "
        f"{'spkr':>6} {'perP':>6} {'perR':>6} {'gold':>5} {'pred':>5} {'match':>5}",
    ]
    for t in THRESHOLDS:
        key = f"{int(t * 100)}%"
        for cat, s in data[key].items():
            extra = (
                (
                    f"{s['speaker_accuracy']:>6.3f} {s['people_precision']:>6.3f} "
                    f"{s['people_recall']:>6.3f}"
                )
                if "speaker_accuracy" in s
                else f"{'':>20}"
            )
            lines.append(
                f"{key:>6} {cat:<14} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                f"{s['direct_recall']:>6.3f} {s['indirect_recall']:>6.3f} {extra} "
                f"{s['gold']:>5} {s['predicted']:>5} {s['matched']:>5}"
            )
    return "\n".join(lines)
