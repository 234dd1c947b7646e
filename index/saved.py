"""Saved searches and the search history: a small JSON file next to the read/star marks."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAVED_FILE = "searches.json"
HISTORY_MAX = 200


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str


def _clean(text: object, limit: int) -> str:
    return " ".join(str(text).split())[:limit] if isinstance(text, str) else ""


class SavedSearches:
    """The library's saved searches (by name) and recent queries (oldest first).

    Like the marks, this file is per user and small: a damaged one is set aside
    and started afresh (`notice` says so); read-only, changes last the session.
    """

    def __init__(self, library: Path, readonly: bool = False) -> None:
        self.path = Path(library) / SAVED_FILE
        self.readonly = readonly
        self.notice: str | None = None
        self._lock = threading.Lock()
        self._saved: list[SavedSearch] = []
        self._history: list[str] = []
        self._load()

    def _load(self) -> None:
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.notice = f"{self.path.name} could not be read ({exc}): saved searches start afresh"
            if not self.readonly:
                with contextlib.suppress(OSError):
                    os.replace(self.path, self.path.with_name(self.path.name + ".damaged"))
            return
        if not isinstance(data, dict):
            return
        for entry in data.get("saved", []) if isinstance(data.get("saved"), list) else []:
            if isinstance(entry, dict):
                name, query = _clean(entry.get("name"), 80), _clean(entry.get("query"), 1000)
                if name and query:
                    self._saved.append(SavedSearch(name, query))
        history = data.get("history", [])
        if isinstance(history, list):
            self._history = [q for q in (_clean(h, 1000) for h in history) if q][-HISTORY_MAX:]

    def _write(self) -> None:
        if self.readonly:
            return
        data = {
            "saved": [{"name": s.name, "query": s.query} for s in self._saved],
            "history": self._history,
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:  # a read-only folder: keep them for the session
            self.readonly = True
            self.notice = f"{self.path}: saved searches can't be written ({exc.strerror or exc})"

    def saved(self) -> list[SavedSearch]:
        with self._lock:
            return list(self._saved)

    def save(self, name: str, query: str) -> SavedSearch:
        """Save `query` under `name` (replacing a search of that name)."""
        entry = SavedSearch(_clean(name, 80), _clean(query, 1000))
        if not entry.name or not entry.query:
            raise ValueError("a saved search needs a name and a query")
        with self._lock:
            self._saved = [s for s in self._saved if s.name != entry.name] + [entry]
            self._write()
        return entry

    def remove(self, name: str) -> None:
        with self._lock:
            self._saved = [s for s in self._saved if s.name != name]
            self._write()

    def history(self) -> list[str]:
        with self._lock:
            return list(self._history)

    def remember(self, query: str) -> None:
        """Add `query` as the latest search (once: an older copy moves up)."""
        query = _clean(query, 1000)
        if not query:
            return
        with self._lock:
            self._history = [q for q in self._history if q != query][-(HISTORY_MAX - 1) :]
            self._history.append(query)
            self._write()
