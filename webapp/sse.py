"""SSE framing of wire events (POST /omni/streaming_generate), one stream for three readers:

1. SSE parsers that follow the spec (`event:` names the event, `data:` lines are joined by
   newlines, one optional space after the colon is dropped) get omni's events as PROTOCOL.md
   lists them;
2. the seed README's client, which json-parses every line starting with `data: ` and prints
   its top-level `text`;
3. clients written for the seed demo's server (its page, its measuring scripts), which also
   read only `data: ` lines and look for the keys `chunk_data` (`text` or `wav`),
   `tts_chunk`, `is_listen` and `error`, whatever the event's name.

So every event carries the demo's keys next to omni's fields. Readers 2 and 3 skip `data:`
lines written without the optional space, which the spec reads the same: a tts_chunk event
uses that to keep its `text` away from the README client (which would print the reply twice)
while its demo form stays on a `data: ` line. No `data: [DONE]` terminator: it is not JSON,
and the README client json-parses every data line; the stream ends after `done`.
"""
from __future__ import annotations

from .wire import dumps

SEED_SAMPLE_RATE = 24000  # the seed demo puts it in every chunk_data, text ones included
MS_PER_SPEECH_TOKEN = 40


def seed_keys(event: dict) -> dict:
    """The seed demo's form of one wire event (its server's exact keys); {} when it has none."""
    kind = event["type"]
    if kind == "text":
        return {"chunk_data": {"text": event["text"], "wav": "", "sample_rate": SEED_SAMPLE_RATE}}
    if kind == "audio" and "audio" in event:
        return {"chunk_data": {"wav": event["audio"], "sample_rate": event["sample_rate"], "text": ""}}
    if kind == "tts_chunk":
        return {"tts_chunk": {"text": event["text"], "n_speech_tokens": event["n_speech_tokens"],
                              "chunk_idx": event["chunk_idx"],
                              "audio_duration_ms": event["n_speech_tokens"] * MS_PER_SPEECH_TOKEN}}
    if kind == "listen":
        return {"is_listen": True}
    return {}  # error: omni's {"error": {...}} already has the key the demo's clients test for


def sse_frame(event: dict) -> bytes:
    data = {k: v for k, v in event.items() if k != "type"}
    seed = seed_keys(event)
    if event["type"] == "tts_chunk":
        # An SSE parser joins the three lines into {...omni fields..., "seed": {"tts_chunk": {...}}};
        # line readers see only the middle one.
        head = dumps(data)[:-1] + ',"seed":'
        return f"event: tts_chunk\ndata:{head}\ndata: {dumps(seed)}\ndata:}}\n\n".encode()
    return f"event: {event['type']}\ndata: {dumps({**data, **seed})}\n\n".encode()
