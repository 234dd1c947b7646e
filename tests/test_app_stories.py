"""Pilot tests of the story keys: stories list, a story, a statement's trail, an actor's record, copy."""

from __future__ import annotations

from pathlib import Path

from reader.widgets.actor_screen import ActorScreen
from reader.widgets.stories_screen import StoriesScreen
from reader.widgets.story_screen import StoryScreen
from reader.widgets.trail_screen import TrailScreen
from tests.test_app_flows import library, make_app, open_seed, ready, wait_for  # noqa: F401

SEED_000 = "000_"


def status_text(app: object) -> str:
    return str(app.status.query_one("#status-text").render())  # type: ignore[attr-defined]


async def test_stories_key_toggles_the_feed_and_opens_a_story(library: Path) -> None:  # noqa: F811
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen), what="stories")
        screen = app.screen
        assert isinstance(screen, StoriesScreen)
        assert len(screen.stories) == 1
        prompt = str(screen.query_one("#stories-list").get_option_at_index(0).prompt)
        assert "5 articles · 4 outlets" in prompt
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: "copied:" in str(screen.query_one(".story-status").render()),
            what="copied",
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StoryScreen), what="the story")
        story = app.screen
        assert isinstance(story, StoryScreen)
        dated = [a.published for a in story.detail.articles if a.published]
        assert dated == sorted(dated)
        text = str(story.query_one("#story-articles").get_option_at_index(1).prompt)
        assert "added" in text
        await pilot.press("j", "y")
        await wait_for(
            pilot,
            lambda: "copied: “" in str(story.query_one(".story-status").render()),
            what="copied",
        )
        assert story.detail.articles[1].title[:20] in str(story.query_one(".story-status").render())
        await pilot.press("enter")  # opens that article in the reader
        await wait_for(
            pilot,
            lambda: (
                app.open_article is not None and app.open_article.id == story.detail.articles[1].id
            ),
            what="the article open",
        )
        assert not isinstance(app.screen, (StoryScreen, StoriesScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, StoriesScreen), what="stories")
        await pilot.press("e")  # the same key goes back to the articles
        await wait_for(
            pilot, lambda: not isinstance(app.screen, StoriesScreen), what="articles again"
        )


async def test_trail_record_and_copy_from_the_side_panel(library: Path) -> None:  # noqa: F811
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_seed(pilot, SEED_000)
        await pilot.press("t")
        await wait_for(pilot, lambda: "select a statement" in status_text(app), what="a hint")
        await pilot.press("s")
        await wait_for(
            pilot, lambda: app.focused is app.side.query_one("#statements"), what="the statements"
        )
        await pilot.press("y")
        await wait_for(pilot, lambda: "copied: “" in status_text(app), what="copied")
        assert "NationPress" in status_text(app)
        listing = app.side.query_one("#statements")
        article = app.open_article
        assert article is not None
        # To the first direct quotation (reported speech has no trail).
        steps = next(
            i
            for i in range(listing.option_count)
            if (listing.get_option_at_index(i).id or "").startswith("statement-")
            and article.statements[int(listing.get_option_at_index(i).id[10:])].kind == "direct"
        )
        await pilot.press(*["j"] * (steps - (listing.highlighted or 0)))
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrailScreen), what="the trail")
        trail = app.screen
        assert isinstance(trail, TrailScreen)
        assert trail.trail.carriers[0].source == "NationPress"
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: "copied: “" in str(trail.query_one(".story-status").render()),
            what="copied",
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrailScreen), what="back")
        await pilot.press("i")  # the statement's speaker
        await wait_for(pilot, lambda: isinstance(app.screen, ActorScreen), what="the record")
        record = app.screen
        assert isinstance(record, ActorScreen)
        assert record.record.statements
        assert record.query_one("#actor-spark") is not None
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ActorScreen), what="back")
        await pilot.press("a", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, ActorScreen), what="an actor")
