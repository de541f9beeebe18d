// llama_omni_engine.cpp — the "llama-omni" engine over llama.cpp-omni's libomni.
//
// Threads (ours): a worker runs each turn (handshake, stream_decode, waiting for the
// audio to finish) and a guard re-asserts an interrupt while stream_decode runs.
// Threads (libomni's): LLM prefill, TTS, T2W. text_callback fires on our worker (inside
// stream_decode), tts_chunk_callback on TTS, wav_callback on T2W.
//
// Hazards guarded (docs/engine-hazards.md: upstream references, details), each marked "[H..]" where it is handled:
//  [H1] one omni_context per process (globals)      -> second engine: OMNI_ERR_BUSY
//  [H2] common_params held by pointer               -> owned on the heap for the context's life
//  [H3] n_threads default -1 means 4 ggml threads   -> explicit thread counts
//  [H4] language only via omni_set_language before index-0 prefill
//  [H5] image without vision = NULL deref           -> images refused unless ctx_vision loaded
//  [H6] audio > 30 s throws out of stream_prefill   -> split into <= 25 s pieces; ref audio refused
//  [H7] use_tts with an empty TTS path = segfault   -> refused at create
//  [H8] decode races queued prefill                 -> drain the LLM thread before stream_decode
//  [H9] text splits UTF-8 / carries special tokens  -> host completes UTF-8; we strip vocab specials
//  [H10] break_event alone hangs decode             -> break always paired with stop_speek
//  [H11] TTS busy-spins after a break               -> wake T2W so it clears break_event
//  [H12] no "audio finished" callback               -> generation_done.flag, else TTS-done / idle
//  [H13] debug files written every turn             -> private mkdtemp dir, pruned, removed
//  [H14] exceptions / throwing callbacks            -> try/catch around every call, noexcept trampolines
//  [H15] encoder width != LLM width = over-read     -> checked after omni_init
//  [H16] simplex prefill during decode races the end-of-decode eval -> buffered until decode returns
#include "llama_omni_engine.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "../media.h"
#include "image_check.h"

// llama.cpp-omni headers, found through LLAMA_OMNI_DIR (never copied into this project).
#include "common/common.h"
#include "omni.h"
#include "audition.h"
#include "vision.h"

// Exported by libomni but not declared in omni.h (omni.cpp:4118, omni.cpp:4164, omni.cpp:3365-3366).
void omni_set_language(struct omni_context *ctx_omni, const std::string &lang);
void eval_prefix(struct omni_context *ctx_omni, common_params *params);
extern std::condition_variable g_decode_cv;
extern bool prefill_done;

namespace fs = std::filesystem;

namespace omni {

namespace {

using clock = std::chrono::steady_clock;

constexpr int kSampleRate = 24000;           // token2wav output (t2w-impl.h)
constexpr double kMaxPieceSeconds = 25.0;    // [H6] Whisper overflows past 30 s per call
constexpr double kMaxRefSeconds = 30.0;
constexpr int kSettleMs = 15000;             // longest wait for T2W to notice a break (one CPU window ~10 s)

std::atomic<bool> g_engine_alive{false};     // [H1]

// llama.cpp and ggml log through one hook: pass on only what the user asked for (option
// log_level), so a server's console is not flooded with model-loading details.
std::atomic<int> g_log_min{GGML_LOG_LEVEL_WARN};
std::atomic<bool> g_log_last_shown{false};
void filtered_log(ggml_log_level level, const char *text, void *) {
    bool show = level == GGML_LOG_LEVEL_CONT ? g_log_last_shown.load() : level >= g_log_min.load();
    if (level != GGML_LOG_LEVEL_CONT) g_log_last_shown = show;
    if (show) fputs(text, stderr);
}

int log_level_from(const std::string &name) {
    return name == "debug" ? GGML_LOG_LEVEL_DEBUG : name == "info" ? GGML_LOG_LEVEL_INFO
         : name == "error" ? GGML_LOG_LEVEL_ERROR : GGML_LOG_LEVEL_WARN;
}

bool file_exists(const std::string &p) {
    std::error_code ec;
    return !p.empty() && fs::is_regular_file(p, ec);
}

std::string join(const std::string &dir, const std::string &name) { return (fs::path(dir) / name).string(); }

// The folder of this library (libomni_c): the build puts llama.cpp-omni's default voice
// reference there, so it outlives the llama.cpp-omni tree.
std::string library_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&library_dir), &info) && info.dli_fname)
        return fs::absolute(fs::path(info.dli_fname)).parent_path().string();
    return "";
}

constexpr const char *kDefaultRefName = "default_ref_audio.wav";

// The voice reference used when the option ref_audio is empty: the model folder's own, else
// the copy of llama.cpp-omni's tools/omni/assets/default_ref_audio/default_ref_audio.wav.
std::string default_ref_audio(const std::string &model_dir) {
    std::vector<std::string> places;
    if (!model_dir.empty()) places.push_back(join(model_dir, kDefaultRefName));
    std::string lib = library_dir();
    if (!lib.empty()) places.push_back(join(lib, kDefaultRefName));
    std::string looked;
    for (auto &p : places) {
        if (file_exists(p)) return p;
        looked += (looked.empty() ? "" : ", ") + p;
    }
    throw Error(OMNI_ERR_MODEL,
                "no voice reference: set the option ref_audio to a WAV of at most 30 s, or put " +
                    std::string(kDefaultRefName) + " in the model folder (looked in: " + looked +
                    "). Builds against a llama.cpp-omni tree that has tools/omni/assets/default_ref_audio/" +
                    kDefaultRefName + " install that one beside libomni_c.");
}

