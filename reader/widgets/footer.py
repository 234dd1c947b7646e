"""The footer: Textual's, recomposed only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[object, ...], ...]


class ReaderFooter(Footer):
    """Textual's `Footer` rebuilds its keys (~10 widgets, 20-30 ms) whenever its screen's
    bindings may have changed: each focus move, and each screen pushed over it (opening
    the palette cost that much again). This one skips both when they change nothing it
    shows; under another screen (the palette, dimmed over it) it waits until it is on
    top again, and then rebuilds only if its keys changed meanwhile."""

    _shown: Shown | None = None

    def _keys(self) -> Shown:
        """What `Footer.compose` shows, as a value to compare."""
        return tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and self.app.screen is not self.screen:
            return  # covered: the keys in use are the other screen's
        if self._bindings_ready and self._shown is not None and self._keys() == self._shown:
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()
