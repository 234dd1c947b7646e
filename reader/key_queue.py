"""Keys one at a time, in the order typed: the app's key queue (a mixin of NewsroomApp)."""

from __future__ import annotations

from textual import events

from reader.host import Host
from reader.messages import KeyDone

# Keys are handled one at a time, in the order typed (see `on_event`). These only bound a
# wait that should never happen (a key whose widget vanished, a search that never answers).
KEY_STUCK_S = 2.0
SEARCH_STUCK_S = 15.0


class KeyQueue(Host):
    """Typed-ahead keys wait in `_key_backlog` for the key before them (and, when they act
    on the feed, for the search answer they should apply to; after a story, trail or
    record key, for its view)."""

    async def on_event(self, event: events.Event) -> None:
        # Textual hands each key to the focused widget's queue at once, and its bindings
        # run only once the key has bubbled back to the app: printable keys overtake
        # bound ones (backspace), and keys typed after `enter` reach the widget that had
        # the focus before it. Here the next key goes out only once the previous one is
        # done, so every key sees the focus and the results the previous keys left.
        # A paste (bracketed, from the terminal) queues with the keys, in order.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._key_backlog.append(event)
            await self._pump_keys()
            return
        await super().on_event(event)

    def _keys_wait_for_search(self) -> bool:
        """Keys for the feed wait for the answer to the query typed before them (or for
        the first page of the feed's view asked for before them)."""
        return (
            self.focused is self.feed
            and self.library is not None
            and not self.search_settled
            and self._search_given_up != self._search_seq
        )

    async def _pump_keys(self) -> None:
        if self._pumping:
            return
        self._pumping = True
        try:
            while self._key_backlog and not self._key_in_flight:
                if self._view_pending or self._keys_wait_for_search():
                    self._arm_key_timer(SEARCH_STUCK_S)
                    return
                await self._send_key(self._key_backlog.popleft())
        finally:
            self._pumping = False

    async def _send_key(self, event: events.Key | events.Paste) -> None:
        """What Textual does with a key, plus a marker that comes back when it is done."""
        screen = self.screen
        if isinstance(event, events.Key):
            if not self.app_focus:
                self.app_focus = True
            if screen.maximized is not None and event.key == "escape" and self.escape_to_minimize:
                screen.minimize()
                return
            if await self._check_bindings(event.key, priority=True):
                return
            if event.key == "enter" and self.focused is self.search_box.input:
                self._submit_search()  # now: the keys after it belong to the feed
                return
        target = self.focused or screen
        self._key_tokens += 1
        self._key_in_flight = self._key_tokens
        target._forward_event(event)
        target.post_message(KeyDone(self._key_tokens))
        self._arm_key_timer(KEY_STUCK_S)

    def _arm_key_timer(self, delay: float) -> None:
        if self._key_timer is not None:
            self._key_timer.stop()
        self._key_timer = self.set_timer(delay, self._keys_stuck, name="keys")

    async def _keys_stuck(self) -> None:
        if self._key_in_flight:
            self._key_in_flight = 0  # its widget went away with the marker
        elif self._view_pending:
            self._view_pending = 0  # a view that never came: the keys go on without it
        elif self._keys_wait_for_search():
            self._search_given_up = self._search_seq
        await self._pump_keys()

    async def on_newsroom_app_key_done(self, message: KeyDone) -> None:
        message.stop()
        if message.token != self._key_in_flight:
            return
        # The key itself is done, but what it set off may still be on its way (enter on
        # an actor: OptionSelected, then ActorChosen, then the new search and the focus
        # move). The next key waits until every widget's queue is empty and the app has
        # handled what they sent it (this marker goes round once more behind those).
        if self._widgets_busy():
            self.set_timer(0.002, lambda: self.post_message(KeyDone(message.token)))
            return
        if not message.settled:
            self.post_message(KeyDone(message.token, settled=True))
            return
        self._key_in_flight = 0
        if self._key_timer is not None:
            self._key_timer.stop()
        await self._pump_keys()

    @property
    def is_quiet(self) -> bool:
        """No key waiting or being handled, the search answered, no message in flight."""
        return (
            not self._key_backlog
            and not self._key_in_flight
            and self.search_settled
            and not self._widgets_busy()
            and self._message_queue.empty()
        )

    def _widgets_busy(self) -> bool:
        return any(
            not node._message_queue.empty()
            for screen in self.screen_stack
            for node in screen.walk_children(with_self=True)
        )
