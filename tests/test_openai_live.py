"""/v1/live/sessions (OpenAI Live API, full duplex) through the official `openai` package,
against a real server whose sim engine runs MiniCPM-o's duplex rhythm: the model listens
while the user talks and speaks when they pause, without any VAD or response.create."""
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
WAV = (ROOT / "tests/data/question_en.wav").read_bytes()


def speech_then_silence(rate: int, silence_s: int = 10) -> np.ndarray:
    return np.concatenate([np.zeros(rate, np.int16), resample(_q, _rate, rate), np.zeros(rate * silence_s, np.int16)])


@pytest.fixture(scope="module")
def server():
    with running_server(sim_config()) as s:  # the server starts in simplex: the Live API switches to duplex
        yield s


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0)


def recv(conn, timeout=20) -> dict:
    return json.loads(conn._connection.recv(timeout=timeout))  # the SDK's recv() has no timeout


def talk(conn, rate: int) -> tuple[str, list[dict], int]:
    """Stream speech then silence; collect what the model says until its first sentence is out."""
    pcm = speech_then_silence(rate)
    for i in range(0, len(pcm), rate // 10):  # 100 ms frames, as a microphone sends them
        conn.session.input_audio.append(audio=base64.b64encode(pcm[i:i + rate // 10].tobytes()).decode())
    text, deltas, audio, said = "", [], 0, []
    while "audio." not in said or audio * 1000 / rate < sum(d["end_ms"] - d["start_ms"] for d in deltas):
        ev = recv(conn)
        if ev["type"] == "session.output_audio.delta":
            assert "event_id" not in ev  # as on OpenAI's primary WebSocket
            audio += len(base64.b64decode(ev["delta"])) // 2
        else:
            assert ev["type"] == "session.output_transcript.delta", ev
            text += ev["delta"]
            if "audio." not in said:  # the words of the first sentence, and then their audio
                deltas.append(ev)
                said = text
    return said, deltas, audio


@pytest.mark.parametrize("rate", [24000, 16000])
def test_duplex_session_speaks_and_closes(client, server, rate):
    with client.live.connect() as conn:
        conn.session.start(session={"model": "gpt-live-1", "audio": {"format": {"type": "audio/pcm", "rate": rate}}},
                           event_id="start_1")
        started = recv(conn)
        assert started["type"] == "session.started" and started["client_event_id"] == "start_1"
        assert started["session"]["status"] == "active" and started["session"]["audio"]["format"]["rate"] == rate
        text, deltas, samples = talk(conn, rate)
        # the model heard (most of) the 4 s question, by its own judgement of when it ended
        assert text.startswith("Turn 1. I heard ") and 2.0 <= float(text.split("I heard ")[1].split(" ")[0]) <= 4.5
        assert all(d["event_id"].startswith("event_") and d["start_ms"] <= d["end_ms"] for d in deltas)
        assert [d["start_ms"] for d in deltas] == sorted(d["start_ms"] for d in deltas)
        spoken_ms = sum(d["end_ms"] - d["start_ms"] for d in deltas)
        assert spoken_ms > 1000 and samples * 1000 / rate >= spoken_ms  # each transcript's audio follows it
        assert server.app.extensions["omni.conversation"].settings.mode == "duplex"
        conn.session.close(event_id="close_1")
        while (ev := recv(conn))["type"] != "session.closed":
            assert ev["type"].startswith("session.output_")
        assert ev["reason"] == "close_requested" and ev["client_event_id"] == "close_1"
        assert ev["usage"]["seconds"] > 0 and ev["session"]["id"] == started["session"]["id"]
    # the engine stays in duplex until a client needs simplex: the next one switches it back
    assert server.app.extensions["omni.conversation"].settings.mode == "duplex"
    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": [
        {"type": "input_audio", "input_audio": {"data": base64.b64encode(WAV).decode(), "format": "wav"}}]}])
    assert r.choices[0].message.content.startswith("Turn 1. I heard")
    assert server.app.extensions["omni.conversation"].settings.mode == "simplex"


def test_errors_name_the_client_event_and_the_session_goes_on(client):
    with client.live.connect() as conn:
        conn.send({"type": "session.input_audio.append", "audio": "AAAA", "event_id": "early"})
        err = recv(conn)
        assert err["type"] == "error" and err["error"]["code"] == "session_not_started"
        assert err["error"]["client_event_id"] == "early" and err["client_event_id"] == "early"
        conn.send({"type": "session.start", "event_id": "s1",
                   "session": {"model": "gpt-live-1", "audio": {"format": {"type": "audio/pcmu", "rate": 8000}}}})
        err = recv(conn)
        assert err["error"]["code"] == "unsupported_format" and err["error"]["param"] == "session.audio.format"
        conn.session.start(session={"model": "gpt-live-1"})
        assert recv(conn)["type"] == "session.started"
        conn.send({"type": "session.instructions.append", "content": "be brief", "event_id": "i1"})
        err = recv(conn)
        assert err["error"]["code"] == "unsupported_event" and err["error"]["client_event_id"] == "i1"
        conn.session.input_audio.mute()
        assert recv(conn)["type"] == "session.input_audio.muted"
        conn.session.input_audio.unmute()
        assert recv(conn)["type"] == "session.input_audio.unmuted"
        text, _, _ = talk(conn, 24000)
        assert text.startswith("Turn 1. I heard ")
        conn.session.close()
        while recv(conn)["type"] != "session.closed":
            pass


def test_second_connection_is_refused_with_1013(server, client):
    url = server.url.replace("http", "ws") + "/v1/live/sessions"
    with client.live.connect() as conn:
        conn.session.start(session={"model": "gpt-live-1"})
        assert recv(conn)["type"] == "session.started"
        other = websocket.create_connection(url, timeout=10)
        err = json.loads(other.recv())
        assert err["type"] == "error" and err["error"]["code"] == "session_busy"
        op, data = other.recv_data(control_frame=True)
        assert op == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(data[:2], "big") == 1013
        conn.session.close()
        while recv(conn)["type"] != "session.closed":
            pass
