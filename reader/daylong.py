"""The reader's all-day features as a mixin: views, saved searches, history, mark all read, `|`."""

from __future__ import annotations

import shlex
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType

from index.textsafe import json_line, one_line

VIEWS = ("all", "unread", "starred")
# A filtered view of a search shows its hits up to here (fetched at once, then filtered).
VIEW_LIMIT = 2000
COUNT_LIMIT = 2000  # hits looked at per saved search for its unread count
PIPE_OUTPUT_LIMIT = 4000  # characters of a command's output shown in a notification

BINDINGS: list[BindingType] = [
    Binding(
        "v",
        "cycle_view",
        "View",
        show=False,
        id="cycle-view",
        tooltip="view: all · unread only · starred only",
    ),
    Binding(
        "A",
        "mark_all_read",
        "Mark all read",
        show=False,
        id="mark-all-read",
        tooltip="mark every article in the current view read (asks first)",
    ),
    Binding(
        "ctrl+s",
        "save_search",
        "Save search",
        show=False,
        priority=True,
        id="save-search",
        tooltip="save the current search under a name",
    ),
    Binding(
        "S",
        "saved_searches",
        "Saved",
        show=False,
        id="saved-searches",
        tooltip="saved searches, with unread counts (enter opens one)",
    ),
    Binding(
        "vertical_line",
        "pipe(False)",
        "Pipe",
        show=False,
        id="pipe",
        tooltip="pipe the article's text to a command",
    ),
    Binding(
        "backslash",
        "pipe(True)",
        "Pipe JSON",
        show=False,
        id="pipe-json",
        tooltip="pipe the article as JSON to a command",
    ),
]


