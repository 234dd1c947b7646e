"""The article pane: title, meta line and body with actors, statements and hits marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from index.records import Article
from reader.widgets.article_text import (
    STYLE_KEYS,
    ArticleText,
    Marks,
    component_style,
    inert,
    line_of,
    render_article,
    wrap,
)
from reader.widgets.steady import SteadyScrollView

PLACEHOLDER = "Open an article: move in the feed with j/k and press enter.  ? lists every key."


class ArticleView(SteadyScrollView, can_focus=True):
    """Shows one article; its lines are wrapped once per width and painted on demand."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,j",
            "scroll_down",
            "Down",
            show=False,
            id="article.down",
            tooltip="article: scroll down a line",
        ),
        Binding(
            "up,k",
            "scroll_up",
            "Up",
            show=False,
            id="article.up",
            tooltip="article: scroll up a line",
        ),
        Binding(
            "pagedown,space",
            "page_down",
            "Page down",
            show=False,
            id="article.page-down",
            tooltip="article: page down",
        ),
        Binding(
            "pageup,b",
            "page_up",
            "Page up",
            show=False,
            id="article.page-up",
            tooltip="article: page up",
        ),
        Binding(
            "home,g", "scroll_home", "Top", show=False, id="article.top", tooltip="article: top"
        ),
        Binding(
            "end,G",
            "scroll_end",
            "Bottom",
            show=False,
            id="article.bottom",
            tooltip="article: bottom",
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"article--{key}" for key in STYLE_KEYS} | {
        "article--placeholder",
        "article--current-hit",
    }
    # Every highlight has a text-style as well as a colour, so it survives NO_COLOR.
    DEFAULT_CSS = """
    ArticleView { background: $surface; padding: 0 1; scrollbar-gutter: stable; overflow-x: hidden; }
    ArticleView > .article--title { text-style: bold; color: $text; }
    ArticleView > .article--meta { color: $text-muted; }
    ArticleView > .article--subhead { text-style: bold; }
    ArticleView > .article--person { text-style: bold; color: $text-accent; }
    ArticleView > .article--organization { text-style: bold; color: $text-success; }
    ArticleView > .article--country { text-style: bold; color: $text-warning; }
    ArticleView > .article--place { text-style: bold; color: $text-primary; }
    ArticleView > .article--direct { text-style: italic; color: $text; }
    ArticleView > .article--indirect { text-style: italic; color: $text-muted; }
    ArticleView > .article--speaker { text-style: bold; color: $text-secondary; }
    ArticleView > .article--hit { text-style: reverse bold; }
    ArticleView > .article--current-hit { text-style: reverse bold underline; }
    ArticleView > .article--focus { text-style: bold underline; }
    ArticleView > .article--focus-statement { text-style: underline; }
    ArticleView > .article--placeholder { color: $text-muted; text-style: italic; }
    """

    @dataclass
    class HitMoved(Message):
        """The current search hit changed (1-based `index`, 0 when none)."""

        view: ArticleView
        index: int
        total: int

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.hits: tuple[tuple[int, int], ...] = ()
        self.title_hits: tuple[tuple[int, int], ...] = ()
        self.hit_index = -1
        self.focus_actor: str | None = None
        self.focus_statement: int | None = None
        self._notice = PLACEHOLDER
        self._layout: ArticleText | None = None
        self._lines: list[Text] = []
        self._starts: list[int] = []
        self._strips: dict[int, Strip] = {}  # painted lines, until the text or style changes
        self._base: Style | None = None  # the pane's own style, once per paint
        self._width = 0

    # -- attributes down -------------------------------------------------------------

    def show(
        self,
        article: Article | None,
        hits: tuple[tuple[int, int], ...] = (),
        title_hits: tuple[tuple[int, int], ...] = (),
    ) -> None:
        """Display `article` with search-term spans `hits` (offsets into its body) and
        `title_hits` (into its title)."""
        self.article = article
        self.title_hits = title_hits
        self.hits = tuple(sorted(h for h in hits if h[0] < h[1]))
        self.hit_index = -1
        self.focus_actor = None
        self.focus_statement = None
        self._rebuild()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.post_message(self.HitMoved(self, 0, len(self.hits)))

    def set_hits(
        self, hits: tuple[tuple[int, int], ...], title_hits: tuple[tuple[int, int], ...] = ()
    ) -> None:
        """Replace the search-term spans (a new query) without moving the view."""
        hits = tuple(sorted(h for h in hits if h[0] < h[1]))
        if hits != self.hits or title_hits != self.title_hits:
            self.hits, self.hit_index, self.title_hits = hits, -1, title_hits
            self._rebuild()
            self.post_message(self.HitMoved(self, 0, len(self.hits)))

    def show_notice(self, notice: str) -> None:
        """No article: show `notice` (wrapped, inert) instead, e.g. why the library is closed."""
        self._notice = notice
        self.show(None)

    def mark_actor(self, name: str | None) -> None:
        if name != self.focus_actor or self.focus_statement is not None:
            self.focus_actor, self.focus_statement = name, None
            self._rebuild()

    def mark_statement(self, index: int | None) -> None:
        """Underline statement `index` and scroll it into view."""
        self.focus_statement, self.focus_actor = index, None
        self._rebuild()
        if self.article is not None and index is not None and self._layout is not None:
            statement = self.article.statements[index]
            self._scroll_to_offset(self._layout.display_offset(statement.start))

    def jump_hit(self, step: int) -> bool:
        """Move to the next (`step`=1) or previous (-1) hit; False when there are none."""
        if not self.hits or self._layout is None:
            return False
        self.hit_index = (self.hit_index + step) % len(self.hits)
        self._rebuild()
        start = self.hits[self.hit_index][0]
        self._scroll_to_offset(self._layout.display_offset(start))
        self.post_message(self.HitMoved(self, self.hit_index + 1, len(self.hits)))
        return True

    @property
    def lines(self) -> list[str]:
        """The wrapped plain lines (for tests and the screenshot script)."""
        return [line.plain for line in self._lines]

    # -- layout ----------------------------------------------------------------------

    def _styles(self) -> dict[str, Style]:
        return {key: component_style(self, f"article--{key}") for key in STYLE_KEYS}

    def _rebuild(self) -> None:
        width = self.scrollable_content_region.width
        self._width = width
        if self.article is None:
            self._layout = None
            text = Text(
                inert(self._notice), style=component_style(self, "article--placeholder"), end=""
            )
        else:
            styles = self._styles()
            current = self.hits[self.hit_index] if self.hit_index >= 0 else None
            marks = Marks(
                hits=self.hits,
                title_hits=self.title_hits,
                focus_actor=self.focus_actor,
                focus_statement=self.focus_statement,
            )
            self._layout = render_article(self.article, styles, marks)
            text = self._layout.text
            if current is not None:
                text.stylize(
                    component_style(self, "article--current-hit"),
                    self._layout.display_offset(current[0]),
                    self._layout.display_offset(current[1], end=True),
                )
        self._lines, self._starts = wrap(text, width) if width > 0 else ([], [])
        self._strips.clear()
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            # The pane's own size does not depend on its text (and its scrollbar's gutter
            # is stable): a new article needs its scrollbar updated, not a layout of the
            # whole screen (which `virtual_size`'s reactive asks for).
            self.set_reactive(ArticleView.virtual_size, size)
            self._scroll_update(size)
        self.refresh()

    def _scroll_to_offset(self, offset: int) -> None:
        line = line_of(self._starts, offset)
        height = self.scrollable_content_region.height
        if not (self.scroll_offset.y <= line < self.scroll_offset.y + height):
            self.scroll_to(y=max(0, line - 2), animate=False, immediate=True)

    # Instant scrolling: over ssh an animated scroll repaints the whole pane many times.

    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_relative(y=self.scrollable_content_region.height, animate=False, immediate=True)

    def action_page_up(self) -> None:
        self.scroll_relative(
            y=-self.scrollable_content_region.height, animate=False, immediate=True
        )

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def on_mount(self) -> None:
        self._rebuild()

    def render_lines(self, crop: Region) -> list[Strip]:
        # `rich_style` walks every ancestor's background: once per paint, not per line
        # (it was half the cost of painting an article: issue 13).
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style if self._base is None else self._base
        index = y + int(scroll_y)
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            strip = Strip(list(line.render(self.app.console)), line.cell_len)
            # simplify(): one segment per run of equal style, however the text was built.
            strip = strip.apply_style(base).simplify()
            self._strips[index] = strip
        # Simplified after padding too: the same picture is always the same segments.
        return strip.crop_extend(int(scroll_x), int(scroll_x) + width, base).simplify()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Highlights are styled from the theme: a new theme (or focus) re-renders the text,
        # once the new styles are in place.
        if hasattr(self, "_strips") and self.is_mounted:
            self._strips.clear()
            self.call_later(self._rebuild)
