"""An engine that aborts costs a restart and an error event, not the server (isolate=process).

The sim engine's test hook crash_at_token aborts its process mid-turn, as a GGML_ASSERT inside
libomni would. Through omni_py the turn ends with an ERROR event and TURN_DONE (failed), the
engine process is replaced, and the next turn completes; through the server the client sees the
same error in its own protocol, the socket stays open, and /health keeps answering.
tests/c/test_isolation.c covers the C ABI (kill -9, restart limits, pull mode, destroy).
"""
from __future__ import annotations

import json
import time

import requests
import websocket

import omni_py
from webapp.testing import iter_ndjson, running_server, sim_config

CHAT = {"Content-Type": "audio/wav"}


def wait_restarted(info, old_pid, timeout=30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        iso = info()["isolation"]
        if iso["state"] == "running" and iso["pid"] != old_pid:
            return iso
        assert time.monotonic() < deadline, iso
        time.sleep(0.01)


def test_a_crash_fails_the_turn_and_the_engine_restarts(speech_wav):
    with omni_py.Engine("sim", isolate="process", crash_at_token=4, reply_tokens=30) as eng:
        pid = eng.info["isolation"]["pid"]
        eng.prefill(audio=speech_wav)
        events = list(eng.generate().events(timeout=30))
        errors = [e for e in events if e.type == "error"]
        assert len(errors) == 1 and "signal 6" in errors[0].text and "restarts" in errors[0].text, errors
        assert events[-1].type == "turn_done" and events[-1].reason == "failed"
        iso = wait_restarted(lambda: eng.info, pid)
        assert iso["restarts"] == 1 and "signal 6" in iso["last_exit"]
        eng.set_option("crash_at_token", -1)
        eng.prefill(audio=speech_wav)
        events = list(eng.generate().events(timeout=30))
        assert events[-1].reason == "completed" and "".join(e.text for e in events if e.type == "text")


def test_the_server_survives_an_engine_that_aborts(speech_wav):
    config = sim_config(engine_extra={"isolate": "process", "crash_at_token": 4, "reply_tokens": 30})
    with running_server(config) as s:
        for attempt in range(2):  # the hook stays on: the restarted engine aborts again
            r = requests.post(s.url + "/v1/chat", data=speech_wav, headers=CHAT, stream=True, timeout=60)
            assert r.status_code == 200, r.text
            events = list(iter_ndjson(r))
            errors = [e for e in events if e["type"] == "error"]
            assert errors and "engine process" in errors[0]["error"]["message"], events[-3:]
            assert events[-1]["type"] == "done" and events[-1]["reason"] == "failed"
            health = requests.get(s.url + "/health", timeout=10)
            assert health.status_code in (200, 503), health.text
            deadline = time.monotonic() + 30
            while requests.get(s.url + "/health", timeout=10).json()["state"] != "idle":
                assert time.monotonic() < deadline, "the engine did not come back"
                time.sleep(0.02)
        ws = websocket.create_connection(s.url.replace("http", "ws") + "/omni/realtime", timeout=30)
        assert json.loads(ws.recv())["type"] == "session"
        ws.send_binary(b"\x01\0\0\0" + b"\x10\x00" * 16000)
        ws.send(json.dumps({"type": "commit"}))
        seen = []
        while not seen or seen[-1] != "done":
            op, data = ws.recv_data()
            if op == websocket.ABNF.OPCODE_TEXT:
                seen.append(json.loads(data)["type"])
        assert "error" in seen, seen
        ws.send(json.dumps({"type": "ping", "t": 7}))  # the socket is still open and served
        while True:
            msg = json.loads(ws.recv())
            if msg["type"] == "pong":
                assert msg["t"] == 7
                break
        ws.close()
