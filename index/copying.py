"""`newsroom copy SRC DEST`: a library's articles, extraction, sources and marks into another backend.

Articles travel as records (parsed and extracted once, at SRC's ingest), file
by file with the file's content hash and stamp, so DEST's next ingest of the
same folders finds nothing to do. Idempotent: rows go in by article id (a
killed copy is simply run again). Library-wide actors are merged again in
DEST; stories and quote trails are derived data, rebuilt at DEST from the
copied articles (either backend). Files and articles go in SRC's ingest order,
which stories are grown in, so DEST's stories are SRC's when SRC grew them in
one sync (several ingests: the same clustering, batched differently, may
differ on a few borderline articles). The marks copied are those of the
current user (the OS user, or `user`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from index.library import Library
from index.records import Article

# Articles per write: one transaction (PostgreSQL) or one segment (embedded).
BATCH = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileArticles:
    """The articles of one source file with what DEST's `files` row needs."""

    path: str
    digest: str
    stat: tuple[int, int]
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class CopyReport:
    articles: int
    files: int
    read: int
    starred: int


def _pg(lib: Library) -> Any:
    """The PgLibrary `lib` is, or None (an embedded library)."""
    from index.location import is_url

    return lib if is_url(getattr(lib, "url", "")) else None


def _files(lib: Library) -> tuple[dict[str, tuple[str, int, int]], dict[str, list[str]]]:
    """({file: (hash, mtime_ns, size)}, {file: article ids}) of a library of either backend,
    in ingest order: files by their first article, articles in their order."""
    pg = _pg(lib)
    ids: dict[str, list[str]] = {}
    if pg is None:
        for aid, file in lib._catalog.con.execute("SELECT id, file FROM articles ORDER BY rowid"):
            ids.setdefault(file, []).append(aid)
        return lib._catalog.files(), ids
    from index.postgres import writer

    with pg._lock, pg._guard():
        known = writer.known_files(pg.con)
        for aid, file in pg.con.execute("SELECT id, file FROM articles ORDER BY seq"):
            ids.setdefault(file, []).append(aid)
    return known, ids


def file_articles(lib: Library) -> Iterator[FileArticles]:
    """Every file of `lib` with its articles, in ingest order (see `_files`)."""
    known, ids = _files(lib)
    for path, aids in ids.items():
        digest, mtime, size = known.get(path, ("", 0, -1))
        arts = tuple(lib.article(aid) for aid in aids)
        yield FileArticles(path, digest, (mtime, size), arts)


def _batches(items: Iterator[FileArticles]) -> Iterator[list[FileArticles]]:
    batch: list[FileArticles] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item.articles)
        if size >= BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _put_pg(dest: Any, batches: Iterator[list[FileArticles]], progress: Progress | None) -> int:
    from index.postgres import writer
    from index.postgres.parsing import Parsed
    from index.postgres.rows import article_row

    done = 0
    with dest._lock, dest._guard() as guard:
        for batch in batches:
            parsed = [
                Parsed(
                    f.path,
                    f.digest,
                    f.stat,
                    [article_row(a, f.path, f.digest) for a in f.articles],
                    [],
                )
                for f in batch
            ]
            done += writer.write_batch(dest.con, parsed)
            guard.kept = done
            if progress is not None:
                progress(done, 0)
    return done


def _put_embedded(
    dest: Library, batches: Iterator[list[FileArticles]], progress: Progress | None
) -> int:
    from index.ingest.commit import IndexCommitter, rebuild_actors
    from index.ingest.worker import FileResult, SegmentBuilder
    from index.storage import lock, schema
    from index.storage.rows import catalog_rows

    done = 0
    with lock.writer_lock(dest.path):
        builder = SegmentBuilder(dest.path)
        committer = IndexCommitter(dest._ix, dest._catalog, careful=True)
        for batch in batches:
            results = []
            for f in batch:
                writer = builder._writer()
                for article in f.articles:
                    doc = schema.analyse(article)
                    words = doc.get("words")  # the vocabulary ("did you mean"), as an ingest
                    for item in words.items if words is not None else ():
                        builder.vocab[item[0]] = builder.vocab.get(item[0], 0) + 1
                    writer.add_document(**schema.whoosh_document(article, doc, f.digest))
                builder.added += len(f.articles)
                stamps = [
                    schema.timestamp(a.published) if a.published else None for a in f.articles
                ]
                rows = catalog_rows(list(f.articles), stamps)
                results.append(
                    FileResult(f.path, f.digest, tuple(a.id for a in f.articles), rows, (), f.stat)
                )
            segment = builder.flush()
            committer.commit([segment] if segment is not None else [], results, final=False)
            done += sum(len(f.articles) for f in batch)
            if progress is not None:
                progress(done, 0)
        committer.commit([], [], final=True)
        rebuild_actors(dest._catalog)
        dest.sync_stories()
    return done


def copy_library(src: Library, dest: Library, progress: Progress | None = None) -> CopyReport:
    """Copy everything of `src` into `dest` (either backend each); see the module's docstring."""
    seen: list[int] = []

    def counted() -> Iterator[FileArticles]:
        for item in file_articles(src):  # streamed: one batch of articles in memory at a time
            seen.append(1)
            yield item

    batches = _batches(counted())
    pg = _pg(dest)
    if pg is not None:
        done = _put_pg(pg, batches, progress)
        with pg._lock, pg._guard():
            pg.con.cursor().executemany(
                "INSERT INTO sources(path) VALUES (%s) ON CONFLICT DO NOTHING",
                [(str(s),) for s in src.sources()],
            )
        pg.merge_actors(force=True)
        pg.notices.extend(pg.sync_stories())
    else:
        with dest._catalog.transaction():
            dest._catalog.add_sources(str(s) for s in src.sources())
        done = _put_embedded(dest, batches, progress)
    read, starred = src.read_ids(), src.starred_ids()
    for aid in sorted(read):
        dest.set_read(aid, True)
    for aid in sorted(starred):
        dest.set_starred(aid, True)
    dest.refresh()
    return CopyReport(done, len(seen), len(read), len(starred))
