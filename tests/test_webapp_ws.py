"""WebSocket /omni/realtime (omni's own protocol 2) over a real socket, with the sim engine."""
import base64
import json
import re
import struct
import time
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf
import websocket

from webapp.testing import running_server, sim_config

PATH = "/omni/realtime"


@pytest.fixture(scope="module")
def speech(data_dir):
    pcm, rate = sf.read(str(data_dir / "speech_en_2.wav"), dtype="int16")
    assert rate == 16000
    return pcm


def connect(server, **kw):
    ws = websocket.create_connection(server.url.replace("http", "ws") + PATH, timeout=5, **kw)
    first = json.loads(ws.recv())
    assert first["type"] == "session" and first["protocol"] == 2
    return ws, first


def mic_frame(pcm) -> bytes:
    """A client binary frame: kind 0x01 (microphone audio), 3 reserved bytes, PCM int16 LE 16 kHz."""
    return b"\x01\0\0\0" + pcm.astype("<i2").tobytes()


def send_speech(ws, pcm, frame=320):
    for i in range(0, len(pcm), frame):
        ws.send_binary(mic_frame(pcm[i:i + frame]))


def recv_json(ws):
    while True:
        op, data = ws.recv_data()
        if op == websocket.ABNF.OPCODE_TEXT:
            return json.loads(data)


def audio_event(frame: bytes) -> dict:
    """A server binary frame: kind 0x01, turn_id, wav_idx, sample_rate (u32 LE each), then PCM."""
    kind, turn_id, wav_idx, rate = struct.unpack_from("<B3xIII", frame)
    assert kind == 0x01, kind
    return {"type": "audio", "turn_id": turn_id, "wav_idx": wav_idx, "sample_rate": rate,
            "pcm": np.frombuffer(frame[16:], "<i2")}


def read_turn(ws, stop_after=None):
    """Events up to `done`; each binary frame is an audio event of its own."""
    events = []
    while True:
        op, data = ws.recv_data()
        ev = audio_event(data) if op == websocket.ABNF.OPCODE_BINARY else json.loads(data)
        events.append(ev)
        if stop_after and stop_after(ev):
            return events
        if ev["type"] == "done":
            return events


@pytest.fixture
def server():
    with running_server(sim_config(engine_extra={"reply_tokens": 30})) as s:
        yield s


def test_talk_commit_and_stream_reply(server, speech):
    ws, session = connect(server)
    assert session["engine"] == "sim" and session["initialized"] is True
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    committed = recv_json(ws)
    assert committed["type"] == "committed" and committed["audio_ms"] == round(len(speech) / 16)
    events = read_turn(ws)
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "done" and {"text", "tts_chunk", "audio", "end_of_turn"} <= set(kinds)
    assert all(e["turn_id"] == committed["turn_id"] for e in events)
    audio = [e for e in events if e["type"] == "audio"]
    assert [e["wav_idx"] for e in audio] == list(range(len(audio))) and all(e["sample_rate"] == 24000 for e in audio)
    assert events[-1]["stats"]["audio_samples"] == sum(len(e["pcm"]) for e in audio)
    text = "".join(e["text"] for e in events if e["type"] == "text")
    assert f"{len(speech) / 16000:.1f} seconds" in text  # the engine heard the streamed audio
    ws.close()


def test_interrupt_carries_played_ms(slow_server, speech):
    ws, _ = connect(slow_server)
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "generate"}))
    assert recv_json(ws)["type"] == "committed"
    first = read_turn(ws, stop_after=lambda e: e["type"] == "text")
    ws.send(json.dumps({"type": "interrupt", "played_ms": 1234}))
    rest = read_turn(ws)
    ack = next(e for e in rest if e["type"] == "interrupted")
    assert ack["played_ms"] == 1234
    done = rest[-1]
    assert done["type"] == "done" and done["reason"] == "interrupted" and done["stats"]["played_ms"] == 1234
    assert done["interrupted_by"] == "client"
    # nothing of the turn the user cut off follows the acknowledgement
    assert not [e for e in rest[rest.index(ack):] if e["type"] == "audio"]
    # the reply is cut in the engine's conversation to what was heard (never past the audio sent)
    truncated = recv_json(ws)
    said = "".join(e["text"] for e in first + rest if e["type"] == "text")
    assert truncated["type"] == "truncated" and truncated["turn_id"] == done["turn_id"]
    assert said.startswith(truncated["heard"])
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "generate"}))
    assert recv_json(ws)["type"] == "committed"
    text = ""
    for ev in read_turn(ws, stop_after=lambda e: "characters" in text + e.get("text", "")):
        text += ev.get("text", "")
    assert f"I remember {len(truncated['heard'])} characters" in text, text
    ws.close()


