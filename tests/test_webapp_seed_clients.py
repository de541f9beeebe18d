"""Clients written for the seed demo's server, against omni (sim engine, real sockets).

The seed demo's page and scripts read /omni/streaming_generate their own way: split the body
on blank lines, keep the lines that start with `data: `, json-parse the rest and look for the
keys `chunk_data` (`text`, or `wav`: base64 PCM int16 24 kHz), `tts_chunk`, `is_listen` and
`error`, whatever the `event:` line says. DemoReader below reads exactly so; the same bytes
read by a spec-conforming SSE parser must still give omni's own events.
"""
import base64
import io
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp.testing import running_server, sim_config, sse_events  # noqa: E402

DATA = ROOT / "tests/data"
WAV_B64 = base64.b64encode((DATA / "speech_en.wav").read_bytes()).decode()
JPG_B64 = base64.b64encode((DATA / "picture.jpg").read_bytes()).decode()
SSE_ACCEPT = {"Accept": "text/event-stream"}  # what the demo's scripts send


class DemoReader:
    """One generate stream as the seed demo's clients read it."""

    def __init__(self, body: str):
        self.objects = []
        for block in body.split("\n\n"):
            for line in block.split("\n"):
                if line.startswith("data: "):
                    # the README client json-parses every such line: each must be JSON
                    self.objects.append(json.loads(line[6:]))
        chunks = [o["chunk_data"] for o in self.objects if "chunk_data" in o]
        self.text = "".join(c["text"] for c in chunks if c.get("text"))
        self.pcm = np.concatenate([np.zeros(0, "<i2")] + [np.frombuffer(base64.b64decode(c["wav"]), "<i2")
                                                          for c in chunks if c.get("wav")])
        self.sample_rates = {c["sample_rate"] for c in chunks if c.get("wav")}
        self.tts_chunks = [o["tts_chunk"] for o in self.objects if "tts_chunk" in o]
        self.is_listen = any(o.get("is_listen") for o in self.objects)
        self.errors = [o["error"] for o in self.objects if "error" in o]


def generate(url: str, **body) -> tuple[DemoReader, list]:
    """POST streaming_generate as the demo's page does (JSON body with length_penalty) or as
    its scripts do (no body, Accept: text/event-stream); read the one body both ways."""
    r = requests.post(url + "/omni/streaming_generate", stream=True, headers=SSE_ACCEPT,
                      **({"json": body} if body else {}))
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/event-stream")
    raw = r.content.decode("utf-8")
    return DemoReader(raw), list(sse_events(raw.split("\n")))


