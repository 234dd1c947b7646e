"""The `Library` side of stories, trails and actor records (a mixin: the Library class stays small)."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index import coverage, story_store
from index.added import Added, added
from index.cite import cite_article, cite_statement
from index.records import Article
from index.stories import Story
from index.trails import Trail

if TYPE_CHECKING:
    from index.storage.catalog import Catalog


class StoriesError(Exception):
    """Stories cannot be read (one line for the user)."""


@dataclass(frozen=True)
class StoryDetail:
    """A story opened: its articles in time order, what each added, who was quoted by which outlet."""

    story: Story
    articles: tuple[Article, ...]
    added: tuple[Added, ...]  # one per article (the first MAX_ARTICLES)
    quoted: tuple[tuple[str, tuple[str, ...]], ...]  # speaker -> outlets quoting them

    def to_json(self) -> dict[str, object]:
        out = self.story.to_json()
        by_id = {a.article_id: a for a in self.added}
        out["quoted_by"] = {s: list(o) for s, o in self.quoted}
        out["articles"] = []
        for art in self.articles:
            add = by_id.get(art.id)
            out["articles"].append(  # type: ignore[attr-defined]
                {
                    "id": art.id,
                    "title": art.title,
                    "source": art.source,
                    "published": art.published.isoformat() if art.published else None,
                    "published_inferred": art.published_inferred,
                    "citation": cite_article(art.title, art.source, art.published),
                    "added": add.to_json(art.body) if add else None,
                }
            )
        return out


def trail_json(t: Trail) -> dict[str, object]:
    def when(ts: int | None) -> str | None:
        return coverage.iso(ts)

    return {
        "id": t.id,
        "text": t.text,
        "first": t.first.article_id if t.first else None,
        "speakers": list(t.speakers),
        "disagreement": t.disagreement,
        "outlets": list(t.outlets),
        "carriers": [
            {
                "article_id": c.article_id,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "speaker": c.speaker,
                "source": c.source,
                "title": c.title,
                "published": when(c.ts),
                "published_inferred": c.inferred,
                "citation": cite_statement(c.text, c.speaker, c.source, _dt(c.ts), c.title),
            }
            for c in t.carriers
        ],
    }


def _dt(ts: int | None) -> datetime | None:
    from datetime import timezone

    return None if ts is None else datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)


class StoriesMixin:
    """Stories, trails and actor records of a Library (`stories.sqlite` beside the catalog)."""

    path: Path
    readonly: bool
    notices: list[str]
    _catalog: Catalog

    _stories_store: story_store.StoryStore | None = None
    _stories_checked: bool = False
    _stories_lock = threading.Lock()

    if TYPE_CHECKING:  # Library and PgLibrary provide it

        def article(self, id: str) -> Article: ...

    def sync_stories(self, phase: Callable[[str], object] | None = None) -> list[str]:
        """Bring stories and trails up to date with the catalog (the caller holds the writer lock).

        Readers go on meanwhile: their connection sees each batch as it commits. The
        lock below only guards swapping that connection, never the sync itself, so the
        reader's UI thread is not held up by a background ingest.
        """
        if self.readonly:
            return []
        try:
            s = story_store.StoryStore(self.path)
        except sqlite3.Error as exc:
            return [f"stories could not be updated ({exc})"]
        try:
            report = s.sync(self._catalog.con, phase)
        finally:
            s.close()
        self._stories_checked = True
        if report.rebuilt:
            # The file was replaced: the next read opens the new one (the old
            # connection is dropped, not closed, in case a thread is reading it).
            with self._stories_lock:
                self._stories_store = None
            return [report.rebuilt]
        return []

    def _stories(self) -> story_store.StoryStore:
        with self._stories_lock:
            if self._stories_store is not None:
                return self._stories_store
        if not self._stories_checked and not self.readonly:
            self._stories_checked = True
            self._catch_up()
        with self._stories_lock:
            try:
                self._stories_store = story_store.StoryStore(self.path, readonly=True)
            except story_store.StoriesUnavailable as exc:
                raise StoriesError(str(exc)) from exc
            return self._stories_store

    def _catch_up(self) -> None:
        """A library from before stories, or whose stories file is missing, damaged or behind
        (an interrupted ingest): rebuild or finish it now, unless another process is writing."""
        from index.storage import lock as store

        path = self.path / story_store.STORIES_FILE
        behind = not path.exists()
        if not behind:
            try:
                s = story_store.StoryStore(self.path, readonly=True)
                try:
                    behind = s.doc_count() != self._catalog.count()
                finally:
                    s.close()
            except (story_store.StoriesUnavailable, sqlite3.Error):
                behind = True
        if not behind:
            return
        try:
            with store.writer_lock(self.path, wait_s=0.5):
                self.notices.extend(self.sync_stories())
        except store.WriterBusy:
            pass  # the ingest running now brings them up to date

    def _read(self, fn: Callable[[story_store.StoryStore], Any]) -> Any:
        try:
            return fn(self._stories())
        except sqlite3.DatabaseError as exc:
            # A file damaged under us: rebuild once (when we may write), else say so in one line.
            with self._stories_lock:
                self._stories_store = None
            if self.readonly:
                raise StoriesError(f"{self.path / story_store.STORIES_FILE}: {exc}") from exc
            self._stories_checked = False
            try:
                return fn(self._stories())
            except sqlite3.DatabaseError as again:
                raise StoriesError(
                    f"{self.path / story_store.STORIES_FILE} cannot be read ({again}); "
                    "run `newsroom ingest PATH...` to rebuild it"
                ) from again

    def close_stories(self) -> None:
        with self._stories_lock:
            if self._stories_store is not None:
                self._stories_store.close()
                self._stories_store = None

    # --- stories ---

    def stories(self, min_size: int = 2) -> list[Story]:
        """Stories of at least `min_size` articles, most recently updated first."""
        result: list[Story] = self._read(lambda s: s.stories(min_size))
        return result

    def story(self, story_id: str) -> StoryDetail | None:
        """A story with its articles, what each added and who each outlet quoted."""
        found: Story | None = self._read(lambda s: s.story(story_id))
        if found is None:
            return None
        arts = []
        for aid in found.article_ids:
            try:
                arts.append(self.article(aid))  # the backend's own read (PgLibrary's too)
            except KeyError:
                continue
        quoted: dict[str, dict[str, None]] = {}
        for a in arts:
            for st in a.statements:
                if st.speaker:
                    quoted.setdefault(st.speaker, {})[a.source or "(unknown outlet)"] = None
        ranked = sorted(quoted.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return StoryDetail(found, tuple(arts), added(arts), tuple((k, tuple(v)) for k, v in ranked))

    def story_of(self, article_id: str) -> str | None:
        result: str | None = self._read(lambda s: s.story_of(article_id))
        return result

    # --- trails ---

    def trail(self, trail_id: int) -> Trail | None:
        result: Trail | None = self._read(lambda s: s.trail(trail_id))
        return result

    def trail_ids(
        self, article_ids: Sequence[str] | None = None
    ) -> dict[tuple[str, int, int], int]:
        """(article id, start, end) -> trail id of each traced quotation."""
        result: dict[tuple[str, int, int], int] = self._read(lambda s: s.trail_ids(article_ids))
        return result

    def trail_sizes(self, trail_ids: Sequence[int]) -> dict[int, int]:
        result: dict[int, int] = self._read(lambda s: s.trail_sizes(trail_ids))
        return result

    # --- an actor's record ---

    def actor_record(self, name: str) -> coverage.ActorRecord | None:
        """What `name` (any alias) said across the library, mentions per day, associated actors."""
        expand = getattr(self, "expand", None)
        names = [name, *(expand(name, "actor") if expand else ())]
        keys = list(dict.fromkeys(n.casefold() for n in names))

        spoken = self._spoken(names)

        def read(s: story_store.StoryStore) -> coverage.ActorRecord | None:
            rows = s.actor_rows(keys)
            if not rows and not spoken:
                return None
            article_ids = list(dict.fromkeys(r[0] for r in rows))
            display = Counter(r[1] for r in rows).most_common(1)
            shown = display[0][0] if display else name
            trails = s.trail_ids({st.article_id for st in spoken}) if spoken else {}
            said = [
                (
                    trails.get((st.article_id, st.start, st.end)),
                    st.article_id,
                    st.start,
                    st.end,
                    st.speaker or "",
                    st.text,
                )
                for st in spoken
            ]
            kinds = {(st.article_id, st.start, st.end): st.kind for st in spoken}
            meta = s.doc_meta(list(dict.fromkeys([*article_ids, *(q[1] for q in said)])))
            first_day, days = coverage.per_day(meta[a][0] for a in article_ids if a in meta)
            co = s.co_actors(article_ids)
            together: Counter[str] = Counter()
            labels: dict[str, str] = {}
            for _aid, key, label in co:
                if key in keys:
                    continue
                together[key] += 1
                labels.setdefault(key, label)
            strong = [k for k, n in together.most_common(200) if n >= coverage.MIN_TOGETHER]
            df = s.actor_df(strong)
            assoc = coverage.associates(
                {k: together[k] for k in strong},
                df,
                len(article_ids),
                max(s.doc_count(), 1),
                labels,
            )
            return coverage.ActorRecord(
                shown,
                tuple(n for n in names if n.casefold() != shown.casefold()),
                len(article_ids),
                coverage.fold(said, meta, kinds),
                first_day,
                days,
                assoc,
            )

        result: coverage.ActorRecord | None = self._read(read)
        return result

    def _spoken(self, names: Sequence[str]) -> list[Any]:
        """Statements whose speaker is one of `names` (any case); the Library's looser
        word match when none is."""
        from index.records import LibraryStatement

        wanted = {n.casefold() for n in names}
        chosen = [s for s in self._catalog.speakers() if s.casefold() in wanted]
        if not chosen:
            statements = getattr(self, "statements", None)
            return list(statements(speaker=names[0])) if statements else []
        return [
            LibraryStatement(*r[:7], act=r[7], utterance=r[8])
            for r in self._catalog.statement_rows(chosen)
        ]

    # --- citations ---

    def cite(self, article_id: str, start: int | None = None, end: int | None = None) -> str:
        """The citation of an article, or of its statement at (start, end)."""
        art = self._catalog.article(article_id)
        if start is not None and end is not None:
            for st in art.statements:
                if (st.start, st.end) == (start, end):
                    return cite_statement(st.text, st.speaker, art.source, art.published, art.title)
        return cite_article(art.title, art.source, art.published)