def test_commit_then_interrupt_at_once_stops_that_turn(slow_server, speech):
    """The client's order is kept: an interrupt right behind a commit stops the turn it started."""
    ws, _ = connect(slow_server)
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    ws.send(json.dumps({"type": "interrupt", "played_ms": 0}))
    committed = recv_json(ws)
    rest = read_turn(ws)
    ack = next(e for e in rest if e["type"] == "interrupted")
    assert ack["turn_id"] == committed["turn_id"] and rest[-1]["reason"] == "interrupted"
    ws.close()


def test_second_session_closed_1013_and_http_turns_refused(server, speech_wav):
    ws, _ = connect(server)
    other = websocket.create_connection(server.url.replace("http", "ws") + PATH, timeout=5)
    op, frame = other.recv_data()  # the close frame
    assert op == websocket.ABNF.OPCODE_CLOSE
    code = int.from_bytes(frame[:2], "big")
    reason = json.loads(frame[2:].decode())
    assert code == 1013 and reason["code"] == "busy" and reason["message"]
    r = requests.post(server.url + "/omni/streaming_prefill",
                      json={"audio": base64.b64encode(speech_wav).decode()})
    assert r.status_code == 409 and "WebSocket" in r.json()["error"]["message"]
    ws.close()
    deadline = time.monotonic() + 2
    while requests.get(server.url + "/health").json()["session"] and time.monotonic() < deadline:
        pass
    ws2, _ = connect(server)  # free again once the first session left
    ws2.close()


def test_garbage_frames_get_errors_and_socket_stays_open(server, speech):
    ws, _ = connect(server)
    cases = [("not json at all", "bad_message"), ("[1,2]", "bad_message"), ('{"type": 5}', "bad_message"),
             ('{"type": "dance"}', "unknown_type"),
             ('{"type": "audio", "audio": "AAAA"}', "expected_binary"),
             ('{"type": "interrupt", "played_ms": "lots"}', "wrong_type"),
             ('{"type": "commit"}', "nothing_prefilled"),
             ('{"type": "image", "image": "AAAA"}', "image_not_supported"),
             ('{"type": "session.update", "session": {"language": "fr"}}', "invalid_value")]
    for frame, code in cases:
        ws.send(frame)
        ev = recv_json(ws)
        assert ev["type"] == "error" and ev["error"]["code"] == code, (frame, ev)
    for frame, code in [(b"\x01\x02\x03", "bad_frame"),  # shorter than its header
                        (b"\x07\0\0\0" + bytes(640), "bad_frame"),  # a kind the server does not know
                        (b"\x01\0\0\0\x01\x02\x03", "bad_audio")]:  # odd length: not PCM16
        ws.send_binary(frame)
        ev = recv_json(ws)
        assert ev["type"] == "error" and ev["error"]["code"] == code, (frame, ev)
    ws.send(json.dumps({"type": "ping", "t": 7}))
    assert recv_json(ws) == {"type": "pong", "t": 7}
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    assert recv_json(ws)["type"] == "committed"
    assert read_turn(ws)[-1]["reason"] == "completed"
    ws.close()