// The LLM at the top of a model dir: MiniCPM-o-4_5-*.gguf, preferring Q4_K_M > Q8_0 > F16
// (same rule as models/layout.py).
std::string find_llm(const std::string &dir) {
    std::vector<std::string> c;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string n = it->path().filename().string();
        if (n.rfind("MiniCPM-o-4_5-", 0) == 0 && n.size() > 5 && n.substr(n.size() - 5) == ".gguf" &&
            it->is_regular_file(ec))
            c.push_back(n);
    }
    if (c.empty()) return "";
    std::sort(c.begin(), c.end());
    for (const char *q : {"Q4_K_M", "Q8_0", "F16"})
        for (auto &n : c)
            if (n == std::string("MiniCPM-o-4_5-") + q + ".gguf") return join(dir, n);
    return join(dir, c.front());
}

// [H13] libomni runs `system("mkdir -p " + dir)` on this path unquoted.
bool shell_safe(const std::string &p) {
    for (char ch : p)
        if (!(isalnum((unsigned char)ch) || ch == '/' || ch == '_' || ch == '-' || ch == '.')) return false;
    return !p.empty();
}

std::string make_private_dir() {
    const char *t = std::getenv("TMPDIR");
    std::string base = (t && *t && shell_safe(t)) ? t : "/tmp";
    std::string templ = base + "/omni-llama-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back(0);
    if (!mkdtemp(buf.data()))  // mode 0700: the dumps include hidden states
        throw Error(OMNI_ERR_INTERNAL, "cannot create a private temporary folder under " + base);
    return std::string(buf.data());
}

struct Input {
    bool image = false;
    std::vector<uint8_t> bytes;  // WAV file (audio) or encoded image
};

class LlamaOmniEngine final : public Engine {
public:
    LlamaOmniEngine(const OptionValues &o, EventSink &sink) : sink_(sink) {
        bool expected = false;
        if (!g_engine_alive.compare_exchange_strong(expected, true))  // [H1]
            throw Error(OMNI_ERR_BUSY,
                        "a llama-omni engine already exists in this process (libomni keeps process-global "
                        "state); destroy it first");
        try {
            init(o);
        } catch (...) {
            cleanup();
            g_engine_alive = false;
            throw;
        }
        worker_ = std::thread([this] { worker_loop(); });
        guard_ = std::thread([this] { guard_loop(); });
    }

