"""REST + SSE (seed-compatible) over a real socket, with the sim engine."""
import base64
import contextlib
import io
import json
import os
import sys
import threading
import time
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
WAV_B64 = base64.b64encode(WAV).decode()


def init(url, **body):
    r = requests.post(url + "/omni/init_sys_prompt", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def prefill(url, audio=WAV_B64):
    r = requests.post(url + "/omni/streaming_prefill", json={"audio": audio})
    assert r.status_code == 200, r.text
    return r.json()


def wait_idle(url, limit_s):
    """Seconds until /health says not busy; fails after limit_s."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit_s:
        if not requests.get(url + "/health").json()["busy"]:
            return time.monotonic() - t0
    pytest.fail(f"engine still busy after {limit_s} s")


@pytest.fixture
def server():
    with running_server() as s:
        yield s


def test_health_before_and_after_init(server):
    h = requests.get(server.url + "/health").json()
    assert h["initialized"] is False and h["engine"] == "sim" and h["busy"] is False
    out = init(server.url, media_type=1, duplex_mode=False, language="zh")
    assert out["action"] == "created" and out["mode"] == "simplex" and out["language"] == "zh"
    h = requests.get(server.url + "/health").json()
    assert (h["initialized"], h["mode"], h["language"], h["media_type"]) == (True, "simplex", "zh", "audio")
    assert h["model"]  # what is actually loaded, from the engine


def seed_readme_client(url: str, wav: bytes) -> None:
    """The client of the seed README's usage example, restated: init (media_type 1, simplex, zh),
    prefill one base64 WAV, then read the SSE reply line by line, printing the `text` of every
    `data: ` line that has one. Any server the seed README describes must satisfy it."""
    requests.post(url + "/omni/init_sys_prompt", json={"media_type": 1, "duplex_mode": False, "language": "zh"})
    requests.post(url + "/omni/streaming_prefill", json={"audio": base64.b64encode(wav).decode()})
    resp = requests.post(url + "/omni/streaming_generate", stream=True)
    for line in resp.iter_lines(decode_unicode=True):
        if line.startswith("data: "):
            data = json.loads(line[6:])
            if "text" in data:
                print(data["text"], end="", flush=True)


def test_seed_readme_example_works_as_written(server):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        seed_readme_client(server.url, WAV)
    text = out.getvalue()
    assert text.startswith("第1轮。我听到了1.0秒的音频。"), text
    assert text.count("第1轮") == 1  # the reply once, not interleaved with tts_chunk text
    # the same reply as a spec-conforming SSE parser sees in `text` events
    prefill(server.url)
    r = requests.post(server.url + "/omni/streaming_generate", stream=True)
    again = "".join(d["text"] for e, d in iter_sse(r) if e == "text")
    assert again.startswith("第2轮") and abs(len(again) - len(text)) < 40


def test_sse_events_schema_and_order(server):
    init(server.url)
    prefill(server.url)
    r = requests.post(server.url + "/omni/streaming_generate", stream=True)
    assert r.headers["Content-Type"].startswith("text/event-stream")
    assert r.headers["X-Accel-Buffering"] == "no"
    events = list(iter_sse(r))
    kinds = [e for e, _ in events]
    assert kinds[-1] == "done" and kinds.count("done") == 1
    assert {"text", "tts_chunk", "audio", "end_of_turn"} <= set(kinds)
    tid = events[0][1]["turn_id"]
    assert all(d["turn_id"] == tid for _, d in events)
    audio = [d for e, d in events if e == "audio"]
    assert [a["wav_idx"] for a in audio] == list(range(len(audio)))
    pcm = np.concatenate([np.frombuffer(base64.b64decode(a["audio"]), "<i2") for a in audio])
    assert all(a["sample_rate"] == 24000 for a in audio)
    done = events[-1][1]
    assert done["reason"] == "completed" and done["interrupted"] is False
    assert done["stats"]["audio_samples"] == len(pcm) > 0
    chunk = next(d for e, d in events if e == "tts_chunk")
    assert set(chunk) >= {"text", "n_speech_tokens", "chunk_idx"}


def test_failed_turn_sends_error_then_done_and_next_turn_works():
    with running_server(sim_config(engine_extra={"fail_at_token": 5})) as s:
        init(s.url)
        prefill(s.url)
        events = list(iter_sse(requests.post(s.url + "/omni/streaming_generate", stream=True)))
        assert [e for e, _ in events][-2:] == ["error", "done"]
        assert events[-2][1]["error"]["code"] and events[-2][1]["error"]["message"]
        assert events[-1][1]["reason"] == "failed"
        assert requests.get(s.url + "/health").json()["busy"] is False


def test_generate_before_init_and_with_nothing_prefilled(server):
    r = requests.post(server.url + "/omni/streaming_generate")
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_initialized"
    init(server.url)
    r = requests.post(server.url + "/omni/streaming_generate")
    assert r.status_code == 409 and r.json()["error"]["code"] == "nothing_prefilled"


def test_stop_ends_stream_with_interrupted_marker(slow_server):
    url = slow_server.url
    init(url)
    prefill(url)
    r = requests.post(url + "/omni/streaming_generate", stream=True)
    events = []
    for e, d in iter_sse(r):
        events.append((e, d))
        if e == "text" and len(events) == 1:
            s = requests.post(url + "/omni/stop").json()
            assert s["interrupted"] is True and s["turn_id"] == d["turn_id"]
    done = events[-1][1]
    assert events[-1][0] == "done" and done["reason"] == "interrupted" and done["interrupted"] is True
    assert done["interrupted_by"] == "stop"
    # /omni/break is the same; when idle it is a harmless no-op
    assert requests.post(url + "/omni/break").json() == {"success": True, "interrupted": False, "turn_id": None}


def test_concurrent_generate_gets_409_and_no_cross_talk(slow_server):
    url = slow_server.url
    init(url)
    prefill(url)
    r1 = requests.post(url + "/omni/streaming_generate", stream=True)
    it = iter_sse(r1)
    first = next(it)
    prefill(url)  # input for a later turn is accepted while a turn runs
    r2 = requests.post(url + "/omni/streaming_generate")
    assert r2.status_code == 409 and r2.json()["error"]["code"] == "busy"
    r3 = requests.post(url + "/omni/init_sys_prompt", json={"duplex_mode": True})
    assert r3.status_code == 409 and "stop" in r3.json()["error"]["message"]
    requests.post(url + "/omni/stop")
    rest = list(it)
    assert all(d.get("turn_id") == first[1]["turn_id"] for _, d in rest)
    # the prefill made during the turn feeds the next one
    it = iter_sse(requests.post(url + "/omni/streaming_generate", stream=True))
    assert next(it)[1]["turn_id"] == first[1]["turn_id"] + 1
    requests.post(url + "/omni/stop")
    assert list(it)[-1][1]["reason"] == "interrupted"


def test_client_disconnect_interrupts_within_300ms(slow_server):
    url = slow_server.url
    init(url)
    prefill(url)
    r = requests.post(url + "/omni/streaming_generate", stream=True)
    events = iter_sse(r)  # keep it: a dropped generator closes the response, which is a disconnect too
    next(events)
    assert requests.get(url + "/health").json()["busy"] is True
    r.close()
    assert wait_idle(url, 0.3) < 0.3


def test_stream_end_is_turn_done_not_an_idle_timer():
    # 0.6 s between audio windows: an idle timer shorter than that would cut the audio off,
    # a longer one would leave the stream open after the last audio.
    with running_server(sim_config(engine_extra={"reply_tokens": 12, "t2w_ms_per_window": 600})) as s:
        init(s.url)
        prefill(s.url)
        r = requests.post(s.url + "/omni/streaming_generate", stream=True)
        last_audio = None
        samples = 0
        for e, d in iter_sse(r):
            if e == "audio":
                last_audio = time.monotonic()
                samples += d["samples"]
            if e == "done":
                done, t_done = d, time.monotonic()
        assert samples == done["stats"]["audio_samples"] and samples >= 24000 * 2
        assert t_done - last_audio < 0.1


def test_init_with_another_mode_recreates_and_says_so(server):
    init(server.url)
    out = init(server.url, duplex_mode=True, media_type=2)
    assert out["action"] == "recreated" and out["mode"] == "duplex" and out["media_type"] == "omni"
    assert out["changed"] == ["media_type", "mode"] and out["previous"]["mode"] == "simplex"
    h = requests.get(server.url + "/health").json()
    assert (h["mode"], h["media_type"]) == ("duplex", "omni")
    out = init(server.url, duplex_mode=True, media_type=2)
    assert out["action"] == "reset" and "unchanged" in out["note"]


def test_reset_and_voice_reference(server):
    init(server.url)
    prefill(server.url)
    list(iter_sse(requests.post(server.url + "/omni/streaming_generate", stream=True)))
    assert requests.post(server.url + "/omni/reset").json() == {"success": True}
    voice = base64.b64encode((DATA / "voice_ref.wav").read_bytes())
    out = init(server.url, voice=voice.decode())
    assert out["voice"] == "custom" and "ref_audio" in out["changed"]
    assert requests.get(server.url + "/health").json()["voice"] == "custom"
    assert init(server.url)["voice"] == "default"  # the next conversation without a voice gets the default
    r = requests.post(server.url + "/omni/init_sys_prompt", json={"voice": base64.b64encode(b"nope").decode()})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_voice"
    long_voice = io.BytesIO()
    sf.write(long_voice, np.zeros(31 * 16000, np.float32), 16000, format="WAV")
    r = requests.post(server.url + "/omni/init_sys_prompt",
                      json={"voice": base64.b64encode(long_voice.getvalue()).decode()})
    assert r.status_code == 400 and "0.5 to 30 s" in r.json()["error"]["message"]


def test_raw_float32_pcm_is_accepted_like_the_reference(server):
    init(server.url)
    pcm = (0.3 * np.sin(np.arange(16000) / 16000 * 2 * np.pi * 220)).astype("<f4")
    out = prefill(server.url, base64.b64encode(pcm.tobytes()).decode())
    assert out["audio_seconds"] == 1.0


def test_health_shows_the_engines_own_load_progress():
    """While the engine loads, /health reports the engine's LOAD_PROGRESS (stage and 0..1),
    and afterwards that it is initialized. The sim is told to take 1.5 s to load."""
    with running_server(sim_config(engine_extra={"load_ms": 1500})) as s:
        loader = threading.Thread(target=requests.post, args=(s.url + "/omni/init_sys_prompt",), kwargs={"json": {}})
        loader.start()
        seen = []
        while loader.is_alive():
            h = requests.get(s.url + "/health").json()
            if h["loading"] and h["load_progress"] is not None:
                seen.append((h["load_stage"], h["load_progress"]))
        loader.join()
        h = requests.get(s.url + "/health").json()
    assert h["initialized"] and not h["loading"] and h["load_progress"] is None
    assert len({p for _, p in seen}) >= 3, seen  # it moved while we watched
    assert [p for _, p in seen] == sorted(p for _, p in seen) and all(0 <= p <= 1 for _, p in seen)
    assert {st for st, _ in seen} <= {"llm", "encoders", "system_prompt"}
