"""Model-directory choice for the server: found folders are used; what a folder lacks is the
engine's to say (it owns the layout), and it says it clearly."""
from __future__ import annotations

import pytest

import omni_py
from webapp.engine_options import choose_kind, find_model_dir


def test_explicit_model_dir_must_exist(tmp_path):
    with pytest.raises(SystemExit, match="does not exist"):
        find_model_dir(str(tmp_path / "nope"))
    assert find_model_dir(str(tmp_path)) == tmp_path.resolve()  # what it lacks: the engine's to say


def test_incomplete_model_dir_the_engine_says_what_is_missing(tmp_path):
    if "llama-omni" not in omni_py.engines():
        print("SKIP reason: libomni_c was built without the llama-omni engine (LLAMA_OMNI_DIR unset)")
        pytest.skip("the llama-omni engine is not compiled in")
    with pytest.raises(omni_py.ModelError, match=r"no MiniCPM-o-4_5-\*\.gguf LLM in model_dir"):
        omni_py.Engine("llama-omni", model_dir=str(tmp_path))
    (tmp_path / "MiniCPM-o-4_5-Q4_K_M.gguf").write_bytes(b"GGUF")
    with pytest.raises(omni_py.ModelError, match=r"audio encoder not found: .*audio/MiniCPM-o-4_5-audio-F16\.gguf"):
        omni_py.Engine("llama-omni", model_dir=str(tmp_path))


def test_found_model_dir_picks_the_real_engine(tmp_path):
    (tmp_path / "MiniCPM-o-4_5-Q4_K_M.gguf").write_bytes(b"GGUF")
    assert find_model_dir(str(tmp_path)) == tmp_path.resolve()
    kind, why = choose_kind(None, tmp_path)
    real = [k for k in omni_py.engines() if "model_dir" in {o["name"] for o in omni_py.options_schema(k)}]
    assert kind == (real[0] if real else "sim"), why


def test_sim_when_nothing_is_found(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("OMNI_MODEL_DIR", raising=False)
    monkeypatch.delenv("LLAMA_OMNI_DIR", raising=False)
    kind, why = choose_kind(None, find_model_dir(None))
    assert kind == "sim" and "simulator" in why
