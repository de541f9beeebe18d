"""The OpenAI-compatible endpoints on the real engine (llama-omni on the tiny scripted "full"
model set, which answers "Hi" with speech), through the official `openai` package: models,
chat completions with audio, Realtime manual turn, cancel, truncate and server VAD, and a
Live duplex session. Skips, saying why, unless LLAMA_OMNI_DIR is set and the engine is built."""
from __future__ import annotations

import base64
import io
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import omni_py

if not os.environ.get("LLAMA_OMNI_DIR"):
    print("LLAMA_OMNI_DIR is not set: the llama-omni engine is not built (the sim runs these flows elsewhere)")
    pytest.skip("LLAMA_OMNI_DIR is not set: the llama-omni engine is not built", allow_module_level=True)
if "llama-omni" not in omni_py.engines():
    print(f"the loaded libomni_c has no llama-omni engine (engines: {omni_py.engines()})")
    pytest.skip("libomni_c without llama-omni: build with -DLLAMA_OMNI_DIR and point OMNI_C_LIB at it",
                allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from test_openai_chat import audio_message  # noqa: E402
from test_openai_realtime import QUESTION, SILENCE, Conn, audio_bytes, manual, transcript  # noqa: E402
from webapp.config import ServerConfig  # noqa: E402
from webapp.engine_options import EngineSettings  # noqa: E402
from webapp.testing import running_server  # noqa: E402

openai = pytest.importorskip("openai", reason="the openai package is not installed")


@pytest.fixture(scope="module")
def server():
    from models.tiny import ensure_tiny_models

    try:
        md = str(ensure_tiny_models("full", scripted=True, log=lambda *a: None))
    except Exception as e:  # generation needs gguf and ~0.7 GB of disk
        print(f"the tiny 'full' model set is unavailable: {e}")
        pytest.skip(f"tiny 'full' model set unavailable: {e}")
    engine = EngineSettings("llama-omni", {"model_dir": md, "n_predict": 64, "temperature": 0, "seed": 1,
                                           "log_level": "error", "ref_audio": str(ROOT / "tests/data/voice_ref.wav")})
    with running_server(ServerConfig(engine=engine, engine_reason="test")) as s:
        s.app.extensions["omni.conversation"].ensure_engine()  # loaded before the first client, as omni-server does
        yield s


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=300)


def test_models_and_chat_completions(client):
    ids = [m.id for m in client.models.list().data]
    assert ids[0] == "minicpm-o-4.5" and ids[1].startswith("MiniCPM-o-4_5-")  # the loaded file's name
    r = client.chat.completions.create(model="gpt-4o-audio-preview", modalities=["text", "audio"],
                                       audio={"voice": "alloy", "format": "wav"}, messages=[audio_message()])
    assert r.choices[0].message.audio.transcript == "Hi"
    pcm, rate = sf.read(io.BytesIO(base64.b64decode(r.choices[0].message.audio.data)), dtype="int16")
    assert rate == 24000 and len(pcm) > 2400 and np.abs(pcm).max() > 0
    stream = client.chat.completions.create(model="m", modalities=["text", "audio"], stream=True,
                                            audio={"voice": "alloy", "format": "pcm16"}, messages=[audio_message()])
    text, data = "", b""
    for chunk in stream:
        audio = chunk.choices[0].delta.audio if chunk.choices else None
        if audio is not None:
            text += audio.transcript or ""
            data += base64.b64decode(audio.data or "")
    assert text == "Hi" and len(data) > 4800


def test_realtime_manual_turn_truncate_and_cancel(client, server):
    c = Conn(client)
    try:
        manual(c)
        c.append(QUESTION)
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        events = c.until("response.done", timeout=300)
        done = events[-1].response
        assert done.status == "completed" and transcript(events) == "Hi" and len(audio_bytes(events)) > 4800
        # the user heard half of it: the model's KV cache is cut inside the reply
        half = len(audio_bytes(events)) // 48 // 2
        c.conn.conversation.item.truncate(item_id=done.output[0].id, content_index=0, audio_end_ms=half)
        assert c.recv(timeout=60).type == "conversation.item.truncated"
        kv = server.app.extensions["omni.conversation"]._engine.info["last_reply_kv"]
        assert kv["start"] <= kv["cut_at"] < kv["chunk_ends"][0], kv
        # a cancel right after response.created ends the turn with one cancelled response.done
        c.append(QUESTION)
        c.conn.input_audio_buffer.commit()
        c.until("conversation.item.done")
        c.conn.response.create()
        assert c.recv(timeout=60).type == "response.created"
        c.conn.response.cancel()
        events = c.until("response.done", timeout=300)
        assert events[-1].response.status == "cancelled"
        assert [e["type"] for e in c.events].count("response.done") == 2
    finally:
        c.close()


def test_realtime_server_vad_turn(client):
    c = Conn(client)
    try:
        assert c.recv().type == "session.created"
        c.append(np.concatenate([SILENCE, QUESTION, SILENCE, SILENCE]))
        events = c.until("response.done", timeout=300)
        kinds = [e.type for e in events]
        assert kinds[:3] == ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
                             "input_audio_buffer.committed"]
        assert events[-1].response.status == "completed" and transcript(events) == "Hi"
    finally:
        c.close()


def test_live_duplex_session_speaks_and_closes(client, server):
    with client.live.connect() as conn:
        conn.session.start(session={"model": "gpt-live-1", "audio": {"format": {"type": "audio/pcm", "rate": 24000}}})
        assert json.loads(conn._connection.recv(timeout=300))["type"] == "session.started"
        pcm = np.concatenate([SILENCE, QUESTION, *[SILENCE] * 12])
        for i in range(0, len(pcm), 2400):
            conn.session.input_audio.append(audio=base64.b64encode(pcm[i:i + 2400].tobytes()).decode())
        audio, said, deadline = 0, "", time.monotonic() + 300
        while audio == 0 and time.monotonic() < deadline:
            ev = json.loads(conn._connection.recv(timeout=300))
            if ev["type"] == "session.output_audio.delta":
                audio += len(base64.b64decode(ev["delta"]))
            elif ev["type"] == "session.output_transcript.delta":
                said += ev["delta"]
        assert audio > 0, "the duplex model never spoke"
        conn.session.close()
        while (ev := json.loads(conn._connection.recv(timeout=300)))["type"] != "session.closed":
            pass
        assert ev["reason"] == "close_requested"
        print(f"\n[llama-omni live] said {said!r}, {audio / 48000:.2f} s of audio")
