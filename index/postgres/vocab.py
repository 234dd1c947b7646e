"""The vocabulary of a PostgreSQL library: "did you mean" as the embedded backend suggests it.

As the embedded catalog's `vocab` table: each word of title and body (the
`words` tokens) counted once per article written, summed over every write
(an updated article counts again, a removed one is not taken off), so the
same ingests give the same counts, hence the same suggestions
(`index.search.vocabulary`). Writers append their counts to `vocab_delta`
(no row two writers fight over); the end of an ingest folds them into `vocab`
under an advisory lock; reads add what is not folded yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from index.postgres.sqlquery import compile_sql, lexeme
from index.search.language import Expander
from index.search.vocabulary import Vocabulary, Words, suggest

# pg_advisory_xact_lock key of folding the deltas (beside schema.LOCK_SCHEMA...).
LOCK_VOCAB = 0x6E657773_0004

SCHEMA = """
CREATE TABLE IF NOT EXISTS vocab (word text COLLATE "C" PRIMARY KEY, df bigint NOT NULL);
CREATE TABLE IF NOT EXISTS vocab_delta (word text COLLATE "C" NOT NULL, n integer NOT NULL);
"""


def ensure(con: Any, lock_schema: int) -> None:
    """Create the tables when missing: a library made before them counts its articles'
    words once (from their `words` vectors, where over-long words were left out)."""
    if con.execute("SELECT to_regclass('vocab_delta') IS NOT NULL").fetchone()[0]:
        return
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (lock_schema,))
        if con.execute("SELECT to_regclass('vocab_delta') IS NOT NULL").fetchone()[0]:
            return
        con.execute(SCHEMA)
        con.execute(
            "INSERT INTO vocab(word, df) SELECT word, ndoc FROM ts_stat('SELECT words FROM articles')"
        )


def add(cur: Any, words: Iterable[Sequence[str]]) -> None:
    """Count the words of the articles just written (one list of distinct words each)."""
    counts = Counter(w for ws in words for w in ws)
    if counts:
        items = sorted(counts.items())
        cur.execute(
            "INSERT INTO vocab_delta(word, n) SELECT * FROM unnest(%s::text[], %s::int[])",
            ([w for w, _ in items], [n for _, n in items]),
        )


def fold(con: Any) -> None:
    """Move the writers' counts into `vocab` (one transaction, one folder at a time)."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_VOCAB,))
        con.execute(
            "WITH moved AS (DELETE FROM vocab_delta RETURNING word, n)"
            " INSERT INTO vocab(word, df) SELECT word, sum(n) FROM moved GROUP BY word"
            " ON CONFLICT (word) DO UPDATE SET df = vocab.df + excluded.df"
        )


def load(con: Any) -> Words:
    """(words in code point order, their counts), the folded and the pending ones."""
    words: list[str] = []
    dfs: list[int] = []
    if not con.execute("SELECT to_regclass('vocab_delta') IS NOT NULL").fetchone()[0]:
        return words, dfs  # an older library opened read-only: no suggestions until written
    for word, df in con.execute(
        "SELECT word, sum(df) FROM (SELECT word, df FROM vocab"
        " UNION ALL SELECT word, n FROM vocab_delta) v GROUP BY word ORDER BY word"
    ):
        words.append(word)
        dfs.append(int(df))
    return words, dfs


# Whether a stem is in some title or body: first among the NEWEST writes (a
# common word is in the first of them; its GIN bitmap would cost a third of a
# second at 1M), then through the index alone (a rarer word's list is short).
NEWEST = 64
IN_NEWEST = (
    "SELECT EXISTS (SELECT 1 FROM (SELECT doc FROM articles ORDER BY seq DESC LIMIT %s) t"
    " WHERE doc @@ %s::tsquery)"
)
KNOWN_STEM = "SELECT EXISTS (SELECT 1 FROM articles WHERE doc @@ %s::tsquery)"
# A word the planner estimates in at least this share of the articles is first
# looked for among the newest WALK writes (found in the first hundred or so).
COMMON = 0.01
WALK = 2048
MATCHING = "SELECT 1 FROM articles WHERE doc @@ %s::tsquery"
EVERY = "SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass"


class _Index:
    """What `suggest` asks of an index: whether a stem is in some title or body."""

    def __init__(self, con: Any) -> None:
        self.con = con

    def doc_frequency(self, field: str, stem: str) -> int:
        if field != "body":  # title and body stems share `doc`: asked once
            return 0
        query = lexeme(stem)
        if self.con.execute(IN_NEWEST, (NEWEST, query)).fetchone()[0]:
            return 1
        # A word the planner's statistics call common has a long GIN list: the
        # newest writes are walked further first (the plan, never the answer).
        if self._common(query) and self.con.execute(IN_NEWEST, (WALK, query)).fetchone()[0]:
            return 1
        with self.con.transaction():
            # Then through the GIN index, never a scan of the table until a match:
            # the planner would walk (and detoast) thousands of rows for a rare
            # word it takes for a common one, every row for an unknown word.
            self.con.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
            row = self.con.execute(KNOWN_STEM, (query,)).fetchone()
        return int(bool(row[0]))

    def _common(self, query: str) -> bool:
        """Whether PostgreSQL estimates `query` in at least COMMON of the articles."""
        (plan,) = self.con.execute(f"EXPLAIN (FORMAT JSON) {MATCHING}", (query,)).fetchone()
        (every,) = self.con.execute(EVERY).fetchone()
        return bool(plan[0]["Plan"]["Plan Rows"] >= COMMON * max(1.0, every))


def suggestion(
    con: Any, query: str, expand: Expander, as_you_type: bool, vocabulary: Vocabulary
) -> str | None:
    """'Did you mean' for `query`: each unknown plain word replaced by its nearest known one."""
    compiled = compile_sql(query, expand, as_you_type=as_you_type)
    if compiled.where is None or not compiled.words:
        return None
    return suggest(_Index(con), query, compiled.words, vocabulary.nearest_word)