def post(url: str, path: str, body: dict) -> dict:
    r = requests.post(url + path, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def wav_b64(pcm: np.ndarray, rate: int = 16000) -> str:
    buf = io.BytesIO()
    sf.write(buf, pcm, rate, format="WAV", subtype="PCM_16")
    return base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def server():
    with running_server() as s:
        yield s


def test_demo_page_turn_text_and_audio_arrive(server):
    # the page's own bodies: init (media_type 1, zh, its length_penalty slider), prefill with idx
    out = post(server.url, "/omni/init_sys_prompt",
               {"media_type": 1, "duplex_mode": False, "language": "zh", "length_penalty": 1.1})
    assert out["success"] is True and out["duplex_mode"] is False
    assert post(server.url, "/omni/streaming_prefill", {"audio": WAV_B64, "idx": 0})["success"] is True
    demo, events = generate(server.url, length_penalty=1.1)

    assert demo.text.startswith("第1轮。我听到了1.0秒的音频。"), demo.text
    assert demo.text == "".join(d["text"] for e, d in events if e == "text")  # once, not twice
    done = events[-1][1]
    assert events[-1][0] == "done" and done["reason"] == "completed"
    assert len(demo.pcm) == done["stats"]["audio_samples"] > 0 and np.abs(demo.pcm).max() > 0
    assert demo.sample_rates == {24000}
    assert demo.tts_chunks and all(c["audio_duration_ms"] == 40 * c["n_speech_tokens"] for c in demo.tts_chunks)
    assert not demo.is_listen and not demo.errors
    assert "[DONE]" not in json.dumps(demo.objects)


def test_spec_parsers_still_get_omnis_events(server):
    post(server.url, "/omni/init_sys_prompt", {})
    post(server.url, "/omni/streaming_prefill", {"audio": WAV_B64})
    demo, events = generate(server.url)
    audio = [d for e, d in events if e == "audio"]
    pcm = np.concatenate([np.frombuffer(base64.b64decode(a["audio"]), "<i2") for a in audio])
    assert np.array_equal(pcm, demo.pcm) and [a["wav_idx"] for a in audio] == list(range(len(audio)))
    chunks = [d for e, d in events if e == "tts_chunk"]
    assert chunks and all({"text", "n_speech_tokens", "chunk_idx", "turn_id"} <= set(c) for c in chunks)
    assert [c["seed"]["tts_chunk"]["chunk_idx"] for c in chunks] == [c["chunk_idx"] for c in chunks]
    assert len(chunks) == len(demo.tts_chunks)


def test_demo_duplex_loop_listens_then_replies():
    """The demo's duplex scripts: init omni + duplex, then prefill (audio + camera frame) and
    generate over and over, reading `is_listen` and `chunk_data`."""
    with running_server(sim_config(engine_extra={"reply_tokens": 16})) as s:
        out = post(s.url, "/omni/init_sys_prompt", {"media_type": "omni", "duplex_mode": True, "language": "zh"})
        assert out["duplex_mode"] is True and out["media_type"] == "omni"
        assert requests.get(s.url + "/health").json()["duplex_mode"] is True
        loud = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200) * 8000).astype(np.int16)
        quiet = np.zeros(16000, np.int16)
        steps = []
        for pcm in [loud, loud] + [quiet] * 6:
            post(s.url, "/omni/streaming_prefill", {"audio": wav_b64(pcm), "image": JPG_B64})
            steps.append(generate(s.url)[0])
        assert steps[0].is_listen and steps[1].is_listen and not steps[0].text  # the user is talking
        text = "".join(d.text for d in steps)
        assert "2.0" in text, text  # the sim says how much it heard
        assert sum(len(d.pcm) for d in steps) > 0 and not any(d.errors for d in steps)
        # the demo's two loops: a generate sent before the next prefill waits for it
        conv = s.app.extensions["omni.conversation"]
        with ThreadPoolExecutor(1) as pool:
            step = pool.submit(generate, s.url)
            deadline = time.monotonic() + 5
            while conv.waiting_for_input == 0:
                assert time.monotonic() < deadline and not step.done(), "the generate did not wait for input"
            post(s.url, "/omni/streaming_prefill", {"audio": wav_b64(loud), "image": JPG_B64})
            assert step.result(timeout=10)[0].is_listen


def test_demo_duplex_two_second_chunks_speech_then_pause():
    """The demo's duplex scripts send 2 s chunks: the first holds the whole question and
    its pause. The reply starts after that one chunk."""
    with running_server(sim_config(mode="duplex", engine_extra={"reply_tokens": 16})) as s:
        post(s.url, "/omni/init_sys_prompt", {"media_type": "omni", "duplex_mode": True, "language": "zh"})
        loud = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200) * 8000).astype(np.int16)
        post(s.url, "/omni/streaming_prefill", {"audio": wav_b64(np.concatenate([loud, np.zeros(16000, np.int16)]))})
        first = generate(s.url)[0]
        assert not first.is_listen and first.text.startswith("第1轮"), first.text
        post(s.url, "/omni/streaming_prefill", {"audio": wav_b64(np.zeros(32000, np.int16))})
        assert (first.text + generate(s.url)[0].text).startswith("第1轮。我听到了1.0秒")


def test_demo_duplex_pulls_the_rest_of_the_reply_without_sending_more():
    """Some of the demo's scripts send their question once, then only generate again and
    again. With nothing new after the wait, a step hears one second of silence, so the
    reply goes on to its end and the model then listens."""
    with running_server(sim_config(mode="duplex", duplex_input_wait_s=0.2, engine_extra={"reply_tokens": 24})) as s:
        post(s.url, "/omni/init_sys_prompt", {})
        loud = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200) * 8000).astype(np.int16)
        post(s.url, "/omni/streaming_prefill", {"audio": wav_b64(np.concatenate([loud, np.zeros(16000, np.int16)]))})
        steps = [generate(s.url) for _ in range(5)]
        text = "".join(demo.text for demo, _ in steps)
        assert text.startswith("Turn 1. I heard 1.0 seconds") and len(text.split()) == 24, text
        assert steps[-1][0].is_listen and sum(len(demo.pcm) for demo, _ in steps) > 0
        assert all(events[-1][1]["stats"]["prefill_audio_ms"] == 1000 for _, events in steps[1:])


