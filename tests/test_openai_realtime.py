"""/v1/realtime (OpenAI Realtime API, GA) through the official `openai` package, against a real
server on the sim engine: manual turn, cancel, truncate, server VAD, barge-in, busy, errors,
and every server event checked by pipecat's own parser."""
from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp.openai.common import resample  # noqa: E402
from webapp.testing import running_server, sim_config  # noqa: E402

openai = pytest.importorskip("openai", reason="the openai package is not installed (pip install -e '.[test]')")

_q, _rate = sf.read(str(ROOT / "tests/data/question_en.wav"), dtype="int16")
QUESTION = resample(_q, _rate, 24000)  # 4 s of espeak speech at the API's 24 kHz
SILENCE = np.zeros(24000, np.int16)
RECORDED: list[str] = []  # every raw server event of this module, for the pipecat check


class Conn:
    """An SDK realtime connection with bounded waits and a record of the raw events."""

    def __init__(self, client, **kw):
        self.cm = client.realtime.connect(model="gpt-realtime", **kw)
        self.conn = self.cm.__enter__()
        self.events: list[dict] = []

    def recv(self, timeout: float = 20):
        # the SDK's recv() waits forever; its websocket connection takes a timeout
        raw = self.conn._connection.recv(timeout=timeout)
        RECORDED.append(raw if isinstance(raw, str) else raw.decode())
        ev = json.loads(raw)
        self.events.append(ev)
        return self.conn.parse_event(raw)

    def until(self, kind: str, timeout: float = 20) -> list:
        out = []
        while True:
            ev = self.recv(timeout)
            out.append(ev)
            if ev.type == kind:
                return out

    def append(self, pcm: np.ndarray, chunk: int = 2400) -> None:
        for i in range(0, len(pcm), chunk):
            self.conn.input_audio_buffer.append(audio=base64.b64encode(pcm[i:i + chunk].tobytes()).decode())

    def close(self):
        self.cm.__exit__(None, None, None)


def manual(c: Conn) -> None:
    assert c.recv().type == "session.created"
    c.conn.session.update(session={"type": "realtime", "audio": {"input": {"turn_detection": None}}})
    ev = c.recv()
    assert ev.type == "session.updated" and ev.session.audio.input.turn_detection is None


def transcript(events) -> str:
    return "".join(e.delta for e in events if e.type == "response.output_audio_transcript.delta")


def audio_bytes(events) -> bytes:
    return b"".join(base64.b64decode(e.delta) for e in events if e.type == "response.output_audio.delta")


@pytest.fixture(scope="module")
def server():
    with running_server(sim_config(engine_extra={"reply_tokens": 30})) as s:
        yield s


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)


@pytest.fixture
def slow_client():
    with running_server(sim_config(engine_extra={"reply_tokens": 400, "llm_ms_per_token": 10})) as s:
        yield openai.OpenAI(base_url=s.url + "/v1", api_key="unused", max_retries=0)


def test_manual_turn_full_lifecycle(client):
    c = Conn(client)
    try:
        first = c.recv()
        assert first.type == "session.created" and first.session.audio.output.format.rate == 24000
        assert first.session.audio.input.turn_detection.type == "server_vad"  # OpenAI's default
        c.conn.session.update(session={"type": "realtime", "audio": {"input": {"turn_detection": None},
                                                                     "output": {"voice": "cedar"}}})
        upd = c.recv()
        assert upd.type == "session.updated" and upd.session.audio.input.turn_detection is None
        assert upd.session.audio.output.voice == "cedar" and upd.session.output_modalities == ["audio"]
        c.append(QUESTION)
        c.conn.input_audio_buffer.commit()
        committed, added, done = c.recv(), c.recv(), c.recv()
        assert [committed.type, added.type, done.type] == ["input_audio_buffer.committed", "conversation.item.added",
                                                           "conversation.item.done"]
        assert committed.item_id == added.item.id and added.item.role == "user"
        assert added.item.content[0].type == "input_audio"
        c.conn.response.create(response={"metadata": {"client_event_id": "abc"}})
        events = c.until("response.done")
        kinds = [e.type for e in events]
        head = ["response.created", "response.output_item.added", "conversation.item.added",
                "response.content_part.added"]
        tail = ["response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
                "response.output_item.done", "conversation.item.done", "response.done"]
        assert kinds[:4] == head and kinds[-6:] == tail, kinds
        assert set(kinds[4:-6]) == {"response.output_audio_transcript.delta", "response.output_audio.delta"}
        assert kinds.index("response.output_audio_transcript.delta") < kinds.index("response.output_audio.delta")
        created, final = events[0].response, events[-1].response
        assert created.status == "in_progress" and created.metadata == {"client_event_id": "abc"}
        assert final.id == created.id and final.status == "completed" and final.metadata == {"client_event_id": "abc"}
        text = transcript(events)
        assert text.startswith("Turn 1. I heard 4.0 seconds of audio.")
        pcm = np.frombuffer(audio_bytes(events), "<i2")
        assert len(pcm) > 24000 and np.abs(pcm).max() > 1000
        assert final.usage.output_token_details.audio_tokens == round(len(pcm) / 960)
        assert final.usage.input_token_details.audio_tokens == 40  # 4 s of audio, 10 tokens/s
        assert final.output[0].content[0].transcript == text and final.output[0].status == "completed"
        item_id = events[1].item.id
        assert all(getattr(e, "item_id", item_id) == item_id for e in events[3:-1])
        assert events[2].previous_item_id == committed.item_id  # the chain clients insert by
        ids = [e["event_id"] for e in c.events]
        assert len(ids) == len(set(ids)) and all(i.startswith("event_") for i in ids)
    finally:
        c.close()