def test_session_update_language_voice_and_reset(server, speech, data_dir):
    ws, _ = connect(server)
    voice = base64.b64encode((data_dir / "voice_ref.wav").read_bytes())
    ws.send(json.dumps({"type": "session.update", "session": {"language": "zh", "voice": voice.decode()}}))
    ev = recv_json(ws)
    assert ev["type"] == "session" and ev["language"] == "zh" and ev["voice"] == "custom"
    assert ev["action"] == "recreated" and "language" in ev["changed"] and ev["protocol"] == 2
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    recv_json(ws)
    events = read_turn(ws)
    assert "".join(e["text"] for e in events if e["type"] == "text").startswith("第1轮")
    ws.send(json.dumps({"type": "reset"}))
    assert recv_json(ws) == {"type": "reset"}
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    recv_json(ws)
    events = read_turn(ws)
    # without the reset this would be turn 2 ("第2轮"): the history is gone
    assert "".join(e["text"] for e in events if e["type"] == "text").startswith("第1轮")
    ws.close()


def test_disconnect_mid_turn_frees_engine_within_300ms(slow_server, speech):
    ws, _ = connect(slow_server)
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    read_turn(ws, stop_after=lambda e: e["type"] == "text")
    ws.sock.close()  # vanish without a close frame
    t0 = time.monotonic()
    while requests.get(slow_server.url + "/health").json()["busy"]:
        assert time.monotonic() - t0 < 0.3, "engine still busy 300 ms after the client left"


def test_cross_origin_upgrade_refused(server):
    with pytest.raises(websocket.WebSocketBadStatusException) as e:
        websocket.create_connection(server.url.replace("http", "ws") + PATH,
                                    origin="https://evil.example", timeout=5)
    assert e.value.status_code == 403
    ws, _ = connect(server, origin=server.url)  # the page we serve may connect
    ws.close()


def test_duplex_streams_listen_and_reply():
    with running_server(sim_config(mode="duplex", engine_extra={"reply_tokens": 16})) as s:
        ws, session = connect(s)
        assert session["mode"] == "duplex"
        loud = (np.sin(np.arange(32000) / 16000 * 2 * np.pi * 200) * 8000).astype(np.int16)
        # speech first, and the model listens to it; then the pause it answers in. (Sent at once,
        # a slow server may step over speech and pause together and answer without listening.)
        send_speech(ws, loud)
        seen = []
        while "listen" not in seen and len(seen) < 50:
            seen.append(recv_json(ws)["type"])
        send_speech(ws, np.zeros(48000, np.int16))
        text = ""
        while "done" not in seen or not text:
            ev = recv_json(ws)
            seen.append(ev["type"])
            text += ev.get("text", "") if ev["type"] == "text" else ""
            if len(seen) > 200:
                break
        assert "listen" in seen and text, seen
        ws.close()


def test_a_bug_in_the_sender_is_logged_and_reported_not_silent(server, speech, monkeypatch, caplog):
    from webapp.wire import WireTurn

    convert = WireTurn.convert

    def broken(self, ev):
        if ev.type == "end_of_turn":
            raise RuntimeError("boom in convert")
        return convert(self, ev)

    monkeypatch.setattr(WireTurn, "convert", broken)
    ws, _ = connect(server)
    send_speech(ws, speech)
    ws.send(json.dumps({"type": "commit"}))
    recv_json(ws)
    events = read_turn(ws)
    err = next(e for e in events if e["type"] == "error")
    assert err["error"]["code"] == "internal" and "boom in convert" in err["error"]["message"]
    assert events[-1]["type"] == "done" and events[-1]["reason"] == "completed"  # the session went on
    assert any("sender failed" in r.message and r.exc_info for r in caplog.records)
    ws.send(json.dumps({"type": "ping", "t": 1}))
    assert recv_json(ws) == {"type": "pong", "t": 1}
    ws.close()


def test_every_message_the_session_sends_is_documented():
    """PROTOCOL.md's table of the session's own messages is generated from MESSAGES
    (tests/test_errors_table.py checks the file is up to date); nothing is sent unlisted."""
    from webapp import omni_realtime

    source = Path(omni_realtime.__file__).read_text(encoding="utf-8")
    sent = set(re.findall(r'\{"type": "(\w+)"', source))
    assert len(sent) >= 6 and sent == set(omni_realtime.MESSAGES), sent ^ set(omni_realtime.MESSAGES)
