"""The stories list: articles grouped by event, newest first, `5 articles · 4 outlets`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label
from textual.widgets.option_list import Option

from index.library import cite_article
from index.textsafe import one_line
from reader.widgets.side_panel import KeyList
from reader.widgets.story_common import LibraryScreen, StoryStatus, day


def story_prompt(story: Any) -> Text:
    outlets = len(story.outlets)
    text = Text(end="")
    text.append(day(story.last) + " ", "dim")
    text.append(one_line(story.title, 200), "bold")
    text.append(
        f"\n           {story.size} articles · {outlets} outlet{'s' * (outlets != 1)}", "dim"
    )
    if story.actors:
        text.append(" · " + one_line(", ".join(story.actors[:4]), 100), "dim italic")
    return text


# Stories listed at first, and added each time the cursor nears the end: an OptionList
# measures every prompt when it is filled, and a 20,000-article library has thousands.
PAGE = 30


class StoriesScreen(LibraryScreen):
    """Every story of two articles or more; enter opens one, the stories key goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "dismiss_screen", "Articles", id="stories.articles"),
    ]
    HINT = "enter open story · e/escape back to articles · y copy citation"

    def __init__(self, stories: Sequence[Any], open_story: Callable[[str], None]) -> None:
        super().__init__(id="stories-screen")
        self.stories = list(stories)
        self.open_story = open_story

    def compose(self) -> ComposeResult:
        yield Label(
            f" Stories ({len(self.stories):,})", id="stories-heading", classes="story-heading"
        )
        listing = KeyList(id="stories-list")
        if self.stories:
            listing.add_options(self._page(0))
        else:
            listing.add_option(
                Option(
                    Text("no stories yet: no two articles cover the same event", "italic"),
                    disabled=True,
                )
            )
        yield listing
        yield StoryStatus(self.HINT)

    def on_mount(self) -> None:
        listing = self.query_one("#stories-list", KeyList)
        listing.focus()
        if self.stories:
            listing.highlighted = 0

    def _page(self, start: int) -> list[Option]:
        return [
            Option(story_prompt(s), id=f"story-{i}")
            for i, s in enumerate(self.stories[start : start + PAGE], start)
        ]

    def on_option_list_option_highlighted(self, event: KeyList.OptionHighlighted) -> None:
        listing = self.query_one("#stories-list", KeyList)
        shown = listing.option_count
        if event.option_index >= shown - 5 and shown < len(self.stories):
            listing.add_options(self._page(shown))

    def _current(self) -> Any:
        listing = self.query_one("#stories-list", KeyList)
        if listing.highlighted is None or not self.stories:
            return None
        return self.stories[listing.highlighted]

    def on_option_list_option_selected(self, event: KeyList.OptionSelected) -> None:
        event.stop()
        story = self._current()
        if story is not None:
            self.open_story(story.id)

    def citation(self) -> str | None:
        story = self._current()
        if story is None:
            return None
        return cite_article(story.title, ", ".join(story.outlets) or None, None)