def test_cancel_ends_with_one_cancelled_response_done(slow_client):
    c = Conn(slow_client)
    try:
        manual(c)
        c.append(QUESTION[:24000])
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        c.until("response.output_audio_transcript.delta")
        c.conn.response.cancel()
        events = c.until("response.done")
        done = events[-1].response
        assert done.status == "cancelled" and done.status_details.reason == "client_cancelled"
        assert done.usage is not None and done.output[0].status == "incomplete"
        assert "response.output_item.done" in [e.type for e in events]
        c.conn.send({"type": "response.cancel", "event_id": "evt_cancel_2"})
        err = c.recv()
        assert err.type == "error" and err.error.code == "response_cancel_not_active"
        assert err.error.message.startswith("Cancellation failed") and err.error.event_id == "evt_cancel_2"
        # the session goes on: the next response answers new audio
        c.append(QUESTION[:24000])
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        c.until("response.output_audio.delta")
        c.conn.response.create()
        err = c.until("error")[-1]
        assert err.error.code == "conversation_already_has_active_response"
        c.conn.response.cancel()
        assert c.until("response.done")[-1].response.status == "cancelled"
        assert [e["type"] for e in c.events].count("response.done") == 2
    finally:
        c.close()


def test_truncate_clamps_and_cuts_the_transcript(client):
    c = Conn(client)
    try:
        manual(c)
        c.append(QUESTION)
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        events = c.until("response.done")
        item_id = events[-1].response.output[0].id
        total_ms = len(audio_bytes(events)) // 48
        c.conn.conversation.item.truncate(item_id=item_id, content_index=0, audio_end_ms=total_ms + 5000)
        ev = c.recv()
        assert ev.type == "conversation.item.truncated" and ev.audio_end_ms == total_ms  # clamped, not refused
        c.conn.conversation.item.truncate(item_id="item_nope", content_index=0, audio_end_ms=10)
        err = c.recv()
        assert err.type == "error" and err.error.code == "item_not_found" and err.error.param == "item_id"
        # the user heard 1 s: the first TTS chunk (10 words, 80 speech tokens = 3.2 s) cut in proportion
        first_chunk = next(e.delta for e in events if e.type == "response.output_audio_transcript.delta")
        c.conn.conversation.item.truncate(item_id=item_id, content_index=0, audio_end_ms=1000)
        assert c.recv().type == "conversation.item.truncated"
        c.conn.conversation.item.retrieve(item_id=item_id)
        heard = c.recv().item.content[0].transcript
        assert heard == first_chunk[:round(len(first_chunk) * 1000 / 3200)], (heard, first_chunk)
        # the model's context no longer holds the rest: the sim's next reply says what it remembers
        c.append(QUESTION)
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        text = transcript(c.until("response.done"))
        assert text.startswith(f"Turn 2. I heard 4.0 seconds of audio. I remember {len(heard)} characters"), text
    finally:
        c.close()


def test_server_vad_turn_from_speech_then_silence(client):
    c = Conn(client)
    try:
        assert c.recv().type == "session.created"  # server_vad with create_response is the default
        c.append(np.concatenate([SILENCE, QUESTION, SILENCE, SILENCE]))
        events = c.until("response.done", timeout=30)
        kinds = [e.type for e in events]
        assert kinds[:5] == ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
                             "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done"]
        started, stopped, committed = events[:3]
        assert started.item_id == stopped.item_id == committed.item_id == events[3].item.id
        assert 600 <= started.audio_start_ms < 1300 and 4000 < stopped.audio_end_ms < 5600
        assert events[-1].response.status == "completed"
        heard = float(transcript(events).split("I heard ")[1].split(" seconds")[0])
        assert abs(heard - (stopped.audio_end_ms - started.audio_start_ms) / 1000) <= 0.1
    finally:
        c.close()


