// model_check.cpp — see model_check.h. The files are read with ggml's own GGUF reader (the one
// every libomni loader uses), metadata only. The rules are the loaders' (upstream
// tools/omni/audition.cpp, vision.cpp, omni.cpp, token2wav/token2wav-impl.cpp) and are
// described in docs/model-formats.md; "fatal path #N" refers to the list in docs/engine-hazards.md.
#include "model_check.h"

#include "gguf_header_scan.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "../engine.h"
#include "ggml.h"
#include "gguf.h"

namespace fs = std::filesystem;

namespace omni::llama {

namespace {

// Sets of ggml tensor types, one bit per type.
using Types = uint64_t;
constexpr Types kF32 = Types(1) << GGML_TYPE_F32, kF16 = Types(1) << GGML_TYPE_F16, kFloat = kF32 | kF16, kAny = ~Types(0);
static_assert(GGML_TYPE_COUNT <= 64, "one bit per ggml type");

// Dimensions named in shape patterns ("d", "H", ...), bound by the first tensor that shows them.
using Vars = std::map<std::string, int64_t>;

std::string with_commas(int64_t v) {
    std::string s = std::to_string(v);
    for (int i = int(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3) s.insert(size_t(i), ",");
    return s;
}

// One GGUF file: header, metadata and tensor infos, no tensor data.
class Gguf {
public:
    Gguf(const std::string &path, const char *what) : path_(path), what_(what) {
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) fail("not found (or not a regular file)");
        const uintmax_t size = fs::file_size(path, ec);
        if (ec) fail("cannot be read (" + ec.message() + ")");
        char magic[4] = {0, 0, 0, 0};
        if (FILE *f = std::fopen(path.c_str(), "rb")) {
            size_t got = std::fread(magic, 1, 4, f);
            std::fclose(f);
            if (got < 4) fail("is " + std::to_string(size) + " bytes long, too short for a GGUF file");
        } else {
            fail("cannot be opened");
        }
        if (std::string(magic, 4) != "GGUF") {
            char hex[32];
            std::snprintf(hex, sizeof hex, "%02x %02x %02x %02x", (unsigned char)magic[0], (unsigned char)magic[1],
                          (unsigned char)magic[2], (unsigned char)magic[3]);
            fail(std::string("is not a GGUF file (it starts with ") + hex + ")");
        }
        const std::string hazard = gguf_header_hazard(path);
        if (!hazard.empty()) fail("has a damaged GGUF header: " + hazard);
        gguf_init_params params{};
        params.no_alloc = true;
        ggml_context *meta = nullptr;
        params.ctx = &meta;
        ctx_.reset(gguf_init_from_file(path.c_str(), params));
        meta_.reset(meta);
        if (!ctx_ || !meta_)
            fail("has a corrupt or cut-off GGUF header (ggml's reader refused its metadata or tensor list)");
        // Tensor data the header announces beyond the end of the file: libomni's loaders read it
        // with fread/ifstream, some without checking.
        const size_t data = gguf_get_data_offset(ctx_.get());
        for (int64_t i = 0; i < gguf_get_n_tensors(ctx_.get()); i++) {
            const size_t end = data + gguf_get_tensor_offset(ctx_.get(), i) + gguf_get_tensor_size(ctx_.get(), i);
            if (end > size)
                fail("is cut short: " + with_commas(int64_t(size)) + " bytes, but tensor '" +
                     gguf_get_tensor_name(ctx_.get(), i) + "' ends at byte " + with_commas(int64_t(end)) +
                     " (an interrupted download or copy?)");
        }
    }
    Gguf(const Gguf &) = delete;
    Gguf &operator=(const Gguf &) = delete;

    [[noreturn]] void fail(const std::string &what) const {
        throw Error(OMNI_ERR_MODEL, what_ + " " + path_ + ": " + what);
    }

    // ---- metadata: every getter checks the type first (ggml's getters assert it) ----------
    int64_t key(const char *name) const { return gguf_find_key(ctx_.get(), name); }

    void want_type(const char *name, int64_t k, gguf_type t) const {
        gguf_type got = gguf_get_kv_type(ctx_.get(), k);
        if (got != t)
            fail("metadata '" + std::string(name) + "' is " + type_name(got) + ", the loader reads it as " +
                 type_name(t) + " and aborts on any other type");
    }
    // required: missing is an error; otherwise `fallback` is returned.
    uint32_t u32(const char *name, bool required, uint32_t fallback = 0) const {
        int64_t k = key(name);
        if (k < 0) return required ? (fail("metadata '" + std::string(name) + "' is missing"), 0) : fallback;
        want_type(name, k, GGUF_TYPE_UINT32);
        return gguf_get_val_u32(ctx_.get(), k);
    }
    int32_t i32(const char *name, bool required, int32_t fallback = 0) const {
        int64_t k = key(name);
        if (k < 0) return required ? (fail("metadata '" + std::string(name) + "' is missing"), 0) : fallback;
        want_type(name, k, GGUF_TYPE_INT32);
        return gguf_get_val_i32(ctx_.get(), k);
    }
    float f32(const char *name, bool required) const {
        int64_t k = key(name);
        if (k < 0) return required ? (fail("metadata '" + std::string(name) + "' is missing"), 0.0f) : 0.0f;
        want_type(name, k, GGUF_TYPE_FLOAT32);
        return gguf_get_val_f32(ctx_.get(), k);
    }
    void optional(const char *name, gguf_type t) const {
        int64_t k = key(name);
        if (k >= 0) want_type(name, k, t);
    }
    // An array whose elements are one of `elems`; returns its length (0 when absent and optional).
    size_t array(const char *name, bool required, std::vector<gguf_type> elems) const {
        int64_t k = key(name);
        if (k < 0) return required ? (fail("metadata '" + std::string(name) + "' is missing"), 0) : 0;
        want_type(name, k, GGUF_TYPE_ARRAY);
        gguf_type e = gguf_get_arr_type(ctx_.get(), k);
        bool ok = false;
        for (gguf_type t : elems) ok |= e == t;
        if (!ok)
            fail("metadata '" + std::string(name) + "' is an array of " + type_name(e) + ", the loader reads " +
                 type_name(elems.front()));
        return gguf_get_arr_n(ctx_.get(), k);
    }

    // ---- tensors ---------------------------------------------------------------------------
    const ggml_tensor *tensor(const std::string &name) const { return ggml_get_tensor(meta_.get(), name.c_str()); }
    int64_t n_tensors() const { return gguf_get_n_tensors(ctx_.get()); }
    int64_t n_params() const {
        int64_t n = 0;
        for (ggml_tensor *t = ggml_get_first_tensor(meta_.get()); t; t = ggml_get_next_tensor(meta_.get(), t)) n += ggml_nelements(t);
        return n;
    }

    // `shape` lists ne[0], ne[1], ... separated by spaces: a number, a name bound on first use
    // (then every later use must agree), ">=N", or "*"; dimensions beyond the list must be 1.
    // Returns the tensor, or nullptr when it is absent and not required.
    const ggml_tensor *expect(const std::string &name, const char *shape, Types types, Vars &vars,
                              bool required = true) const {
        const ggml_tensor *t = tensor(name);
        if (!t) {
            if (required) fail("tensor '" + name + "' is missing");
            return nullptr;
        }
        if (!(types & (Types(1) << t->type)))
            fail("tensor '" + name + "' is " + ggml_type_name(t->type) + ", the engine needs " + types_text(types));
        std::istringstream in(shape);
        std::string tok;
        int dim = 0;
        Vars bound = vars;
        while (in >> tok) {
            if (dim >= GGML_MAX_DIMS) break;
            const int64_t n = t->ne[dim];
            bool ok = true;
            if (tok == "*") {
            } else if (tok.rfind(">=", 0) == 0) {
                ok = n >= std::stoll(tok.substr(2));
            } else if (std::isdigit((unsigned char)tok[0])) {
                ok = n == std::stoll(tok);
            } else {
                auto it = bound.find(tok);
                if (it == bound.end()) bound[tok] = n;
                else ok = it->second == n;
            }
            if (!ok) fail("tensor '" + name + "' has shape " + shape_text(t) + ", expected [" + describe(shape, vars) + "]");
            dim++;
        }
        for (; dim < GGML_MAX_DIMS; dim++)
            if (t->ne[dim] != 1)
                fail("tensor '" + name + "' has shape " + shape_text(t) + ", expected [" + describe(shape, vars) + "]");
        vars = bound;
        return t;
    }

    static std::string shape_text(const ggml_tensor *t) {
        int n = GGML_MAX_DIMS;
        while (n > 1 && t->ne[n - 1] == 1) n--;
        std::string s = "[";
        for (int i = 0; i < n; i++) s += (i ? ", " : "") + std::to_string(t->ne[i]);
        return s + "]";
    }

private:
    static std::string type_name(gguf_type t) { return t < GGUF_TYPE_COUNT ? gguf_type_name(t) : "unknown"; }
    static std::string types_text(Types types) {
        return types == kF32 ? "F32" : types == kF16 ? "F16" : types == kFloat ? "F32 or F16" : "a ggml type";
    }
    // The pattern with the names already known replaced by their values.
    static std::string describe(const char *shape, const Vars &vars) {
        std::istringstream in(shape);
        std::string tok, out;
        while (in >> tok) {
            auto it = vars.find(tok);
            out += (out.empty() ? "" : ", ") + (it != vars.end() ? tok + "=" + std::to_string(it->second) : tok);
        }
        return out;
    }

    // Owned from the moment they exist: a check that fails in the constructor frees them too.
    struct GgufFree {
        void operator()(gguf_context *c) const { gguf_free(c); }
    };
    struct GgmlFree {
        void operator()(ggml_context *c) const { ggml_free(c); }
    };
    std::string path_, what_;
    std::unique_ptr<gguf_context, GgufFree> ctx_;
    std::unique_ptr<ggml_context, GgmlFree> meta_;
};

// ---- LLM ----------------------------------------------------------------------------------
// llama.cpp's own loader refuses a bad LLM with an exception, which omni_init turns into a
// NULL context; only the width is needed here (the encoders and the TTS must match it).
long check_llm(const Gguf &g) {
    g.optional("general.architecture", GGUF_TYPE_STRING);
    Vars v;
    const ggml_tensor *emb = g.expect("token_embd.weight", "H V", kAny, v);
    return long(emb->ne[0]);
}

// ---- audio encoder (audition.cpp load_hparams / load_tensors) -------------------------------
void check_audio(const Gguf &g, long llm_width) {
    const uint32_t d = g.u32("d_model", true), heads = g.u32("encoder_attention_heads", true);
    const uint32_t layers = g.u32("encoder_layers", true);
    if (!d || !heads || !layers || d % heads)
        g.fail("d_model " + std::to_string(d) + ", encoder_attention_heads " + std::to_string(heads) +
               ", encoder_layers " + std::to_string(layers) + ": all must be positive and d_model a multiple of the heads");
    const uint32_t n_mel = g.u32("n_mel", false, 80);
    // Fatal path #8: without the key libomni assumes 400; anything but 201 aborts on the first audio.
    if (g.key("n_fft") < 0)
        g.fail("metadata 'n_fft' is missing: libomni then assumes 400 and aborts on the first audio "
               "(its 400-point FFT has 201 bins; write n_fft = 201)");
    const uint32_t n_fft = g.u32("n_fft", true);
    if (n_fft != 201)
        g.fail("n_fft is " + std::to_string(n_fft) + ": libomni's mel spectrogram has 201 frequency bins "
               "(a 400-point FFT) and aborts on the first audio with any other value");
    g.u32("patch_size", false);
    if (g.u32("max_source_positions", false, 1500) < 1500)
        g.fail("max_source_positions must be at least 1500 (the warm-up encodes 30 s)");
    g.optional("clip.use_gelu", GGUF_TYPE_BOOL);
    g.optional("clip.use_silu", GGUF_TYPE_BOOL);
    g.optional("general.model_type", GGUF_TYPE_STRING);
    // Fatal path #7: the filter bank is copied with no length check.
    const size_t n_filters = g.array("filters", true, {GGUF_TYPE_FLOAT32});
    if (n_filters < size_t(n_mel) * 201)
        g.fail("'filters' holds " + std::to_string(n_filters) + " floats, n_mel x 201 = " +
               std::to_string(size_t(n_mel) * 201) + " are read (past the end of the array)");

    Vars v{{"d", d}, {"M", n_mel}};
    if (llm_width) v["H"] = llm_width;
    g.expect("encoder.positional_embedding", "d >=1500", kAny, v);
    // ggml_conv_1d_ph runs im2col in F16: another kernel type aborts at the first encode.
    g.expect("encoder.conv1.weight", "3 M d", kF16, v);
    g.expect("encoder.conv1.bias", "1 d", kFloat, v);
    g.expect("encoder.conv2.weight", "3 d d", kF16, v);
    g.expect("encoder.conv2.bias", "1 d", kFloat, v);
    for (uint32_t i = 0; i < layers; i++) {
        const std::string p = "encoder.blocks." + std::to_string(i) + ".";
        for (const char *n : {"attn_ln.weight", "attn_ln.bias", "mlp_ln.weight", "mlp_ln.bias", "attn.query.bias",
                              "attn.value.bias", "attn.out.bias", "mlp.2.bias"})
            g.expect(p + n, "d", kAny, v);
        for (const char *n : {"attn.query.weight", "attn.key.weight", "attn.value.weight", "attn.out.weight"})
            g.expect(p + n, "d d", kAny, v);
        g.expect(p + "mlp.0.weight", "d ff", kAny, v);
        g.expect(p + "mlp.0.bias", "ff", kAny, v);
        g.expect(p + "mlp.2.weight", "ff d", kAny, v);
    }
    g.expect("encoder.ln_post.weight", "d", kAny, v);
    g.expect("encoder.ln_post.bias", "d", kAny, v);
    g.expect("audio_projector.linear1.weight", "d P", kAny, v);
    g.expect("audio_projector.linear1.bias", "P", kAny, v);
    // Fatal path #5: the output width (ne[1]) must be the LLM's, or the prefill copy over-reads.
    if (llm_width) {
        const ggml_tensor *out = g.tensor("audio_projector.linear2.weight");
        if (out && out->ne[1] != llm_width)
            g.fail("the audio projector outputs " + std::to_string(out->ne[1]) + " values per position, the LLM is " +
                   std::to_string(llm_width) + " wide (files of different models?)");
    }
    g.expect("audio_projector.linear2.weight", "P H", kAny, v);
    g.expect("audio_projector.linear2.bias", "H", kAny, v);
}

// ---- vision encoder (vision.cpp load_hparams / load_tensors) -------------------------------
void check_vision(const Gguf &g, long llm_width) {
    const uint32_t D = g.u32("clip.vision.embedding_length", true);
    const uint32_t heads = g.u32("clip.vision.attention.head_count", true);
    g.u32("clip.vision.feed_forward_length", true);
    const uint32_t layers = g.u32("clip.vision.block_count", true);
    g.u32("clip.vision.projection_dim", true);
    g.f32("clip.vision.attention.layer_norm_epsilon", true);
    const uint32_t image = g.u32("clip.vision.image_size", true), patch = g.u32("clip.vision.patch_size", true);
    g.u32("clip.vision.preproc_image_size", false);
    g.u32("clip.vision.image_crop_resolution", false);
    g.i32("clip.minicpmv_version", false);
    const uint32_t query = g.u32("clip.minicpmv_query_num", false);
    if (g.array("clip.vision.image_grid_pinpoints", false, {GGUF_TYPE_INT32, GGUF_TYPE_UINT32}) % 2)
        g.fail("'clip.vision.image_grid_pinpoints' must hold width/height pairs (its length is odd)");
    g.array("clip.vision.feature_layer", false, {GGUF_TYPE_INT32, GGUF_TYPE_UINT32});
    g.optional("clip.use_gelu", GGUF_TYPE_BOOL);
    g.optional("clip.use_silu", GGUF_TYPE_BOOL);
    // Fatal path #7: both are asserted present, then three floats are read from each.
    for (const char *k : {"clip.vision.image_mean", "clip.vision.image_std"})
        if (g.key(k) < 0 || g.array(k, true, {GGUF_TYPE_FLOAT32}) < 3)
            g.fail("metadata '" + std::string(k) + "' must be an array of 3 floats (the loader aborts without it)");
    if (!D || !heads || D % heads || !layers || !patch || !image || image % patch)
        g.fail("inconsistent vision sizes: width " + std::to_string(D) + ", heads " + std::to_string(heads) + ", layers " +
               std::to_string(layers) + ", image " + std::to_string(image) + ", patch " + std::to_string(patch));

    Vars v{{"D", D}, {"p", patch}};
    if (llm_width) v["H"] = llm_width;
    // Declared optional upstream but used unconditionally (a NULL tensor in the graph).
    g.expect("v.patch_embd.weight", "p p 3 D", kAny, v);
    g.expect("v.patch_embd.bias", "D", kAny, v, false);
    g.expect("v.position_embd.weight", "D >=4900", kAny, v);  // the 70x70 position buckets
    for (uint32_t i = 0; i < layers; i++) {
        const std::string b = "v.blk." + std::to_string(i) + ".";
        for (const char *n : {"attn_q", "attn_k", "attn_v", "attn_out"}) {
            g.expect(b + n + ".weight", "D D", kAny, v);
            g.expect(b + n + ".bias", "D", kAny, v, false);
        }
        for (const char *n : {"ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias"}) g.expect(b + n, "D", kAny, v, false);
        // Up and down are swapped by the loader when the file has them the other way round.
        const ggml_tensor *up = g.tensor(b + "ffn_up.weight");
        const char *up_shape = up && up->ne[0] != int64_t(D) ? "F D" : "D F";
        g.expect(b + "ffn_up.weight", up_shape, kAny, v);
        g.expect(b + "ffn_down.weight", up_shape[0] == 'D' ? "F D" : "D F", kAny, v);
    }
    for (const char *n : {"v.post_ln.weight", "v.post_ln.bias", "v.pre_ln.weight", "v.pre_ln.bias"}) g.expect(n, "D", kAny, v, false);
    // Resampler: its width is the LLM's (fatal path #5) and a multiple of its 128-wide heads (#10).
    const ggml_tensor *q = g.expect("resampler.query", "H Q", kAny, v);
    if (llm_width && q->ne[0] != llm_width)
        g.fail("the resampler is " + std::to_string(q->ne[0]) + " wide, the LLM " + std::to_string(llm_width));
    if (q->ne[0] % 128)
        g.fail("the resampler width " + std::to_string(q->ne[0]) + " is not a multiple of 128 (its attention heads are 128 wide)");
    if (query && q->ne[1] != int64_t(query))
        g.fail("resampler.query has " + std::to_string(q->ne[1]) + " queries, clip.minicpmv_query_num says " + std::to_string(query));
    g.expect("resampler.kv.weight", "D H", kAny, v);
    for (const char *n : {"q", "kv", "post"}) {
        g.expect(std::string("resampler.ln_") + n + ".weight", "H", kAny, v);
        g.expect(std::string("resampler.ln_") + n + ".bias", "H", kAny, v);
    }
    for (const char *n : {"q", "k", "v", "out"}) {
        g.expect(std::string("resampler.attn.") + n + ".weight", "H H", kAny, v);
        g.expect(std::string("resampler.attn.") + n + ".bias", "H", kAny, v);
    }
    g.expect("resampler.proj.weight", "H H", kAny, v);  // square: the width is read from ne[0]
    g.expect("resampler.pos_embed_k", "* * * *", kAny, v);  // required, never used
}

// ---- TTS and its projector (omni.cpp load_tts_weights_from_gguf, load_projector) -------------
constexpr int kTtsWidth = 768, kTtsTextRows = 152064, kAudioClasses = 6562, kProjectorIn = 4096;

// A weight accepted in either orientation, as the loader does.
void expect_either(const Gguf &g, const std::string &name, const char *a, const char *b, Vars &v) {
    const ggml_tensor *t = g.tensor(name);
    if (!t) g.fail("tensor '" + name + "' is missing");
    Vars probe = v;
    try {
        g.expect(name, a, kFloat, probe);
    } catch (const Error &) {
        g.expect(name, b, kFloat, v);
        return;
    }
    v = probe;
}

void check_tts(const Gguf &g) {
    Vars v{{"E", kTtsWidth}, {"T", kTtsTextRows}, {"C", kAudioClasses}, {"I", kProjectorIn}};
    g.expect("token_embd.weight", "E *", kAny, v);  // the llama part is 768 wide (omni.cpp hard-codes it)
    g.expect("emb_text.weight", "E T", kFloat, v);
    expect_either(g, "emb_code.0.weight", "E C", "C E", v);
    expect_either(g, "head_code.0.weight", "C E", "E C", v);
    // A wrong projector shape is only logged, then read out of bounds.
    expect_either(g, "projector_semantic.linear1.weight", "I E", "E I", v);
    g.expect("projector_semantic.linear1.bias", "E", kFloat, v);
    g.expect("projector_semantic.linear2.weight", "E E", kFloat, v);
    g.expect("projector_semantic.linear2.bias", "E", kFloat, v);
}

void check_projector(const Gguf &g) {
    // Allocated with these shapes and filled by byte count whatever the file says.
    Vars v{{"E", kTtsWidth}, {"I", kProjectorIn}};
    g.expect("linear1.weight", "I E", kFloat, v);
    g.expect("linear1.bias", "E", kFloat, v);
    g.expect("linear2.weight", "E E", kFloat, v);
    g.expect("linear2.bias", "E", kFloat, v);
}

// ---- token2wav (token2wav-impl.cpp): a fixed architecture, built from constants --------------
struct T2wFile {
    const char *name;
    ModelRole role;
    int64_t tensors, params;  // the published MiniCPM-o 4.5 files
};
const T2wFile kT2wFiles[] = {
    {"encoder.gguf", ModelRole::t2w_encoder, 206, 37831168},
    {"flow_matching.gguf", ModelRole::t2w_flow_matching, 394, 114555472},
    {"flow_extra.gguf", ModelRole::t2w_flow_extra, 5, 3415712},
    {"hifigan2.gguf", ModelRole::t2w_hifigan2, 246, 20806557},
};

void check_t2w_counts(const Gguf &g, const T2wFile &want) {
    const int64_t n = g.n_tensors(), p = g.n_params();
    if (n == want.tensors && p == want.params) return;
    std::string like;
    for (const auto &f : kT2wFiles)
        if (f.tensors == n && f.params == p && &f != &want) like = "; it looks like MiniCPM-o's " + std::string(f.name);
    g.fail("holds " + std::to_string(n) + " tensors / " + with_commas(p) + " parameters; MiniCPM-o 4.5's token2wav " +
           want.name + " has " + std::to_string(want.tensors) + " / " + with_commas(want.params) +
           " (a file of another model, or another part of this one?)" + like);
}

void check_t2w_encoder(const Gguf &g) {
    check_t2w_counts(g, kT2wFiles[0]);
    Vars v{{"D", 512}, {"F", 2048}};
    // Missing matmul weights are NULL in the graph (a segfault); convs must be F32 (an assert).
    for (const char *n : {"embed.out.0.weight", "up_embed.out.0.weight"}) g.expect(n, "D D", kFloat, v);
    g.expect("pre_lookahead_layer.conv1.weight", "4 D D", kF32, v);
    g.expect("pre_lookahead_layer.conv2.weight", "3 D D", kF32, v);
    g.expect("up_layer.conv.weight", "5 D D", kF32, v);
    for (int i = 0; i < 10; i++) {
        const std::string p = (i < 6 ? "encoders." + std::to_string(i) : "up_encoders." + std::to_string(i - 6)) + ".";
        for (const char *n : {"q", "k", "v", "out", "pos"}) g.expect(p + "self_attn.linear_" + n + ".weight", "D D", kFloat, v);
        g.expect(p + "feed_forward.w_1.weight", "D F", kFloat, v);
        g.expect(p + "feed_forward.w_2.weight", "F D", kFloat, v);
    }
}

void check_t2w_flow_matching(const Gguf &g) {
    check_t2w_counts(g, kT2wFiles[1]);
    Vars v{{"D", 512}};
    g.expect("estimator.in_proj.weight", "320 D", kFloat, v);
    for (int i = 0; i < 16; i++) {
        const std::string p = "estimator.blocks." + std::to_string(i) + ".";
        g.expect(p + "adaLN_modulation.1.weight", "D 4608", kFloat, v);
        for (const char *n : {"to_q", "to_k", "to_v", "proj"}) g.expect(p + "attn." + n + ".weight", "D D", kFloat, v);
        g.expect(p + "conv.block.1.weight", "3 D D", kF32, v);
        g.expect(p + "conv.block.6.weight", "3 D D", kF32, v);
        g.expect(p + "mlp.fc1.weight", "D 2048", kFloat, v);
        g.expect(p + "mlp.fc2.weight", "2048 D", kFloat, v);
    }
    g.expect("estimator.final_layer.linear.weight", "D 80", kFloat, v);
}

void check_t2w_flow_extra(const Gguf &g) {
    check_t2w_counts(g, kT2wFiles[2]);
    Vars v;
    g.expect("input_embedding.weight", "512 6561", kFloat, v);  // rows indexed by speech token id
    g.expect("spk_embed_affine_layer.weight", "192 80", kFloat, v);
    g.expect("encoder_proj.weight", "512 80", kFloat, v);
}

void check_t2w_hifigan2(const Gguf &g) {
    check_t2w_counts(g, kT2wFiles[3]);
    Vars v;
    g.expect("conv_pre.weight", "7 80 512", kF32, v);
    g.expect("ups.0.weight", "16 256 512", kF32, v);
    g.expect("ups.1.weight", "11 128 256", kF32, v);
    g.expect("ups.2.weight", "7 64 128", kF32, v);
    g.expect("conv_post.weight", "7 64 18", kF32, v);
    g.expect("m_source.l_linear.weight", "9 1", kF32, v);
    g.expect("f0_predictor.classifier.weight", "512 1", kF32, v);
}

void check_t2w_prompt_cache(const Gguf &g) {
    // Both are read with ggml's typed getters (an abort on another type).
    const int32_t n = g.i32("mtmd.prompt_cache.n_timesteps", true);
    g.f32("mtmd.prompt_cache.temperature", false);
    if (n < 1) g.fail("mtmd.prompt_cache.n_timesteps is " + std::to_string(n) + ", must be at least 1");
    Vars v{{"S16", 16 * int64_t(n)}, {"S128", 128 * int64_t(n)}};
    g.expect("prompt_cache.spk_cb", "192 1", kF32, v);
    const ggml_tensor *cnn = g.expect("prompt_cache.conformer_cnn_cache", "* * *", kF32, v);
    if (ggml_nelements(cnn) != 512 * 6)
        g.fail("prompt_cache.conformer_cnn_cache has " + std::to_string(ggml_nelements(cnn)) + " values, the encoder keeps 512 x 6");
    const ggml_tensor *att = g.expect("prompt_cache.conformer_att_cache", "128 L 8 10", kF32, v);
    if (att->ne[1] % 2) g.fail("prompt_cache.conformer_att_cache has an odd length " + std::to_string(att->ne[1]));
    // n_timesteps must match the caches: a larger one runs a view past them (an assert).
    g.expect("prompt_cache.estimator_cnn_cache", "1024 2 S16 2", kF32, v);
    const ggml_tensor *est = g.expect("prompt_cache.estimator_att_cache", "128 Le S128 2", kF32, v);
    if (est->ne[1] > 550) g.fail("prompt_cache.estimator_att_cache is " + std::to_string(est->ne[1]) + " frames long, at most 550 fit");
}

const char *role_name(ModelRole r) {
    switch (r) {
    case ModelRole::llm: return "LLM";
    case ModelRole::audio: return "audio encoder";
    case ModelRole::vision: return "vision encoder";
    case ModelRole::tts: return "TTS model";
    case ModelRole::projector: return "TTS projector";
    case ModelRole::t2w_encoder: return "token2wav encoder";
    case ModelRole::t2w_flow_matching: return "token2wav flow matching";
    case ModelRole::t2w_flow_extra: return "token2wav flow extra";
    case ModelRole::t2w_hifigan2: return "token2wav vocoder";
    case ModelRole::t2w_prompt_cache: return "token2wav prompt cache";
    }
    return "model";
}

}  // namespace

long check_model_file(const std::string &path, ModelRole role, long llm_width) {
    const Gguf g(path, role_name(role));
    switch (role) {
    case ModelRole::llm: return check_llm(g);
    case ModelRole::audio: check_audio(g, llm_width); break;
    case ModelRole::vision: check_vision(g, llm_width); break;
    case ModelRole::tts: check_tts(g); break;
    case ModelRole::projector: check_projector(g); break;
    case ModelRole::t2w_encoder: check_t2w_encoder(g); break;
    case ModelRole::t2w_flow_matching: check_t2w_flow_matching(g); break;
    case ModelRole::t2w_flow_extra: check_t2w_flow_extra(g); break;
    case ModelRole::t2w_hifigan2: check_t2w_hifigan2(g); break;
    case ModelRole::t2w_prompt_cache: check_t2w_prompt_cache(g); break;
    }
    return 0;
}

void check_model_set(const ModelSet &s) {
    const long width = check_model_file(s.llm, ModelRole::llm);
    check_model_file(s.audio, ModelRole::audio, width);  // loaded in every mode
    if (s.vision_on && !s.vision.empty()) check_model_file(s.vision, ModelRole::vision, width);
    if (!s.tts_on) return;
    if (!s.tts.empty()) check_model_file(s.tts, ModelRole::tts);
    std::error_code ec;
    if (!s.projector.empty() && fs::exists(s.projector, ec)) check_model_file(s.projector, ModelRole::projector);
    if (s.token2wav_dir.empty()) return;
    // libomni loads token2wav only when all four model files are there; a partial folder
    // would quietly give speech without sound.
    std::vector<std::string> missing;
    for (const auto &f : kT2wFiles)
        if (!fs::exists(fs::path(s.token2wav_dir) / f.name, ec)) missing.push_back(f.name);
    if (missing.size() == 4) return;
    if (!missing.empty()) {
        std::string list;
        for (const auto &m : missing) list += (list.empty() ? "" : ", ") + m;
        throw Error(OMNI_ERR_MODEL, s.token2wav_dir + ": the token2wav folder lacks " + list +
                                        " (all four model files are needed for speech audio)");
    }
    for (const auto &f : kT2wFiles) check_model_file((fs::path(s.token2wav_dir) / f.name).string(), f.role);
    const fs::path cache = fs::path(s.token2wav_dir) / "prompt_cache.gguf";
    if (fs::exists(cache, ec)) check_model_file(cache.string(), ModelRole::t2w_prompt_cache);
}

}  // namespace omni::llama
