"""Camera frames on WebSocket /omni/realtime (binary kind 0x02), with the sim engine.

The sim's duplex steps report what they received, in order, in their stats (`received`) and
on their `listen` event, so these tests see each frame reach the engine just before its
second of audio, and count the frames dropped when they come faster than the audio.
"""
import json
import struct

import numpy as np
import pytest

from webapp.testing import running_server, sim_config

from test_webapp_ws import connect, mic_frame, read_turn, recv_json

SILENCE_1S = np.zeros(16000, dtype=np.int16)


def image_frame(seq: int, jpeg: bytes) -> bytes:
    """kind 0x02, 3 reserved bytes, frame seq u32 LE, then the JPEG."""
    return struct.pack("<B3xI", 0x02, seq) + jpeg


@pytest.fixture(scope="module")
def frame448(data_dir):
    return (data_dir / "picture.png").read_bytes()  # 448 x 448, what the page sends


@pytest.fixture(scope="module")
def frame640(data_dir):
    return (data_dir / "picture_2.jpg").read_bytes()  # 640 x 480


def duplex_server(media_type="omni"):
    return running_server(sim_config(mode="duplex", media_type=media_type, engine_extra={"reply_tokens": 8}))


def step_done(ws):
    return [e for e in read_turn(ws) if e["type"] == "done"][0]


def test_each_step_gets_its_frame_then_its_audio(frame448):
    with duplex_server() as srv:
        ws, _ = connect(srv)
        received = []
        for seq in range(1, 6):  # a 5 s call at 1 fps, paced by the steps
            ws.send_binary(image_frame(seq, frame448))
            ws.send_binary(mic_frame(SILENCE_1S))
            done = step_done(ws)
            received.append(done["stats"]["received"])
            assert done["stats"]["video"]["last_frame_seq"] == seq, done["stats"]
        assert received == ["1 frame 448×448, 1.0 s of audio"] * 5, received
        video = done["stats"]["video"]
        assert (video["frames_received"], video["frames_prefilled"], video["frames_dropped"]) == (5, 5, 0), video
        # the camera goes off: audio-only steps go on
        ws.send_binary(mic_frame(SILENCE_1S))
        assert step_done(ws)["stats"]["received"] == "1.0 s of audio"
        ws.close()


def test_frames_faster_than_audio_are_dropped_not_queued(frame448):
    with duplex_server() as srv:
        ws, _ = connect(srv)
        for seq in range(1, 4):  # three frames before any audio: only the latest goes in
            ws.send_binary(image_frame(seq, frame448))
        ws.send_binary(mic_frame(SILENCE_1S))
        done = step_done(ws)
        assert done["stats"]["received"] == "1 frame 448×448, 1.0 s of audio"
        video = done["stats"]["video"]
        assert video["last_frame_seq"] == 3 and video["frames_dropped"] == 2, video
        ws.close()


def test_simplex_utterance_takes_the_last_frame(frame448, frame640):
    with running_server(sim_config(media_type="omni", engine_extra={"reply_tokens": 30})) as srv:
        ws, _ = connect(srv)
        ws.send_binary(image_frame(1, frame640))
        ws.send_binary(image_frame(2, frame448))
        ws.send_binary(mic_frame(SILENCE_1S[:8000] + 3000))
        ws.send(json.dumps({"type": "commit"}))
        events = read_turn(ws)
        text = "".join(e.get("text", "") for e in events if e["type"] == "text")
        assert "saw a 448 by 448 image" in text and "640" not in text, text
        ws.close()


def test_bad_frames_get_an_error_and_the_session_goes_on(frame448):
    with duplex_server(media_type="audio") as srv:
        ws, _ = connect(srv)
        ws.send_binary(image_frame(1, frame448))  # audio-only conversation
        assert recv_json(ws)["error"]["code"] == "image_not_supported"
        ws.send_binary(b"\x02\0\0")  # shorter than its header
        assert recv_json(ws)["error"]["code"] == "bad_frame"
        ws.send_binary(mic_frame(SILENCE_1S))
        assert step_done(ws)["stats"]["received"] == "1.0 s of audio"
        ws.close()
    with duplex_server() as srv:
        ws, _ = connect(srv)
        ws.send_binary(image_frame(1, b"not a jpeg"))
        ws.send_binary(mic_frame(SILENCE_1S))
        assert recv_json(ws)["error"]["code"] == "bad_image"
        ws.send_binary(image_frame(2, frame448))
        ws.send_binary(mic_frame(SILENCE_1S))
        assert step_done(ws)["stats"]["received"].startswith("1 frame 448×448, ")
        ws.close()
