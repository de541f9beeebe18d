"""One Realtime API response: engine turn events -> the GA response lifecycle.

response.created (sent by the session before the turn starts) -> response.output_item.added
-> conversation.item.added -> response.content_part.added -> interleaved transcript and
audio deltas -> response.output_audio.done -> response.output_audio_transcript.done ->
response.content_part.done -> response.output_item.done -> conversation.item.done ->
exactly one response.done with usage, also when the turn was cancelled or failed.
"""
from __future__ import annotations

import threading

from simple_websocket import ConnectionClosed

from . import common

DELTA_SAMPLES = common.ENGINE_RATE // 5  # 200 ms per audio delta: small enough for exact truncation


class Response:
    def __init__(self, session, metadata: dict | None, modality: str, input_ms: float, images: int):
        self.s = session
        self.id = common.new_id("resp")
        self.item_id = common.new_id("item")
        self.metadata = metadata
        self.modality = modality  # "audio" or "text"
        self.input_ms, self.images = input_ms, images
        self.turn = None
        self.status = "in_progress"
        self.cancel_reason: str | None = None
        self.error: dict | None = None
        self.text = ""
        self.samples = 0
        self.stats: dict = {}
        self.item_open = False
        self.done = threading.Event()

    # -- shapes ----------------------------------------------------------------------------
    def item(self, status: str) -> dict:
        part = ({"type": "output_audio", "transcript": self.text} if self.modality == "audio"
                else {"type": "output_text", "text": self.text})
        return {"id": self.item_id, "object": "realtime.item", "type": "message", "status": status,
                "role": "assistant", "content": [part] if status != "in_progress" else []}

    def body(self, final: bool) -> dict:
        status_details = None
        if self.status == "cancelled":
            status_details = {"type": "cancelled", "reason": self.cancel_reason or "client_cancelled"}
        elif self.status == "failed":
            status_details = {"type": "failed", "error": self.error}
        out = [self.item("completed" if self.status == "completed" else "incomplete")] if self.item_open and final \
            else []
        return {"object": "realtime.response", "id": self.id, "status": self.status if final else "in_progress",
                "status_details": status_details if final else None, "output": out,
                "conversation_id": self.s.conversation_id, "output_modalities": [self.modality],
                "max_output_tokens": "inf",
                "audio": {"output": {"format": {"type": "audio/pcm", "rate": common.ENGINE_RATE},
                                     "voice": self.s.voice}},
                "usage": self.usage() if final else None, "metadata": self.metadata}

    def usage(self) -> dict:
        audio_in = common.tokens_for_input_audio(self.input_ms)
        image_in = 64 * self.images
        text_out = int(self.stats.get("llm_tokens") or (max(1, round(len(self.text) / 4)) if self.text else 0))
        audio_out = common.tokens_for_speech(self.samples)
        return {"total_tokens": audio_in + image_in + text_out + audio_out,
                "input_tokens": audio_in + image_in, "output_tokens": text_out + audio_out,
                "input_token_details": {"text_tokens": 0, "audio_tokens": audio_in, "image_tokens": image_in,
                                        "cached_tokens": 0,
                                        "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 0,
                                                                  "image_tokens": 0}},
                "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out}}

    def _ids(self) -> dict:
        return {"response_id": self.id, "item_id": self.item_id, "output_index": 0, "content_index": 0}

    # -- lifecycle (the session's response thread) ---------------------------------------------
    def open_item(self) -> None:
        if self.item_open:
            return
        self.item_open = True
        send = self.s.sock.send
        item = self.item("in_progress")
        send({"type": "response.output_item.added", "response_id": self.id, "output_index": 0, "item": item})
        send({"type": "conversation.item.added", "previous_item_id": self.s.items.last_id(exclude=self.item_id),
              "item": item})
        self.s.items.add(self.item("in_progress"), engine_turn=self.turn.id if self.turn else None, response=self)
        part = {"type": "audio", "transcript": ""} if self.modality == "audio" else {"type": "text", "text": ""}
        send({"type": "response.content_part.added", **self._ids(), "part": part})

    def stream(self, poll_s: float) -> None:
        """Read the turn to its end, sending the lifecycle; always ends with response.done."""
        try:
            if self.turn is not None:
                self._pump(poll_s)
            self.finish()
        except ConnectionClosed:
            pass
        finally:
            self.done.set()

    def _pump(self, poll_s: float) -> None:
        send = self.s.sock.send
        while True:
            ev = self.turn.get(poll_s)
            if ev is None:
                if self.s.sock.closed:
                    self.s.conv.interrupt("disconnect", only=self.turn)
                    self.status = "cancelled"
                    raise ConnectionClosed()
                continue
            if ev.type == "text" and ev.text:
                self.open_item()
                self.text += ev.text
                kind = ("response.output_audio_transcript.delta" if self.modality == "audio"
                        else "response.output_text.delta")
                send({"type": kind, **self._ids(), "delta": ev.text})
            elif ev.type == "audio" and ev.pcm is not None and len(ev.pcm):
                self.samples += len(ev.pcm)
                if self.modality != "audio":
                    continue
                self.open_item()
                pcm = ev.pcm.astype("<i2")
                for i in range(0, len(pcm), DELTA_SAMPLES):
                    send({"type": "response.output_audio.delta", **self._ids(),
                          "delta": common.b64(pcm[i:i + DELTA_SAMPLES].tobytes())})
            elif ev.type == "stats":
                self.stats = ev.stats or {}
            elif ev.type == "error":
                self.error = {"type": "server_error", "code": "engine_error", "message": ev.text or "the engine failed"}
            elif ev.type == "turn_done":
                if ev.reason == "completed":
                    self.status = "completed"
                elif ev.reason == "failed" or self.error:
                    self.status = "failed"
                    self.error = self.error or {"type": "server_error", "code": "engine_error",
                                                "message": "the engine failed"}
                else:
                    self.status = "cancelled"
                return

    def fail(self, code: str, message: str) -> None:
        self.status, self.error = "failed", {"type": "invalid_request_error", "code": code, "message": message}

    def finish(self) -> None:
        send = self.s.sock.send
        if self.status == "in_progress":
            self.status = "cancelled"
        if self.item_open:
            final = "completed" if self.status == "completed" else "incomplete"
            if self.modality == "audio":
                send({"type": "response.output_audio.done", **self._ids()})
                send({"type": "response.output_audio_transcript.done", **self._ids(), "transcript": self.text})
                part = {"type": "audio", "transcript": self.text}
            else:
                send({"type": "response.output_text.done", **self._ids(), "text": self.text})
                part = {"type": "text", "text": self.text}
            send({"type": "response.content_part.done", **self._ids(), "part": part})
            item = self.item(final)
            self.s.items.update(item)
            send({"type": "response.output_item.done", "response_id": self.id, "output_index": 0, "item": item})
            send({"type": "conversation.item.done", "previous_item_id": self.s.items.previous_id(self.item_id),
                  "item": item})
        send({"type": "response.done", "response": self.body(final=True)})
