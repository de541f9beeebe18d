"""Tiny random-weight MiniCPM-o 4.5 model sets that the real llama.cpp-omni engine loads.

    python -m models.tiny --tier text|vision|tts|full [--scripted] [--out DIR] [--force]

Tiers (cumulative where the engine allows; formats and sizes: docs/model-formats.md):
  text    LLM qwen3 H=128 + audio encoder d=64                          ~1.6 MB
  vision  + vision encoder D=64, resampler H=128                        ~3.5 MB
  tts     LLM H=4096 (the TTS projector fixes it) + audio + TTS 768-d
          + projector; no vision (its resampler would be 168 MB at 4096) ~290 MB
  full    tts + the five token2wav files at their fixed real shapes
          (F16 matmul weights, F32 convs, 1-step prompt cache)           ~740 MB

--scripted (docs/model-formats.md §8): attention-output and FFN-down are zero, so each hidden state is the
(normalised) input embedding and LLM/TTS act as Markov chains:
  LLM: "\\n" or <|tts_bos|> -> "H" -> "i" -> <|tts_eos|>       => reply text "Hi"
  TTS: audio_bos -> 0 -> 1 -> ... -> 35 -> EOS(6561)          => 36 audio tokens per TTS chunk
A turn is then deterministic and ends by itself; the margins survive the CLI's default sampling.

Sets are cached outside the repository (default ~/.cache/omni/tiny/<tier>[-scripted]/, or
$OMNI_TINY_CACHE/<...>) and reused when the marker file (written last) carries the same version hash.
Tensors are written one at a time (big ones in chunks), so memory stays well under 100 MB.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import layout
from .gguf_stream import CHUNK_ELEMS, StreamGGUF, array, const, normal, rows, write_stream
from .tiny_vocab import add_tokenizer, byte_id, piece, token_id, vocab
from .tiny_token2wav import (T2W_EXPECTED, t2w_encoder, t2w_flow_extra, t2w_flow_matching, t2w_hifigan,
                             t2w_prompt_cache)

GENERATOR_VERSION = "2"
TIERS = ("text", "vision", "tts", "full")
ENV_CACHE = "OMNI_TINY_CACHE"

# ---------------------------------------------------------------- fixed engine constants
TTS_LLM_EMBD = 4096          # projector in_dim is hard-coded (omni.cpp:1083)
TTS_EMBD = 768               # TTS hidden size is hard-coded (omni.cpp:1814)
TTS_TEXT_VOCAB = 152064      # emb_text rows (omni.cpp:1323)
TTS_AUDIO_TOKENS = 6562      # 6561 codes + EOS
TTS_AUDIO_EOS = 6561
TTS_AUDIO_BOS_ROW = 151687   # rows of emb_text the engine reads besides the LLM vocab
TTS_TEXT_EOS_ROW = 151692
WHISPER_N_FFT_BINS = 201     # fatal path #8: the default 400 aborts
RESAMPLER_D_HEAD = 128       # fatal path #10
VISION_POS_ROWS = 4900       # 70x70 bucket grid
AUDIO_POS_ROWS = 1500        # warm-up graph needs >= 1500

SCRIPTED_TEXT = "Hi"
SCRIPTED_TTS_TOKENS = 36     # audio tokens per TTS chunk in scripted mode
LLM_MARGIN = 64.0            # logit margin of the scripted chains (docs/model-formats.md §8)
TTS_MARGIN = 55.0


class TinyConfigError(ValueError):
    """A configuration the real engine would abort on (fatal paths #5-#11, docs/engine-hazards.md)."""


@dataclass
class TinyConfig:
    tier: str = "text"
    scripted: bool = False
    seed: int = 1234
    weight_std: float = 0.02
    # LLM (qwen3)
    llm_embd: int = 128
    llm_layers: int = 1
    llm_heads: int = 2
    llm_heads_kv: int = 1
    llm_head_dim: int = 64
    llm_ff: int = 256
    llm_ctx: int = 8192
    # audio encoder (whisper-like)
    audio_d: int = 64
    audio_heads: int = 2
    audio_layers: int = 1
    audio_proj_mid: int = 128
    audio_n_mel: int = 80
    audio_n_fft: int = WHISPER_N_FFT_BINS
    audio_filters_len: int | None = None      # None = n_mel * n_fft (only tests change it)
    # vision encoder (SigLIP-like) + resampler
    vision: bool = False
    vision_d: int = 64
    vision_heads: int = 2
    vision_layers: int = 1
    vision_ff: int = 128
    vision_image_size: int = 448
    vision_patch: int = 14
    vision_query: int = 64
    image_mean: tuple = (0.5, 0.5, 0.5)
    image_std: tuple = (0.5, 0.5, 0.5)
    # TTS
    tts: bool = False
    tts_layers: int = 1
    tts_heads: int = 12
    tts_ff: int = 16
    projector_file: bool = True
    # token2wav
    token2wav: bool = False
    t2w_f16: bool = True          # F16 matmul weights (convs stay F32: they must)
    t2w_timesteps: int = 1        # 1-step prompt cache: ~4x faster token2mel than the real N=10
    t2w_prompt_len: int = 50      # L = Le, must be even
    # Knobs of the full-size tier (models/fullsize.py); at their defaults the tiny sets and
    # their version hashes are unchanged.
    matrix_f16: bool = False      # 2-D weights in F16, as in the published files
    llm_vocab: int = 0            # 0: the minimal 279-token vocabulary; else padded to this size
    tts_vocab: int = 0            # the TTS tokenizer's size likewise (only its rows count)
    reply: tuple = ()             # scripted reply as vocabulary pieces; () = "Hi" in byte tokens
    tts_chain: int = SCRIPTED_TTS_TOKENS  # scripted audio tokens per TTS phase
    fast_fill: bool = False       # big random tensors repeat one random block (values never matter)

    def version_hash(self) -> str:
        d = dataclasses.asdict(self)
        for k, v in _FULLSIZE_DEFAULTS.items():
            if d[k] == v:
                del d[k]
        blob = json.dumps({"v": GENERATOR_VERSION, **d}, sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


_FULLSIZE_DEFAULTS = {f.name: f.default for f in dataclasses.fields(TinyConfig)
                      if f.name in ("matrix_f16", "llm_vocab", "tts_vocab", "reply", "tts_chain", "fast_fill")}


def tier_config(tier: str, scripted: bool = False) -> TinyConfig:
    if tier not in TIERS:
        raise TinyConfigError(f"unknown tier {tier!r} (choose from {', '.join(TIERS)})")
    cfg = TinyConfig(tier=tier, scripted=scripted)
    if tier == "vision":
        cfg.vision = True
    if tier in ("tts", "full"):
        cfg.tts = True
        # Validated tier-B shape: nh=1, hd=64, F=16 keeps the 4096-wide LLM at ~9 MB.
        cfg.llm_embd, cfg.llm_heads, cfg.llm_heads_kv, cfg.llm_head_dim, cfg.llm_ff = TTS_LLM_EMBD, 1, 1, 64, 16
    if tier == "full":
        cfg.token2wav = True
    return cfg


def validate_config(cfg: TinyConfig) -> None:
    """Reject what would abort or silently break the engine (docs/model-formats.md §10)."""
    errs = []
    if cfg.audio_n_fft != WHISPER_N_FFT_BINS:
        errs.append(f"#8 audio n_fft must be {WHISPER_N_FFT_BINS} (1 + 400/2), got {cfg.audio_n_fft}")
    flen = cfg.audio_filters_len if cfg.audio_filters_len is not None else cfg.audio_n_mel * cfg.audio_n_fft
    if flen != cfg.audio_n_mel * cfg.audio_n_fft:
        errs.append(f"#7 'filters' must have n_mel*n_fft = {cfg.audio_n_mel * cfg.audio_n_fft} floats, got {flen}")
    if cfg.audio_d % cfg.audio_heads:
        errs.append("audio d_model must be divisible by the head count")
    if cfg.llm_embd % 4 and cfg.vision:
        errs.append("vision sin-cos embedding needs LLM n_embd % 4 == 0")
    if cfg.vision and cfg.llm_embd % RESAMPLER_D_HEAD:
        errs.append(f"#10 resampler width (= LLM n_embd {cfg.llm_embd}) must be a multiple of {RESAMPLER_D_HEAD}")
    if cfg.vision and (len(cfg.image_mean) < 3 or len(cfg.image_std) < 3):
        errs.append("#7 clip.vision.image_mean/std need >= 3 floats")
    if cfg.vision and cfg.vision_image_size % cfg.vision_patch:
        errs.append("vision image_size must be a multiple of patch_size")
    if cfg.vision and cfg.vision_d % cfg.vision_heads:
        errs.append("vision width must be divisible by the head count")
    if cfg.tts and cfg.llm_embd != TTS_LLM_EMBD:
        errs.append(f"TTS needs LLM n_embd == {TTS_LLM_EMBD} (projector in_dim is hard-coded), got {cfg.llm_embd}")
    if cfg.token2wav and not cfg.tts:
        errs.append("token2wav without TTS produces nothing")
    if TTS_EMBD % cfg.tts_heads:
        errs.append("TTS 768 must be divisible by tts_heads")
    if not (0 < cfg.weight_std <= 0.05):
        errs.append(f"#11 weight std {cfg.weight_std} risks NaN/Inf logits; keep it in (0, 0.05]")
    if cfg.t2w_prompt_len % 2 or cfg.t2w_prompt_len > 550 or cfg.t2w_prompt_len < 2:
        errs.append("token2wav prompt length must be even and in [2, 550]")
    if cfg.t2w_timesteps < 1:
        errs.append("token2wav n_timesteps must be >= 1 (and match the caches)")
    if cfg.scripted and cfg.llm_embd < 8 + len(cfg.reply):
        errs.append("scripted LLM needs n_embd >= 8 + reply length for its one-hot chain")
    if len(set(cfg.reply)) != len(cfg.reply) or "" in cfg.reply:
        errs.append("scripted reply pieces must be distinct and non-empty (each has one successor)")
    if cfg.scripted and not (1 <= cfg.tts_chain < TTS_EMBD - 1):
        errs.append(f"tts_chain must be in [1, {TTS_EMBD - 2}]")
    # #5: both encoders project to the LLM width by construction (we derive their output from llm_embd).
    if errs:
        raise TinyConfigError("; ".join(errs))


# ---------------------------------------------------------------- LLM (qwen3)

def reply_text(cfg: TinyConfig) -> str:
    return "".join(cfg.reply) if cfg.reply else SCRIPTED_TEXT


def _llm_chain(cfg: TinyConfig) -> dict[int, int]:
    """Scripted next-token map: prompt end -> reply pieces ('H' -> 'i' by default) -> <|tts_eos|>
    (-> <|im_end|>)."""
    tid = lambda t: token_id(t, cfg.llm_vocab, cfg.reply)  # noqa: E731
    ids = [tid(piece(r)) for r in cfg.reply] if cfg.reply else [byte_id(c) for c in SCRIPTED_TEXT]
    tts_eos = tid("<|tts_eos|>")
    chain = {
        byte_id("\n"): ids[0],            # no-TTS assistant prompt ends with "assistant\n"
        tid("<|tts_bos|>"): ids[0],        # TTS assistant prompt ends with <|tts_bos|>
    }
    for a, b in zip(ids, ids[1:] + [tts_eos]):
        chain[a] = b                       # the last piece -> <|tts_eos|>: simplex stops (text is cut there)
    chain[tts_eos] = tid("<|im_end|>")
    return chain


def write_llm(cfg: TinyConfig, path: Path) -> int:
    s = StreamGGUF("qwen3", cfg.seed + 1)
    w = s.w
    H, V = cfg.llm_embd, len(vocab(cfg.llm_vocab, cfg.reply)[0])
    f16, big = cfg.matrix_f16, cfg.fast_fill
    w.add_name(f"MiniCPM-o-4_5-tiny-{cfg.tier}{'-scripted' if cfg.scripted else ''}")
    w.add_context_length(cfg.llm_ctx)
    w.add_embedding_length(H)
    w.add_block_count(cfg.llm_layers)
    w.add_feed_forward_length(cfg.llm_ff)
    w.add_head_count(cfg.llm_heads)
    w.add_head_count_kv(cfg.llm_heads_kv)
    w.add_key_length(cfg.llm_head_dim)
    w.add_value_length(cfg.llm_head_dim)
    w.add_rope_freq_base(1_000_000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(1 if f16 else 0)
    add_tokenizer(w, cfg.llm_vocab, cfg.reply)
    std = cfg.weight_std
    if cfg.scripted:
        chain = _llm_chain(cfg)
        starts = (byte_id("\n"), token_id("<|tts_bos|>", cfg.llm_vocab, cfg.reply))
        # one dim per chain source token (both prompt ends share dim 0); every other token
        # lives in dims the output ignores
        src_dim = {t: 0 for t in starts}
        for t in chain:
            src_dim.setdefault(t, len(set(src_dim.values())))
        n_chain_dims = 1 + max(src_dim.values())
        rnd = np.random.default_rng(cfg.seed).standard_normal((V, H - n_chain_dims), dtype=np.float32) * std \
            if V * H <= CHUNK_ELEMS * 4 else None   # tiny: the validated values; big: per-chunk blocks below

        def emb_rows(a, b):
            e = np.zeros((b - a, H), np.float32)
            if rnd is not None:
                e[:, n_chain_dims:] = rnd[a:b]
            else:
                e[:, n_chain_dims:] = np.random.default_rng([cfg.seed, a]).standard_normal(
                    (b - a, H - n_chain_dims), dtype=np.float32) * std
            for t, d in src_dim.items():
                if a <= t < b:
                    e[t - a, :] = 0.0
                    e[t - a, d] = 1.0
            return e

        def out_rows(a, b):
            o = np.zeros((b - a, H), np.float32)
            # RMS-norm maps a one-hot to sqrt(H) at its dim: scale so the logit is exactly the margin
            for t, nxt in chain.items():
                if a <= nxt < b:
                    o[nxt - a, src_dim[t]] = LLM_MARGIN / np.sqrt(H)
            return o
        s.tensor("token_embd.weight", (V, H), rows((V, H), emb_rows), f16=f16)
        s.tensor("output.weight", (V, H), rows((V, H), out_rows), f16=f16)
    else:
        s.tensor("token_embd.weight", (V, H), normal((V, H), std, big), f16=f16)
        s.tensor("output.weight", (V, H), normal((V, H), std, big), f16=f16)
    s.tensor("output_norm.weight", (H,), const((H,), 1.0))
    q, kv, hd, F = cfg.llm_heads * cfg.llm_head_dim, cfg.llm_heads_kv * cfg.llm_head_dim, cfg.llm_head_dim, cfg.llm_ff
    zero_res = cfg.scripted  # zero attn_output / ffn_down => hidden == input embedding
    for i in range(cfg.llm_layers):
        p = f"blk.{i}."
        s.tensor(p + "attn_norm.weight", (H,), const((H,), 1.0))
        s.tensor(p + "attn_q.weight", (q, H), normal((q, H), std, big), f16=f16)
        s.tensor(p + "attn_k.weight", (kv, H), normal((kv, H), std, big), f16=f16)
        s.tensor(p + "attn_v.weight", (kv, H), normal((kv, H), std, big), f16=f16)
        s.tensor(p + "attn_output.weight", (H, q), const((H, q), 0.0) if zero_res else normal((H, q), std, big),
                 f16=f16)
        s.tensor(p + "attn_q_norm.weight", (hd,), const((hd,), 1.0))
        s.tensor(p + "attn_k_norm.weight", (hd,), const((hd,), 1.0))
        s.tensor(p + "ffn_norm.weight", (H,), const((H,), 1.0))
        s.tensor(p + "ffn_gate.weight", (F, H), normal((F, H), std, big), f16=f16)
        s.tensor(p + "ffn_up.weight", (F, H), normal((F, H), std, big), f16=f16)
        s.tensor(p + "ffn_down.weight", (H, F), const((H, F), 0.0) if zero_res else normal((H, F), std, big),
                 f16=f16)
    s.write(path)
    return s.n_params()


# ---------------------------------------------------------------- audio encoder

def _mel_filters(n_mel: int, n_fft_bins: int) -> np.ndarray:
    """Triangular filters on a linear grid: plausible magnitudes, no librosa needed."""
    centers = np.linspace(0, n_fft_bins - 1, n_mel + 2)
    x = np.arange(n_fft_bins, dtype=np.float32)
    f = np.zeros((n_mel, n_fft_bins), np.float32)
    for m in range(n_mel):
        l, c, r = centers[m], centers[m + 1], centers[m + 2]
        f[m] = np.clip(np.minimum((x - l) / max(c - l, 1e-6), (r - x) / max(r - c, 1e-6)), 0, None)
    return f * 0.01


def write_audio(cfg: TinyConfig, path: Path) -> int:
    s = StreamGGUF("whisper", cfg.seed + 2)
    w = s.w
    d, M, P, H = cfg.audio_d, cfg.audio_n_mel, cfg.audio_proj_mid, cfg.llm_embd
    ff = 4 * d
    w.add_description("tiny audio encoder for MiniCPM-o 4.5 (omni tests)")
    # u32, not i32: gguf_get_val_u32 asserts the type (fatal path #7)
    w.add_uint32("d_model", d)
    w.add_uint32("encoder_attention_heads", cfg.audio_heads)
    w.add_uint32("encoder_layers", cfg.audio_layers)
    w.add_uint32("encoder_ffn_dim", ff)
    w.add_uint32("n_mel", M)
    w.add_uint32("n_fft", cfg.audio_n_fft)
    w.add_uint32("max_source_positions", AUDIO_POS_ROWS)
    filt = _mel_filters(M, cfg.audio_n_fft).reshape(-1).tolist()
    if cfg.audio_filters_len is not None:
        filt = (filt * 2)[: cfg.audio_filters_len]
    w.add_key_value("filters", filt, s.gguf.GGUFValueType.ARRAY, sub_type=s.gguf.GGUFValueType.FLOAT32)
    std, f16, big = cfg.weight_std, cfg.matrix_f16, cfg.fast_fill
    s.tensor("encoder.positional_embedding", (AUDIO_POS_ROWS, d), normal((AUDIO_POS_ROWS, d), std))
    # ggml_conv_1d_ph runs im2col in F16: an F32 kernel aborts at the first encode (not at warm-up)
    s.tensor("encoder.conv1.weight", (d, M, 3), normal((d, M, 3), std), f16=True)
    s.tensor("encoder.conv1.bias", (d, 1), const((d, 1), 0.0))      # (d,1): a [d] bias would not broadcast
    s.tensor("encoder.conv2.weight", (d, d, 3), normal((d, d, 3), std), f16=True)
    s.tensor("encoder.conv2.bias", (d, 1), const((d, 1), 0.0))
    for i in range(cfg.audio_layers):
        p = f"encoder.blocks.{i}."
        s.tensor(p + "attn_ln.weight", (d,), const((d,), 1.0))
        s.tensor(p + "attn_ln.bias", (d,), const((d,), 0.0))
        s.tensor(p + "attn.query.weight", (d, d), normal((d, d), std, big), f16=f16)
        s.tensor(p + "attn.query.bias", (d,), const((d,), 0.0))
        s.tensor(p + "attn.key.weight", (d, d), normal((d, d), std, big), f16=f16)   # no key bias
        s.tensor(p + "attn.value.weight", (d, d), normal((d, d), std, big), f16=f16)
        s.tensor(p + "attn.value.bias", (d,), const((d,), 0.0))
        s.tensor(p + "attn.out.weight", (d, d), normal((d, d), std, big), f16=f16)
        s.tensor(p + "attn.out.bias", (d,), const((d,), 0.0))
        s.tensor(p + "mlp_ln.weight", (d,), const((d,), 1.0))
        s.tensor(p + "mlp_ln.bias", (d,), const((d,), 0.0))
        s.tensor(p + "mlp.0.weight", (ff, d), normal((ff, d), std, big), f16=f16)
        s.tensor(p + "mlp.0.bias", (ff,), const((ff,), 0.0))
        s.tensor(p + "mlp.2.weight", (d, ff), normal((d, ff), std, big), f16=f16)
        s.tensor(p + "mlp.2.bias", (d,), const((d,), 0.0))
    s.tensor("encoder.ln_post.weight", (d,), const((d,), 1.0))
    s.tensor("encoder.ln_post.bias", (d,), const((d,), 0.0))
    s.tensor("audio_projector.linear1.weight", (P, d), normal((P, d), std, big), f16=f16)
    s.tensor("audio_projector.linear1.bias", (P,), const((P,), 0.0))
    # output width = linear2 ne[1] must equal the LLM n_embd (fatal path #5)
    s.tensor("audio_projector.linear2.weight", (H, P), normal((H, P), std, big), f16=f16)
    s.tensor("audio_projector.linear2.bias", (H,), const((H,), 0.0))
    s.write(path)
    return s.n_params()


# ---------------------------------------------------------------- vision encoder

def write_vision(cfg: TinyConfig, path: Path) -> int:
    s = StreamGGUF("clip", cfg.seed + 3)
    w = s.w
    D, F, H, Q, p = cfg.vision_d, cfg.vision_ff, cfg.llm_embd, cfg.vision_query, cfg.vision_patch
    w.add_bool("clip.has_vision_encoder", True)
    w.add_bool("clip.has_minicpmv_projector", True)
    w.add_string("clip.projector_type", "resampler")
    w.add_int32("clip.minicpmv_version", 100045)          # i32 (the only signed vision key)
    w.add_uint32("clip.minicpmv_query_num", Q)
    w.add_uint32("clip.vision.image_size", cfg.vision_image_size)
    w.add_uint32("clip.vision.patch_size", p)
    w.add_uint32("clip.vision.embedding_length", D)
    w.add_uint32("clip.vision.feed_forward_length", F)
    w.add_uint32("clip.vision.projection_dim", 0)
    w.add_uint32("clip.vision.attention.head_count", cfg.vision_heads)
    w.add_float32("clip.vision.attention.layer_norm_epsilon", 1e-6)
    w.add_uint32("clip.vision.block_count", cfg.vision_layers)
    w.add_bool("clip.use_gelu", True)
    # required f32 arrays: a missing one is a GGML_ASSERT abort (fatal path #7)
    w.add_key_value("clip.vision.image_mean", [float(x) for x in cfg.image_mean], s.gguf.GGUFValueType.ARRAY,
                    sub_type=s.gguf.GGUFValueType.FLOAT32)
    w.add_key_value("clip.vision.image_std", [float(x) for x in cfg.image_std], s.gguf.GGUFValueType.ARRAY,
                    sub_type=s.gguf.GGUFValueType.FLOAT32)
    std, f16, big = cfg.weight_std, cfg.matrix_f16, cfg.fast_fill
    s.tensor("v.patch_embd.weight", (D, 3, p, p), normal((D, 3, p, p), std))
    s.tensor("v.patch_embd.bias", (D,), const((D,), 0.0))
    s.tensor("v.position_embd.weight", (VISION_POS_ROWS, D), normal((VISION_POS_ROWS, D), std))
    for i in range(cfg.vision_layers):
        b = f"v.blk.{i}."
        for n in ("attn_q", "attn_k", "attn_v", "attn_out"):
            s.tensor(b + n + ".weight", (D, D), normal((D, D), std, big), f16=f16)
            s.tensor(b + n + ".bias", (D,), const((D,), 0.0))
        for n in ("ln1", "ln2"):
            s.tensor(b + n + ".weight", (D,), const((D,), 1.0))
            s.tensor(b + n + ".bias", (D,), const((D,), 0.0))
        s.tensor(b + "ffn_up.weight", (F, D), normal((F, D), std, big), f16=f16)
        s.tensor(b + "ffn_up.bias", (F,), const((F,), 0.0))
        s.tensor(b + "ffn_down.weight", (D, F), normal((D, F), std, big), f16=f16)
        s.tensor(b + "ffn_down.bias", (D,), const((D,), 0.0))
    s.tensor("v.post_ln.weight", (D,), const((D,), 1.0))
    s.tensor("v.post_ln.bias", (D,), const((D,), 0.0))
    s.tensor("resampler.query", (Q, H), normal((Q, H), std))   # layer-normed: F32
    s.tensor("resampler.kv.weight", (H, D), normal((H, D), std, big), f16=f16)
    for n in ("q", "kv", "post"):
        s.tensor(f"resampler.ln_{n}.weight", (H,), const((H,), 1.0))
        s.tensor(f"resampler.ln_{n}.bias", (H,), const((H,), 0.0))
    for n in ("q", "k", "v", "out"):
        s.tensor(f"resampler.attn.{n}.weight", (H, H), normal((H, H), std, big), f16=f16)
        s.tensor(f"resampler.attn.{n}.bias", (H,), const((H,), 0.0))
    s.tensor("resampler.proj.weight", (H, H), normal((H, H), std, big), f16=f16)   # square: width read from ne[0]
    s.tensor("resampler.pos_embed_k", (1, H), const((1, H), 0.0))      # required, never used
    s.write(path)
    return s.n_params()


# ---------------------------------------------------------------- TTS + projector

def write_tts(cfg: TinyConfig, path: Path) -> int:
    s = StreamGGUF("llama", cfg.seed + 4)
    w = s.w
    E, F = TTS_EMBD, cfg.tts_ff
    V = len(vocab(cfg.tts_vocab)[0])                    # the TTS model's own (unused) tokenizer
    V_llm = len(vocab(cfg.llm_vocab, cfg.reply)[0])     # emb_text rows the engine reads: LLM token ids
    f16 = cfg.matrix_f16
    w.add_name("MiniCPM-o-4_5-tts-tiny")
    w.add_context_length(8192)
    w.add_embedding_length(E)
    w.add_block_count(cfg.tts_layers)
    w.add_feed_forward_length(F)
    w.add_head_count(cfg.tts_heads)
    w.add_head_count_kv(cfg.tts_heads)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(1)
    add_tokenizer(w, cfg.tts_vocab)  # required by the llama loader; only checked for emptiness
    std = cfg.weight_std
    s.tensor("token_embd.weight", (V, E), normal((V, E), std), f16=f16)
    s.tensor("output_norm.weight", (E,), const((E,), 1.0))   # no output.weight: the fork skips logits
    for i in range(cfg.tts_layers):
        p = f"blk.{i}."
        s.tensor(p + "attn_norm.weight", (E,), const((E,), 1.0))
        for n in ("attn_q", "attn_k", "attn_v"):
            s.tensor(p + n + ".weight", (E, E), normal((E, E), std), f16=f16)
        s.tensor(p + "attn_output.weight", (E, E), const((E, E), 0.0) if cfg.scripted else normal((E, E), std),
                 f16=f16)
        s.tensor(p + "ffn_norm.weight", (E,), const((E,), 1.0))
        s.tensor(p + "ffn_gate.weight", (F, E), normal((F, E), std), f16=f16)
        s.tensor(p + "ffn_up.weight", (F, E), normal((F, E), std), f16=f16)
        s.tensor(p + "ffn_down.weight", (E, F), const((E, F), 0.0) if cfg.scripted else normal((E, F), std),
                 f16=f16)
    n_chain = cfg.tts_chain
    # audio code k lives in dim k+1, audio_bos in dim 0 (scripted); only rows < V and the two
    # special rows of emb_text are ever read, the rest stays zero (compressible, cheap to write)
    special = {TTS_AUDIO_BOS_ROW, TTS_TEXT_EOS_ROW}

    def emb_text_rows(a, b, _seed=cfg.seed):
        out = np.zeros((b - a, E), np.float32)
        for r in range(a, b):
            if r < V_llm or r in special:
                rr = np.random.default_rng([_seed, r])
                vec = rr.standard_normal(E, dtype=np.float32) * std
                if cfg.scripted:
                    vec[: n_chain + 1] = 0.0
                    if r == TTS_AUDIO_BOS_ROW:
                        vec[:] = 0.0
                        vec[0] = 1.0
                out[r - a] = vec
        return out
    s.tensor("emb_text.weight", (TTS_TEXT_VOCAB, E), rows((TTS_TEXT_VOCAB, E), emb_text_rows), f16=True)

    if cfg.scripted:
        ec = np.random.default_rng(cfg.seed + 40).standard_normal((TTS_AUDIO_TOKENS, E), dtype=np.float32) * std
        ec[:, : n_chain + 1] = 0.0
        for k in range(n_chain):
            ec[k, :] = 0.0
            ec[k, k + 1] = 1.0
        hc = np.zeros((E, TTS_AUDIO_TOKENS), np.float32)   # data is [hidden][class] (omni.cpp:1697)
        m = TTS_MARGIN / np.sqrt(E)
        hc[0, 0] = m                                        # audio_bos -> code 0
        for k in range(n_chain - 1):
            hc[k + 1, k + 1] = m                            # code k -> code k+1
        hc[n_chain, TTS_AUDIO_EOS] = m                      # last code -> EOS
        s.tensor("emb_code.0.weight", (TTS_AUDIO_TOKENS, E), array(ec), f16=True)
        s.tensor("head_code.0.weight", (E, TTS_AUDIO_TOKENS), array(hc), f16=True)
    else:
        s.tensor("emb_code.0.weight", (TTS_AUDIO_TOKENS, E), normal((TTS_AUDIO_TOKENS, E), std), f16=True)
        s.tensor("head_code.0.weight", (E, TTS_AUDIO_TOKENS), normal((E, TTS_AUDIO_TOKENS), std), f16=True)
    _projector_tensors(s, "projector_semantic.", std)
    s.write(path)
    return s.n_params()


def _projector_tensors(s: StreamGGUF, prefix: str, std: float) -> None:
    # Linear(4096 -> 768), Linear(768 -> 768): the shapes the engine hard-codes
    s.tensor(prefix + "linear1.weight", (TTS_EMBD, TTS_LLM_EMBD), normal((TTS_EMBD, TTS_LLM_EMBD), std), f16=True)
    s.tensor(prefix + "linear1.bias", (TTS_EMBD,), const((TTS_EMBD,), 0.0))
    s.tensor(prefix + "linear2.weight", (TTS_EMBD, TTS_EMBD), normal((TTS_EMBD, TTS_EMBD), std), f16=True)
    s.tensor(prefix + "linear2.bias", (TTS_EMBD,), const((TTS_EMBD,), 0.0))


def write_projector(cfg: TinyConfig, path: Path) -> int:
    s = StreamGGUF("minicpmo_projector", cfg.seed + 5)
    _projector_tensors(s, "", cfg.weight_std)
    s.write(path)
    return s.n_params()


# ---------------------------------------------------------------- verification (reads headers back)

def verify_file(path: Path) -> dict:
    """Re-read a written GGUF and check the key types the engine asserts on. Returns {key: type name}."""
    import gguf
    r = gguf.GGUFReader(str(path))
    T = gguf.GGUFValueType
    types = {f.name: f.types for f in r.fields.values()}

    def need(key, *tps):
        if key not in types:
            raise TinyConfigError(f"{path.name}: missing key {key}")
        if list(types[key][: len(tps)]) != list(tps):
            raise TinyConfigError(f"{path.name}: key {key} has types {types[key]}, want {tps}")
    name = path.name
    if name.endswith("audio-F16.gguf"):
        for k in ("d_model", "encoder_attention_heads", "encoder_layers", "n_mel", "n_fft"):
            need(k, T.UINT32)
        need("filters", T.ARRAY, T.FLOAT32)
        n_mel = int(r.fields["n_mel"].parts[-1][0])
        n_fft = int(r.fields["n_fft"].parts[-1][0])
        if n_fft != WHISPER_N_FFT_BINS:
            raise TinyConfigError(f"{name}: n_fft {n_fft} != {WHISPER_N_FFT_BINS}")
        for t in r.tensors:
            if t.name in ("encoder.conv1.weight", "encoder.conv2.weight") and \
                    t.tensor_type != gguf.GGMLQuantizationType.F16:
                raise TinyConfigError(f"{name}: {t.name} must be F16 (im2col F16 path)")
        if len(r.fields["filters"].data) != n_mel * n_fft:
            raise TinyConfigError(f"{name}: filters has {len(r.fields['filters'].data)} floats, want {n_mel * n_fft}")
    elif name.endswith("vision-F16.gguf"):
        for k in ("embedding_length", "attention.head_count", "feed_forward_length", "block_count",
                  "projection_dim"):
            need("clip.vision." + k, T.UINT32)
        need("clip.vision.image_size", T.UINT32)
        need("clip.vision.patch_size", T.UINT32)
        need("clip.vision.attention.layer_norm_epsilon", T.FLOAT32)
        need("clip.vision.image_mean", T.ARRAY, T.FLOAT32)
        need("clip.vision.image_std", T.ARRAY, T.FLOAT32)
        need("clip.minicpmv_version", T.INT32)
    elif name == "prompt_cache.gguf":
        need("mtmd.prompt_cache.n_timesteps", T.INT32)
        need("mtmd.prompt_cache.temperature", T.FLOAT32)
    elif name in T2W_EXPECTED:
        n_t, n_p = T2W_EXPECTED[name]
        got_p = sum(int(t.n_elements) for t in r.tensors)
        if len(r.tensors) != n_t or got_p != n_p:
            raise TinyConfigError(f"{name}: {len(r.tensors)} tensors / {got_p} params, want {n_t} / {n_p}")
        for t in r.tensors:
            if len(t.shape) == 3 and t.tensor_type != gguf.GGMLQuantizationType.F32:
                raise TinyConfigError(f"{name}: conv {t.name} must be F32")
    return {k: [int(x) for x in v] for k, v in types.items()}


# ---------------------------------------------------------------- set assembly + cache

def default_cache_root() -> Path:
    env = os.environ.get(ENV_CACHE)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "omni" / "tiny"


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _check_outside_repo(out: Path) -> None:
    repo = _repo_root()
    o = out.resolve()
    if o == repo or repo in o.parents:
        raise TinyConfigError(f"refusing to write generated models inside the repository: {o}")


def set_name(tier: str, scripted: bool) -> str:
    return f"{tier}-scripted" if scripted else tier


def expected_files(cfg: TinyConfig) -> list[str]:
    files = [layout.LLM_DEFAULT, layout.AUDIO_REL]
    if cfg.vision:
        files.append(layout.VISION_REL)
    if cfg.tts:
        files.append(layout.TTS_REL)
        if cfg.projector_file:
            files.append(layout.PROJECTOR_REL)
    if cfg.token2wav:
        files += [f"token2wav/{f}" for f in layout.TOKEN2WAV_FILES]
    return files


def is_complete(out: Path, cfg: TinyConfig) -> bool:
    marker = out / layout.TINY_MARKER
    try:
        meta = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    return meta.get("version") == cfg.version_hash() and all((out / f).is_file() for f in expected_files(cfg))


def generate(cfg: TinyConfig, out: Path, log=print,
             llm_step: tuple[str, Callable[[TinyConfig, Path], int]] | None = None) -> Path:
    """Write the set into out (via a sibling temp dir renamed at the end; the marker is written last).
    llm_step (file name, writer) replaces the LLM's (models/fullsize.py quantizes it)."""
    validate_config(cfg)
    out = Path(out).expanduser()
    _check_outside_repo(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "audio").mkdir(parents=True)
    t0 = time.time()
    steps: list[tuple[str, Callable[[TinyConfig, Path], int]]] = [
        llm_step or (layout.LLM_DEFAULT, write_llm), (layout.AUDIO_REL, write_audio)]
    if cfg.vision:
        steps.append((layout.VISION_REL, write_vision))
    if cfg.tts:
        steps.append((layout.TTS_REL, write_tts))
        if cfg.projector_file:
            steps.append((layout.PROJECTOR_REL, write_projector))
    if cfg.token2wav:
        for fname, mk in (("encoder.gguf", t2w_encoder), ("flow_matching.gguf", t2w_flow_matching),
                          ("flow_extra.gguf", t2w_flow_extra), ("hifigan2.gguf", t2w_hifigan),
                          ("prompt_cache.gguf", t2w_prompt_cache)):
            steps.append((f"token2wav/{fname}", lambda c, p, mk=mk: write_stream(mk(c), p)))
    sizes = {}
    for rel, fn in steps:
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        t1 = time.time()
        fn(cfg, p)
        verify_file(p)
        sizes[rel] = p.stat().st_size
        log(f"  wrote {rel:45s} {sizes[rel] / 1e6:9.2f} MB  {time.time() - t1:5.1f} s")
    if cfg.token2wav:
        layout.link_token2wav_into_tts(tmp)   # tts/ = projector + token2wav = the tts_bin_dir
    meta = {
        "version": cfg.version_hash(), "generator": GENERATOR_VERSION, "tier": cfg.tier,
        "scripted": cfg.scripted, "config": dataclasses.asdict(cfg), "files": sizes,
        "expect": expectations(cfg),
    }
    (tmp / layout.TINY_MARKER).write_text(json.dumps(meta, indent=1, default=list))
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    log(f"tiny set '{set_name(cfg.tier, cfg.scripted)}' ready in {time.time() - t0:.1f} s: {out}")
    return out



def expectations(cfg: TinyConfig) -> dict:
    """What a real-engine simplex turn on this set should produce (scripted sets only)."""
    if not cfg.scripted:
        return {}
    e = {"text": reply_text(cfg)}
    if cfg.tts:
        e["tts_tokens_per_chunk"] = cfg.tts_chain
    return e


def ensure_tiny_models(tier: str, scripted: bool = False, out: str | os.PathLike | None = None,
                       force: bool = False, log=print) -> Path:
    """Path of a complete tiny set for tier, generating it only when missing or stale."""
    cfg = tier_config(tier, scripted)
    dest = Path(out).expanduser() if out else default_cache_root() / set_name(tier, scripted)
    if not force and is_complete(dest, cfg):
        return dest
    return generate(cfg, dest, log=log)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.tiny", description=__doc__.splitlines()[0])
    ap.add_argument("--tier", choices=TIERS, default="text")
    ap.add_argument("--scripted", action="store_true",
                    help="deterministic Markov-chain LLM/TTS: reply 'Hi', 36 audio tokens per TTS chunk")
    ap.add_argument("--out", default=None, help="output dir (default ~/.cache/omni/tiny/<tier>[-scripted])")
    ap.add_argument("--force", action="store_true", help="regenerate even if a complete set exists")
    args = ap.parse_args(argv)
    try:
        p = ensure_tiny_models(args.tier, args.scripted, args.out, force=args.force)
    except TinyConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
