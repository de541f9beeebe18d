"""What a load balancer relies on (webapp/lifecycle.py, webapp/rest_sessions.py), on one
server: /health says idle, busy, draining or failed with a status code; every answer names
its backend; a drain lets the running turn finish, refuses new conversations, then stops;
X-Omni-Session holds a REST conversation between its requests; --one-shot-chat."""
import base64
import json
import signal
import threading

import pytest
import requests
import websocket

from deploy_cluster import REALTIME_PATH, ROOT, Backend
from webapp.testing import iter_ndjson, iter_sse, running_server, sim_config

WAV = (ROOT / "tests/data/speech_en.wav").read_bytes()
CHAT = {"Content-Type": "audio/wav"}
SLOW = {"llm_ms_per_token": 20, "reply_tokens": 60}  # a turn of ~1.2 s


def ws_url(server) -> str:
    return server.url.replace("http", "ws", 1) + REALTIME_PATH


def drain(server) -> threading.Event:
    stopped = threading.Event()
    server.app.extensions["omni.lifecycle"].drain(stopped.set)
    return stopped


def test_health_says_idle_busy_and_names_the_backend():
    with running_server(sim_config(engine_extra=SLOW, backend_id="gpu-0")) as s:
        r = requests.get(s.url + "/health")
        h = r.json()
        assert r.status_code == 200 and h["state"] == "idle" and h["available"] is True and h["draining"] is False
        assert h["backend"] == "gpu-0" and r.headers["X-Omni-Backend"] == "gpu-0"
        turn = requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT, stream=True)
        assert turn.headers["X-Omni-Backend"] == "gpu-0"
        events = iter_ndjson(turn)
        next(events)
        r = requests.get(s.url + "/health")
        assert r.status_code == 200 and r.json()["state"] == "busy" and r.json()["available"] is False
        assert [e for e in events][-1]["reason"] == "completed"
        assert requests.get(s.url + "/health").json()["state"] == "idle"
    with running_server(sim_config()) as s:  # by default the backend is named host:port
        assert requests.get(s.url + "/health").json()["backend"].endswith(f":{s.port}")


def test_health_is_503_failed_when_the_engine_cannot_load():
    with running_server(sim_config(engine_extra={"reply_tokens": 0})) as s:  # not a valid option value
        r = requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT)
        assert r.status_code >= 400
        r = requests.get(s.url + "/health")
        assert r.status_code == 503 and r.json()["state"] == "failed" and r.json()["last_error"], r.text


def test_drain_finishes_the_running_turn_refuses_new_conversations_then_stops():
    with running_server(sim_config(engine_extra=SLOW)) as s:
        turn = requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT, stream=True)
        events = iter_ndjson(turn)
        next(events)
        stopped = drain(s)
        r = requests.get(s.url + "/health")
        assert r.status_code == 503 and r.json()["state"] == "draining"
        for path, kw in (("/v1/chat", {"data": WAV, "headers": CHAT}), ("/omni/init_sys_prompt", {"json": {}})):
            r = requests.post(s.url + path, **kw)
            assert r.status_code == 503 and r.json()["error"]["code"] == "draining", (path, r.text)
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url(s), timeout=5)
        assert refused.value.status_code == 503
        assert not stopped.is_set()  # the turn still runs
        assert list(events)[-1]["reason"] == "completed"
        assert stopped.wait(5)


def test_drain_closes_an_idle_websocket_with_going_away():
    with running_server(sim_config()) as s:
        ws = websocket.create_connection(ws_url(s), timeout=5)
        assert json.loads(ws.recv())["type"] == "session"
        stopped = drain(s)
        op, frame = ws.recv_data(control_frame=True)
        assert op == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(frame[:2], "big") == 1001 and json.loads(frame[2:])["code"] == "draining"
        assert stopped.wait(5)


