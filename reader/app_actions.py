"""The app's key actions and pane moves: focus, side panel, marks, help, `o` (a mixin of NewsroomApp)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.app import SuspendNotSupported
from textual.widget import Widget
from textual.widgets import Input

from index.textsafe import one_line
from reader.host import Host
from reader.paged import Pending
from reader.widgets.article_view import ArticleView
from reader.widgets.help_screen import HelpScreen
from reader.widgets.side_panel import SidePanel


class AppActions(Host):
    """`action_*` of the app's BINDINGS (those of the views and stories are in their mixins)."""

    # -- messages from the side panel and the article --------------------------------

    def on_side_panel_actor_focused(self, message: SidePanel.ActorFocused) -> None:
        self.article_view.mark_actor(message.name)

    def on_side_panel_actor_chosen(self, message: SidePanel.ActorChosen) -> None:
        self.filter_actor(message.actor.name)

    def on_side_panel_statement_focused(self, message: SidePanel.StatementFocused) -> None:
        self.article_view.mark_statement(message.index)

    def on_side_panel_related_chosen(self, message: SidePanel.RelatedChosen) -> None:
        self.open(message.entry.id)

    def on_article_view_hit_moved(self, message: ArticleView.HitMoved) -> None:
        if message.total and message.index:
            self.status.set_detail(f"hit {message.index}/{message.total}")
        elif message.total:
            plural = "s" if message.total != 1 else ""
            self.status.set_detail(f"{message.total} hit{plural} in the article (n/N)")
        else:
            self.status.set_detail("")

    # -- helpers -------------------------------------------------------------------------

    def _update_counts(self) -> None:
        # The library's counts (read marks of removed articles not counted), kept up to
        # date here as marks are made (reader.feed_flow._count_read).
        self.status.set_counts(self.feed_total, self.feed_unread)

    def _target_id(self) -> str | None:
        """The article `r`/`m`/`o` act on: the one open in the article pane, else the cursor's."""
        if self.focused is not self.feed and self.open_article is not None:
            return self.open_article.id
        entry = self.feed.current
        return entry.id if entry is not None and not isinstance(entry, Pending) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In any text input (the search box, the palette's) "/" goes on as text.
        return not (action == "focus_search" and isinstance(self.focused, Input))

    def focus_now(self, widget: Widget) -> None:
        """Move the focus before the next key is dispatched.

        `Widget.focus()` defers the move, so keys typed ahead ("/Pedersen" pasted,
        or sent at once over a slow link) would still go to the old widget.
        """
        self.screen.set_focus(widget)

    def _feed_covered(self) -> bool:
        """At 80 columns the side panel, when shown, takes the feed's place."""
        main = self.feed.screen
        return main.has_class("-narrow") and main.has_class("-side-shown")

    def _focus_feed(self) -> None:
        """The focus to the feed, and the feed back on screen if the side panel covers it."""
        if self._feed_covered():
            self._set_side(False)
        self.focus_now(self.feed)

    def _set_side(self, shown: bool) -> None:
        screen = self.feed.screen
        screen.set_class(shown, "-side-shown")
        screen.set_class(not shown, "-side-hidden")
        # At 80 columns the panel takes the feed's place: keep the focus on something visible.
        if shown and self.focused is self.feed and screen.has_class("-narrow"):
            self.side.focus_list("actors")
        elif not shown and self.focused is not None and self.side in self.focused.ancestors:
            self.focus_now(self.feed)

    # -- actions ---------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.focus_now(self.search_box.input)

    # Textual runs a sync action as well as its own async one.
    def action_back(self) -> None:  # type: ignore[override]
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        if self.focused is self.feed and not self._feed_covered():
            if self.query_text:
                self.action_clear_search()
        else:  # the search box, the article, the side panel: back to the feed
            self._focus_feed()

    def action_hit(self, step: int) -> None:
        if not self.article_view.jump_hit(step):
            self.notify("No search hits in this article.", timeout=2, markup=False)

    def action_side_list(self, which: str) -> None:
        self._set_side(True)
        self.side.focus_list(which)

    def action_toggle_side(self) -> None:
        self._set_side(not self.side.display or self.side.region.width == 0)

    def action_toggle_read(self) -> None:
        article_id = self._target_id()
        if article_id is None or self.library is None:
            return
        read = article_id not in self.read_ids
        self._note_mark(article_id)
        (self.read_ids.add if read else self.read_ids.discard)(article_id)
        self._count_read(1 if read else -1)
        self.feed.refresh()
        self._update_counts()
        self._save_state(article_id, read, None)

    def action_toggle_star(self) -> None:
        article_id = self._target_id()
        if article_id is None or self.library is None:
            return
        starred = article_id not in self.starred_ids
        self._note_mark(article_id)
        (self.starred_ids.add if starred else self.starred_ids.discard)(article_id)
        self.feed.refresh()
        self._save_state(article_id, None, starred)

    def action_toggle_sort(self) -> None:
        self.set_sort("date" if self.sort == "relevance" else "relevance")

    def action_reingest(self) -> None:
        self._reingest()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        from reader.keys import all_bindings

        self.push_screen(HelpScreen(all_bindings(), self.keymap))

    def action_command_palette(self) -> None:
        # ctrl+p: the palette is kept between openings (issue 13: open under 0.1 s)
        from reader.widgets.commands import open_palette

        open_palette(self)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's "Screenshot": an SVG under the data dir (not ~/Downloads, which
        may not exist), and a notice saying where."""
        from reader.cli import data_dir

        folder = Path(path) if path else data_dir() / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(
                one_line(f"screenshot not saved: {folder}: {exc.strerror or exc}"),
                severity="error",
                markup=False,
            )
            return None
        self.notify(
            f"Screenshot saved to {one_line(saved, 200)}",
            title="Screenshot",
            timeout=8,
            markup=False,
        )
        return saved

    def action_open_source(self) -> None:
        article_id = self._target_id()
        entry = next(
            (
                e
                for e in (self.open_article, self.feed.current)
                if e is not None and e.id == article_id
            ),
            None,
        )
        if entry is None:
            return
        path = Path(entry.path)
        if not path.is_file():
            self.notify(
                f"{one_line(str(path))}: the source file is gone", severity="error", markup=False
            )
            return
        pager = self.config.pager
        try:
            with self.suspend():
                subprocess.call([*pager, str(path)])
        except SuspendNotSupported:
            self.notify(
                f"cannot suspend here; the file is {one_line(str(path))}", timeout=5, markup=False
            )
        except OSError as exc:
            self.notify(
                one_line(f"{pager[0]}: {exc.strerror or exc}"), severity="error", markup=False
            )
