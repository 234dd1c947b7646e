"""A library in PostgreSQL (issue 14): the shared backend behind the same `Library` API.

`Library.open(target)` opens this backend when `target` is a `postgresql://`
URL (from `--library`, `NEWSROOM_LIBRARY` or the config's `library`;
`index.location.url_of` also repairs a URL that went through `Path`).
`PgLibrary` (library.py) subclasses `Library` and answers every call the
reader and the CLI make, with the same records; stories and quote trails are
not kept here yet (their calls raise `StoriesError`, one line).

The modules (psycopg is imported only in this package, see pyproject's contracts):

- connection.py: psycopg on demand, `describe` (one line per connection
  problem), `Guard` (psycopg errors -> LibraryError; a lost connection ->
  `ConnectionLost` with the articles already committed), `ConnectionLost`.
- schema.py: the tables (articles with tsvector columns doc/quotes/names/words,
  article_keys, article_actors, statements, lib_actors, lib_alias, marks per user;
  the actor log and kept per-key buckets of the actor merge).
- rows.py: what one article writes (pure): tsvectors from the embedded
  backend's own tokens, so both backends match the same article sets.
- sqlquery.py: the query tree of `index.search.language` compiled to SQL
  (`<->` phrases, `:*` prefixes, weights A/D for title/body, date columns,
  actor keys through `article_keys`).
- parsing.py: files read, hashed, parsed and turned into rows in worker processes
  (at most `--jobs`).
- writer.py: ingest without a lock file (batched upserts by id and content
  hash, rows locked in id order so writers wait rather than deadlock), then
  the actor merge under an advisory lock.
- actors.py: the library-wide actors merged from the change since the last
  merge (a trigger's log of `article_actors`), equal to a full merge.
- search.py / reading.py: counting with an exact-or-flagged total, ranking
  (ts_rank, then newest, then id: deterministic), hits with highlights
  computed in Python (`index.search.highlight`), statements by speaker.
- copy.py: `newsroom copy SRC DEST` between any two libraries.
- server.py: a private throwaway server (initdb in a temp folder, a free port)
  for the tests and the benchmark.

Reads may go to a hot standby: open a second `PgLibrary` on the replica's URL
(read-only) for searching and the feed; marks and ingests go to the primary.
"""
