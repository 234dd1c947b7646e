"""Build the benchmark corpus: N article .txt files from ../shared/corpora or the seeds."""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpora"
SEEDS = ROOT / "seeds"
FILES_PER_SHARD = 1000
# Bump when the file layout changes, so a stale corpus in a reused work dir is rebuilt.
GENERATOR_VERSION = 3

POLNEAR_SOURCES = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
POLNEAR_NAME = re.compile(r"^([a-z-]+)_(\d{4}-\d{2}-\d{2})_")
# Reuters bodies keep the 1987 hard wraps; a paragraph starts on an indented line.
REUTERS_PARAGRAPH = re.compile(r"\n[ \t]{2,}")


@dataclass(frozen=True)
class Story:
    """One distinct source text, before it is written (possibly several times)."""

    title: str
    published: datetime | None
    source: str
    paragraphs: tuple[str, ...]
    dateline: str | None = None


@dataclass(frozen=True)
class CorpusInfo:
    """What was built, for the report: where, how many, and how honest the copies are."""

    directory: Path
    articles: int
    distinct: int
    replicated: int
    bytes: int
    origin: str  # "shared corpora" | "synthetic (seeds)"
    description: str

    def to_json(self) -> dict[str, object]:
        return {
            "directory": str(self.directory),
            "articles": self.articles,
            "distinct": self.distinct,
            "replicated": self.replicated,
            "bytes": self.bytes,
            "origin": self.origin,
            "description": self.description,
        }