def test_barge_in_cancels_the_response_with_turn_detected(slow_client):
    c = Conn(slow_client)
    try:
        assert c.recv().type == "session.created"
        c.append(np.concatenate([SILENCE, QUESTION, SILENCE]))
        c.until("response.output_audio.delta", timeout=30)
        c.append(QUESTION[:48000])  # the user talks over the reply
        events = c.until("response.done")
        kinds = [e.type for e in events]
        assert "input_audio_buffer.speech_started" in kinds
        assert kinds.index("input_audio_buffer.speech_started") < kinds.index("response.done")
        done = events[-1].response
        assert done.status == "cancelled" and done.status_details.reason == "turn_detected"
    finally:
        c.close()


def test_semantic_vad_is_accepted(client):
    c = Conn(client)
    try:
        c.recv()
        c.conn.session.update(session={"type": "realtime", "audio": {"input": {"turn_detection": {
            "type": "semantic_vad", "eagerness": "high"}}}})
        upd = c.recv()
        assert upd.type == "session.updated" and upd.session.audio.input.turn_detection.type == "semantic_vad"
        c.append(np.concatenate([QUESTION, SILENCE]))
        assert c.until("response.done", timeout=30)[-1].response.status == "completed"
    finally:
        c.close()


def test_unsupported_features_say_so_and_the_rest_applies(client):
    c = Conn(client)
    try:
        manual(c)
        c.conn.send({"type": "session.update", "event_id": "evt_1", "session": {
            "type": "realtime", "output_modalities": ["text"],
            "tools": [{"type": "function", "name": "f", "parameters": {}}],
            "audio": {"input": {"transcription": {"model": "whisper-1"}}}}})
        errs = [c.recv(), c.recv()]
        upd = c.recv()
        assert [e.error.param for e in errs] == ["session.tools", "session.audio.input.transcription"]
        assert all(e.error.code == "unsupported_parameter" and e.error.event_id == "evt_1" for e in errs)
        assert "function calling is not supported" in errs[0].error.message
        assert "transcription of user audio is not supported" in errs[1].error.message
        assert upd.type == "session.updated" and upd.session.output_modalities == ["text"]
        assert upd.session.tools == [] and upd.session.audio.input.transcription is None
        c.conn.send({"type": "conversation.item.create", "item": {"type": "function_call_output", "call_id": "c",
                                                                  "output": "{}"}})
        assert c.recv().error.param == "item.type"
        # text output: the words arrive as output_text
        c.append(QUESTION[:24000])
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        events = c.until("response.done")
        assert "response.output_audio.delta" not in [e.type for e in events]
        text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        assert text.startswith("Turn 1. I heard 1.0 seconds") and events[-1].response.output_modalities == ["text"]
    finally:
        c.close()


def test_items_text_audio_and_errors(client):
    c = Conn(client)
    try:
        manual(c)
        c.conn.conversation.item.create(item={"id": "item_client_1", "type": "message", "role": "user",
                                              "content": [{"type": "input_text", "text": "hello"}]})
        added = c.recv()
        assert added.type == "conversation.item.added" and added.item.id == "item_client_1"  # the client's id
        assert c.recv().type == "conversation.item.done"
        c.conn.response.create()
        failed = c.until("response.done")[-1].response
        assert failed.status == "failed" and "text items are kept but not heard" in failed.status_details.error.message
        pcm = base64.b64encode(QUESTION[:48000].tobytes()).decode()
        c.conn.conversation.item.create(item={"id": "item_client_2", "type": "message", "role": "user",
                                              "content": [{"type": "input_audio", "audio": pcm}]},
                                        previous_item_id="item_client_1")
        added = c.recv()
        assert added.item.id == "item_client_2" and added.previous_item_id == "item_client_1"
        c.recv()
        c.conn.response.create()
        events = c.until("response.done")
        assert transcript(events).startswith("Turn 1. I heard 2.0 seconds")
        c.conn.conversation.item.delete(item_id="item_client_1")
        assert c.recv().type == "conversation.item.deleted"
        for bad, code in [("not json", "invalid_json"),
                          (json.dumps({"type": "nope.nope", "event_id": "e1"}), "invalid_event"),
                          (json.dumps({"type": "input_audio_buffer.append", "audio": "%%%", "event_id": "e2"}),
                           "bad_base64"),
                          (json.dumps({"type": "input_audio_buffer.commit", "event_id": "e3"}),
                           "input_audio_buffer_commit_empty"),
                          (json.dumps({"type": "conversation.item.truncate", "item_id": "x", "event_id": "e4"}),
                           "missing_required_parameter")]:
            c.conn.send_raw(bad)
            err = c.recv()
            assert err.type == "error" and err.error.code == code, (bad, err)
        assert err.error.event_id == "e4" and err.error.param == "audio_end_ms"
    finally:
        c.close()


