"""Every key binding of the reader, by id: for the help screen, hints and keymap checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding

LABELS = {
    "slash": "/",
    "question_mark": "?",
    "escape": "esc",
    "vertical_line": "|",
    "space": "space",
    "ctrl+y": "^y",
    "ctrl+s": "^s",
}


def all_bindings() -> list[Binding]:
    """The app's bindings, then each pane's (feed, article, lists, search box, help)."""
    from reader.app import NewsroomApp
    from reader.widgets.article_view import ArticleView
    from reader.widgets.feed import Feed
    from reader.widgets.help_screen import HelpScreen
    from reader.widgets.search_box import SearchBox
    from reader.widgets.side_panel import KeyList

    out: list[Binding] = []
    for owner in (NewsroomApp, Feed, ArticleView, KeyList, SearchBox, HelpScreen):
        out.extend(b for b in owner.BINDINGS if isinstance(b, Binding))
    return out


def known_ids(bindings: Iterable[Binding] | None = None) -> set[str]:
    return {b.id for b in (all_bindings() if bindings is None else bindings) if b.id}


def unknown_ids(keymap: Mapping[str, str]) -> list[str]:
    """Ids in `keymap` that no binding has (a typo, a binding that was renamed)."""
    known = known_ids()
    return sorted(i for i in keymap if i not in known)


def key_label(key: str) -> str:
    key = key.strip()
    return LABELS.get(key, key)


def keys_for(binding_id: str, keymap: Mapping[str, str], first: bool = False) -> str:
    """The keys bound to `binding_id` now (remapped or not), as shown: `j / down`."""
    bound = keymap.get(binding_id)
    if bound is None:
        bound = next((b.key for b in all_bindings() if b.id == binding_id), "")
    keys = [key_label(k) for k in bound.split(",") if k.strip()]
    if first:
        return keys[0] if keys else ""
    return " / ".join(keys)
