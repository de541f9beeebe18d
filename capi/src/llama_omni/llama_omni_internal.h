// llama_omni_internal.h — the "llama-omni" engine's class, shared by its two sources:
// llama_omni_engine.cpp (creation, input, interrupts, libomni's callbacks) and
// llama_omni_worker.cpp (the worker that runs each turn) and llama_omni_truncate.cpp (cutting
// the last reply in the KV cache). Files: llama_omni_files.cpp; options: llama_omni_options.cpp.
// Included only by those files.
//
// Threads (ours): a worker runs each turn (handshake, stream_decode, waiting for the
// audio to finish) and a guard re-asserts an interrupt while stream_decode runs.
// Threads (libomni's): LLM prefill, TTS, T2W. text_callback fires on our worker (inside
// stream_decode), tts_chunk_callback on TTS, wav_callback on T2W.
//
// Hazards of libomni's C++ API that a flat C ABI must never expose, each marked "[H..]" where
// it is guarded (docs/engine-hazards.md: the upstream file:line of each, and the guard):
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
//  [H17] no call to cut a reply (truncation)        -> KV positions recorded per text chunk; the cut
//        rewinds the KV cache and closes the turn as an interrupted one (llama_omni_truncate.cpp)
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../engine.h"
#include "../engine_threads.h"
#include "llama_omni_files.h"
#include "vocoder_device.h"

// llama.cpp-omni headers, found through LLAMA_OMNI_DIR (never copied into this project).
#include "common/common.h"
#include "omni.h"

// Exported by libomni but not declared in omni.h (omni.cpp:4118, omni.cpp:4164, omni.cpp:3365-3366).
void omni_set_language(struct omni_context *ctx_omni, const std::string &lang);
void eval_prefix(struct omni_context *ctx_omni, common_params *params);
extern std::condition_variable g_decode_cv;
extern bool prefill_done;

namespace omni::llama {

using clock = std::chrono::steady_clock;

constexpr int kSampleRate = 24000;  // token2wav output (t2w-impl.h)

// [H12] What told the worker that a turn's last audio was out; STATS' audio_done_signal.
enum class AudioDone { NoTts, T2wFlag, TtsDone, Idle, ListenOnly, StepSpoken };
const char *audio_done_name(AudioDone d);

// omni_create()'s progress as LOAD_PROGRESS events. libomni reports the loading of the LLM
// and of the TTS model (llama.cpp's progress callback, one 0..1 run each); the other files
// load without a report, so the progress is weighted by bytes and steps over them.
class LoadProgress {
public:
    LoadProgress(EventSink &sink, const LoadWeights &w) : sink_(sink), w_(w) {}
    // common_params.load_progress_callback; `self` is the LoadProgress. [H14] never throws.
    static bool on_model_progress(float progress, void *self) noexcept;
    // A stage without a report of its own begins; `done` bytes of the total are loaded.
    void stage(const char *name, double done_bytes);
    double total() const { return std::max(1.0, (1 + kPromptWeight) * (w_.llm + w_.tts + w_.rest)); }

private:
    static constexpr double kPromptWeight = 0.02;  // the system prompt, as a share of the files
    void report(const char *stage, double fraction);
    EventSink &sink_;
    LoadWeights w_;
    int run_ = 0;           // 0: the LLM is loading, 1: the TTS model
    float last_ = 0;
    int last_permille_ = -1;
    std::string last_stage_;
};

// One stream_prefill_from_memory call: audio (a WAV file), an encoded image, or both. In
// omni duplex a camera frame goes in the same call as the second of audio after it, so the
// engine builds one unit: <unit><image>...</image> then that audio (docs/video.md).
struct Input {
    std::vector<uint8_t> audio;
    std::vector<uint8_t> image;
};

// [H17] Where the last simplex reply lies in the KV cache, for truncate().
struct ReplyKv {
    uint64_t info_turn = 0;      // the reply described (omni_info's last_reply_kv)
    int start = -1;              // its first position (after the assistant prompt)
    std::vector<int> chunk_end;  // where each text chunk's tokens end
    std::vector<size_t> text_end;  // and the bytes of TEXT emitted up to there
    bool completed = false;      // decoded to its end (not interrupted)
    int cut_at = -1;             // where truncate() cut it
};

class LlamaOmniEngine final : public Engine {
public:
    LlamaOmniEngine(const OptionValues &o, EventSink &sink);
    ~LlamaOmniEngine() override;

