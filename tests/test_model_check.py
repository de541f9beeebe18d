"""Model files that cannot kill the server.

Each case of tests/corrupt_models.py (a cut-off GGUF, a tensor of the wrong shape, a missing
tensor, n_fft other than 201, a metadata key of the wrong type, a token2wav file of another
model) would make libomni abort, segfault or go silent; the llama-omni adapter refuses it
before libomni reads it, with OMNI_ERR_MODEL naming the file and the problem. A server started
on such a folder stays up and says so on /health (503, state "failed"), and the same process
loads a good set afterwards. Runs on the tiny generated sets when the library has the engine.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

import omni_py
from corrupt_models import CASES, make_case

if "llama-omni" not in omni_py.engines():
    print("SKIP reason: the loaded libomni_c has no llama-omni engine (build with LLAMA_OMNI_DIR)")
    pytest.skip(f"the loaded libomni_c has no llama-omni engine (engines: {omni_py.engines()}); "
                "build with LLAMA_OMNI_DIR and point OMNI_C_LIB at it", allow_module_level=True)

from models.tiny import ensure_tiny_models  # noqa: E402
from webapp.config import ServerConfig  # noqa: E402
from webapp.engine_options import EngineSettings  # noqa: E402
from webapp.testing import running_server  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def tiny(tier: str) -> Path:
    try:
        return ensure_tiny_models(tier, scripted=True, log=lambda *a: None)
    except Exception as e:  # generation needs the gguf package and disk (full tier ~0.7 GB)
        print(f"SKIP reason: tiny '{tier}' model set unavailable: {e}")
        pytest.skip(f"tiny '{tier}' model set unavailable: {e}")


def corrupt(case, tmp_path) -> Path:
    return make_case(case, tiny(case.tier), tmp_path)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refused_with_the_file_and_the_problem(case, tmp_path):
    md = corrupt(case, tmp_path)
    t0 = time.monotonic()
    with pytest.raises(omni_py.ModelError) as refused:
        omni_py.Engine("llama-omni", model_dir=str(md), ref_audio=str(DATA / "voice_ref.wav"), **case.options)
    message = str(refused.value)
    print(f"{case.name}: refused in {time.monotonic() - t0:.2f} s: {message}")
    assert str(md / case.broken) in message, message
    for word in case.expect:
        assert word in message, (word, message)


def test_the_process_goes_on_with_a_good_set(speech_wav):
    """After every refusal above (same process), a good set loads and answers."""
    with omni_py.Engine("llama-omni", model_dir=str(tiny("text")), ref_audio=str(DATA / "voice_ref.wav"),
                        n_predict=8, temperature=0, seed=1) as eng:
        eng.prefill(audio=speech_wav)
        events = list(eng.generate().events(timeout=300))
    assert events[-1].type == "turn_done" and events[-1].reason == "completed"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_server_stays_up_and_reports_the_failure(case, tmp_path, speech_wav):
    md = corrupt(case, tmp_path)
    options = {"model_dir": str(md), "ref_audio": str(DATA / "voice_ref.wav"), **case.options}
    config = ServerConfig(engine=EngineSettings(kind="llama-omni", options=options), engine_reason="test")
    with running_server(config) as s:
        # The first conversation loads the engine: a clear answer naming the file, no dropped connection.
        r = requests.post(s.url + "/v1/chat", data=speech_wav, headers={"Content-Type": "audio/wav"}, timeout=120)
        assert 400 <= r.status_code < 600 and str(md / case.broken) in r.json()["error"]["message"], r.text
        health = requests.get(s.url + "/health", timeout=10)
        body = health.json()
        assert health.status_code == 503 and body["state"] == "failed", body
        assert str(md / case.broken) in body["last_error"], body["last_error"]
        r = requests.post(s.url + "/v1/chat", data=speech_wav, headers={"Content-Type": "audio/wav"}, timeout=120)
        assert 400 <= r.status_code < 600 and r.json()["error"]["message"], r.text  # still serving


def test_a_good_full_set_passes_the_check():
    """No false refusal on the complete set (TTS, projector, token2wav); the time the check adds
    is printed, not asserted (it reads headers only; the full tiny set is ~1 GB)."""
    md = tiny("full")
    times = {}
    for check in ("false", "true"):
        t0 = time.monotonic()
        with omni_py.Engine("llama-omni", model_dir=str(md), ref_audio=str(DATA / "voice_ref.wav"),
                            use_tts="true", check_models=check):
            times[check] = time.monotonic() - t0
    print(f"create on the full tiny set: {times['false']:.2f} s without the check, {times['true']:.2f} s with it")
