"""The Realtime API conversation: items in order, each with what the engine has not heard yet.

User audio and images wait here until the next response starts; then they are prefilled in
conversation order and the item records the engine turn that heard them. Assistant items
keep their Response (transcript, audio length, engine turn) for truncation.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entry:
    item: dict
    media: list = field(default_factory=list)  # prefill() kwargs not yet given to the engine
    response: object | None = None             # the Response that produced an assistant item
    engine_turn: int | None = None
    heard_in_turn: int | None = None


class Items:
    def __init__(self):
        self._order: list[str] = []
        self._entries: dict[str, Entry] = {}

    def get(self, item_id: str | None) -> Entry | None:
        return self._entries.get(item_id) if item_id else None

    def last_id(self, exclude: str | None = None) -> str | None:
        for item_id in reversed(self._order):
            if item_id != exclude:
                return item_id
        return None

    def previous_id(self, item_id: str) -> str | None:
        i = self._order.index(item_id) if item_id in self._order else len(self._order)
        return self._order[i - 1] if i > 0 else None

    def add(self, item: dict, media=(), after: str | None = None, response=None, engine_turn=None) -> str | None:
        """Insert (at the end, or after `after`; "root" = first); returns the previous item's id."""
        entry = Entry(item, list(media), response, engine_turn)
        if item["id"] in self._entries:
            self._entries[item["id"]] = entry
            return self.previous_id(item["id"])
        if after == "root":
            self._order.insert(0, item["id"])
        elif after is not None and after in self._order:
            self._order.insert(self._order.index(after) + 1, item["id"])
        else:
            self._order.append(item["id"])
        self._entries[item["id"]] = entry
        return self.previous_id(item["id"])

    def update(self, item: dict) -> None:
        entry = self._entries.get(item["id"])
        if entry is not None:
            entry.item = item

    def delete(self, item_id: str) -> None:
        self._entries.pop(item_id, None)
        if item_id in self._order:
            self._order.remove(item_id)

    def pending(self) -> list[Entry]:
        """Entries with media the engine has not heard, in conversation order."""
        return [self._entries[i] for i in self._order if self._entries[i].media]


def content_for_echo(parts) -> list[dict]:
    """An item's content as the server echoes it: no audio bytes (clients have them)."""
    out = []
    for part in parts:
        d = part.model_dump(exclude_none=True)
        d.pop("audio", None)
        if d["type"] in ("input_audio", "output_audio", "audio"):
            d.setdefault("transcript", None)
        out.append(d)
    return out
