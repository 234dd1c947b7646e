"""The `Library` side of stories, trails and actor records on PostgreSQL (a mixin of PgLibrary)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from index.postgres import schema, story_sync, story_tables
from index.postgres.connection import Guard, describe, psycopg_module
from index.postgres.story_store import PgStoryStore
from index.records import LibraryStatement
from index.story_api import StoriesError

NOT_YET = "no stories in this library yet (run `newsroom ingest` once with write access)"


class PgStoriesMixin:
    """Stories, trails and actor records kept in the library's database (see story_sync).

    Synced after each ingest on a connection of its own, so the reader's
    connection (and its lock) stays free for reads meanwhile.
    """

    url: str
    where: str
    readonly: bool
    notices: list[str]
    con: Any
    rcon: Any
    _lock: Any

    _stories_checked: bool = False

    if TYPE_CHECKING:  # PgLibrary provides these

        def _read_guard(self) -> Guard: ...

        def statements(self, speaker: str | None = None) -> list[LibraryStatement]: ...

    def sync_stories(
        self, phase: Callable[[str], object] | None = None, *, wait: bool = True
    ) -> list[str]:
        """Bring stories and trails up to date with the articles (the notes, one line each).

        `wait=False`: do nothing when another sync is running (it does the work).
        """
        if self.readonly:
            return []
        psycopg = psycopg_module()
        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            return [f"stories could not be updated: {describe(exc, self.url)}"]
        try:
            with con:
                story_tables.ensure(con, schema.LOCK_SCHEMA)
                story_sync.sync(con, phase, wait=wait)
        except psycopg.Error as exc:
            return [f"stories could not be updated: {describe(exc, self.url)}"]
        self._stories_checked = True
        return []

    def _catch_up(self) -> None:
        """A library from before stories (or an interrupted sync): fill them in now,
        unless another process is syncing (it brings them up to date)."""
        self._stories_checked = True
        if self.readonly:
            return
        with self._lock, self._read_guard():
            behind = (
                not story_tables.present(self.rcon)
                or self.rcon.execute(
                    "SELECT (SELECT count(*) FROM story_docs) <> (SELECT count(*) FROM articles)"
                ).fetchone()[0]
            )
        if behind:
            self.notices.extend(self.sync_stories(wait=False))

    def _read(self, fn: Callable[[Any], Any]) -> Any:  # fn takes a PgStoryStore
        if not self._stories_checked:
            self._catch_up()
        with self._lock, self._read_guard():
            if not story_tables.present(self.rcon):
                raise StoriesError(f"{self.where}: {NOT_YET}")
            return fn(PgStoryStore(self.rcon))

    def close_stories(self) -> None:
        return None

    def _spoken(self, names: Sequence[str]) -> list[Any]:
        """Statements whose speaker is one of `names` (any case); else the looser word match
        of `statements` (as the embedded `StoriesMixin._spoken`)."""
        from index.postgres.reading import _ORDER, _STATEMENTS

        wanted = {n.casefold() for n in names}
        with self._lock, self._read_guard():
            every = self.rcon.execute(
                "SELECT DISTINCT speaker FROM statements WHERE speaker IS NOT NULL"
            ).fetchall()
            chosen = [r[0] for r in every if r[0].casefold() in wanted]
            if chosen:
                rows = self.rcon.execute(
                    _STATEMENTS + " WHERE s.speaker = ANY(%s)" + _ORDER, (chosen,)
                ).fetchall()
        if not chosen:
            return list(self.statements(speaker=names[0]))
        return [LibraryStatement(*r[:7], act=r[7], utterance=r[8]) for r in rows]
