"""Option vocoder_device of the llama-omni engine (capi/src/llama_omni/vocoder_device.cpp).

On a GPU build the adapter moves the token2wav vocoder to the GPU; the PCM it then gives is
compared with the CPU vocoder's by tests/bench_real.py on the device (docs/performance.md).
Here, on a CPU-only build: the option's values are checked, and asking for the GPU falls back
to the CPU with a logged reason while the turn still speaks.
"""
from __future__ import annotations

import os

import pytest

import omni_py

if not os.environ.get("LLAMA_OMNI_DIR"):
    pytest.skip("LLAMA_OMNI_DIR is not set: the llama-omni engine is not built (sim only)", allow_module_level=True)
if "llama-omni" not in omni_py.engines():
    pytest.skip(f"the loaded libomni_c has no llama-omni engine (engines: {omni_py.engines()})",
                allow_module_level=True)


@pytest.fixture(scope="module")
def full_set():
    try:
        from models.tiny import ensure_tiny_models
        return str(ensure_tiny_models("full", scripted=True, log=lambda *a: None))
    except Exception as e:  # generation needs gguf + disk (~0.7 GB)
        print(f"tiny 'full' model set unavailable: {e}")
        pytest.skip(f"tiny 'full' model set unavailable: {e}")


def test_schema_documents_the_option():
    spec = {o["name"]: o for o in omni_py.options_schema("llama-omni")}["vocoder_device"]
    assert spec["default"] == "auto" and "gpu:N" in spec["help"]


@pytest.mark.parametrize("bad", ["gpu:x", "cuda:0", "GPU", "gpu:", "npu", "gpu:12345"])
def test_bad_value_is_refused_naming_the_option(full_set, bad):
    with pytest.raises(omni_py.InvalidArgument, match="vocoder_device") as e:
        omni_py.Engine("llama-omni", model_dir=full_set, vocoder_device=bad)
    assert bad in str(e.value)
    # the process is still usable: a good engine loads right after (one per process)
    with omni_py.Engine("llama-omni", model_dir=full_set, vocoder_device="cpu", use_tts="false") as eng:
        assert eng.info["engine"] == "llama-omni"


def skip_if_gpu(info: dict) -> None:
    if info["vocoder_device"].startswith("gpu"):
        print("this build has a GPU, so the CPU fallback is not what runs (bench_real.py covers the GPU path)")
        pytest.skip("this build has a GPU: the CPU fallback is not what runs")


def test_gpu_on_a_cpu_build_falls_back_with_a_reason(full_set, speech_wav, capfd):
    with omni_py.Engine("llama-omni", model_dir=full_set, vocoder_device="gpu", temperature=0, seed=1) as eng:
        info = eng.info
        skip_if_gpu(info)
        logged = capfd.readouterr().err
        assert info["vocoder_device"] == "cpu"
        assert "no GPU backend" in info["vocoder_note"]
        assert "vocoder_device=gpu: this build of llama.cpp-omni has no GPU backend" in logged
        eng.prefill(audio=speech_wav)
        r = eng.generate().collect(timeout=600)
    assert r["text"] == "Hi" and r["reason"] == "completed" and len(r["audio"]) > 0


def test_auto_on_a_cpu_build_is_the_cpu_without_a_warning(full_set, capfd):
    with omni_py.Engine("llama-omni", model_dir=full_set, use_tts="true") as eng:
        info = eng.info
    skip_if_gpu(info)
    assert info["vocoder_device"] == "cpu" and info["vocoder_note"] == ""
    assert "vocoder_device" not in capfd.readouterr().err
