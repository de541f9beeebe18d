"""models/fullsize.py: MiniCPM-o 4.5's real shapes with scripted values.

The whole set (~8 GB, ~16 GB more while quantizing) is generated on a GPU machine, not here
(docs/performance.md). These tests check what it is made of, cheaply: its shapes, the
Qwen-sized vocabulary, and the scripted chain on a narrow LLM that uses that vocabulary; and
the quantization step when llama-quantize is at hand.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

gguf = pytest.importorskip("gguf")

from models import fullsize, layout, tiny, tiny_vocab  # noqa: E402


def test_real_shapes_and_types():
    c = fullsize.fullsize_config()
    tiny.validate_config(c)
    assert (c.llm_layers, c.llm_embd, c.llm_heads, c.llm_heads_kv, c.llm_head_dim, c.llm_ff, c.llm_vocab) == \
        (36, 4096, 32, 8, 128, 12288, 151748)                          # Qwen3-8B
    assert (c.audio_d, c.audio_layers, c.audio_heads) == (1024, 24, 16)  # Whisper-medium
    assert (c.vision_d, c.vision_layers, c.vision_ff, c.vision_heads) == (1152, 26, 4304, 16)  # SigLIP
    assert (c.tts_layers, c.tts_ff, c.tts_heads) == (20, 3072, 12)
    assert c.matrix_f16 and not c.t2w_f16 and c.t2w_timesteps == 10 and c.scripted
    assert fullsize.LLM_FILE == layout.LLM_DEFAULT  # the published Q4_K_M file name


def test_speech_tokens_make_3_to_6_seconds():
    # two text chunks (10 + 2 tokens): the first says TTS_CHAIN tokens, the final one twice that;
    # token2wav adds 3 lead-in tokens, 25 tokens a second
    n = 3 * fullsize.TTS_CHAIN + 3
    assert 3.0 <= n / 25 <= 6.0
    assert len(fullsize.REPLY) > 10


def test_vocabulary_puts_specials_where_qwen_has_them():
    toks, types, merges = tiny_vocab.vocab(151748, fullsize.REPLY)
    assert len(toks) == len(types) == 151748 and merges
    assert toks.index("<|endoftext|>") == tiny_vocab.QWEN_SPECIAL_BASE
    for s in tiny_vocab.SPECIAL_TOKENS:  # never sent to the TTS (libomni: ids >= 150000 are not text)
        assert toks.index(s) >= 150000 and types[toks.index(s)] == 3
    pieces = [tiny_vocab.piece(r) for r in fullsize.REPLY]
    assert all(p in toks for p in pieces) and len({toks.index(p) for p in pieces}) == len(pieces)
    assert len(set(toks)) == len(toks)
    # the tiny vocabulary is unchanged
    assert len(tiny_vocab.vocab()[0]) == 279


@pytest.fixture(scope="module")
def narrow_llm(tmp_path_factory):
    """The full-size vocabulary and reply on a 1-layer, 256-wide LLM (K-quant rows are 256 wide)."""
    c = fullsize.fullsize_config()
    c.llm_embd, c.llm_layers, c.llm_heads, c.llm_heads_kv, c.llm_head_dim, c.llm_ff = 256, 1, 4, 1, 64, 256
    path = tmp_path_factory.mktemp("fullsize") / "llm.gguf"
    tiny.write_llm(c, path)
    return c, path


def test_scripted_chain_says_the_reply(narrow_llm):
    c, path = narrow_llm
    r = gguf.GGUFReader(str(path))
    t = {x.name: x for x in r.tensors}
    assert t["token_embd.weight"].tensor_type == gguf.GGMLQuantizationType.F16  # as published before quantizing
    emb = np.asarray(t["token_embd.weight"].data, dtype=np.float32)
    out = np.asarray(t["output.weight"].data, dtype=np.float32)
    H = emb.shape[1]
    toks = tiny_vocab.vocab(c.llm_vocab, c.reply)[0]

    def nxt(tok):
        x = emb[tok] / np.sqrt((emb[tok] ** 2).mean())  # RMS-norm; attention and FFN add zero
        return int(np.argmax(out @ x))
    cur, said = toks.index("<|tts_bos|>"), []
    for _ in range(len(c.reply) + 1):
        cur = nxt(cur)
        said.append(toks[cur])
    assert said == [tiny_vocab.piece(p) for p in c.reply] + ["<|tts_eos|>"]
    x = emb[toks.index(tiny_vocab.piece("Hello"))] * np.sqrt(H)
    assert (out @ x).max() == pytest.approx(tiny.LLM_MARGIN, rel=1e-2)  # F16 rounding only


def test_missing_quantize_tool_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.delenv(layout.ENV_LLAMA_OMNI_DIR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(tiny.TinyConfigError, match="--target llama-quantize"):
        fullsize.find_quantize_tool()
    with pytest.raises(tiny.TinyConfigError, match="not found at /nowhere"):
        fullsize.find_quantize_tool("/nowhere/llama-quantize")


def test_quantized_chain_keeps_its_margin(narrow_llm, tmp_path):
    """Q4_K_M (Q4_K/Q6_K) keeps zeros exact and one-hot rows renormalised: the chain survives."""
    try:
        tool = fullsize.find_quantize_tool()
    except tiny.TinyConfigError as e:
        print(f"skipped: {e}")
        pytest.skip(str(e))
    c, path = narrow_llm
    src = tmp_path / "llm-F16.gguf"
    src.write_bytes(Path(path).read_bytes())
    dst = tmp_path / fullsize.LLM_FILE
    import subprocess
    subprocess.run([str(tool), str(src), str(dst), fullsize.LLM_QUANT, str(os.cpu_count() or 1)], check=True,
                   capture_output=True)
    r = gguf.GGUFReader(str(dst))
    t = {x.name: x for x in r.tensors}
    from gguf.quants import dequantize
    emb = dequantize(t["token_embd.weight"].data, t["token_embd.weight"].tensor_type).reshape(-1, c.llm_embd)
    out = dequantize(t["output.weight"].data, t["output.weight"].tensor_type).reshape(-1, c.llm_embd)
    toks = tiny_vocab.vocab(c.llm_vocab, c.reply)[0]
    cur = toks.index("<|tts_bos|>")
    for piece in [tiny_vocab.piece(p) for p in c.reply] + ["<|tts_eos|>"]:
        x = emb[cur] / np.sqrt((emb[cur] ** 2).mean())
        logits = out @ x
        cur = int(np.argmax(logits))
        assert toks[cur] == piece
        assert np.sort(logits)[-1] - np.sort(logits)[-2] > 0.5 * tiny.LLM_MARGIN
    assert not np.asarray(dequantize(t["blk.0.ffn_down.weight"].data, t["blk.0.ffn_down.weight"].tensor_type)).any()
