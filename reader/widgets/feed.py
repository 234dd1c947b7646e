"""The feed: a virtualised two-line-per-article list that paints only the visible rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from index.records import FeedItem
from index.textsafe import one_line
from reader.widgets.article_text import component_style, format_date, inert
from reader.widgets.steady import SteadyScrollView

ROW_HEIGHT = 2
ROW_CACHE = 2000  # painted lines kept (a few screens' worth, whatever the feed's length)


# What the feed shows: a `FeedItem` or a search `Hit` (a FeedItem with title spans).
FeedEntry = FeedItem


class Feed(SteadyScrollView, can_focus=True):  # (issue 13: steady scrollbar)
    """Articles newest first (or by relevance), with unread and star markers.

    OptionList and DataTable measure every row up front (9 s and 12 s to first
    paint at 100,000 rows here), so the feed uses the Line API: only the rows
    on screen are ever rendered, whatever the length of the list.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,j", "cursor(1)", "Down", show=False, id="feed.down", tooltip="feed: next article"
        ),
        Binding(
            "up,k", "cursor(-1)", "Up", show=False, id="feed.up", tooltip="feed: previous article"
        ),
        Binding(
            "pagedown,space",
            "page(1)",
            "Page down",
            show=False,
            id="feed.page-down",
            tooltip="feed: page down",
        ),
        Binding(
            "pageup,b",
            "page(-1)",
            "Page up",
            show=False,
            id="feed.page-up",
            tooltip="feed: page up",
        ),
        Binding(
            "home,g", "jump(0)", "First", show=False, id="feed.first", tooltip="feed: first article"
        ),
        Binding(
            "end,G",
            "jump(-1)",
            "Last",
            show=False,
            id="feed.last",
            tooltip="feed: last article (search results: the real last hit)",
        ),
        Binding("enter", "open", "Open", id="feed.open", tooltip="feed: open the article"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feed--cursor",
        "feed--unread",
        "feed--star",
        "feed--date",
        "feed--inferred",
        "feed--source",
        "feed--title",
        "feed--read",
        "feed--hit",
        "feed--empty",
    }
    DEFAULT_CSS = """
    Feed { background: $surface; overflow-x: hidden; }
    Feed > .feed--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    Feed:focus > .feed--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    Feed > .feed--unread { color: $text-accent; text-style: bold; }
    Feed > .feed--star { color: $text-warning; text-style: bold; }
    Feed > .feed--date { color: $text-muted; }
    Feed > .feed--inferred { color: $text-muted; text-style: italic; }
    Feed > .feed--source { color: $text-secondary; }
    Feed > .feed--title { text-style: bold; }
    Feed > .feed--read { text-style: none; color: $text-muted; }
    Feed > .feed--hit { text-style: bold underline; color: $text-warning; }
    Feed > .feed--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Selected(Message):
        """The user opened an entry (enter or click)."""

        feed: Feed
        entry: FeedEntry

        @property
        def control(self) -> Feed:
            return self.feed

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another entry."""

        feed: Feed
        entry: FeedEntry

        @property
        def control(self) -> Feed:
            return self.feed

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._entries: Sequence[FeedEntry] = ()
        self.read_ids: set[str] = set()
        self.starred_ids: set[str] = set()
        self.empty_text = "No articles yet."
        self._styles: dict[str, Style] = {}
        self._rows: dict[tuple[object, ...], Strip] = {}

    # -- attributes down -------------------------------------------------------------

    @property
    def entries(self) -> Sequence[FeedEntry]:
        return self._entries

    @property
    def current(self) -> FeedEntry | None:
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def set_entries(
        self,
        entries: Sequence[FeedEntry],
        *,
        keep: str | None = None,
        empty_text: str | None = None,
        at: int | None = None,
    ) -> None:
        """Replace the list; keep the cursor on entry id `keep` when it is still there,
        or put it at index `at` (a paged list: looking for an id would make every row)."""
        self._entries = entries
        self._rows.clear()
        if empty_text is not None:
            self.empty_text = empty_text
        self.virtual_size = self._virtual_size()
        index = max(0, min(at, len(entries) - 1)) if at is not None else 0
        if keep is not None and at is None:
            # Linear, but only over ids: ~10 ms at 100,000 entries.
            index = next((i for i, e in enumerate(entries) if e.id == keep), 0)
        self.set_reactive(Feed.cursor, index)
        self.scroll_to(y=max(0, index * ROW_HEIGHT - 2), animate=False, immediate=True)
        self.refresh()

    def refresh_rows(self) -> None:
        """Repaint every row (entries filled in where placeholders were)."""
        self._rows.clear()
        self.refresh()

    def set_marks(self, read_ids: set[str], starred_ids: set[str]) -> None:
        self.read_ids = read_ids
        self.starred_ids = starred_ids
        self.refresh()

    # -- actions ---------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1)
        self._move(self.cursor + direction * rows)

    def action_jump(self, index: int) -> None:
        self._move(index if index >= 0 else len(self._entries) - 1)

    def action_open(self) -> None:
        entry = self.current
        if entry is not None:
            self.post_message(self.Selected(self, entry))

    def _move(self, index: int) -> None:
        if not self._entries:
            return
        self.cursor = max(0, min(index, len(self._entries) - 1))

    def watch_cursor(self, cursor: int) -> None:
        width = self.scrollable_content_region.width
        self.scroll_to_region(
            Region(0, cursor * ROW_HEIGHT, width, ROW_HEIGHT), animate=False, immediate=True
        )
        self.refresh()
        entry = self.current
        if entry is not None:
            self.post_message(self.Highlighted(self, entry))

    async def _on_click(self, event: events.Click) -> None:
        row = (event.y + int(self.scroll_offset.y)) // ROW_HEIGHT
        if 0 <= row < len(self._entries):
            self.cursor = row
            self.action_open()

    def _on_focus(self, event: events.Focus) -> None:
        self._forget()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._forget()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if hasattr(self, "_rows"):  # also called while the widget is being built
            self._forget()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = self._virtual_size()

    def _virtual_size(self) -> Size:
        # Never wider than the rows are painted: the widget's own width counts its
        # scrollbar, and a wider virtual size would add a horizontal scrollbar (a stray
        # "▏" at the feed's bottom edge) whenever the vertical one is shown.
        return Size(self.scrollable_content_region.width, max(1, len(self._entries)) * ROW_HEIGHT)

    # -- painting --------------------------------------------------------------------

    def _forget(self) -> None:
        """Drop cached styles and rows (theme, focus or entries changed)."""
        self._styles.clear()
        self._rows.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = component_style(self, name)
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._styles.get("")
        if base is None:  # the widget's own style, cached like the components' (hot path)
            base = self._styles[""] = self.rich_style
        absolute = y + int(scroll_y)
        row, part = divmod(absolute, ROW_HEIGHT)
        if row >= len(self._entries) and (self._entries or absolute > 0):
            return Strip.blank(width, base)
        if not self._entries:
            key: tuple[object, ...] = ("empty", self.empty_text, width)
        else:
            entry = self._entries[row]
            key = (
                row,
                part,
                width,
                row == self.cursor,
                entry.id in self.read_ids,
                entry.id in self.starred_ids,
            )
        # Rows are rebuilt only when they change: a cursor move repaints two of them.
        strip = self._rows.get(key)
        if strip is None:
            if not self._entries:
                text = Text(one_line(self.empty_text, 300), style=self._style("feed--empty"))
            else:
                text = self._row_text(self._entries[row], part, width)
                if row == self.cursor:
                    text.stylize(self._style("feed--cursor"))
            text.truncate(width, overflow="ellipsis", pad=True)
            strip = Strip(list(text.render(self.app.console)), text.cell_len)
            # simplify(): one segment per run of equal style, however the row was built.
            strip = strip.apply_style(base).simplify()
            if len(self._rows) > ROW_CACHE:
                self._rows.clear()
            self._rows[key] = strip
        # Simplified again after padding: the same picture is the same segments, whatever
        # the order the rows were painted in.
        return strip.crop_extend(int(scroll_x), int(scroll_x) + width, base).simplify()

    def _row_text(self, entry: FeedEntry, part: int, width: int) -> Text:
        text = Text(end="", no_wrap=True)
        read = entry.id in self.read_ids
        if part == 0:
            text.append("●" if not read else " ", self._style("feed--unread"))
            text.append("★" if entry.id in self.starred_ids else " ", self._style("feed--star"))
            text.append(" ")
            date = format_date(entry.published, entry.published_inferred)
            style = "feed--inferred" if entry.published_inferred else "feed--date"
            text.append(date, self._style(style))
            text.append(" ")
            text.append(inert(" ".join((entry.source or "").split())), self._style("feed--source"))
            return _cut_at_word(text, width) if text.cell_len > width else text
        title = inert(entry.title) or "(untitled)"
        # Titles are one line here: newlines inside them become spaces, same length.
        title = title.replace("\n", " ")
        text.append("   ")
        start = len(text)
        text.append(title, self._style("feed--read" if read else "feed--title"))
        for a, b in getattr(entry, "title_spans", ()) or ():
            if 0 <= a < b <= len(title):
                text.stylize(self._style("feed--hit"), start + a, start + b)
        if text.cell_len > width:
            text = _cut_at_word(text, width)
        return text


def _cut_at_word(text: Text, width: int) -> Text:
    """Shorten to `width` cells, cutting at a word boundary and adding an ellipsis."""
    plain = text.plain
    cut = plain.rfind(" ", 0, max(1, width - 1))
    if cut <= 3:
        cut = width - 1
    short = text[:cut]
    short.rstrip()
    short.append("…")
    return short