def test_duplex_generate_before_init_or_while_busy_answers_at_once():
    with running_server(sim_config(mode="duplex", engine_extra={"timing": "m4"})) as s:
        r = requests.post(s.url + "/omni/streaming_generate")
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_initialized"
        post(s.url, "/omni/init_sys_prompt", {})
        loud = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200) * 8000).astype(np.int16)
        post(s.url, "/omni/streaming_prefill", {"audio": wav_b64(np.concatenate([loud, np.zeros(16000, np.int16)]))})
        first = requests.post(s.url + "/omni/streaming_generate", stream=True)  # a spoken step, seconds at m4 pace
        r = requests.post(s.url + "/omni/streaming_generate")
        assert r.status_code == 409 and r.json()["error"]["code"] == "busy"
        requests.post(s.url + "/omni/stop")
        first.close()


def test_failed_turn_error_reaches_demo_clients():
    with running_server(sim_config(engine_extra={"fail_at_token": 5})) as s:
        post(s.url, "/omni/init_sys_prompt", {"media_type": "audio", "duplex_mode": False})
        post(s.url, "/omni/streaming_prefill", {"audio": WAV_B64})
        demo, events = generate(s.url)
        assert len(demo.errors) == 1 and demo.errors[0]["message"]
        assert events[-1][0] == "done" and events[-1][1]["reason"] == "failed"
        assert requests.get(s.url + "/health").json()["busy"] is False


@pytest.mark.parametrize("body,media", [({"media_type": 1}, "audio"), ({"media_type": "audio"}, "audio"),
                                        ({"media_type": 2}, "omni"), ({"media_type": "omni"}, "omni"),
                                        ({"msg_type": 2}, "omni")])
def test_media_type_as_the_demo_sends_it(server, body, media):
    out = post(server.url, "/omni/init_sys_prompt", {**body, "duplex_mode": False, "language": "zh"})
    assert out["success"] is True and out["media_type"] == media


def test_unknown_media_type_is_a_clear_error(server):
    r = requests.post(server.url + "/omni/init_sys_prompt", json={"media_type": "video"})
    assert r.status_code == 400 and "'media_type' must be 1 or 'audio'" in r.json()["error"]["message"]
    assert post(server.url, "/omni/init_sys_prompt", {"media_type": 1})["success"] is True  # still usable


def test_health_has_the_demos_fields(server):
    h = requests.get(server.url + "/health").json()
    assert {"status", "backend", "initialized", "duplex_mode"} <= set(h)
    assert h["initialized"] is False and h["duplex_mode"] is False


def test_static_folder_replaces_omnis_page_and_keeps_the_guards(tmp_path):
    page_dir = tmp_path / "page"
    page_dir.mkdir()
    (page_dir / "index.html").write_text("<!doctype html><title>another page</title>")
    (page_dir / "app.js").write_text("console.log('hi')")
    (tmp_path / "secret.txt").write_text("not for the web")
    with running_server(sim_config(static_dir=str(page_dir), token="s3cret")) as s:
        page = requests.get(s.url + "/")
        assert page.status_code == 200 and "another page" in page.text  # the page needs no token
        assert requests.get(s.url + "/static/app.js").text == "console.log('hi')"
        assert requests.get(s.url + "/static/js/app.js").status_code == 404  # omni's page is not mixed in
        assert requests.get(s.url + "/static/..%2Fsecret.txt").status_code == 404
        auth = {"Authorization": "Bearer s3cret"}
        assert requests.post(s.url + "/omni/init_sys_prompt", json={}).status_code == 401
        foreign = requests.post(s.url + "/omni/init_sys_prompt", json={}, headers={**auth, "Origin": "http://evil.test"})
        assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "bad_origin"
        own = requests.post(s.url + "/omni/init_sys_prompt", json={}, headers={**auth, "Origin": s.url})
        assert own.status_code == 200 and own.json()["success"] is True


def test_static_folder_without_a_page_is_refused(tmp_path, capsys):
    from webapp.cli import server_main

    with pytest.raises(SystemExit) as e:
        server_main(["--engine", "sim", "--static", str(tmp_path)])
    assert e.value.code == 2 and "no index.html" in capsys.readouterr().err