    ~LlamaOmniEngine() override {
        {
            std::lock_guard<std::mutex> lk(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        if (ctx_) do_break();  // a running stream_decode returns at the next token [H10]
        if (worker_.joinable()) worker_.join();
        if (guard_.joinable()) guard_.join();
        cleanup();
        g_engine_alive = false;
    }

    // ---- input ----------------------------------------------------------------------
    void prefill_audio(const Audio &a) override {
        // [H6] pieces of at most kMaxPieceSeconds, as equal as possible
        size_t per = size_t(kMaxPieceSeconds * a.sample_rate);
        size_t n_pieces = (a.samples.size() + per - 1) / per;
        size_t len = (a.samples.size() + n_pieces - 1) / n_pieces;
        for (size_t off = 0; off < a.samples.size(); off += len) {
            Audio piece;
            piece.sample_rate = a.sample_rate;
            piece.samples.assign(a.samples.begin() + long(off),
                                 a.samples.begin() + long(std::min(a.samples.size(), off + len)));
            Input in;
            in.bytes = wav_from_audio(piece);
            submit_or_buffer(std::move(in));
        }
        if (n_pieces > 1) {
            std::lock_guard<std::mutex> lk(mu_);
            split_pieces_ += int(n_pieces);
        }
    }

    void prefill_image(const Image &img) override {
        if (!supports_images())  // [H5] (the host checks too; never reach vision with NULL)
            throw Error(OMNI_ERR_UNSUPPORTED, "no vision model is loaded (media_type=audio or vision failed)");
        check_image_for_libomni(img);  // refused now, not deep in a later prefill
        Input in;
        in.image = true;
        in.bytes = img.encoded;
        submit_or_buffer(std::move(in));
    }

    bool supports_images() const override { return vision_loaded_; }

    void start_turn(uint64_t turn) override {
        {
            std::lock_guard<std::mutex> lk(mu_);
            jobs_.push_back(turn);
        }
        cv_.notify_all();
    }

    void interrupt(uint64_t turn) override {
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (interrupted_turn_ < turn) interrupted_turn_ = turn;
        }
        cv_.notify_all();
        if (decode_in_progress_.load()) do_break();  // the guard re-asserts it until decode returns
    }

    void reset() override {
        std::lock_guard<std::mutex> tl(turn_mu_);  // the worker is idle (and settled) while we hold it
        std::lock_guard<std::mutex> sub(submit_mu_);
        buffered_.clear();
        {
            std::lock_guard<std::mutex> w(wav_mu_);
            carry_pcm_.clear();  // the old conversation's audio
        }
        guarded_call("reset", [&] {
            drain_llm();  // the LLM thread must be idle: clean_kvcache is not synchronised with it
            clean_kvcache(ctx_);
            ctx_->round_start_positions.clear();  // stale round boundaries would mislead KV sliding
            if (ctx_->ctx_audio) audition_whisper_clear_kv_cache(ctx_->ctx_audio);  // forget heard audio
            // n_keep ends before the "<|im_start|>user\n" that index-0 prefill added; in simplex the
            // system prompt already ends with it, in duplex put it back.
            if (duplex_) eval_prefix(ctx_, params_.get());
        });
    }

    void set_option(const std::string &key, const std::string &value) override {
        // both are read by libomni at every sampled token
        if (key == "length_penalty") ctx_->length_penalty = std::strtof(value.c_str(), nullptr);
        if (key == "listen_prob_scale") ctx_->listen_prob_scale = std::strtof(value.c_str(), nullptr);
    }

    std::string info_json() const override {
        std::lock_guard<std::mutex> lk(mu_);
        return "\"engine\":\"llama-omni\",\"model\":" + json_string(llm_path_) +
               ",\"files\":{\"llm\":" + json_string(llm_path_) + ",\"audio\":" + json_string(audio_path_) +
               ",\"vision\":" + json_string(vision_loaded_ ? vision_path_ : "") +
               ",\"tts\":" + json_string(use_tts_ ? tts_path_ : "") +
               ",\"token2wav_dir\":" + json_string(t2w_loaded_ ? t2w_dir_ : "") +
               ",\"ref_audio\":" + json_string(ref_audio_) + "}" +
               ",\"mode\":\"" + (duplex_ ? "duplex" : "simplex") + "\",\"language\":" + json_string(lang_) +
               ",\"vision\":" + (vision_loaded_ ? "true" : "false") + ",\"tts\":" + (use_tts_ ? "true" : "false") +
               ",\"token2wav\":" + (t2w_loaded_ ? "true" : "false") + ",\"sample_rate\":24000" +
               ",\"n_threads\":" + std::to_string(n_threads_) + ",\"history_rounds\":" + std::to_string(next_round_) +
               ",\"split_audio_pieces\":" + std::to_string(split_pieces_);
    }

private:
    // ---- creation -------------------------------------------------------------------
    void init(const OptionValues &o) {
        duplex_ = o.str("mode") == "duplex";
        bool omni_media = o.str("media_type") == "omni";
        lang_ = o.str("language");
        std::string dir = o.str("model_dir");
        auto pick = [&](const char *key, const std::string &dflt) {
            const std::string &v = o.str(key);
            return v.empty() ? dflt : v;
        };
        llm_path_ = pick("llm_model", dir.empty() ? "" : find_llm(dir));
        audio_path_ = pick("audio_model", dir.empty() ? "" : join(dir, "audio/MiniCPM-o-4_5-audio-F16.gguf"));
        vision_path_ = pick("vision_model", dir.empty() ? "" : join(dir, "vision/MiniCPM-o-4_5-vision-F16.gguf"));
        tts_path_ = pick("tts_model", dir.empty() ? "" : join(dir, "tts/MiniCPM-o-4_5-tts-F16.gguf"));
        if (llm_path_.empty() && dir.empty())
            throw Error(OMNI_ERR_INVALID_ARGUMENT, "set model_dir (or llm_model and audio_model)");
        if (!file_exists(llm_path_))
            throw Error(OMNI_ERR_MODEL, llm_path_.empty() ? "no MiniCPM-o-4_5-*.gguf LLM in model_dir " + dir
                                                          : "LLM model not found: " + llm_path_);
        if (!file_exists(audio_path_))  // libomni requires the audio encoder in every mode
            throw Error(OMNI_ERR_MODEL, "audio encoder not found: " + audio_path_);
        if (omni_media && !file_exists(vision_path_))
            throw Error(OMNI_ERR_MODEL, "media_type=omni needs the vision encoder, not found: " + vision_path_);

        std::string use_tts = o.str("use_tts");
        use_tts_ = use_tts == "true" || (use_tts == "auto" && file_exists(tts_path_));
        if (use_tts_ && !file_exists(tts_path_))  // [H7]
            throw Error(OMNI_ERR_MODEL, "use_tts=true but the TTS model is missing: " +
                                            (tts_path_.empty() ? std::string("(no path)") : tts_path_));

        ref_audio_ = o.str("ref_audio");
        if (ref_audio_.empty()) ref_audio_ = default_ref_audio(dir);
        check_ref_audio(ref_audio_);

        tmp_dir_ = make_private_dir();  // [H13]
        std::string tts_bin_dir = use_tts_ ? make_tts_bin_dir(o, dir) : "";

        // [H2][H3] parameters that outlive the context, explicit thread counts
        params_ = std::make_unique<common_params>();
        common_params &p = *params_;
        p.model.path = llm_path_;
        p.apm_model = audio_path_;
        p.vpm_model = omni_media ? vision_path_ : "";
        p.tts_model = use_tts_ ? tts_path_ : "";
        p.vision_coreml_model_path = o.str("vision_coreml");
        p.n_ctx = int(o.integer("n_ctx"));
        p.n_batch = 2048;
        p.n_predict = int(o.integer("n_predict"));
        p.n_gpu_layers = int(o.integer("n_gpu_layers"));
        n_threads_ = int(o.integer("n_threads"));
        if (n_threads_ <= 0) n_threads_ = std::max(1u, std::thread::hardware_concurrency());
        p.cpuparams.n_threads = n_threads_;
        p.cpuparams_batch.n_threads = n_threads_;
        long long seed = o.integer("seed");
        p.sampling.seed = seed < 0 ? LLAMA_DEFAULT_SEED : uint32_t(seed);
        p.sampling.temp = float(o.number("temperature"));
        // The vocoder reads VOCODER_THREADS (upstream default 4, which oversubscribes small CPUs).
        if (o.integer("vocoder_threads") > 0)
            setenv("VOCODER_THREADS", std::to_string(o.integer("vocoder_threads")).c_str(), 1);
        else if (!getenv("VOCODER_THREADS"))
            setenv("VOCODER_THREADS", std::to_string(std::min(4, n_threads_)).c_str(), 1);
        idle_timeout_ms_ = int(o.integer("audio_done_timeout_ms"));

        g_log_min = log_level_from(o.str("log_level"));
        llama_log_set(filtered_log, nullptr);
        guarded_call("omni_init", [&] {
            ctx_ = omni_init(params_.get(), omni_media ? 2 : 1, use_tts_, tts_bin_dir, -1, o.str("token2wav_device"),
                             duplex_, nullptr, nullptr, tmp_dir_);
        });
        if (!ctx_) throw Error(OMNI_ERR_MODEL, "omni_init failed to load the models (see the log); LLM " + llm_path_);
        vision_loaded_ = omni_media && ctx_->ctx_vision != nullptr;
        t2w_loaded_ = use_tts_ && ctx_->token2wav_initialized;

        // [H15] encoder output widths must equal the LLM width (else memcpy over-reads)
        int n_embd = llama_model_n_embd(ctx_->model);
        int a_embd = audition_n_mmproj_embd(ctx_->ctx_audio);
        if (a_embd != n_embd)
            throw Error(OMNI_ERR_MODEL, "audio encoder output width " + std::to_string(a_embd) +
                                            " != LLM width " + std::to_string(n_embd));
        if (vision_loaded_ && vision_n_mmproj_embd(ctx_->ctx_vision) != n_embd)
            throw Error(OMNI_ERR_MODEL, "vision encoder output width " +
                                            std::to_string(vision_n_mmproj_embd(ctx_->ctx_vision)) +
                                            " != LLM width " + std::to_string(n_embd));
        collect_special_tokens();

        ctx_->async = true;
        ctx_->duplex_mode = duplex_;
        ctx_->length_penalty = float(o.number("length_penalty"));
        ctx_->listen_prob_scale = float(o.number("listen_prob_scale"));
        ctx_->ref_audio_path = ref_audio_;
        // [H14] installed once, before any libomni thread exists; never reassigned
        ctx_->text_callback = [this](const std::string &s) { on_text(s); };
        ctx_->tts_chunk_callback = [this](const std::string &t, int n, int idx) { on_tts_chunk(t, n, idx); };
        ctx_->wav_callback = [this](const int16_t *pcm, size_t n, int idx, int) { on_wav(pcm, n, idx); };
        if (!p.vision_coreml_model_path.empty()) guarded_call("omni_warmup_ane", [&] { omni_warmup_ane(ctx_); });

        // [H4] language before the system prompt; index 0 = system prompt + voice reference,
        // synchronous, and it starts libomni's LLM/TTS/T2W threads.
        guarded_call("system prompt", [&] {
            omni_set_language(ctx_, lang_);
            if (!stream_prefill(ctx_, duplex_ ? ref_audio_ : std::string(), "", 0))
                throw Error(OMNI_ERR_MODEL, "stream_prefill(index 0) failed for the system prompt");
        });
    }

    void check_ref_audio(const std::string &path) {
        if (!file_exists(path))
            throw Error(OMNI_ERR_INVALID_ARGUMENT, "ref_audio not found: " + (path.empty() ? "(empty)" : path));
        std::ifstream f(path, std::ios::binary);
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        Audio a = audio_from_file_bytes(bytes.data(), bytes.size());  // throws BAD_MEDIA
        if (a.seconds() > kMaxRefSeconds)  // [H6] libomni would throw out of the index-0 prefill
            throw Error(OMNI_ERR_TOO_LARGE, "ref_audio is " + json_number(a.seconds()) +
                                                " s long; the voice reference must be at most 30 s: " + path);
    }

    // libomni looks for the projector AND the five token2wav files in one folder (tts_bin_dir).
    // Build that folder from symlinks so any layout works (docs/model-formats.md §2).
    std::string make_tts_bin_dir(const OptionValues &o, const std::string &dir) {
        std::string bin = join(tmp_dir_, "tts_bin");
        fs::create_directories(bin);
        std::string tts_dir = fs::path(tts_path_).parent_path().string();
        std::string proj = o.str("projector");
        if (proj.empty()) proj = join(tts_dir, "MiniCPM-o-4_5-projector-F16.gguf");
        std::error_code ec;
        if (file_exists(proj)) fs::create_symlink(fs::absolute(proj), join(bin, "MiniCPM-o-4_5-projector-F16.gguf"), ec);
        t2w_dir_ = o.str("token2wav_dir");
        if (t2w_dir_.empty()) {
            std::vector<std::string> cands;
            if (!dir.empty()) cands = {join(dir, "token2wav"), join(dir, "token2wav-gguf")};
            cands.push_back(tts_dir);
            for (auto &c : cands)
                if (file_exists(join(c, "encoder.gguf"))) {
                    t2w_dir_ = c;
                    break;
                }
        }
        if (!t2w_dir_.empty())
            for (const char *f : {"encoder.gguf", "flow_matching.gguf", "flow_extra.gguf", "hifigan2.gguf",
                                  "prompt_cache.gguf"})
                if (file_exists(join(t2w_dir_, f))) fs::create_symlink(fs::absolute(join(t2w_dir_, f)), join(bin, f), ec);
        return bin;
    }

    // [H9] the vocabulary's control / user-defined tags (<|im_end|>, <think>, ...) never reach TEXT
    void collect_special_tokens() {
        const llama_vocab *v = llama_model_get_vocab(ctx_->model);
        int n = llama_vocab_n_tokens(v);
        for (int i = 0; i < n; i++) {
            int attr = llama_vocab_get_attr(v, i);
            if (!(attr & (LLAMA_TOKEN_ATTR_CONTROL | LLAMA_TOKEN_ATTR_USER_DEFINED))) continue;
            const char *t = llama_vocab_get_text(v, i);
            std::string s = t ? t : "";
            if (s.size() >= 3 && s.front() == '<' && s.back() == '>') specials_.push_back(s);
        }
        for (const char *s : {"<|tts_eos|>", "<|speak|>", "<|listen|>", "<|im_end|>", "<|im_start|>"})
            specials_.push_back(s);
        // longest first, so "<|tts_bos|>" never leaves a shorter tag's remains
        std::sort(specials_.begin(), specials_.end(), [](auto &a, auto &b) { return a.size() > b.size(); });
        specials_.erase(std::unique(specials_.begin(), specials_.end()), specials_.end());
    }

    void cleanup() {
        if (ctx_) {
            guarded_call("omni_free", [&] {
                omni_stop_threads(ctx_);
                omni_free(ctx_);  // joins libomni's threads (may wait for one T2W window)
            });
            ctx_ = nullptr;
        }
        params_.reset();  // only after the context is gone [H2]
        if (!tmp_dir_.empty()) {
            std::error_code ec;
            fs::remove_all(tmp_dir_, ec);  // [H13]
            tmp_dir_.clear();
        }
    }

    // [H14] no exception from libomni crosses into the host as anything but omni::Error
    template <class F>
    static void guarded_call(const char *what, F &&f) {
        try {
            f();
        } catch (const Error &) {
            throw;
        } catch (const std::exception &e) {
            throw Error(OMNI_ERR_INTERNAL, std::string("llama-omni ") + what + ": " + e.what());
        } catch (...) {
            throw Error(OMNI_ERR_INTERNAL, std::string("llama-omni ") + what + ": unknown exception");
        }
    }

    // ---- prefill ----------------------------------------------------------------------
    void submit_or_buffer(Input in) {
        std::lock_guard<std::mutex> sub(submit_mu_);
        // [H16] in simplex, stream_decode evaluates "<|im_end|>..." on its own thread after it
        // lets the LLM thread prefill again: hold input back until decode has returned.
        if (!duplex_ && decode_running_) {
            buffered_.push_back(std::move(in));
            return;
        }
        submit(in);
    }

    void submit(const Input &in) {  // submit_mu_ held
        bool ok = false;
        guarded_call("prefill", [&] {
            int idx = ++prefill_index_;  // index 0 was the system prompt; >= 1 are user input
            ok = in.image ? stream_prefill_from_memory(ctx_, nullptr, 0, in.bytes.data(), in.bytes.size(), idx)
                          : stream_prefill_from_memory(ctx_, in.bytes.data(), in.bytes.size(), nullptr, 0, idx);
        });
        if (!ok)
            throw Error(OMNI_ERR_BAD_MEDIA, in.image ? "the vision encoder could not use this image"
                                                     : "libomni refused the audio");
    }

    // [H8] Let the LLM thread consume every queued prefill and park. This is libomni's own
    // handshake (need_speek -> prefill_done), done by us so it can't race: afterwards the
    // queue is empty, the thread idles and prefill_done is false again.
    void drain_llm() {
        std::unique_lock<std::mutex> lk(ctx_->llm_thread_info->mtx);
        ctx_->need_speek = true;
        ctx_->llm_thread_info->cv.notify_all();
        while (!g_decode_cv.wait_for(lk, std::chrono::milliseconds(50), [] { return prefill_done; })) {
            ctx_->llm_thread_info->cv.notify_all();
            if (stopping()) return;
        }
        prefill_done = false;
    }

    // ---- interrupt ----------------------------------------------------------------------
    void do_break() {  // [H10] always both
        ctx_->break_event.store(true);
        stop_speek(ctx_);
    }

    // [H11] After a break the TTS thread spins until T2W clears break_event, and T2W only looks
    // when woken. An empty T2WOut wakes it; it drops it, sees the break, clears it.
    void wake_t2w() {
        if (!ctx_->t2w_thread_info) return;
        {
            std::lock_guard<std::mutex> lk(ctx_->t2w_thread_info->mtx);
            ctx_->t2w_thread_info->queue.push(new T2WOut());
        }
        ctx_->t2w_thread_info->cv.notify_all();
    }

    void guard_loop() {
        std::unique_lock<std::mutex> lk(mu_);
        while (!stopping_) {
            cv_.wait_for(lk, std::chrono::milliseconds(20));
            // stream_decode resets break_event when it starts: re-assert until it returns
            if (decode_in_progress_.load() && interrupted_turn_ >= cur_turn_.load() && !stopping_) {
                lk.unlock();
                do_break();
                lk.lock();
            }
        }
    }

    bool stopping() const {
        std::lock_guard<std::mutex> lk(mu_);
        return stopping_;
    }
    bool interrupted(uint64_t turn) const {
        std::lock_guard<std::mutex> lk(mu_);
        return stopping_ || interrupted_turn_ >= turn;
    }

    // ---- callbacks (libomni threads) [H14] --------------------------------------------
    void on_text(const std::string &s) noexcept {
        try {
            uint64_t turn = cur_turn_.load();
            if (s == "__IS_LISTEN__") {
                if (!listen_seen_.exchange(true)) sink_.listen(turn);
                return;
            }
            if (s == "__END_OF_TURN__") return;  // the worker reports END_OF_TURN after decode returns
            std::string out = s;  // the host keeps UTF-8 whole across pieces
            for (const auto &sp : specials_)
                for (size_t pos; (pos = out.find(sp)) != std::string::npos;) out.erase(pos, sp.size());
            if (!out.empty()) {
                step_text_ = true;
                sink_.text(turn, out);
            }
        } catch (...) {
        }
    }

    void on_tts_chunk(const std::string &text, int n, int idx) noexcept {
        try {
            last_activity_ms_ = now_ms();
            step_tts_chunks_++;
            sink_.tts_chunk(audio_turn_.load(), text, n, idx);
        } catch (...) {
        }
    }

    void on_wav(const int16_t *pcm, size_t n, int wav_index) noexcept {
        try {
            last_activity_ms_ = now_ms();
            if (duplex_) {  // [H12] audio between two steps waits for the next one, never dropped
                std::lock_guard<std::mutex> w(wav_mu_);
                if (open_turn_) sink_.audio(open_turn_, pcm, n, kSampleRate);
                else if (carry_ok_ && carry_pcm_.size() + n <= kMaxCarrySamples) carry_pcm_.insert(carry_pcm_.end(), pcm, pcm + n);
                return;
            }
            uint64_t turn = audio_turn_.load();
            {  // simplex: wav_index = round * 1000 + k; stale audio maps to its old turn
                std::lock_guard<std::mutex> lk(mu_);
                auto it = round_turn_.find(wav_index / 1000);
                if (it != round_turn_.end()) turn = it->second;
            }
            sink_.audio(turn, pcm, n, kSampleRate);  // the host drops it if that turn is over
        } catch (...) {
        }
    }

    static long long now_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now().time_since_epoch()).count();
    }

    // ---- turns (worker thread) --------------------------------------------------------------
    // Every TURN_DONE goes through here. In duplex the step closes for audio first: audio the
    // T2W thread makes afterwards is carried into the next step, unless this one was cut short
    // (then it is stale and dropped).
    void finish_turn(uint64_t turn, omni_turn_end reason, omni_status err = OMNI_OK,
                     const std::string &message = std::string()) {
        if (duplex_) {
            std::lock_guard<std::mutex> w(wav_mu_);
            if (open_turn_ == turn) open_turn_ = 0;
            carry_ok_ = reason == OMNI_TURN_COMPLETED;
            if (!carry_ok_) carry_pcm_.clear();
        }
        sink_.finish(turn, reason, err, message);
    }

    void open_duplex_step(uint64_t turn) {
        step_text_ = false;
        step_tts_chunks_ = 0;
        std::lock_guard<std::mutex> w(wav_mu_);
        open_turn_ = turn;
        if (!carry_pcm_.empty()) sink_.audio(turn, carry_pcm_.data(), carry_pcm_.size(), kSampleRate);
        carry_pcm_.clear();
    }

    void worker_loop() {
        for (;;) {
            uint64_t turn;
            {
                std::unique_lock<std::mutex> lk(mu_);
                cv_.wait(lk, [&] { return stopping_ || !jobs_.empty(); });
                if (stopping_) {
                    // never leave a started turn without its TURN_DONE
                    for (uint64_t t : jobs_) {
                        lk.unlock();
                        finish_turn(t, OMNI_TURN_INTERRUPTED);
                        lk.lock();
                    }
                    return;
                }
                turn = jobs_.front();
                jobs_.pop_front();
            }
            std::lock_guard<std::mutex> tl(turn_mu_);
            try {
                run_turn(turn);
            } catch (const std::exception &e) {
                finish_turn(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, std::string("llama-omni: ") + e.what());
            } catch (...) {
                finish_turn(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, "llama-omni: unknown exception");
            }
        }
    }

    // After an interrupted turn, wait (bounded) until T2W has seen the break, so its stale
    // tokens never reach the next turn and the TTS thread stops spinning. [H11]
    void settle_after_break() {
        if (!need_settle_) return;
        need_settle_ = false;
        if (!use_tts_) return;
        auto t0 = clock::now();
        // let the TTS thread see the break first (simplex: it bumps simplex_round_idx)
        while (!duplex_ && ctx_->simplex_round_idx == settle_round_ && ctx_->break_event.load() &&
               clock::now() - t0 < std::chrono::seconds(3) && !stopping())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (duplex_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        while (ctx_->break_event.load() && clock::now() - t0 < std::chrono::milliseconds(kSettleMs) && !stopping()) {
            wake_t2w();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    void end_interrupted(uint64_t turn, int round) {
        do_break();
        need_settle_ = true;
        settle_round_ = round;
        finish_turn(turn, OMNI_TURN_INTERRUPTED);
        settle_after_break();  // after TURN_DONE: interrupt latency is not spent here
    }

    void prune_debug_files(int round) {  // [H13] keep only the running round's dumps
        std::error_code ec;
        if (duplex_) {
            for (auto it = fs::recursive_directory_iterator(tmp_dir_, ec); !ec && it != fs::recursive_directory_iterator();
                 it.increment(ec))
                if (it->is_regular_file(ec) && it->path().parent_path().filename() != "tts_bin")
                    fs::remove(it->path(), ec);
            return;
        }
        for (auto it = fs::directory_iterator(tmp_dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::string n = it->path().filename().string();
            if (n.rfind("round_", 0) == 0 && std::atoi(n.c_str() + 6) < round) fs::remove_all(it->path(), ec);
        }
        fs::remove(flag_path(round), ec);
    }

    std::string flag_path(int round) const {
        if (duplex_) return join(tmp_dir_, "tts_wav/generation_done.flag");
        char b[64];
        std::snprintf(b, sizeof b, "round_%03d/tts_wav/generation_done.flag", round);
        return join(tmp_dir_, b);
    }

    void run_turn(uint64_t turn) {
        settle_after_break();
        if (interrupted(turn)) {
            finish_turn(turn, OMNI_TURN_INTERRUPTED);
            return;
        }
        int round = next_round_++;
        prune_debug_files(round);
        {
            std::lock_guard<std::mutex> lk(mu_);
            round_turn_[round] = turn;
            while (round_turn_.size() > 8) round_turn_.erase(round_turn_.begin());
        }
        cur_turn_ = turn;
        audio_turn_ = turn;
        listen_seen_ = false;
        if (duplex_) open_duplex_step(turn);
        {
            std::lock_guard<std::mutex> sub(submit_mu_);
            decode_running_ = true;
        }
        auto t0 = clock::now();
        auto ms_since = [&](clock::time_point t) { return std::chrono::duration<double, std::milli>(clock::now() - t).count(); };
        bool decoded = false;
        std::string err;
        try {
            drain_llm();  // [H8]
            sink_.stat(turn, "prefill_wait_ms", ms_since(t0));
            decode_in_progress_ = true;
            if (!interrupted(turn)) {
                stream_decode(ctx_, tmp_dir_, duplex_ ? -1 : round);
                decoded = true;
            }
        } catch (const std::exception &e) {
            err = e.what();
        } catch (...) {
            err = "unknown exception";
        }
        decode_in_progress_ = false;
        sink_.stat(turn, "decode_ms", ms_since(t0));
        last_activity_ms_ = now_ms();
        {
            std::lock_guard<std::mutex> sub(submit_mu_);
            decode_running_ = false;
            for (auto &in : buffered_) {  // [H16] input that arrived during decode
                try {
                    submit(in);
                } catch (...) {
                }
            }
            buffered_.clear();
        }
        if (!err.empty()) {
            do_break();
            need_settle_ = true;
            settle_round_ = round;
            finish_turn(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, "llama-omni stream_decode: " + err);
            return;
        }
        if (!decoded || interrupted(turn)) return end_interrupted(turn, round);

        bool listened = duplex_ && (listen_seen_ || ctx_->ended_with_listen.load());
        if (listened) {
            if (!listen_seen_.exchange(true)) sink_.listen(turn);
        } else {
            sink_.end_of_turn(turn);
        }
        if (!use_tts_) {
            sink_.stat(turn, "audio_done_signal", 0);  // no TTS: the turn ends with the text
            finish_turn(turn, OMNI_TURN_COMPLETED);
            return;
        }
        if (duplex_) {
            // [H12] A duplex step has no audio-done signal of its own, and steps come every ~1 s:
            // it ends when it only listened (nothing to say) or once its speech tokens are made;
            // the audio still being synthesized arrives in the next step (on_wav carries it).
            int idle_ms = std::min(idle_timeout_ms_, 1500);
            while (step_text_ && step_tts_chunks_ == 0 && now_ms() - last_activity_ms_.load() <= idle_ms) {
                if (interrupted(turn)) return end_interrupted(turn, round);
                std::unique_lock<std::mutex> lk(mu_);
                cv_.wait_for(lk, std::chrono::milliseconds(10));
            }
            if (interrupted(turn)) return end_interrupted(turn, round);
            sink_.stat(turn, "audio_done_signal", step_text_ ? 5 : 4);
            finish_turn(turn, OMNI_TURN_COMPLETED);
            return;
        }
        // [H12] TURN_DONE after the last audio: T2W's generation_done.flag (written after its
        // last wav_callback); without token2wav, the TTS thread's speek_done; and always a
        // bounded fallback when neither comes (n_predict ran out, duplex mid-turn, no end token).
        std::string flag = flag_path(round);
        int idle_ms = idle_timeout_ms_;
        for (;;) {
            if (interrupted(turn)) return end_interrupted(turn, round);
            std::error_code ec;
            if (t2w_loaded_ && fs::exists(flag, ec)) {
                sink_.stat(turn, "audio_done_signal", 1);
                break;
            }
            if (!t2w_loaded_ && !duplex_ && ctx_->speek_done) {
                sink_.stat(turn, "audio_done_signal", 2);
                break;
            }
            bool queues_empty;  // (the TTS queue's type is private to omni.cpp; T2W's is public)
            {
                std::lock_guard<std::mutex> b(ctx_->t2w_thread_info->mtx);
                queues_empty = ctx_->t2w_thread_info->queue.empty();
            }
            if (queues_empty && now_ms() - last_activity_ms_.load() > idle_ms) {
                sink_.stat(turn, "audio_done_signal", 3);
                break;
            }
            std::unique_lock<std::mutex> lk(mu_);
            cv_.wait_for(lk, std::chrono::milliseconds(20));
        }
        finish_turn(turn, OMNI_TURN_COMPLETED);
    }

    EventSink &sink_;
    bool duplex_ = false, use_tts_ = false, vision_loaded_ = false, t2w_loaded_ = false;
    std::string lang_, llm_path_, audio_path_, vision_path_, tts_path_, t2w_dir_, ref_audio_, tmp_dir_;
    int n_threads_ = 1, idle_timeout_ms_ = 30000;
    std::unique_ptr<common_params> params_;
    omni_context *ctx_ = nullptr;
    std::vector<std::string> specials_;

    mutable std::mutex mu_;  // jobs, interrupt state, round map; never held while calling sink_
    std::condition_variable cv_;
    bool stopping_ = false;
    uint64_t interrupted_turn_ = 0;
    std::deque<uint64_t> jobs_;
    std::map<int, uint64_t> round_turn_;
    int split_pieces_ = 0;

    std::mutex turn_mu_;    // held by the worker for a whole turn (and its settling); reset() takes it
    std::mutex submit_mu_;  // serializes libomni prefill; guards decode_running_ and buffered_
    bool decode_running_ = false;
    std::vector<Input> buffered_;
    int prefill_index_ = 0;

    std::atomic<uint64_t> cur_turn_{0}, audio_turn_{0};
    // Duplex steps: which step receives audio now (0: between steps), and the audio made
    // between steps, for the next one (at most a minute).
    static constexpr size_t kMaxCarrySamples = 60 * 24000;
    std::mutex wav_mu_;  // never held by interrupt(), so the user's callback may interrupt
    uint64_t open_turn_ = 0;
    bool carry_ok_ = true;
    std::vector<int16_t> carry_pcm_;
    std::atomic<bool> step_text_{false};
    std::atomic<int> step_tts_chunks_{0};
    std::atomic<bool> decode_in_progress_{false}, listen_seen_{false};
    std::atomic<long long> last_activity_ms_{0};
    int next_round_ = 0;  // worker only
    bool need_settle_ = false;
    int settle_round_ = 0;

    std::thread worker_, guard_;
};

}  // namespace

const std::vector<OptionSpec> &llama_omni_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"model_dir", OptionType::String, "", 1, 0, {}, false,
         "model folder in the seed layout: MiniCPM-o-4_5-*.gguf, audio/, vision/, tts/, token2wav/"},
        {"llm_model", OptionType::String, "", 1, 0, {}, false, "LLM GGUF (overrides model_dir)"},
        {"audio_model", OptionType::String, "", 1, 0, {}, false, "audio encoder GGUF (overrides model_dir)"},
        {"vision_model", OptionType::String, "", 1, 0, {}, false, "vision encoder GGUF (overrides model_dir)"},
        {"tts_model", OptionType::String, "", 1, 0, {}, false, "TTS GGUF (overrides model_dir)"},
        {"projector", OptionType::String, "", 1, 0, {}, false,
         "TTS projector GGUF (default: next to the TTS model; optional)"},
        {"token2wav_dir", OptionType::String, "", 1, 0, {}, false,
         "folder with encoder/flow_matching/flow_extra/hifigan2/prompt_cache.gguf (default: model_dir/token2wav, "
         "token2wav-gguf or the TTS folder)"},
        {"ref_audio", OptionType::String, "", 1, 0, {}, false,
         "voice reference WAV (at most 30 s) evaluated into the system prompt; empty = default_ref_audio.wav "
         "of model_dir, else the one installed beside libomni_c from the llama.cpp-omni tree"},
        {"mode", OptionType::Enum, "simplex", 1, 0, {"simplex", "duplex"}, false,
         "simplex: reply after the user's turn; duplex: one decode step per generate, the model listens or speaks"},
        {"media_type", OptionType::Enum, "audio", 1, 0, {"audio", "omni"}, false,
         "audio: voice only; omni: voice and images (needs the vision model)"},
        {"language", OptionType::Enum, "en", 1, 0, {"en", "zh"}, false,
         "system prompt language (set before the system prompt is evaluated)"},
        {"use_tts", OptionType::Enum, "auto", 1, 0, {"auto", "true", "false"}, false,
         "speech output: auto = when the TTS model exists; true without a TTS model is refused"},
        {"n_ctx", OptionType::Int, "4096", 512, 1048576, {}, false, "LLM (and TTS) context length"},
        {"n_gpu_layers", OptionType::Int, "99", -1, 100000, {}, false, "LLM layers offloaded to the GPU"},
        {"n_threads", OptionType::Int, "0", 0, 4096, {}, false, "CPU threads; 0 = all hardware threads"},
        {"n_predict", OptionType::Int, "2048", -1, 1048576, {}, false,
         "most tokens per reply; -1 = n_ctx"},
        {"seed", OptionType::Int, "-1", -1, 4294967295.0, {}, false, "sampling seed; -1 = random"},
        {"temperature", OptionType::Float, "0.8", 0, 10, {}, false, "LLM sampling temperature; 0 = greedy"},
        {"length_penalty", OptionType::Float, "1.1", 0.01, 100, {}, true,
         "simplex: > 1 makes replies longer (scales the <|tts_eos|> logit)"},
        {"listen_prob_scale", OptionType::Float, "1", 0, 10000, {}, true,
         "duplex: bias towards listening (<|listen|> logit + 2*(scale-1)); 1 = the model's own choice"},
        {"vision_coreml", OptionType::String, "", 1, 0, {}, false,
         "Apple only: CoreML .mlmodelc of the vision encoder (ANE)"},
        {"token2wav_device", OptionType::String, "gpu:0", 1, 0, {}, false,
         "token2wav (token->mel) device: gpu, gpu:N, cuda:N or cpu; falls back to the CPU"},
        {"vocoder_threads", OptionType::Int, "0", 0, 256, {}, false,
         "threads of the HiFT vocoder (sets VOCODER_THREADS); 0 = $VOCODER_THREADS, else min(4, n_threads)"},
        {"log_level", OptionType::Enum, "warn", 1, 0, {"error", "warn", "info", "debug"}, false,
         "llama.cpp/ggml messages shown on stderr (libomni's own progress lines on stdout are not filterable)"},
        {"audio_done_timeout_ms", OptionType::Int, "30000", 100, 3600000, {}, false,
         "fallback only: end a turn this long after the last audio/TTS activity when the engine gives no "
         "completion signal (no token2wav, reply cut by n_predict)"},
    };
    return specs;
}

std::unique_ptr<Engine> create_llama_omni_engine(const OptionValues &opts, EventSink &sink) {
    return std::make_unique<LlamaOmniEngine>(opts, sink);
}

}  // namespace omni
