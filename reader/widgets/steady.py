"""SteadyScrollView: a ScrollView whose scrollbars are repainted only when a size changed."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollView(ScrollView):
    """Textual's ScrollView updates (and repaints) its scrollbars at every layout of the
    screen, changed or not: the layout an article's opening asks for repainted the
    feed's scrollbar (~8 ms of the 0.1 s budget, issue 13). Here only when the size,
    the virtual size or the container size differ from the last layout's; a scroll
    moves the scrollbars as ever."""

    _laid_out: tuple[Size, Size, Size] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        sizes = (size, self.virtual_size, container_size)
        if sizes == self._laid_out and size == self.outer_size:
            return False  # (ScrollView's answer too: neither size nor container changed)
        self._laid_out = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)
