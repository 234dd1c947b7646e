"""Apply the config to a running reader: theme (remembered), date format, keymap, warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from index.library import Config, save_setting
from index.textsafe import one_line
from reader.keys import unknown_ids
from reader.widgets.article_text import set_date_format

if TYPE_CHECKING:
    from textual.app import App


def apply_config(app: App[Any], config: Config) -> dict[str, str]:
    """Theme, date format and keys from `config`; returns the keymap in use.

    Every problem (a bad value, an unknown theme or binding id) is one warning
    line; the setting in question keeps its default and the app starts anyway.
    """
    problems = list(config.errors)
    theme = config.get("theme")
    if theme in app.available_themes:
        app.theme = theme
    elif config.origins.get("theme") != "default":
        where = config.path if config.origins.get("theme") == "file" else "$NEWSROOM_THEME"
        problems.append(f"{where}: theme: unknown theme {theme!r}; using the default")
    set_date_format(config.get("date_format"))
    keymap = dict(config.keys)
    for binding_id in unknown_ids(keymap):
        origin = config.keys_origin.get(binding_id)
        where = "$NEWSROOM_KEYS" if origin == "env" else str(config.path)
        problems.append(f"{where}: keys.{binding_id}: no binding has this id (`?` lists them)")
        del keymap[binding_id]
    if keymap:
        app.set_keymap(keymap)
    for problem in problems:
        app.notify(
            one_line(problem, 300), title="Settings", severity="warning", timeout=12, markup=False
        )

    def remember(new_theme: Any) -> None:
        name = getattr(new_theme, "name", str(new_theme))
        if name == remember.last:  # type: ignore[attr-defined]
            return
        remember.last = name  # type: ignore[attr-defined]
        try:
            save_setting(config.path, "theme", name)
        except OSError as exc:
            app.notify(
                one_line(f"{config.path}: theme not saved ({exc.strerror or exc})"),
                severity="error",
                markup=False,
            )

    remember.last = app.theme  # type: ignore[attr-defined]
    app.theme_changed_signal.subscribe(app, remember)
    return keymap
