"""Chunked HTTP /v1/chat (NDJSON and streaming WAV) and the omni-server / omni-chat commands."""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp.testing import iter_ndjson, running_server, sim_config  # noqa: E402

DATA = ROOT / "tests/data"
WAV = (DATA / "speech_en.wav").read_bytes()
HDR = {"Content-Type": "audio/wav"}


@pytest.fixture
def server():
    with running_server(sim_config(engine_extra={"reply_tokens": 30})) as s:
        yield s


def test_chat_ndjson_without_init(server):
    r = requests.post(server.url + "/v1/chat", data=WAV, headers=HDR, stream=True)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/x-ndjson")
    events = list(iter_ndjson(r))
    assert events[-1]["type"] == "done" and events[-1]["reason"] == "completed"
    assert {"text", "audio", "tts_chunk", "end_of_turn"} <= {e["type"] for e in events}
    assert all(e["turn_id"] == int(r.headers["X-Omni-Turn-Id"]) for e in events)


def test_chat_streams_a_wav_while_generating():
    with running_server(sim_config(engine_extra={"reply_tokens": 30, "t2w_ms_per_window": 150})) as s:
        t0 = time.monotonic()
        r = requests.post(s.url + "/v1/chat", data=WAV, headers={**HDR, "Accept": "audio/wav"}, stream=True)
        assert r.headers["Content-Type"] == "audio/wav"
        chunks = r.iter_content(chunk_size=None)
        head = b""
        while len(head) < 44 + 2:
            head += next(chunks)
        t_first = time.monotonic() - t0
        body = head + b"".join(chunks)
        t_end = time.monotonic() - t0
        assert head[:4] == b"RIFF" and head[8:16] == b"WAVEfmt "
        rate = int.from_bytes(head[24:28], "little")
        pcm = np.frombuffer(body[44:], "<i2")
        assert rate == 24000 and len(pcm) / rate > 1.0 and np.abs(pcm).max() > 1000
        assert t_first < t_end - 0.2  # the first audio left long before the reply was finished


def test_chat_busy_and_pending_prefill_are_409(server):
    url = server.url
    requests.post(url + "/omni/init_sys_prompt", json={})
    import base64
    requests.post(url + "/omni/streaming_prefill", json={"audio": base64.b64encode(WAV).decode()})
    r = requests.post(url + "/v1/chat", data=WAV, headers=HDR)
    assert r.status_code == 409 and "streaming_prefill" in r.json()["error"]["message"]  # never mixed in
    requests.post(url + "/omni/reset")
    assert requests.post(url + "/v1/chat", data=WAV, headers=HDR).status_code == 200


def test_chat_busy_while_a_turn_runs_and_disconnect_frees_engine():
    with running_server(sim_config(engine_extra={"llm_ms_per_token": 20, "reply_tokens": 400})) as s:
        r = requests.post(s.url + "/v1/chat", data=WAV, headers=HDR, stream=True)
        events = iter_ndjson(r)  # kept: dropping the generator would close the response
        first = next(events)
        assert first["type"] == "text"
        r2 = requests.post(s.url + "/v1/chat", data=WAV, headers=HDR)
        assert r2.status_code == 409 and r2.json()["error"]["code"] == "busy"
        r.close()
        t0 = time.monotonic()
        while requests.get(s.url + "/health").json()["busy"]:
            assert time.monotonic() - t0 < 0.3


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_omni_server_command_starts_quietly_and_says_which_engine():
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from webapp.cli import server_main; "
                             "sys.exit(server_main(sys.argv[1:]))", "--port", "0", "--engine", "sim",
                             "--language", "zh"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "ready at" in line:
                break
        out = "".join(lines)
        assert "engine sim" in out and "development server" not in out.lower()
        url = re.search(r"ready at (http://\S+?)/", out).group(1)
        h = requests.get(url + "/health").json()
        assert (h["engine"], h["initialized"], h["language"]) == ("sim", True, "zh")
        assert h["engine_reason"] == "chosen with --engine"
    finally:
        proc.terminate()
        proc.wait(5)
    r = subprocess.run([sys.executable, "-c", "import sys; from webapp.cli import server_main; "
                        "sys.exit(server_main(sys.argv[1:]))", "--host", "0.0.0.0"], cwd=ROOT, env=_env(),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--allow-remote" in r.stderr
    # an engine that cannot load: the server says why and exits, though it was already listening
    r = subprocess.run([sys.executable, "-c", "import sys; from webapp.cli import server_main; "
                        "sys.exit(server_main(sys.argv[1:]))", "--port", "0", "--engine", "sim",
                        "--engine-option", "reply_tokens=0"], cwd=ROOT, env=_env(),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "listening at" in r.stdout, r.stdout + r.stderr
    assert "cannot start: option 'reply_tokens': invalid value '0'" in r.stdout and "ready at" not in r.stdout


def test_omni_chat_command(tmp_path):
    out = tmp_path / "reply.wav"
    r = subprocess.run([sys.executable, "-c", "import sys; from webapp.cli import chat_main; "
                        "sys.exit(chat_main(sys.argv[1:]))", str(DATA / "speech_en_2.wav"),
                        "--image", str(DATA / "picture_2.jpg"), "-o", str(out),
                        "--engine-option", "reply_tokens=20"],
                       cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Turn 1." in r.stdout and "image" in r.stdout
    data, rate = sf.read(str(out), dtype="int16")
    assert rate == 24000 and len(data) > rate
    bad = subprocess.run([sys.executable, "-c", "import sys; from webapp.cli import chat_main; "
                          "sys.exit(chat_main(sys.argv[1:]))", str(DATA / "picture_2.jpg")],
                         cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "not an audio file" in bad.stderr
