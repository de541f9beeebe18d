"""Model-directory choice for the server: found sets are used, a wrong --model-dir is a clear error."""
from __future__ import annotations

import pytest

from webapp.engine_options import choose_kind, find_model_dir


def test_explicit_model_dir_that_is_incomplete_says_what_is_missing(tmp_path):
    (tmp_path / "audio").mkdir()
    with pytest.raises(SystemExit, match=r"lacks the LLM .* and audio/MiniCPM-o-4_5-audio-F16.gguf"):
        find_model_dir(str(tmp_path))
    with pytest.raises(SystemExit, match="does not exist"):
        find_model_dir(str(tmp_path / "nope"))


def test_complete_model_dir_is_used(tmp_path):
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "MiniCPM-o-4_5-audio-F16.gguf").write_bytes(b"GGUF")
    (tmp_path / "MiniCPM-o-4_5-Q4_K_M.gguf").write_bytes(b"GGUF")
    assert find_model_dir(str(tmp_path)) == tmp_path.resolve()


def test_sim_when_nothing_is_found(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("OMNI_MODEL_DIR", raising=False)
    monkeypatch.delenv("LLAMA_OMNI_DIR", raising=False)
    kind, why = choose_kind(None, find_model_dir(None))
    assert kind == "sim" and "simulator" in why