    // ---- input ----------------------------------------------------------------------
    void prefill_audio(const Audio &a) override;
    void prefill_image(const Image &img) override;
    bool supports_images() const override { return vision_loaded_; }
    void start_turn(uint64_t turn) override;
    void interrupt(uint64_t turn) override;
    void reset() override;
    void truncate(uint64_t turn, const std::string &heard) override;
    void set_option(const std::string &key, const std::string &value) override;
    void describe(JsonObject &info) const override;

private:
    // ---- creation -------------------------------------------------------------------
    void init(const OptionValues &o);
    void collect_special_tokens();
    void cleanup();

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
    void submit_or_buffer(Input in);
    void submit(const Input &in);
    void drain_llm();

    // ---- interrupt ----------------------------------------------------------------------
    void do_break();
    void wake_t2w();
    void guard_loop();
    bool stopping() const { return threads_.stopping(); }
    bool interrupted(uint64_t turn) const { return threads_.cancelled(turn); }

    // ---- callbacks (libomni threads) [H14] --------------------------------------------
    void on_text(const std::string &s) noexcept;
    void on_tts_chunk(const std::string &text, int n, int idx) noexcept;
    void on_wav(const int16_t *pcm, size_t n, int wav_index) noexcept;
    std::string without_specials(std::string s) const;  // [H9] vocabulary specials removed
    static long long now_ms();

    // ---- [H17] the last reply's KV layout (llama_omni_truncate.cpp) ---------------------------
    std::string assistant_prompt() const;
    void kv_reply_begins(uint64_t turn);
    void kv_chunk_decoded(uint64_t turn, size_t text_bytes);
    void kv_reply_completed();
    void describe_kv(JsonObject &info) const;

    // ---- turns (worker thread) --------------------------------------------------------------
    void finish_turn(uint64_t turn, omni_turn_end reason, omni_status err = OMNI_OK,
                     const std::string &message = std::string());
    void open_duplex_step(uint64_t turn);
    void worker_loop();
    void settle_after_break();
    void end_interrupted(uint64_t turn, int round);
    void run_turn(uint64_t turn);
    bool wait_step_spoken(uint64_t turn, AudioDone *how);
    bool wait_audio_done(uint64_t turn, int round, AudioDone *how);
    void nap_ms(int ms);

    EventSink &sink_;
    bool duplex_ = false, use_tts_ = false, vision_loaded_ = false, t2w_loaded_ = false;
    std::string lang_, tmp_dir_;
    ModelFiles files_;
    int n_threads_ = 1, idle_timeout_ms_ = 30000;
    std::unique_ptr<common_params> params_;
    omni_context *ctx_ = nullptr;
    VocoderPlacement vocoder_;  // where token2wav's vocoder runs (vocoder_device.h)
    std::vector<std::string> specials_;
    std::unique_ptr<LoadProgress> load_progress_;  // while the constructor loads

    EngineThreads threads_;  // worker + guard; its lock guards jobs, the round map and split_pieces_
    std::deque<uint64_t> jobs_;
    std::map<int, uint64_t> round_turn_;
    int split_pieces_ = 0;

    std::mutex turn_mu_;    // held by the worker for a whole turn (and its settling); reset() takes it
    std::mutex submit_mu_;  // serializes libomni prefill; guards decode_running_ and buffered_
    bool decode_running_ = false;
    std::vector<Input> buffered_;
    std::vector<uint8_t> held_frame_;  // duplex: the latest frame, waiting for its audio (submit_mu_)
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
    std::atomic<uint64_t> kv_turn_{0};  // [H17] the reply whose KV layout is being recorded (0: none)
    ReplyKv kv_;                       // kv_mu_
    mutable std::mutex kv_mu_;
    bool need_settle_ = false;
    int settle_round_ = 0;
};

}  // namespace omni::llama
