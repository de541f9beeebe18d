"""Property-based tests of the server (Hypothesis): random and mutated input on every HTTP
endpoint and every WebSocket protocol, against a real sim server over real sockets.

Inputs: JSON of any shape (deep nesting, huge numbers, NaN and infinities, wrong types, odd
Unicode), valid messages with their fields replaced by such values, random bytes as bodies and
as binary frames, and random orders of valid messages (commit before audio, interrupt during
reset, session.update mid-turn, ...).

Invariants, checked after every example:
  * HTTP: never a 5xx; every 4xx carries the error envelope {"error": {"code", "message"}}.
  * WebSocket: the socket stays usable (a ping is answered after the storm) or is closed with a
    close code; every error event carries the envelope; a connection never just drops.
  * A normal turn works afterwards (a WAV in, a completed reply out).

Bounded for the suite (OMNI_PROPERTY_EXAMPLES examples per test, default 25; deadline off).
"""
from __future__ import annotations

import io
import json
import os
import time

import numpy as np
import pytest
import requests
import soundfile as sf
import websocket
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.testing import iter_ndjson, running_server, sim_config

EXAMPLES = int(os.environ.get("OMNI_PROPERTY_EXAMPLES", "25"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
                    suppress_health_check=list(HealthCheck))
JSON_TYPE = {"Content-Type": "application/json"}

# ---- input strategies -------------------------------------------------------------------------

# Text that parsers trip on: controls, NUL, lone combining marks, RTL, emoji, non-characters.
odd_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", "\x00", "\u202e", "\ufeff", "\U0001F600" * 3, "\uffff", "e\u0301" * 5, "\\u0000", "null", "NaN"])
numbers = (st.integers(min_value=-(10 ** 40), max_value=10 ** 40)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.sampled_from([0, -1, 2 ** 31, 2 ** 63, -(2 ** 63) - 1, 1e308, -0.0]))
scalars = st.none() | st.booleans() | numbers | odd_text
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(odd_text, inner, max_size=4), max_leaves=16)


def deep(depth: int, kind: str) -> str:
    return ("[" * depth + "]" * depth) if kind == "list" else ('{"a":' * depth + "1" + "}" * depth)


deeply_nested = st.builds(deep, st.sampled_from([64, 2000, 100_000]), st.sampled_from(["list", "dict"]))


def dumps(value) -> str:
    return json.dumps(value, allow_nan=True)  # NaN/Infinity on the wire, as careless clients send them


def mutated(valid: dict) -> st.SearchStrategy:
    """A valid message with some fields replaced by anything, some dropped, some added."""
    keys = list(valid)
    if not keys:
        return st.dictionaries(odd_text, json_values, max_size=3)
    return st.builds(
        lambda repl, drop, extra: {**{k: v for k, v in valid.items() if k not in drop}, **repl, **extra},
        st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys)),
        st.sets(st.sampled_from(keys), max_size=1),
        st.dictionaries(odd_text, json_values, max_size=2))