def _clean(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


def _iso_date(text: str | None) -> datetime | None:
    # One Reuters record carries a garbled stamp ("31-MAR-1987 605:12:19.12"): keep it undated.
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def reuters_stories(path: Path) -> Iterator[Story]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            parts = [_clean(p.replace("\n", " ")) for p in REUTERS_PARAGRAPH.split(record["body"])]
            paragraphs = tuple(p for p in parts if p)
            title = _clean(record.get("title") or "")
            if not paragraphs or not title:
                continue
            yield Story(
                title=title,
                published=_iso_date(record.get("date")),
                source=record.get("source") or "Reuters",
                paragraphs=paragraphs,
                dateline=_clean(record.get("dateline") or "") or None,
            )


def bbc_stories(path: Path) -> Iterator[Story]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            paragraphs = tuple(p for p in (_clean(x) for x in record["body"].split("\n\n")) if p)
            title = _clean(record.get("title") or "")
            if paragraphs and title:
                # The BBC set carries no dates; the files stay undated, as many scraped ones are.
                yield Story(title, None, record.get("source") or "BBC News", paragraphs)


def polnear_stories(folder: Path) -> Iterator[Story]:
    for path in sorted(folder.glob("*/text/*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        title = _clean(lines[0])
        paragraphs = tuple(p for p in (_clean(x) for x in "\n".join(lines[1:]).split("\n")) if p)
        match = POLNEAR_NAME.match(path.name)
        if not (title and paragraphs):
            continue
        source = POLNEAR_SOURCES.get(match.group(1), match.group(1)) if match else "PolNeAR"
        date = datetime.fromisoformat(match.group(2)) if match else None
        yield Story(title, date, source, paragraphs)


def shared_stories(shared: Path) -> list[Story]:
    stories: list[Story] = []
    if (shared / "reuters21578.jsonl").is_file():
        stories.extend(reuters_stories(shared / "reuters21578.jsonl"))
    if (shared / "bbc.jsonl").is_file():
        stories.extend(bbc_stories(shared / "bbc.jsonl"))
    if (shared / "polnear").is_dir():
        stories.extend(polnear_stories(shared / "polnear"))
    return stories


def seed_stories(seeds: Path, count: int = 400, seed: int = 7) -> list[Story]:
    """Synthetic stories: sentences of the bundled seeds, recombined (no shared corpora)."""
    sentences: list[str] = []
    titles: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        titles.append(_clean(text.split("\n", 1)[0]))
        for paragraph in text.split("\n"):
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
                sentence = _clean(sentence)
                if len(sentence) > 40:
                    sentences.append(sentence)
    rng = random.Random(seed)
    stories: list[Story] = []
    for i in range(count):
        paragraphs = tuple(
            " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(2, 4))))
            for _ in range(rng.randint(5, 10))
        )
        title = f"{rng.choice(titles)} ({i + 1})"
        published = datetime(2024, rng.randint(1, 12), rng.randint(1, 28))
        stories.append(Story(title, published, rng.choice(["Wire", "Desk", "Agency"]), paragraphs))
    return stories


def render(story: Story) -> str:
    """Headline line, date line (when dated), blank line, body; then the source line."""
    head = [story.title]
    if story.published is not None:
        head.append(story.published.strftime("%b %d, %Y"))
    paragraphs = list(story.paragraphs)
    if story.dateline:
        paragraphs[0] = f"{story.dateline} {paragraphs[0]}"
    return "\n".join(head) + "\n\n" + "\n\n".join(paragraphs) + f"\n\nSource: {story.source}\n"


def shuffled(story: Story, rng: random.Random) -> Story:
    """A replica: same words, paragraphs in another order (the lead stays first)."""
    rest = list(story.paragraphs[1:])
    rng.shuffle(rest)
    return Story(
        story.title, story.published, story.source, (story.paragraphs[0], *rest), story.dateline
    )


def file_path(directory: Path, index: int) -> Path:
    return directory / f"{index // FILES_PER_SHARD:04d}" / f"{index:07d}.txt"


def build(
    directory: Path, articles: int, shared: Path = SHARED, seeds: Path = SEEDS, seed: int = 1987
) -> CorpusInfo:
    """Write `articles` files under `directory` (sharded); reuse them when already built."""
    manifest = directory.parent / (directory.name + ".json")
    use_shared = shared.is_dir() and (shared / "reuters21578.jsonl").is_file()
    origin = "shared corpora" if use_shared else "synthetic (seeds)"
    # A manifest whose folder was removed (a /tmp cleaner) is built again, not reused.
    if manifest.is_file() and directory.is_dir():
        info = json.loads(manifest.read_text(encoding="utf-8"))
        if (
            info.get("version") == GENERATOR_VERSION
            and info.get("articles") == articles
            and info.get("origin") == origin
        ):
            return CorpusInfo(
                directory,
                articles,
                info["distinct"],
                info["replicated"],
                info["bytes"],
                origin,
                info["description"],
            )
    if directory.exists():
        shutil.rmtree(directory)
    stories = shared_stories(shared) if use_shared else seed_stories(seeds)
    rng = random.Random(seed)
    # Interleave sources so any prefix of the corpus is a fair mix.
    rng.shuffle(stories)
    total_bytes = 0
    for index in range(articles):
        copy, position = divmod(index, len(stories))
        story = stories[position]
        if copy:
            story = shuffled(story, random.Random(seed * 1_000_003 + index))
        path = file_path(directory, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = render(story).encode("utf-8")
        path.write_bytes(data)
        total_bytes += len(data)
    distinct = min(articles, len(stories))
    replicated = articles - distinct
    what = (
        "Reuters-21578 + BBC News + PolNeAR texts"
        if use_shared
        else "synthesised from the 5 bundled seeds (../shared/corpora absent)"
    )
    description = f"{articles} articles: {distinct} distinct ({what})"
    if replicated:
        description += (
            f"; {replicated} replicas of them with new ids and shuffled "
            "paragraphs (the distinct texts run out)"
        )
    manifest.write_text(
        json.dumps(
            {
                "version": GENERATOR_VERSION,
                "articles": articles,
                "distinct": distinct,
                "replicated": replicated,
                "bytes": total_bytes,
                "origin": origin,
                "description": description,
            }
        ),
        encoding="utf-8",
    )
    return CorpusInfo(directory, articles, distinct, replicated, total_bytes, origin, description)


def iter_files(directory: Path) -> Iterator[Path]:
    """The corpus files in index order (what the baseline indexes)."""
    for shard in sorted(p for p in directory.iterdir() if p.is_dir()):
        yield from sorted(shard.glob("*.txt"))
