"""Bad input: each gets the right 4xx with a clear message, and the server keeps serving."""
import base64
import io
import sys
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp.testing import iter_sse, running_server, sim_config  # noqa: E402

DATA = ROOT / "tests/data"
WAV = (DATA / "speech_en.wav").read_bytes()
JPG = (DATA / "picture.jpg").read_bytes()
b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731


def wav_of(seconds, rate=16000):
    buf = io.BytesIO()
    sf.write(buf, np.zeros(int(seconds * rate), np.int16), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


@pytest.fixture(scope="module")
def server():
    with running_server(sim_config()) as s:
        assert requests.post(s.url + "/omni/init_sys_prompt", json={}).status_code == 200
        yield s
        # after all the abuse, a valid turn still works
        assert requests.post(s.url + "/omni/streaming_prefill", json={"audio": b64(WAV)}).status_code == 200
        events = list(iter_sse(requests.post(s.url + "/omni/streaming_generate", stream=True)))
        assert events[-1][0] == "done" and events[-1][1]["reason"] == "completed"


PREFILL = "/omni/streaming_prefill"
INIT = "/omni/init_sys_prompt"

CASES = {
    "invalid json": (INIT, {"data": b"{not json", "headers": {"Content-Type": "application/json"}}, 400,
                     "invalid_json"),
    "json not an object": (INIT, {"json": [1, 2]}, 400, "invalid_json"),
    "text/plain body": (INIT, {"data": b'{"media_type": 1}', "headers": {"Content-Type": "text/plain"}}, 415,
                        "unsupported_media_type"),
    "audio not a string": (PREFILL, {"json": {"audio": 123}}, 400, "wrong_type"),
    "duplex_mode a string": (INIT, {"json": {"duplex_mode": "false"}}, 400, "wrong_type"),
    "language a number": (INIT, {"json": {"language": 5}}, 400, "wrong_type"),
    "unknown language": (INIT, {"json": {"language": "fr"}}, 400, "invalid_value"),
    "unknown media_type": (INIT, {"json": {"media_type": "video"}}, 400, "invalid_value"),
    "bad base64": (PREFILL, {"json": {"audio": "###not base64###"}}, 400, "bad_base64"),
    "bad padding": (PREFILL, {"json": {"audio": "UklGRg="}}, 400, "bad_base64"),
    "data-URL prefix": (PREFILL, {"json": {"audio": "data:audio/wav;base64," + b64(WAV)}}, 400, "bad_base64"),
    "bytes that are not audio": (PREFILL, {"json": {"audio": b64(b"hello, this is not audio at all!")}}, 400,
                                 "bad_audio"),
    "corrupt RIFF": (PREFILL, {"json": {"audio": b64(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk")}}, 400, "bad_audio"),
    "empty audio": (PREFILL, {"json": {"audio": ""}}, 400, "empty_audio"),
    "WAV with no samples": (PREFILL, {"json": {"audio": b64(wav_of(0))}}, 400, "empty_audio"),
    "10 minutes of audio": (PREFILL, {"json": {"audio": b64(wav_of(600))}}, 413, "audio_too_long"),
    "nothing to prefill": (PREFILL, {"json": {}}, 400, "nothing_to_prefill"),
    "image in audio-only mode": (PREFILL, {"json": {"image": b64(JPG)}}, 400, "image_not_supported"),
    "cross-origin POST": (INIT, {"json": {}, "headers": {"Origin": "https://evil.example"}}, 403, "bad_origin"),
    "null origin": (PREFILL, {"json": {"audio": b64(WAV)}, "headers": {"Origin": "null"}}, 403, "bad_origin"),
    "rebinding Host": (INIT, {"json": {}, "headers": {"Host": "attacker.example:9060"}}, 403, "bad_host"),
    "60 MB body": (PREFILL, {"data": b"x" * (60 * 1024 * 1024), "headers": {"Content-Type": "application/json"}},
                   413, "body_too_large"),
    "chat with JSON": ("/v1/chat", {"json": {"audio": b64(WAV)}}, 415, "unsupported_media_type"),
    "chat with non-audio bytes": ("/v1/chat", {"data": b"\x00\x01" * 7, "headers": {"Content-Type": "audio/wav"}},
                                  400, "bad_audio"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gets_4xx_envelope(server, name):
    path, kwargs, status, code = CASES[name]
    r = requests.post(server.url + path, **kwargs)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and len(err["message"]) > 15
    assert requests.get(server.url + "/health").json()["busy"] is False


def test_same_origin_page_may_post(server):
    r = requests.post(server.url + INIT, json={}, headers={"Origin": server.url})
    assert r.status_code == 200


def test_not_found_and_wrong_method_use_the_envelope(server):
    r = requests.get(server.url + "/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = requests.get(server.url + PREFILL)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_corrupt_jpeg_in_omni_mode():
    with running_server(sim_config(media_type="omni")) as s:
        requests.post(s.url + INIT, json={"media_type": 2})
        broken = JPG[:200] + bytes(range(256)) * 4
        r = requests.post(s.url + PREFILL, json={"image": b64(broken)})
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_image", r.text
        r = requests.post(s.url + PREFILL, json={"image": b64(JPG), "audio": b64(WAV)})
        assert r.status_code == 200 and r.json()["image"] is True


def test_token_when_remote_is_allowed():
    with running_server(sim_config(allow_remote=True, token="s3cret")) as s:
        r = requests.get(s.url + "/health")
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        assert requests.get(s.url + "/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert requests.get(s.url + "/health", headers={"Authorization": "Bearer nope"}).status_code == 401