class DaylongMixin:
    """Mixed into NewsroomApp (which provides library, feed, status, set_query...)."""

    view: str = "all"
    saved_name: str | None = None  # the saved search on screen, for the header
    saved_store: Any = None

    # -- glue called from the app ----------------------------------------------------

    def daylong_library_ready(self, library: Any) -> None:
        from index.library import SavedSearches

        app: Any = self
        folder = getattr(library, "path", None) or app.library_path
        self.saved_store = SavedSearches(folder, readonly=bool(getattr(library, "readonly", False)))
        if self.saved_store.notice:
            app.notify(one_line(self.saved_store.notice), severity="warning", markup=False)
        app.search_box.set_history(self.saved_store.history())

    def remember_query(self, query: str) -> None:
        """A submitted query goes into the history (box now, file off the UI thread)."""
        app: Any = self
        query = query.strip()
        if not query:
            return
        box = app.search_box
        box.set_history([q for q in box.history if q != query] + [query])
        store = self.saved_store
        if store is not None:
            app._state_writer.submit(store.remember, query)

    def in_view(self, entries: Sequence[Any]) -> Sequence[Any]:
        app: Any = self
        if self.view == "unread":
            return [e for e in entries if e.id not in app.read_ids]
        if self.view == "starred":
            return [e for e in entries if e.id in app.starred_ids]
        return entries

    def show_view_label(self) -> None:
        app: Any = self
        parts = []
        if self.view != "all":
            parts.append(f"view: {self.view} only")
        if self.saved_name:
            parts.append(f"saved: {self.saved_name}")
        app.status.set_view(" · ".join(parts))

    # -- views -------------------------------------------------------------------------

    def set_view(self, view: str) -> None:
        app: Any = self
        self.view = view
        self.show_view_label()
        if app.query_text:
            app._start_search()
        else:
            app._show_feed(keep=getattr(app.feed.current, "id", None))

    def action_cycle_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_mark_all_read(self) -> None:
        from reader.paged import PagedHits, Pending
        from reader.widgets.confirm_screen import ConfirmScreen

        app: Any = self
        if app.library is None:
            return
        if not app.query_text and isinstance(app.feed.entries, PagedHits):
            app._mark_feed_read()  # the feed by pages: its ids are the library's to give
            return
        ids = [
            e.id
            for e in app.feed.entries
            if not isinstance(e, Pending) and e.id not in app.read_ids
        ]
        if not ids:
            app.notify("Every article in this view is read already.", timeout=3, markup=False)
            return
        what = f"the search {one_line(app.query_text, 60)!r}" if app.query_text else "the feed"
        if self.view != "all":
            what += f" ({self.view} only)"
        question = f"Mark {len(ids):,} article{'s' if len(ids) != 1 else ''} of {what} read?"

        def answered(yes: bool | None) -> None:
            if yes:
                self.mark_read(ids)

        app.push_screen(ConfirmScreen(question), answered)

    def mark_read(self, ids: Sequence[str]) -> None:
        app: Any = self
        ids = [i for i in dict.fromkeys(ids) if i not in app.read_ids]
        app.read_ids.update(ids)
        app._count_read(len(ids))
        app.feed.refresh_rows()
        app._update_counts()
        library = app.library

        def write() -> None:
            library.set_read_many(ids, True)

        app._state_writer.submit(write)
        if self.view == "unread":
            self.set_view("unread")  # they leave the view

    # -- saved searches ----------------------------------------------------------------

    def action_save_search(self) -> None:
        from reader.widgets.prompt_screen import PromptScreen

        app: Any = self
        query = app.search_box.value.strip() or app.query_text
        if not query or self.saved_store is None:
            app.notify("Type a search first: ^s saves it under a name.", timeout=3, markup=False)
            return

        def named(name: str | None) -> None:
            if name:
                self.save_search(name, query)

        app.push_screen(
            PromptScreen(
                f"Save the search {one_line(query, 50)!r} as:",
                value=self.saved_name or "",
                placeholder="a name",
            ),
            named,
        )

    def save_search(self, name: str, query: str) -> None:
        app: Any = self
        try:
            entry = self.saved_store.save(name, query)
        except ValueError as exc:
            app.notify(str(exc), severity="error", markup=False)
            return
        self.saved_name = entry.name
        self.show_view_label()
        app.notify(
            f"Saved as {one_line(entry.name, 60)!r} (S lists saved searches).",
            timeout=3,
            markup=False,
        )

    def forget_saved_search(self, name: str) -> None:
        if self.saved_store is not None:
            self.saved_store.remove(name)
        if self.saved_name == name:
            self.saved_name = None
            self.show_view_label()

    def action_saved_searches(self) -> None:
        from reader.widgets.saved_screen import SavedScreen

        app: Any = self
        if self.saved_store is None:
            return
        screen = SavedScreen(self.saved_store.saved())

        def chosen(entry: Any) -> None:
            if entry is not None:
                self.open_saved(entry)

        app.push_screen(screen, chosen)
        self._count_saved(screen)

    def open_saved(self, entry: Any) -> None:
        app: Any = self
        app.set_query(entry.query)
        self.saved_name = entry.name
        self.show_view_label()
        app._focus_feed()

    def _count_saved(self, screen: Any) -> None:
        """Unread and total hits of each saved search, in a thread, into the open list."""
        app: Any = self
        library, read = app.library, set(app.read_ids)
        entries = list(screen.saved)

        def count() -> None:
            counts = {}
            for entry in entries:
                try:
                    with app._using_library():
                        result = library.search(entry.query, limit=COUNT_LIMIT)
                except Exception:  # a saved query the library now refuses: no count
                    continue
                unread = sum(1 for hit in result.hits if hit.id not in read)
                counts[entry.name] = (unread, result.total)
                app.call_from_thread(screen.set_counts, dict(counts))

        threading.Thread(target=count, name="saved-counts", daemon=True).start()

    # -- piping ------------------------------------------------------------------------

    def action_pipe(self, as_json: bool) -> None:
        from reader.widgets.prompt_screen import PromptScreen

        app: Any = self
        article = app.open_article
        if article is None:
            app.notify("Open an article first: | pipes it to a command.", timeout=3, markup=False)
            return
        kind = "JSON" if as_json else "text"
        default = app.config.get("pipe_command") or ""

        def typed(command: str | None) -> None:
            if command:
                self.pipe_article(command, as_json)

        app.push_screen(
            PromptScreen(
                f"Pipe the article ({kind}) to:",
                value=default,
                placeholder="a command, e.g. wc -w",
                note="Its output is shown here; a command ending in & gets the terminal "
                "(e.g. `less &`).",
            ),
            typed,
        )

    def pipe_article(self, command: str, as_json: bool) -> None:
        from reader.cli_reader import article_text

        app: Any = self
        article = app.open_article
        if article is None:
            return
        data = (json_line(article.to_json()) if as_json else article_text(article)) + "\n"
        interactive = command.rstrip().endswith("&")
        command = command.rstrip().rstrip("&").strip()
        try:
            words = shlex.split(command)
        except ValueError as exc:
            app.notify(one_line(f"{command}: {exc}"), severity="error", markup=False)
            return
        if not words:
            return
        if interactive:  # the terminal is handed over, like `o`
            try:
                with tempfile.NamedTemporaryFile(
                    "w", suffix=".txt", delete=False, encoding="utf-8"
                ) as handle:
                    handle.write(data)
                try:
                    with app.suspend(), Path(handle.name).open(encoding="utf-8") as stdin:
                        subprocess.call(["sh", "-c", command], stdin=stdin)
                finally:
                    Path(handle.name).unlink(missing_ok=True)
            except SuspendNotSupported:
                app.notify("cannot hand the terminal over here", severity="error", markup=False)
            except OSError as exc:
                app.notify(
                    one_line(f"{words[0]}: {exc.strerror or exc}"), severity="error", markup=False
                )
            return
        self._pipe_in_thread(command, data)

    def _pipe_in_thread(self, command: str, data: str) -> None:
        app: Any = self

        def run() -> None:
            try:
                done = subprocess.run(
                    ["sh", "-c", command], input=data, text=True, capture_output=True, timeout=60
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                app.call_from_thread(
                    app.notify, one_line(f"{command}: {exc}"), severity="error", markup=False
                )
                return
            output = (done.stdout + done.stderr).strip()
            title = f"{one_line(command, 60)} (exit {done.returncode})"
            app.call_from_thread(
                app.notify,
                output[:PIPE_OUTPUT_LIMIT] or "(no output)",
                title=title,
                severity="information" if done.returncode == 0 else "error",
                timeout=15,
                markup=False,
            )

        threading.Thread(target=run, name="pipe", daemon=True).start()