def test_drain_timeout_stops_a_turn_that_runs_too_long():
    with running_server(sim_config(engine_extra={"llm_ms_per_token": 20, "reply_tokens": 1000},
                                   drain_timeout_s=0.3)) as s:
        turn = requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT, stream=True)
        events = iter_ndjson(turn)
        next(events)
        stopped = drain(s)
        done = list(events)[-1]
        assert done["reason"] == "interrupted" and done["interrupted_by"] == "drain"
        assert stopped.wait(5)


def rest(url, path, session=None, **kw):
    return requests.post(url + path, headers={"X-Omni-Session": session} if session else {}, **kw)


def test_rest_session_holds_the_conversation_between_its_requests():
    audio = {"audio": base64.b64encode(WAV).decode()}
    with running_server(sim_config()) as s:
        assert rest(s.url, "/omni/init_sys_prompt", "alice", json={}).status_code == 200
        # Nobody else gets in between alice's requests; 503 so that a balancer tries another backend.
        for r in (requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT),
                  rest(s.url, "/omni/init_sys_prompt", "bob", json={}),
                  rest(s.url, "/omni/streaming_prefill", None, json=audio),
                  rest(s.url, "/omni/stop")):
            assert r.status_code == 503 and r.json()["error"]["code"] == "held", r.text
        with pytest.raises(websocket.WebSocketBadStatusException):
            websocket.create_connection(ws_url(s), timeout=5)
        assert requests.get(s.url + "/health").json()["state"] == "busy"
        assert rest(s.url, "/omni/streaming_prefill", "alice", json=audio).status_code == 200
        events = list(iter_sse(rest(s.url, "/omni/streaming_generate", "alice", stream=True)))
        assert events[-1][1]["reason"] == "completed"
        assert rest(s.url, "/omni/streaming_prefill", "alice", json=audio).status_code == 200
        # Ending the session frees the server at once, and drops what alice left prefilled.
        r = requests.delete(s.url + "/omni/session", headers={"X-Omni-Session": "alice"})
        assert r.json() == {"success": True, "ended": True}
        assert requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT).status_code == 200
        # A session this server does not hold is an error, not someone else's conversation.
        r = rest(s.url, "/omni/streaming_generate", "alice")
        assert r.status_code == 409 and r.json()["error"]["code"] == "session_expired"
        r = rest(s.url, "/omni/init_sys_prompt", "no spaces allowed", json={})
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_session"
        assert requests.delete(s.url + "/omni/session").status_code == 400


def test_rest_session_lapses_when_idle():
    with running_server(sim_config(session_idle_s=0)) as s:
        assert rest(s.url, "/omni/init_sys_prompt", "alice", json={}).status_code == 200
        assert requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT).status_code == 200
        r = rest(s.url, "/omni/streaming_generate", "alice")
        assert r.status_code == 409 and r.json()["error"]["code"] == "session_expired"


@pytest.mark.parametrize("one_shot,second", [(True, "Turn 1."), (False, "Turn 2.")])
def test_one_shot_chat_makes_each_chat_its_own_conversation(one_shot, second):
    with running_server(sim_config(one_shot_chat=one_shot)) as s:
        texts = []
        for _ in range(2):
            events = list(iter_ndjson(requests.post(s.url + "/v1/chat", data=WAV, headers=CHAT, stream=True)))
            texts.append("".join(e["text"] for e in events if e["type"] == "text"))
        assert texts[0].startswith("Turn 1.") and texts[1].startswith(second), texts


def test_sigterm_on_an_idle_server_exits_cleanly():
    backend = Backend("idle").start().wait_ready()
    try:
        backend.signal(signal.SIGTERM)
        assert backend.proc.wait(30) == 0
        backend.out.wait_for(r"drained; stopping", 5)
    finally:
        backend.stop()


def test_a_new_conversation_waits_a_moment_for_a_websocket_session_that_is_closing():
    # Behind a balancer the next conversation can arrive just before the closing session let go.
    from webapp.conversation import Conversation

    conv = Conversation(sim_config())
    conv.ensure_engine()
    try:
        conv.claim("closing")
        threading.Timer(0.2, conv.release, args=("closing",)).start()
        conv.claim("next")  # 409 busy without the grace
        conv.release("next")
    finally:
        conv.close()
