"""Fast tests of models/ (tiny generator text tier, layout detection, download argument logic).

Heavy tiers (tts ~290 MB, full ~720 MB) run only with OMNI_HEAVY_TESTS=1; they also run the real
llama-omni-cli when $LLAMA_OMNI_DIR/build/bin/llama-omni-cli exists.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

gguf = pytest.importorskip("gguf")

from models import download, layout, tiny, tiny_token2wav  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def text_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny") / "text"
    return tiny.ensure_tiny_models("text", out=out, log=lambda *a: None)


@pytest.fixture(scope="module")
def text_scripted_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny") / "text-scripted"
    return tiny.ensure_tiny_models("text", scripted=True, out=out, log=lambda *a: None)


# ------------------------------------------------------------------ generator: text tier

def test_text_tier_layout(text_set):
    assert (text_set / layout.LLM_DEFAULT).is_file()
    assert (text_set / layout.AUDIO_REL).is_file()
    assert not (text_set / "vision").exists() and not (text_set / "tts").exists()
    meta = json.loads((text_set / layout.TINY_MARKER).read_text())
    assert meta["tier"] == "text" and meta["version"] == tiny.tier_config("text").version_hash()
    total = sum(p.stat().st_size for p in text_set.rglob("*.gguf"))
    assert total < 3_000_000  # ~1.7 MB


def test_text_tier_is_reused(text_set):
    before = (text_set / tiny.layout.TINY_MARKER).stat().st_mtime_ns
    again = tiny.ensure_tiny_models("text", out=text_set, log=lambda *a: None)
    assert again == text_set
    assert (text_set / tiny.layout.TINY_MARKER).stat().st_mtime_ns == before


def test_stale_marker_regenerates(tmp_path):
    out = tmp_path / "t"
    tiny.ensure_tiny_models("text", out=out, log=lambda *a: None)
    meta = json.loads((out / layout.TINY_MARKER).read_text())
    meta["version"] = "stale"
    (out / layout.TINY_MARKER).write_text(json.dumps(meta))
    assert not tiny.is_complete(out, tiny.tier_config("text"))
    tiny.ensure_tiny_models("text", out=out, log=lambda *a: None)
    assert tiny.is_complete(out, tiny.tier_config("text"))


def _fields(path):
    r = gguf.GGUFReader(str(path))
    return r, {f.name: f for f in r.fields.values()}


def test_audio_key_types(text_set):
    r, f = _fields(text_set / layout.AUDIO_REL)
    T = gguf.GGUFValueType
    for k in ("d_model", "encoder_attention_heads", "encoder_layers", "n_mel", "n_fft"):
        assert f[k].types == [T.UINT32], k          # u32, never i32 (fatal path #7)
    assert int(f["n_fft"].parts[-1][0]) == 201       # fatal path #8
    assert f["filters"].types == [T.ARRAY, T.FLOAT32]
    assert len(f["filters"].data) == 80 * 201
    t = {x.name: x for x in r.tensors}
    assert t["encoder.conv1.weight"].tensor_type == gguf.GGMLQuantizationType.F16  # im2col F16 path
    # projector output width == LLM n_embd (fatal path #5); gguf-py shape is ne order
    assert int(t["audio_projector.linear2.weight"].shape[1]) == 128


def test_llm_keys_and_vocab(text_set):
    r, f = _fields(text_set / layout.LLM_DEFAULT)
    T = gguf.GGUFValueType
    assert bytes(f["general.architecture"].parts[-1]).decode() == "qwen3"
    assert f["qwen3.embedding_length"].types == [T.UINT32]
    assert f["qwen3.attention.layer_norm_rms_epsilon"].types == [T.FLOAT32]
    assert len(f["tokenizer.ggml.merges"].data) >= 1  # empty merges -> llama-vocab throws
    toks = [bytes(f["tokenizer.ggml.tokens"].parts[i]).decode() for i in f["tokenizer.ggml.tokens"].data]
    for s in ("<|tts_bos|>", "<|tts_eos|>", "<|im_end|>", "<|audio_start|>", "<unit>"):
        assert s in toks
    assert len(toks) == 279


def test_scripted_llm_chain(text_scripted_set):
    """Markov chain: '\\n' -> 'H' -> 'i' -> <|tts_eos|>, margin as configured."""
    import numpy as np
    r, f = _fields(text_scripted_set / layout.LLM_DEFAULT)
    t = {x.name: x for x in r.tensors}
    emb = np.asarray(t["token_embd.weight"].data, dtype=np.float32)   # (V, H)
    out = np.asarray(t["output.weight"].data, dtype=np.float32)
    ao = np.asarray(t["blk.0.attn_output.weight"].data)
    fd = np.asarray(t["blk.0.ffn_down.weight"].data)
    assert not ao.any() and not fd.any()
    H = emb.shape[1]
    nxt = lambda tok: int(np.argmax(out @ (emb[tok] / np.sqrt((emb[tok] ** 2).mean()))))
    tid = tiny.token_id
    seq, cur = [], ord("\n")
    for _ in range(3):
        cur = nxt(cur)
        seq.append(cur)
    assert seq == [ord("H"), ord("i"), tid("<|tts_eos|>")]
    assert nxt(tid("<|tts_bos|>")) == ord("H")
    logits = out @ (emb[ord("H")] * np.sqrt(H))
    assert logits.max() == pytest.approx(tiny.LLM_MARGIN, rel=1e-4)


# ------------------------------------------------------------------ validation catches bad configs

@pytest.mark.parametrize("change, needle", [
    (dict(audio_n_fft=400), "#8"),
    (dict(audio_filters_len=100), "#7"),
    (dict(weight_std=1.0), "#11"),
    (dict(vision=True, llm_embd=192), "#10"),
    (dict(tts=True), "4096"),
    (dict(image_mean=(0.5, 0.5), vision=True), "#7"),
    (dict(t2w_prompt_len=51), "even"),
])
def test_validation_rejects(change, needle):
    cfg = tiny.tier_config("text")
    for k, v in change.items():
        setattr(cfg, k, v)
    with pytest.raises(tiny.TinyConfigError, match=needle):
        tiny.validate_config(cfg)


def test_all_tier_configs_valid():
    for t in tiny.TIERS:
        for s in (False, True):
            tiny.validate_config(tiny.tier_config(t, s))


def test_refuses_output_inside_repo():
    with pytest.raises(tiny.TinyConfigError, match="inside the repository"):
        tiny.generate(tiny.tier_config("text"), REPO / "tmp-tiny-should-not-exist")
    assert not (REPO / "tmp-tiny-should-not-exist").exists()


def test_default_cache_root(monkeypatch, tmp_path):
    monkeypatch.setenv(tiny.ENV_CACHE, str(tmp_path / "c"))
    assert tiny.default_cache_root() == tmp_path / "c"
    monkeypatch.delenv(tiny.ENV_CACHE)
    assert tiny.default_cache_root() == Path.home() / ".cache" / "omni" / "tiny"


def test_token2wav_specs_match_reference():
    """Tensor list/parameter counts equal the real files (docs/model-formats.md §7), without writing."""
    cfg = tiny.tier_config("full")
    for fname, mk in (("encoder.gguf", tiny_token2wav.t2w_encoder), ("flow_matching.gguf", tiny_token2wav.t2w_flow_matching),
                      ("flow_extra.gguf", tiny_token2wav.t2w_flow_extra), ("hifigan2.gguf", tiny_token2wav.t2w_hifigan)):
        s = mk(cfg)
        n_t, n_p = tiny_token2wav.T2W_EXPECTED[fname]
        assert (len(s.specs), s.n_params()) == (n_t, n_p), fname
        for name, shape, dt, _ in s.specs:
            if len(shape) == 3:
                assert dt.itemsize == 4, f"{fname}:{name} conv must be F32"
            if fname == "hifigan2.gguf":
                assert dt.itemsize == 4
    pc = tiny_token2wav.t2w_prompt_cache(cfg)
    shapes = {n: s for n, s, _, _ in pc.specs}
    N = cfg.t2w_timesteps
    assert shapes["prompt_cache.estimator_cnn_cache"][1] == 16 * N
    assert shapes["prompt_cache.estimator_att_cache"][1] == 128 * N


# ------------------------------------------------------------------ layout detection

def _fake_set(root: Path, *, vision=False, tts=False, t2w_dir=None, llm=layout.LLM_DEFAULT):
    root.mkdir(parents=True, exist_ok=True)
    (root / llm).write_bytes(b"GGUF")
    for rel in [layout.AUDIO_REL] + ([layout.VISION_REL] if vision else []) + \
               ([layout.TTS_REL, layout.PROJECTOR_REL] if tts else []):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"GGUF")
    if t2w_dir:
        (root / t2w_dir).mkdir(parents=True, exist_ok=True)
        for f in layout.TOKEN2WAV_FILES:
            (root / t2w_dir / f).write_bytes(b"GGUF")
    return root


def test_find_model_dir_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Path, "home", lambda: tmp_path / "home")
    monkeypatch.delenv(layout.ENV_MODEL_DIR, raising=False)
    monkeypatch.delenv(layout.ENV_LLAMA_OMNI_DIR, raising=False)
    assert layout.find_model_dir() is None
    omni = _fake_set(tmp_path / "omni" / "tools" / "omni" / "models")
    monkeypatch.setenv(layout.ENV_LLAMA_OMNI_DIR, str(tmp_path / "omni"))
    assert layout.find_model_dir() == omni.resolve()
    cache = _fake_set(tmp_path / "home" / ".cache" / "omni" / "models")
    assert layout.find_model_dir() == cache.resolve()
    cwd = _fake_set(tmp_path / "models")
    assert layout.find_model_dir() == cwd.resolve()
    env = _fake_set(tmp_path / "envdir")
    monkeypatch.setenv(layout.ENV_MODEL_DIR, str(env))
    assert layout.find_model_dir() == env.resolve()
    expl = _fake_set(tmp_path / "explicit")
    assert layout.find_model_dir(expl) == expl.resolve()
    # an explicit folder is never replaced by another one: missing is None, and an incomplete
    # one is returned as it is (the engine says what it lacks when it loads)
    assert layout.find_model_dir(tmp_path / "nothing") is None
    (tmp_path / "half").mkdir()
    assert layout.find_model_dir(tmp_path / "half") == (tmp_path / "half").resolve()


def test_repo_models_package_is_not_a_model_dir(monkeypatch):
    monkeypatch.chdir(REPO)
    assert not layout.is_model_dir(REPO / "models")


def test_token2wav_linked_for_upstream_tools(tmp_path):
    """llama.cpp-omni's own CLI looks for token2wav next to the projector in tts/."""
    root = _fake_set(tmp_path / "m", vision=True, tts=True, t2w_dir="token2wav-gguf")
    made = layout.link_token2wav_into_tts(root)
    assert len(made) == 5 and all(p.is_symlink() and p.resolve().is_file() for p in made)
    assert layout.link_token2wav_into_tts(root) == []  # once is enough
    assert layout.link_token2wav_into_tts(tmp_path / "empty") == []