def wav_bytes(seconds: float = 0.5, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buf = io.BytesIO()
    sf.write(buf, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


WAV = wav_bytes()

# ---- the server and the invariants --------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    with running_server(sim_config(engine_extra={"reply_tokens": 12}, media_type="omni")) as s:
        yield s


def check_answer(r: requests.Response) -> None:
    assert r.status_code < 500, (r.status_code, r.text[:500])
    if r.status_code >= 400:
        err = r.json()["error"]
        assert isinstance(err["code"], str) and err["code"] and isinstance(err["message"], str), r.text


def wait_idle(server, timeout=20.0) -> dict:
    """The conversation is free again (a closed socket is released, a stream ended)."""
    deadline = time.monotonic() + timeout
    while True:
        h = requests.get(server.url + "/health", timeout=10).json()
        if not h["busy"] and not h["session"] and not h["loading"]:
            return h
        assert time.monotonic() < deadline, f"the server stayed busy: {h}"
        time.sleep(0.02)


def normal_turn(server) -> None:
    """Back to the defaults, then one ordinary turn over chunked HTTP."""
    wait_idle(server)
    r = requests.post(server.url + "/omni/init_sys_prompt", json={"mode": "simplex", "media_type": "omni",
                                                                  "language": "en", "voice": None}, timeout=30)
    assert r.status_code == 200, r.text
    r = requests.post(server.url + "/v1/chat", data=WAV, headers={"Content-Type": "audio/wav"}, stream=True,
                      timeout=30)
    assert r.status_code == 200, r.text
    events = list(iter_ndjson(r))
    assert events[-1]["type"] == "done" and events[-1]["reason"] == "completed", events[-3:]
    assert "".join(e.get("text", "") for e in events if e["type"] == "text")


# ---- HTTP -------------------------------------------------------------------------------------

JSON_ENDPOINTS = ["/omni/init_sys_prompt", "/omni/streaming_prefill", "/omni/streaming_generate", "/omni/reset",
                  "/omni/stop", "/omni/break", "/v1/chat/completions"]
VALID_BODIES = {
    "/omni/init_sys_prompt": {"mode": "simplex", "media_type": "omni", "language": "en", "voice": None},
    "/omni/streaming_prefill": {"audio": __import__("base64").b64encode(WAV).decode(), "index": 1},
    "/omni/streaming_generate": {},
    "/omni/reset": {}, "/omni/stop": {}, "/omni/break": {},
    "/v1/chat/completions": {"model": "m", "modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"},
                             "stream": False, "messages": [{"role": "user", "content": [
                                 {"type": "input_audio", "input_audio": {
                                     "data": __import__("base64").b64encode(WAV).decode(), "format": "wav"}}]}]},
}


def post(server, path: str, **kw) -> requests.Response:
    r = requests.post(server.url + path, timeout=30, stream=True, **kw)
    r.content  # a streamed turn is read to its end, so the engine is free for the next request
    return r


@PROPERTY
@given(path=st.sampled_from(JSON_ENDPOINTS), body=st.data())
def test_http_json_of_any_shape(server, path, body):
    payload = body.draw(st.one_of(json_values.map(dumps), mutated(VALID_BODIES[path]).map(dumps), deeply_nested))
    check_answer(post(server, path, data=payload.encode("utf-8", "surrogatepass"), headers=JSON_TYPE))
    normal_turn(server)


@PROPERTY
@given(path=st.sampled_from(JSON_ENDPOINTS + ["/v1/chat", "/omni/session"]), raw=st.binary(max_size=2048),
       ctype=st.sampled_from(["application/json", "audio/wav", "text/plain", "", "multipart/form-data",
                              "application/json; charset=latin-1"]))
def test_http_random_bytes(server, path, raw, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    method = requests.delete if path == "/omni/session" else None
    if method:
        r = method(server.url + path, data=raw, headers=headers, timeout=30)
    else:
        r = post(server, path, data=raw, headers=headers)
    check_answer(r)
    normal_turn(server)


@PROPERTY
@given(cut=st.integers(min_value=0, max_value=len(WAV)), flips=st.lists(st.integers(0, len(WAV) - 1), max_size=8),
       accept=st.sampled_from(["application/x-ndjson", "audio/wav", "*/*", "text/event-stream"]))
def test_http_mutated_audio(server, cut, flips, accept):
    data = bytearray(WAV[:cut])
    for i in flips:
        if i < len(data):
            data[i] ^= 0xFF
    check_answer(post(server, "/v1/chat", data=bytes(data), headers={"Content-Type": "audio/wav", "Accept": accept}))
    normal_turn(server)


# ---- WebSocket: omni's own protocol (/omni/realtime, protocol 2) ------------------------------

def mic(pcm: np.ndarray) -> bytes:
    return b"\x01\0\0\0" + pcm.astype("<i2").tobytes()


SPEECH = (8000 * np.sin(2 * np.pi * 180 * np.arange(16000) / 16000)).astype(np.int16)
VALID_WS = [{"type": "commit"}, {"type": "generate"}, {"type": "interrupt", "played_ms": 120},
            {"type": "reset"}, {"type": "ping", "t": 1},
            {"type": "session.update", "session": {"language": "zh"}},
            {"type": "session.update", "session": {"mode": "duplex"}},
            {"type": "session.update", "session": {"media_type": "audio"}},
            {"type": "image", "image": ""}]
ws_actions = st.one_of(
    st.sampled_from(VALID_WS).map(lambda m: ("text", dumps(m))),
    st.sampled_from(VALID_WS).flatmap(mutated).map(lambda m: ("text", dumps(m))),
    json_values.map(lambda v: ("text", dumps(v))),
    deeply_nested.map(lambda s: ("text", s)),
    odd_text.map(lambda s: ("text", s)),
    st.binary(max_size=600).map(lambda b: ("binary", b)),
    st.tuples(st.integers(0, 255), st.binary(max_size=64)).map(lambda kb: ("binary", bytes([kb[0]]) + kb[1])),
    st.integers(1, 16000).map(lambda n: ("binary", mic(SPEECH[:n]))),
)


def ws_connect(server, path: str):
    ws = websocket.create_connection(server.url.replace("http", "ws") + path, timeout=15)
    first = json.loads(ws.recv())
    assert first["type"] == "session", first
    return ws


def check_ws_frame(op: int, data) -> dict | None:
    """An error event carries the envelope; returns the JSON of a text frame."""
    if op != websocket.ABNF.OPCODE_TEXT:
        return None
    msg = json.loads(data)
    if msg.get("type") == "error":
        assert msg["error"]["code"] and msg["error"]["message"], msg
    return msg


def sync(ws) -> bool:
    """Ping after the storm: True once the pong comes (the socket works), False when the server
    closed the socket with a close code. A drop without a close frame fails the test."""
    ws.send(json.dumps({"type": "ping", "t": "sync"}))
    while True:
        try:
            op, data = ws.recv_data(control_frame=True)
        except websocket.WebSocketConnectionClosedException:
            raise AssertionError("the server dropped the connection without a close frame")
        if op == websocket.ABNF.OPCODE_CLOSE:
            code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
            assert code is not None and code != 1006, f"closed without a close code: {data!r}"
            return False
        msg = check_ws_frame(op, data)
        if msg and msg.get("type") == "pong" and msg.get("t") == "sync":
            return True


def ws_normal_turn(ws) -> None:
    """The socket still holds a working conversation: stop what runs, then talk."""
    ws.send(json.dumps({"type": "session.update", "session": {"mode": "simplex", "media_type": "omni",
                                                              "language": "en", "voice": None}}))
    ws.send(json.dumps({"type": "interrupt"}))
    assert sync(ws)
    for i in range(0, len(SPEECH), 1600):
        ws.send_binary(mic(SPEECH[i:i + 1600]))
    ws.send(json.dumps({"type": "commit"}))
    committed, done = None, None
    while done is None:
        op, data = ws.recv_data()
        msg = check_ws_frame(op, data)
        if not msg:
            continue
        if msg["type"] == "committed":
            committed = msg["turn_id"]
        elif msg["type"] == "done" and committed is not None and msg["turn_id"] == committed:
            done = msg
    assert done["reason"] == "completed", done


@PROPERTY
@given(actions=st.lists(ws_actions, min_size=1, max_size=12))
def test_omni_realtime_random_messages_and_orders(server, actions):
    wait_idle(server)
    ws = ws_connect(server, "/omni/realtime")
    try:
        for kind, payload in actions:
            if kind == "text":
                ws.send(payload)
            else:
                ws.send_binary(payload)
        if sync(ws):
            ws_normal_turn(ws)
    finally:
        ws.close()
    normal_turn(server)


# ---- WebSocket: the OpenAI Realtime API (/v1/realtime) ----------------------------------------

PCM24 = __import__("base64").b64encode(np.repeat(SPEECH, 3)[:24000].astype("<i2").tobytes()).decode()
VALID_REALTIME = [{"type": "input_audio_buffer.append", "audio": PCM24}, {"type": "input_audio_buffer.commit"},
                  {"type": "input_audio_buffer.clear"}, {"type": "response.create"}, {"type": "response.cancel"},
                  {"type": "session.update", "session": {"type": "realtime", "audio": {"input": {
                      "turn_detection": {"type": "server_vad", "silence_duration_ms": 200}}}}},
                  {"type": "conversation.item.create", "item": {"type": "message", "role": "user", "content": [
                      {"type": "input_audio", "audio": PCM24}, {"type": "input_text", "text": "hi"}]}},
                  {"type": "conversation.item.truncate", "item_id": "item_x", "content_index": 0,
                   "audio_end_ms": 100},
                  {"type": "conversation.item.delete", "item_id": "item_x"}]
realtime_actions = st.one_of(
    st.sampled_from(VALID_REALTIME).map(dumps),
    st.sampled_from(VALID_REALTIME).flatmap(mutated).map(dumps),
    json_values.map(dumps),
    deeply_nested,
    odd_text,
)


def realtime_sync(ws) -> None:
    """A session.update after the storm is answered with session.updated (the socket works);
    every error on the way has OpenAI's shape."""
    ws.send(json.dumps({"type": "session.update", "session": {"type": "realtime", "instructions": "sync"}}))
    while True:
        op, data = ws.recv_data(control_frame=True)
        assert op != websocket.ABNF.OPCODE_CLOSE, f"the Realtime session closed: {data!r}"
        if op != websocket.ABNF.OPCODE_TEXT:
            continue
        ev = json.loads(data)
        assert isinstance(ev.get("event_id"), str) and ev["event_id"], ev
        if ev["type"] == "error":
            assert ev["error"]["code"] and ev["error"]["message"] and ev["error"]["type"], ev
        if ev["type"] == "session.updated" and ev["session"]["instructions"] == "sync":
            return


@PROPERTY
@given(actions=st.lists(realtime_actions, min_size=1, max_size=10))
def test_openai_realtime_random_events(server, actions):
    wait_idle(server)
    ws = websocket.create_connection(server.url.replace("http", "ws") + "/v1/realtime", timeout=15)
    try:
        assert json.loads(ws.recv())["type"] == "session.created"
        for payload in actions:
            ws.send(payload)
        realtime_sync(ws)
    finally:
        ws.close()
    normal_turn(server)
