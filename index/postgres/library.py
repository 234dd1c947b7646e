"""PgLibrary: a shared library in PostgreSQL (several writers, per-user marks), the Library API."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index import files
from index.errors import LibraryError
from index.library import Library, Progress
from index.location import redact
from index.postgres import rows, schema, vocab, writer
from index.postgres import search as pgsearch
from index.postgres.actors import ensure_tables
from index.postgres.connection import Guard, describe, psycopg_module
from index.postgres.feed import PgFeedPages
from index.postgres.local import default_user, local_folder
from index.postgres.stories import PgStoriesMixin
from index.records import (
    Article,
    FeedItem,
    Hit,
    IngestReport,
    LibraryActor,
    LibraryStatement,
    SearchResult,
)
from index.search.vocabulary import Vocabulary


@dataclass(frozen=True)
class FeedCursor:
    """Where a feed page ended: the last item's sort key (keyset paging, no OFFSET)."""

    rank: int  # `feed_rank`: minus the epoch seconds, schema.UNDATED when undated
    title: str
    id: str


# PgFeedPages: the feed by pages; PgStoriesMixin: stories, trails, actor records (issue 14)
class PgLibrary(PgStoriesMixin, PgFeedPages, Library):
    """A library in a PostgreSQL database; the same reading and search API as `Library`.

    Writers need no lock file: each batch of files is one transaction that
    upserts articles by id and content hash, so several ingests (from several
    machines) may run at once. Marks belong to `user` (the OS user by default).
    Opened through `Library.open(url)` (or `PgLibrary.connect`). One connection,
    used by one thread at a time (`_lock`), as the reader's worker threads need.
    With `read_url` (a hot standby of the same database) a second connection
    takes the reads (feed, articles, search, actors, statements); writes and
    this user's marks stay on the primary, so a mark shows at once.
    """

    def __init__(
        self, url: str, con: Any, user: str, rcon: Any = None, read_url: str = ""
    ) -> None:  # no Library.__init__: no folder
        self.url = url
        self.where = redact(url)  # what messages show (no password)
        # `Library.path`: a local folder for what stays on this machine (saved searches).
        self.path = local_folder(url)
        self.con = con
        self.rcon = con if rcon is None else rcon
        self.read_url = read_url if rcon is not None else ""
        self.user = user
        self.readonly = False
        self.notices: list[str] = []
        self._lock = threading.RLock()
        self._expanded: dict[tuple[str, str], tuple[str, ...]] = {}
        self._version: tuple[Any, ...] | None = None
        # "did you mean" (issue 14): the embedded backend's, over the database's counts
        self._vocabulary = Vocabulary(lambda: vocab.load(self.rcon))
        self._actor_order = schema.ACTOR_ORDER

    # --- opening and closing ---

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        user: str | None = None,
        readonly: bool = False,
        connect_timeout: int = 5,
        create: bool = True,
        read_url: str | None = None,
        upgrade: bool = False,
    ) -> PgLibrary:
        """Connect (creating the tables when missing); LibraryError in one line when it can't.

        A library of an older format is upgraded when `upgrade` (an opening to
        write: `Library.open(url, check=False)`), said in `notices`; else refused.

        `read_url` (default: the `read_url` setting) names a hot standby for the
        reads; when it cannot be used the reads stay on `url` and `notices` says why.
        """
        psycopg = psycopg_module()
        try:
            # Never prepared: a search's plan depends on its words (a GIN bitmap
            # for a rare one, a walk for a common one); a prepared statement's
            # generic plan, blind to them, walked or bitmapped every word alike.
            con = psycopg.connect(
                url, autocommit=True, connect_timeout=connect_timeout, prepare_threshold=None
            )
        except psycopg.Error as exc:
            raise LibraryError(describe(exc, url)) from None
        lib = cls(url, con, user or default_user())
        lib.readonly = readonly
        if not readonly:
            with contextlib.suppress(OSError):  # saved searches then say they can't be written
                lib.path.mkdir(parents=True, exist_ok=True)
        try:
            lib._ensure_schema(create and not readonly, upgrade and not readonly)
            lib._version = lib._version_key()
        except psycopg.Error as exc:
            con.close()
            raise LibraryError(describe(exc, url)) from None
        except LibraryError:
            con.close()
            raise
        if read_url is None:  # the `read_url` setting (config or $NEWSROOM_READ_URL)
            from index.config import load_config

            read_url = load_config().get("read_url")
        lib._attach_reader(read_url, connect_timeout)
        return lib

    def _attach_reader(self, read_url: str, connect_timeout: int) -> None:
        """Send the reads to the standby at `read_url` when it holds this library."""
        from index.postgres.standby import open_standby

        rcon, target, notice = open_standby(self.url, read_url, schema.FORMAT, connect_timeout)
        if notice:
            self.notices.append(notice)
        if rcon is not None:
            self.rcon, self.read_url = rcon, target

    def _ensure_schema(self, create: bool, upgrade: bool = False) -> None:
        from index.postgres.upgrade import ensure_schema

        notice = ensure_schema(self.con, self.where, create, upgrade)
        if notice:
            self.notices.append(notice)
        with self.con.transaction():  # the actor log and buckets came later (issue 14)
            self._actor_order = ensure_tables(self.con, self.readonly)
        if create:  # stories and the vocabulary came later: an older library gets them here
            from index.postgres import story_tables

            story_tables.ensure(self.con, schema.LOCK_SCHEMA)
            vocab.ensure(self.con, schema.LOCK_SCHEMA)

    def close(self) -> None:
        with self._lock:
            if self.rcon is not self.con:
                self.rcon.close()
            self.con.close()

    def _guard(self) -> Guard:
        """A context that turns a lost connection into a one-line LibraryError."""
        return Guard(self.con, self.url)

    def _read_guard(self) -> Guard:
        """The same for the connection the reads go to (the standby, with `read_url`)."""
        if self.rcon is self.con:
            return self._guard()
        return Guard(self.rcon, self.read_url)

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        with self._lock, self._guard():
            rows: list[Any] = self.con.execute(sql, tuple(params)).fetchall()
            return rows

    def _read_query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        """`_query` on the reading connection (the standby when there is one)."""
        with self._lock, self._read_guard():
            rows: list[Any] = self.rcon.execute(sql, tuple(params)).fetchall()
            return rows

    # --- change detection ---

    def _version_key(self) -> tuple[Any, ...]:
        # O(1) at any size (no count of the articles): every write moves max(seq)
        # or the stamp a deleting writer sets (`changed`), every merge `actors_version`.
        row = self.rcon.execute(
            "SELECT (SELECT max(seq) FROM articles), (SELECT array_agg(value ORDER BY key)"
            " FROM meta WHERE key IN ('changed', 'actors_version'))"
        ).fetchone()
        (marks,) = self.con.execute(
            "SELECT count(*) FROM marks WHERE username = %s", (self.user,)
        ).fetchone()
        return (*row, marks)

    def refresh(self) -> bool:
        """Pick up other writers' changes; True when anything changed."""
        with self._lock, self._guard(), self._read_guard():
            now = self._version_key()
        changed = now != self._version
        self._version = now
        if changed:
            self._expanded.clear()
            self._vocabulary.forget()
        return changed

    # --- sources ---

    def sources(self) -> list[Path]:
        with self._lock, self._guard():
            return writer.sources(self.con)

    def source_counts(self) -> list[tuple[Path, int]]:
        """Each watched source with the number of articles from files under it."""
        out = []
        for root in self.sources():
            (n,) = self._query(
                "SELECT count(*) FROM articles WHERE file = %s OR starts_with(file, %s)",
                (str(root), str(root).rstrip(os.sep) + os.sep),
            )[0]
            out.append((root, int(n)))
        return out

    def remove_source(self, path: Path | str) -> int:
        """Stop watching the source `path` and drop its articles (files also under another
        source stay); the number of articles removed. LibraryError when not a source."""
        self._writable()
        given = str(Path(path).expanduser())
        roots = [str(r) for r in self.sources()]
        wanted = given if given in roots else files.resolved(given)
        if wanted not in roots:
            raise LibraryError(f"{path}: not a source of this library (see `newsroom sources`)")
        kept = [r for r in roots if r != wanted]
        with self._lock, self._guard():
            known = writer.known_files(self.con)
            doomed = sorted(
                f
                for f in known
                if files.under(f, wanted) and not any(files.under(f, k) for k in kept)
            )

            def work() -> int:
                (n,) = self.con.execute(
                    "SELECT count(*) FROM articles WHERE file = ANY(%s)", (doomed,)
                ).fetchone()
                if doomed:
                    writer.remove_files(self.con, doomed)
                self.con.execute("DELETE FROM sources WHERE path = %s", (wanted,))
                return int(n)

            removed = int(writer.transact(self.con, work))
            writer.merge_actors(self.con)
        self._expanded.clear()
        self.notices.extend(self.sync_stories())  # stories (issue 14)
        return removed

    def pending(self) -> bool:
        """Cheap check (mtime and size only) whether any source has new, changed or gone
        files, or a killed writer left the library-wide actors unmerged."""
        if self.readonly:
            return False
        with self._lock, self._guard():
            if self.con.execute("SELECT 1 FROM actor_log LIMIT 1").fetchone():
                return True
            known = writer.known_files(self.con)
        return files.changed(self.sources(), known, follow_links=False)

    # --- ingest ---

    def _writable(self) -> None:
        if self.readonly:
            raise LibraryError(f"{self.where}: the library is read-only")

    def ingest(
        self,
        paths: Iterable[Path | str],
        progress: Progress | None = None,
        rebuild: bool = False,
        *,
        phase: Callable[[str], object] | None = None,
        follow_links: bool | None = None,
        batch: int | None = None,
        on_commit: Callable[[int], None] | None = None,
        jobs: int | None = None,
    ) -> IngestReport:
        """Parse new and changed files under `paths` and upsert them (see `index.postgres.writer`).

        `rebuild` has nothing to rebuild from (a database has no half-written
        state): it re-reads every file, as a folder's rebuild does. `jobs` bounds
        the parse workers (default one per core).
        """
        from index import jobs as parse_jobs

        self._writable()
        with self._lock, self._guard() as guard, parse_jobs.limited(jobs):
            if rebuild:
                self.con.execute("UPDATE files SET mtime_ns = -1, hash = ''")
            report = writer.ingest(
                self.con,
                guard,
                paths,
                progress,
                batch=batch or writer.BATCH,
                follow_links=bool(follow_links),
                on_commit=on_commit,
            )
            if phase is not None:
                phase("merging actors")
        self._expanded.clear()
        self._vocabulary.forget()
        self._version = None
        notes = self.sync_stories(phase)  # stories (issue 14)
        return replace(report, notes=(*report.notes, *notes)) if notes else report

    def merge_actors(self, force: bool = False) -> bool:
        """Merge actors library-wide when a writer changed them (or `force`); True if it did."""
        with self._lock, self._guard():
            done = writer.merge_actors(self.con, force)
        self._expanded.clear()
        return done

    # --- reading ---

    def count(self) -> int:
        return int(self._read_query("SELECT count(*) FROM articles")[0][0])

    def feed(self, sort: str = "date") -> list[FeedItem]:
        """Every article, newest first (undated last). The reader should page: `feed_page`."""
        items: list[FeedItem] = []
        cursor: FeedCursor | None = None
        while True:
            page, cursor = self.feed_page(cursor, 5000)
            items.extend(page)
            if cursor is None:
                break
        if sort == "title":
            return sorted(items, key=lambda i: i.title.lower())
        return items

    def feed_page(
        self, after: FeedCursor | None = None, limit: int = 200
    ) -> tuple[list[FeedItem], FeedCursor | None]:
        """One page of the feed after `after` (None: the top) and the cursor of the next page.

        Keyset paging on the feed index: a page costs the same at the millionth article.
        """
        where, params = "", []
        if after is not None:
            where = "WHERE (feed_rank, title, id) > (%s, %s, %s)"
            params = [after.rank, after.title, after.id]
        got = self._read_query(
            f"SELECT {rows.FEED_COLUMNS}, feed_rank FROM articles {where}"
            f" ORDER BY {rows.FEED_ORDER} LIMIT %s",
            (*params, limit + 1),
        )
        more = len(got) > limit
        got = got[:limit]
        items = [rows.feed_item(r) for r in got]
        if not more or not got:
            return items, None
        last = got[-1]
        return items, FeedCursor(last[6], last[1], last[0])

    def article(self, id: str) -> Article:
        with self._lock, self._read_guard():
            row = self.rcon.execute(
                f"SELECT {rows.ARTICLE_COLUMNS} FROM articles WHERE id = %s", (id,)
            ).fetchone()
            if row is None:
                raise KeyError(id)
            stmts = self.rcon.execute(
                f"SELECT {rows.STATEMENT_COLUMNS} FROM statements WHERE article_id = %s ORDER BY n",
                (id,),
            ).fetchall()
        return rows.article(row, stmts)

    # --- marks (per user) ---

    def _marks(self, mark: str) -> set[str]:
        got = self._query(
            "SELECT article_id FROM marks WHERE username = %s AND mark = %s", (self.user, mark)
        )
        return {r[0] for r in got}

    def _set_mark(self, mark: str, id: str, on: bool) -> None:
        if self.readonly:
            return
        with self._lock, self._guard():
            if on:
                self.con.execute(
                    "INSERT INTO marks(username, mark, article_id) VALUES (%s, %s, %s)"
                    " ON CONFLICT (username, mark, article_id) DO UPDATE SET at = now()",
                    (self.user, mark, id),
                )
            else:
                self.con.execute(
                    "DELETE FROM marks WHERE username = %s AND mark = %s AND article_id = %s",
                    (self.user, mark, id),
                )

    def read_ids(self) -> set[str]:
        return self._marks("read")

    def starred_ids(self) -> set[str]:
        return self._marks("starred")

    def set_read(self, id: str, read: bool = True) -> None:
        self._set_mark("read", id, read)

    def set_starred(self, id: str, starred: bool) -> None:
        self._set_mark("starred", id, starred)

    # --- actors and statements ---

    def actors(self, kind: str | None = None, limit: int | None = None) -> list[LibraryActor]:
        sql = "SELECT name, kind, aliases, article_ids, mentions FROM lib_actors"
        if kind is None:
            got = self._read_query(sql + f" ORDER BY {self._actor_order} LIMIT %s", (limit,))
        else:
            got = self._read_query(
                sql + f" WHERE kind = %s ORDER BY {self._actor_order} LIMIT %s", (kind, limit)
            )
        return [
            LibraryActor(
                name=r[0], kind=r[1], aliases=tuple(r[2]), article_ids=tuple(r[3]), mentions=r[4]
            )
            for r in got
        ]

    def expand(self, value: str, field: str) -> tuple[str, ...]:
        """Every name the library knows for the actor `value` (within the field's kinds)."""
        cached = self._expanded.get((value, field))
        if cached is not None:
            return cached
        from index.names import actor_key
        from index.search.language import FIELD_KINDS

        kinds = FIELD_KINDS.get(field)
        try:
            key = actor_key(value)
        except Exception:  # an extractor bug must not break search
            key = ""
        names: list[str] = []
        if key:
            for name, kind, aliases in self._read_query(
                "SELECT name, kind, aliases FROM lib_actors WHERE rank IN"
                f" (SELECT rank FROM lib_alias WHERE key = %s) ORDER BY {self._actor_order}",
                (key,),
            ):
                if kinds is None or kind in kinds:
                    names.append(name)
                    names.extend(aliases)
        out = tuple(dict.fromkeys(names))
        self._expanded[(value, field)] = out
        return out

    def statements(self, speaker: str | None = None) -> list[LibraryStatement]:
        """Statements across the library; `speaker` matches any alias or a word of the name."""
        from index.postgres.reading import statements

        with self._lock, self._read_guard():
            return statements(self.rcon, speaker, self.expand)

    # --- search ---

    def search(
        self,
        query: str,
        limit: int = 20,
        sort: str = "relevance",
        as_you_type: bool = False,
        offset: int = 0,
    ) -> SearchResult:
        """Search with the query language (`index.postgres.search`); never raises on syntax."""
        with self._lock, self._read_guard():
            got = pgsearch.search(self.rcon, query, self.expand, limit, sort, as_you_type, offset)
            if offset <= 0 and (not as_you_type or not got.hits):  # as the embedded answer
                hint = vocab.suggestion(
                    self.rcon, query, self.expand, as_you_type, self._vocabulary
                )
                got = replace(got, suggestion=hint)
            return got

    def related(self, id: str, limit: int = 5) -> list[Hit]:
        article = self.article(id)
        with self._lock, self._read_guard():
            return pgsearch.related(self.rcon, article, limit)

    def cite(self, article_id: str, start: int | None = None, end: int | None = None) -> str:
        """The citation of an article, or of its statement at (start, end)."""
        from index.cite import cite_article, cite_statement

        art = self.article(article_id)
        for st in art.statements:
            if start is not None and (st.start, st.end) == (start, end):
                return cite_statement(st.text, st.speaker, art.source, art.published, art.title)
        return cite_article(art.title, art.source, art.published)