# ------------------------------------------------------------------ download argument logic (no network; the transfer: test_models_download.py)

def test_allow_patterns():
    p = download.allow_patterns("Q4_K_M")
    assert p[0] == "MiniCPM-o-4_5-Q4_K_M.gguf"
    assert {"audio/*.gguf", "vision/*.gguf", "tts/*.gguf", "token2wav-gguf/*.gguf", "token2wav/*.gguf"} <= set(p)
    p = download.allow_patterns("F16", vision=False, tts=False)
    assert p == ["MiniCPM-o-4_5-F16.gguf", "audio/*.gguf"]
    with pytest.raises(ValueError):
        download.allow_patterns("../x")


def test_download_dry_run(capsys, tmp_path):
    assert download.main(["--dest", str(tmp_path), "--dry-run", "--no-tts"]) == 0
    out = capsys.readouterr().out
    assert "openbmb/MiniCPM-o-4_5-gguf" in out and "tts/" not in out


# ------------------------------------------------------------------ heavy tiers (opt-in)

def _heavy():
    if os.environ.get("OMNI_HEAVY_TESTS") != "1":
        msg = "heavy tiny tiers (tts ~290 MB, full ~720 MB) skipped: set OMNI_HEAVY_TESTS=1 to run"
        print(msg)
        pytest.skip(msg)