def test_image_items_are_seen_with_the_audio(image_jpg):
    """conversation.item.create with an input_image part (a data URI, as a video call's frame
    would be sent) reaches the engine with the next response; the sim says what it saw."""
    data_uri = "data:image/jpeg;base64," + base64.b64encode(image_jpg).decode()
    with running_server(sim_config(media_type="omni", engine_extra={"reply_tokens": 30})) as s:
        c = Conn(openai.OpenAI(base_url=s.url + "/v1", api_key="unused", max_retries=0))
        try:
            manual(c)
            pcm = base64.b64encode(QUESTION[:48000].tobytes()).decode()
            c.conn.conversation.item.create(item={"type": "message", "role": "user", "content": [
                {"type": "input_image", "image_url": data_uri}, {"type": "input_audio", "audio": pcm},
                {"type": "input_text", "text": "what do you see?"}]})
            added = c.recv()
            assert added.type == "conversation.item.added"
            assert [p.type for p in added.item.content] == ["input_image", "input_audio", "input_text"]
            assert c.recv().type == "conversation.item.done"
            c.conn.response.create()
            events = c.until("response.done")
            assert events[-1].response.status == "completed"
            assert transcript(events).startswith("Turn 1. I heard 2.0 seconds of audio and saw a 960 by 540 image")
            assert events[-1].response.usage.input_token_details.image_tokens == 64
            c.conn.conversation.item.create(item={"type": "message", "role": "user", "content": [
                {"type": "input_image", "image_url": "https://example.com/cat.jpg"}]})
            err = c.recv()
            assert err.type == "error" and err.error.code == "unsupported_image_url", err
        finally:
            c.close()


def test_second_connection_gets_error_then_1013_and_subprotocol(server, client):
    url = server.url.replace("http", "ws") + "/v1/realtime?model=gpt-realtime"
    first = websocket.create_connection(url, timeout=10, subprotocols=["realtime", "openai-insecure-api-key.k"])
    try:
        assert first.getsubprotocol() == "realtime"  # a browser aborts unless the server picks it
        assert json.loads(first.recv())["type"] == "session.created"
        second = websocket.create_connection(url, timeout=10)
        err = json.loads(second.recv())
        assert err["type"] == "error" and err["error"]["code"] == "session_busy" and err["event_id"]
        op, data = second.recv_data(control_frame=True)
        assert op == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(data[:2], "big") == 1013  # try again later
    finally:
        first.close()


def test_pipecat_accepts_every_server_event():
    try:
        from pipecat.services.openai.realtime.events import parse_server_event
    except ImportError as e:
        print(f"pipecat is not installed ({e}); install the test extra to run this check")
        pytest.skip("pipecat-ai is not installed")
    if len(RECORDED) < 100:  # run alone: record the sessions here
        with running_server(sim_config(engine_extra={"reply_tokens": 30})) as s:
            c = openai.OpenAI(base_url=s.url + "/v1", api_key="unused", max_retries=0)
            for session in (test_manual_turn_full_lifecycle, test_truncate_clamps_and_cuts_the_transcript,
                            test_server_vad_turn_from_speech_then_silence, test_items_text_audio_and_errors,
                            test_unsupported_features_say_so_and_the_rest_applies):
                session(c)
    kinds = set()
    for raw in RECORDED:
        ev = parse_server_event(raw)  # raises on a field pipecat's models reject
        assert ev is not None, f"pipecat has no model for {json.loads(raw)['type']}: it would drop it"
        kinds.add(ev.type)
    assert {"session.created", "session.updated", "response.done", "response.output_audio.delta", "error",
            "input_audio_buffer.speech_started", "conversation.item.truncated"} <= kinds


def test_token_from_the_sdk_key_or_the_browser_subprotocol():
    with running_server(sim_config(token="s3cret")) as s:
        ok = openai.OpenAI(base_url=s.url + "/v1", api_key="s3cret", max_retries=0)
        assert ok.models.list().data[0].id == "minicpm-o-4.5"
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=s.url + "/v1", api_key="wrong", max_retries=0).models.list()
        url = s.url.replace("http", "ws") + "/v1/realtime"
        ws = websocket.create_connection(url, timeout=10, subprotocols=["realtime", "openai-insecure-api-key.s3cret"])
        assert ws.getsubprotocol() == "realtime" and json.loads(ws.recv())["type"] == "session.created"
        ws.close()
        with pytest.raises(websocket.WebSocketBadStatusException) as e:
            websocket.create_connection(url, timeout=10, subprotocols=["realtime", "openai-insecure-api-key.nope"])
        assert e.value.status_code == 401
