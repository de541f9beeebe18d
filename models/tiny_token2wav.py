"""The five token2wav files (encoder, flow matching, flow extra, HiFT vocoder, prompt cache) at
their fixed real shapes, with random values: libomni checks their shapes, so the tiny tiers
cannot shrink them. Shapes are numpy order = ggml ne reversed (docs/model-formats.md §1, §7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .gguf_stream import StreamGGUF, conv1d, const, layer_norm, linear, normal

if TYPE_CHECKING:
    from .tiny import TinyConfig

# Convs must be F32.
T2W_D, T2W_F, T2W_M, T2W_S, T2W_V = 512, 2048, 80, 192, 6561
T2W_EXPECTED = {  # (tensor count, parameter count) of the real files (docs/model-formats.md §7)
    "encoder.gguf": (206, 37_831_168),
    "flow_matching.gguf": (394, 114_555_472),
    "flow_extra.gguf": (5, 3_415_712),
    "hifigan2.gguf": (246, 20_806_557),
}



def t2w_encoder(cfg: TinyConfig) -> StreamGGUF:
    s = StreamGGUF("token2wav_encoder", cfg.seed + 10)
    D, F, std, h = T2W_D, T2W_F, cfg.weight_std, cfg.t2w_f16
    linear(s, "embed.out.0", D, D, std, h)
    layer_norm(s, "embed.out.1", D)
    conv1d(s, "pre_lookahead_layer.conv1", D, D, 4, std)   # K-1 = pre-lookahead 3
    conv1d(s, "pre_lookahead_layer.conv2", D, D, 3, std)
    for P in [f"encoders.{i}" for i in range(6)] + [f"up_encoders.{i}" for i in range(4)]:
        layer_norm(s, P + ".norm_mha", D)
        layer_norm(s, P + ".norm_ff", D)
        for n in ("q", "k", "v", "out"):
            linear(s, f"{P}.self_attn.linear_{n}", D, D, std, h)
        linear(s, f"{P}.self_attn.linear_pos", D, D, std, h, bias=False)
        # 2-D but added, not multiplied: keep F32
        s.tensor(P + ".self_attn.pos_bias_u", (8, 64), normal((8, 64), std))
        s.tensor(P + ".self_attn.pos_bias_v", (8, 64), normal((8, 64), std))
        linear(s, P + ".feed_forward.w_1", D, F, std, h)
        linear(s, P + ".feed_forward.w_2", F, D, std, h)
    conv1d(s, "up_layer.conv", D, D, 5, std)
    linear(s, "up_embed.out.0", D, D, std, h)
    layer_norm(s, "up_embed.out.1", D)
    layer_norm(s, "after_norm", D)
    return s


def t2w_flow_matching(cfg: TinyConfig) -> StreamGGUF:
    s = StreamGGUF("token2wav_dit", cfg.seed + 11)
    D, std, h = T2W_D, cfg.weight_std, cfg.t2w_f16
    e = "estimator."
    linear(s, e + "t_embedder.mlp.0", 256, D, std, h)
    linear(s, e + "t_embedder.mlp.2", D, D, std, h)
    linear(s, e + "in_proj", 4 * T2W_M, D, std, h)
    for i in range(16):
        P = f"{e}blocks.{i}."
        linear(s, P + "adaLN_modulation.1", D, 9 * D, std, h)
        for n in ("to_q", "to_k", "to_v"):
            linear(s, P + "attn." + n, D, D, std, h)
        layer_norm(s, P + "attn.q_norm", 64)
        layer_norm(s, P + "attn.k_norm", 64)
        linear(s, P + "attn.proj", D, D, std, h)
        conv1d(s, P + "conv.block.1", D, D, 3, std)
        layer_norm(s, P + "conv.block.3", D)
        conv1d(s, P + "conv.block.6", D, D, 3, std)
        linear(s, P + "mlp.fc1", D, 4 * D, std, h)
        linear(s, P + "mlp.fc2", 4 * D, D, std, h)
    linear(s, e + "final_layer.adaLN_modulation.1", D, 2 * D, std, h)
    linear(s, e + "final_layer.linear", D, T2W_M, std, h)
    return s


def t2w_flow_extra(cfg: TinyConfig) -> StreamGGUF:
    s = StreamGGUF("token2wav_flow_extra", cfg.seed + 12)
    std, h = cfg.weight_std, cfg.t2w_f16
    s.tensor("input_embedding.weight", (T2W_V, T2W_D), normal((T2W_V, T2W_D), std), f16=h)
    linear(s, "spk_embed_affine_layer", T2W_S, T2W_M, std, h)
    linear(s, "encoder_proj", T2W_D, T2W_M, std, h)
    return s


def t2w_hifigan(cfg: TinyConfig) -> StreamGGUF:
    s = StreamGGUF("token2wav_hift", cfg.seed + 13)   # every tensor F32 (explicit checks)
    std, M = cfg.weight_std, T2W_M
    conv1d(s, "f0_predictor.condnet.0", M, 512, 3, std)
    for i in (2, 4, 6, 8):
        conv1d(s, f"f0_predictor.condnet.{i}", 512, 512, 3, std)
    s.tensor("f0_predictor.classifier.weight", (1, 512), normal((1, 512), std))
    s.tensor("f0_predictor.classifier.bias", (1,), const((1,), 150.0))   # voiced f0 -> audible sine source
    s.tensor("m_source.l_linear.weight", (1, 9), normal((1, 9), std))
    s.tensor("m_source.l_linear.bias", (1,), const((1,), 0.0))
    conv1d(s, "conv_pre", M, 512, 7, std)
    # ConvTranspose1d weights are (Cin, Cout, K)
    for i, (cin, cout, k) in enumerate(((512, 256, 16), (256, 128, 11), (128, 64, 7))):
        s.tensor(f"ups.{i}.weight", (cin, cout, k), normal((cin, cout, k), std))
        s.tensor(f"ups.{i}.bias", (cout,), normal((cout,), std))
    for i, (cout, k) in enumerate(((256, 30), (128, 6), (64, 1))):
        conv1d(s, f"source_downs.{i}", 18, cout, k, std)

    def resblock(prefix, c, k):
        for j in range(3):
            conv1d(s, f"{prefix}.convs1.{j}", c, c, k, std)
        for j in range(3):
            conv1d(s, f"{prefix}.convs2.{j}", c, c, k, std)
        for a in (1, 2):
            for j in range(3):
                s.tensor(f"{prefix}.activations{a}.{j}.alpha", (c,), const((c,), 1.0))
    for i, (c, k) in enumerate(((256, 7), (128, 7), (64, 11))):
        resblock(f"source_resblocks.{i}", c, k)
    for si, c in enumerate((256, 128, 64)):
        for j, k in enumerate((3, 7, 11)):
            resblock(f"resblocks.{3 * si + j}", c, k)
    conv1d(s, "conv_post", 64, 18, 7, std)
    return s


def t2w_prompt_cache(cfg: TinyConfig) -> StreamGGUF:
    s = StreamGGUF("token2wav_prompt_cache", cfg.seed + 14)
    N, L = cfg.t2w_timesteps, cfg.t2w_prompt_len
    w = s.w
    # i32 / f32 exactly: gguf_get_val_i32 asserts the type
    w.add_int32("mtmd.prompt_cache.n_timesteps", N)
    w.add_float32("mtmd.prompt_cache.temperature", 1.0)
    w.add_int32("mtmd.prompt_cache.version", 2)
    w.add_int32("mtmd.prompt_cache.pre_lookahead", 3)
    w.add_int32("mtmd.prompt_cache.chunk_main", 25)
    w.add_int32("mtmd.prompt_cache.chunk_total", 28)
    w.add_int32("mtmd.prompt_cache.up_rate", 2)
    c = 0.1
    s.tensor("prompt_cache.spk_cb", (1, T2W_S), normal((1, T2W_S), c))
    s.tensor("prompt_cache.conformer_cnn_cache", (6, T2W_D), normal((6, T2W_D), c))
    s.tensor("prompt_cache.conformer_att_cache", (10, 8, L, 128), normal((10, 8, L, 128), c))
    # ne[2] must be exactly 16*N / 128*N: caches and n_timesteps must agree or the engine aborts
    s.tensor("prompt_cache.estimator_cnn_cache", (2, 16 * N, 2, 1024), normal((2, 16 * N, 2, 1024), c))
    s.tensor("prompt_cache.estimator_att_cache", (2, 128 * N, L, 128), normal((2, 128 * N, L, 128), c))
    return s