def _cli() -> Path | None:
    root = os.environ.get("LLAMA_OMNI_DIR")
    p = Path(root) / "build" / "bin" / "llama-omni-cli" if root else None
    return p if p and p.is_file() else None


def _run_cli(cli: Path, model_dir: Path, work: Path) -> subprocess.CompletedProcess:
    """llama-omni-cli's --test mode reads <prefix>0000.wav, <prefix>0001.wav, ... and resolves
    tools/omni/output against the CWD, so lay the test speech out that way in `work`."""
    cases = work / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(["speech_en.wav", "speech_en_2.wav"]):
        shutil.copy(DATA / name, cases / f"case_{i:04d}.wav")
    (work / "tools" / "omni").mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(cli), "-m", str(model_dir / layout.LLM_DEFAULT), "-c", "4096",
         "--ref-audio", str(DATA / "voice_ref.wav"), "--test", str(cases / "case_"), "2"],
        cwd=work, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("tier", ["tts", "full"])
def test_heavy_tier_generates(tier):
    _heavy()
    p = tiny.ensure_tiny_models(tier, scripted=True)
    assert (p / layout.TTS_REL).is_file() and (p / layout.PROJECTOR_REL).is_file()
    assert all((p / "tts" / f).is_file() for f in layout.TOKEN2WAV_FILES) == (tier == "full")


def test_heavy_full_scripted_engine_pcm(tmp_path):
    """Real engine: scripted full set -> 'Hi', 72 audio tokens -> 3 WAVs of exactly 72000 samples."""
    _heavy()
    cli = _cli()
    if cli is None:
        msg = "needs llama-omni-cli: set LLAMA_OMNI_DIR to a llama.cpp-omni tree built with it"
        print(msg)
        pytest.skip(msg)
    p = tiny.ensure_tiny_models("full", scripted=True)
    r = _run_cli(cli, p, tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    out = tmp_path / "tools" / "omni" / "output" / "round_000"
    assert (out / "llm_debug" / "chunk_0" / "llm_text.txt").read_text().strip() == tiny.SCRIPTED_TEXT
    wavs = sorted((out / "tts_wav").glob("wav_*.wav"))
    n = 0
    for w in wavs:
        with wave.open(str(w)) as f:
            assert f.getframerate() == 24000 and f.getnchannels() == 1
            n += f.getnframes()
    assert n == 2 * tiny.SCRIPTED_TTS_TOKENS * 1000  # 72 tokens x 40 ms x 24 kHz
    assert (out / "tts_wav" / "generation_done.flag").is_file()
