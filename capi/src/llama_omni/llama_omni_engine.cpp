// llama_omni_engine.cpp — the "llama-omni" engine over llama.cpp-omni's libomni: creation,
// input, interrupts and libomni's callbacks. The class, its threads and the hazard index
// [H1]..[H16]: llama_omni_internal.h; the turns: llama_omni_worker.cpp.
#include "llama_omni_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "../media.h"
#include "audition.h"
#include "image_check.h"
#include "llama_omni_internal.h"
#include "model_check.h"
#include "vision.h"

namespace omni::llama {

namespace {

constexpr double kMaxPieceSeconds = 25.0;  // [H6] Whisper overflows past 30 s per call

std::atomic<bool> g_engine_alive{false};   // [H1]

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

}  // namespace

LlamaOmniEngine::LlamaOmniEngine(const OptionValues &o, EventSink &sink) : sink_(sink) {
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
    threads_.start([this] { worker_loop(); });
    threads_.start([this] { guard_loop(); });
}

LlamaOmniEngine::~LlamaOmniEngine() {
    threads_.request_stop();
    if (ctx_) do_break();  // a running stream_decode returns at the next token [H10]
    threads_.stop();
    cleanup();
    g_engine_alive = false;
}

void LlamaOmniEngine::prefill_audio(const Audio &a) {
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
        in.audio = wav_from_audio(piece);
        if (off == 0 && duplex_) {  // the frame goes with the first second of audio after it
            std::lock_guard<std::mutex> sub(submit_mu_);
            in.image.swap(held_frame_);
        }
        submit_or_buffer(std::move(in));
    }
    if (n_pieces > 1) {
        std::lock_guard<std::mutex> lk(threads_.mu);
        split_pieces_ += int(n_pieces);
    }
}

void LlamaOmniEngine::prefill_image(const Image &img) {
    if (!supports_images())  // [H5] (the host checks too; never reach vision with NULL)
        throw Error(OMNI_ERR_UNSUPPORTED, "no vision model is loaded (media_type=audio or vision failed)");
    check_image_for_libomni(img);  // refused now, not deep in a later prefill
    if (duplex_) {  // held for its audio; a newer frame replaces it (the engine sees the latest)
        std::lock_guard<std::mutex> sub(submit_mu_);
        held_frame_ = img.encoded;
        return;
    }
    Input in;
    in.image = img.encoded;
    submit_or_buffer(std::move(in));
}

void LlamaOmniEngine::start_turn(uint64_t turn) {
    Input frame_only;  // a frame with no audio after it still reaches this step
    {
        std::lock_guard<std::mutex> sub(submit_mu_);
        frame_only.image.swap(held_frame_);
    }
    if (!frame_only.image.empty()) submit_or_buffer(std::move(frame_only));
    {
        std::lock_guard<std::mutex> lk(threads_.mu);
        jobs_.push_back(turn);
    }
    threads_.cv.notify_all();
}

void LlamaOmniEngine::interrupt(uint64_t turn) {
    threads_.interrupt(turn);
    if (decode_in_progress_.load()) do_break();  // the guard re-asserts it until decode returns
}

void LlamaOmniEngine::reset() {
    std::lock_guard<std::mutex> tl(turn_mu_);  // the worker is idle (and settled) while we hold it
    std::lock_guard<std::mutex> sub(submit_mu_);
    buffered_.clear();
    held_frame_.clear();
    kv_turn_ = 0;  // [H17] the last reply left with the conversation: nothing to cut
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

void LlamaOmniEngine::set_option(const std::string &key, const std::string &value) {
    // both are read by libomni at every sampled token
    if (key == "length_penalty") ctx_->length_penalty = std::strtof(value.c_str(), nullptr);
    if (key == "listen_prob_scale") ctx_->listen_prob_scale = std::strtof(value.c_str(), nullptr);
}

void LlamaOmniEngine::describe(JsonObject &info) const {
    std::lock_guard<std::mutex> lk(threads_.mu);
    JsonObject files;
    files.add("llm", files_.llm).add("audio", files_.audio).add("vision", vision_loaded_ ? files_.vision : "")
        .add("tts", use_tts_ ? files_.tts : "").add("token2wav_dir", t2w_loaded_ ? files_.token2wav_dir : "")
        .add("ref_audio", files_.ref_audio);
    info.add("engine", "llama-omni").add("model", files_.llm).add("simulated", false).add("files", files)
        .add("mode", duplex_ ? "duplex" : "simplex").add("language", lang_).add("vision", vision_loaded_)
        .add("tts", use_tts_).add("token2wav", t2w_loaded_).add("sample_rate", kSampleRate)
        .add("vocoder_device", t2w_loaded_ ? vocoder_.device : "").add("vocoder_note", vocoder_.note)
        .add("n_threads", n_threads_).add("history_rounds", next_round_).add("split_audio_pieces", split_pieces_);
    describe_kv(info);
}

void LlamaOmniEngine::init(const OptionValues &o) {
    duplex_ = o.str("mode") == "duplex";
    bool omni_media = o.str("media_type") == "omni";
    lang_ = o.str("language");
    check_vocoder_device_option(o.str("vocoder_device"));
    files_ = resolve_model_files(o, omni_media);
    use_tts_ = files_.use_tts;
    // Files that would trip an assert or an over-read inside libomni are refused here, by name,
    // before it reads them (model_check.h).
    if (o.flag("check_models")) {
        ModelSet set;
        set.llm = files_.llm;
        set.audio = files_.audio;
        set.vision = files_.vision;
        set.vision_on = omni_media;
        set.tts = files_.tts;
        set.tts_on = use_tts_;
        set.projector = files_.projector;
        set.token2wav_dir = files_.token2wav_dir;
        check_model_set(set);
    }
    tmp_dir_ = make_private_dir();  // [H13]
    std::string tts_bin_dir = use_tts_ ? make_tts_bin_dir(files_, tmp_dir_) : "";

    // [H2][H3] parameters that outlive the context, explicit thread counts
    params_ = std::make_unique<common_params>();
    common_params &p = *params_;
    p.model.path = files_.llm;
    p.apm_model = files_.audio;
    p.vpm_model = omni_media ? files_.vision : "";
    p.tts_model = use_tts_ ? files_.tts : "";
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
    const LoadWeights weights = load_weights(files_, omni_media);
    load_progress_ = std::make_unique<LoadProgress>(sink_, weights);
    p.load_progress_callback = &LoadProgress::on_model_progress;
    p.load_progress_callback_user_data = load_progress_.get();
    guarded_call("omni_init", [&] {
        ctx_ = omni_init(params_.get(), omni_media ? 2 : 1, use_tts_, tts_bin_dir, -1, o.str("token2wav_device"),
                         duplex_, nullptr, nullptr, tmp_dir_);
    });
    p.load_progress_callback = nullptr;  // [H2] params_ outlives this constructor's progress
    load_progress_->stage("system_prompt", weights.llm + weights.tts + weights.rest);
    if (!ctx_) throw Error(OMNI_ERR_MODEL, "omni_init failed to load the models (see the log); LLM " + files_.llm);
    vision_loaded_ = omni_media && ctx_->ctx_vision != nullptr;
    t2w_loaded_ = use_tts_ && ctx_->token2wav_initialized;
    if (t2w_loaded_)  // before index-0 prefill starts the T2W thread that reads the session
        guarded_call("vocoder", [&] { vocoder_ = place_vocoder(ctx_, o.str("vocoder_device"), o.str("token2wav_device")); });

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
    ctx_->ref_audio_path = files_.ref_audio;
    // [H14] installed once, before any libomni thread exists; never reassigned
    ctx_->text_callback = [this](const std::string &s) { on_text(s); };
    ctx_->tts_chunk_callback = [this](const std::string &t, int n, int idx) { on_tts_chunk(t, n, idx); };
    ctx_->wav_callback = [this](const int16_t *pcm, size_t n, int idx, int) { on_wav(pcm, n, idx); };
    if (!p.vision_coreml_model_path.empty()) guarded_call("omni_warmup_ane", [&] { omni_warmup_ane(ctx_); });

    // [H4] language before the system prompt; index 0 = system prompt + voice reference,
    // synchronous, and it starts libomni's LLM/TTS/T2W threads.
    guarded_call("system prompt", [&] {
        omni_set_language(ctx_, lang_);
        if (!stream_prefill(ctx_, duplex_ ? files_.ref_audio : std::string(), "", 0))
            throw Error(OMNI_ERR_MODEL, "stream_prefill(index 0) failed for the system prompt");
    });
    load_progress_->stage("ready", load_progress_->total());
    load_progress_.reset();
}

bool LoadProgress::on_model_progress(float progress, void *self_ptr) noexcept {
    auto *self = static_cast<LoadProgress *>(self_ptr);
    try {
        if (self->last_ >= 1.0f) self->run_++;  // the last model is loaded: this is the next one
        self->last_ = progress;
        const bool llm = self->run_ == 0;
        self->report(llm ? "llm" : "tts",
                     ((llm ? 0 : self->w_.llm) + progress * (llm ? self->w_.llm : self->w_.tts)) / self->total());
        if (progress >= 1.0f && (!llm || self->w_.tts == 0))  // the encoders load next, unreported
            self->stage("encoders", self->w_.llm + self->w_.tts);
    } catch (...) {
    }
    return true;  // go on loading
}

void LoadProgress::stage(const char *name, double done_bytes) { report(name, done_bytes / total()); }

void LoadProgress::report(const char *stage, double fraction) {
    int permille = int(std::lround(1000 * std::min(1.0, std::max(0.0, fraction))));
    if (stage == last_stage_ && permille < last_permille_ + 10) return;  // at most every 1 %
    last_stage_ = stage;
    last_permille_ = permille;
    EventDraft ev(OMNI_EVENT_LOAD_PROGRESS);
    ev.text = stage;
    ev.index = permille;
    sink_.emit(0, ev);
}

// [H9] the vocabulary's control / user-defined tags (<|im_end|>, <think>, ...) never reach TEXT
void LlamaOmniEngine::collect_special_tokens() {
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

void LlamaOmniEngine::cleanup() {
    if (ctx_) {
        guarded_call("omni_free", [&] {
            omni_stop_threads(ctx_);
            omni_free(ctx_);  // joins libomni's threads (may wait for one T2W window)
        });
        ctx_ = nullptr;
    }
    params_.reset();  // only after the context is gone [H2]
    remove_tree(tmp_dir_);  // [H13]
    tmp_dir_.clear();
}

void LlamaOmniEngine::submit_or_buffer(Input in) {
    std::lock_guard<std::mutex> sub(submit_mu_);
    // [H16] in simplex, stream_decode evaluates "<|im_end|>..." on its own thread after it
    // lets the LLM thread prefill again: hold input back until decode has returned.
    if (!duplex_ && decode_running_) {
        buffered_.push_back(std::move(in));
        return;
    }
    submit(in);
}

void LlamaOmniEngine::submit(const Input &in) {  // submit_mu_ held
    bool ok = false;
    guarded_call("prefill", [&] {
        int idx = ++prefill_index_;  // index 0 was the system prompt; >= 1 are user input
        ok = stream_prefill_from_memory(ctx_, in.audio.empty() ? nullptr : in.audio.data(), in.audio.size(),
                                        in.image.empty() ? nullptr : in.image.data(), in.image.size(), idx);
    });
    if (!ok)
        throw Error(OMNI_ERR_BAD_MEDIA, !in.image.empty() ? "the vision encoder could not use this image"
                                                 : "libomni refused the audio");
}

// [H8] Let the LLM thread consume every queued prefill and park. This is libomni's own
// handshake (need_speek -> prefill_done), done by us so it can't race: afterwards the
// queue is empty, the thread idles and prefill_done is false again.
void LlamaOmniEngine::drain_llm() {
    std::unique_lock<std::mutex> lk(ctx_->llm_thread_info->mtx);
    ctx_->need_speek = true;
    ctx_->llm_thread_info->cv.notify_all();
    while (!g_decode_cv.wait_for(lk, std::chrono::milliseconds(50), [] { return prefill_done; })) {
        ctx_->llm_thread_info->cv.notify_all();
        if (stopping()) return;
    }
    prefill_done = false;
}

void LlamaOmniEngine::do_break() {  // [H10] always both
    ctx_->break_event.store(true);
    stop_speek(ctx_);
}

// [H11] After a break the TTS thread spins until T2W clears break_event, and T2W only looks
// when woken. An empty T2WOut wakes it; it drops it, sees the break, clears it.
void LlamaOmniEngine::wake_t2w() {
    if (!ctx_->t2w_thread_info) return;
    {
        std::lock_guard<std::mutex> lk(ctx_->t2w_thread_info->mtx);
        ctx_->t2w_thread_info->queue.push(new T2WOut());
    }
    ctx_->t2w_thread_info->cv.notify_all();
}

void LlamaOmniEngine::guard_loop() {
    std::unique_lock<std::mutex> lk(threads_.mu);
    while (!threads_.stopping_locked()) {
        threads_.cv.wait_for(lk, std::chrono::milliseconds(20));
        // stream_decode resets break_event when it starts: re-assert until it returns
        if (decode_in_progress_.load() && threads_.cancelled_locked(cur_turn_.load()) &&
            !threads_.stopping_locked()) {
            lk.unlock();
            do_break();
            lk.lock();
        }
    }
}

std::string LlamaOmniEngine::without_specials(std::string s) const {  // [H9]
    for (const auto &sp : specials_)
        for (size_t pos; (pos = s.find(sp)) != std::string::npos;) s.erase(pos, sp.size());
    return s;
}

void LlamaOmniEngine::on_text(const std::string &s) noexcept {
    try {
        uint64_t turn = cur_turn_.load();
        if (s == "__IS_LISTEN__") {
            if (!listen_seen_.exchange(true)) sink_.listen(turn);
            return;
        }
        if (s == "__END_OF_TURN__") return;  // the worker reports END_OF_TURN after decode returns
        std::string out = without_specials(s);  // the host keeps UTF-8 whole across pieces
        kv_chunk_decoded(turn, out.size());  // [H17] where this chunk's tokens end in the KV cache
        if (!out.empty()) {
            step_text_ = true;
            sink_.text(turn, out);
        }
    } catch (...) {
    }
}

void LlamaOmniEngine::on_tts_chunk(const std::string &text, int n, int idx) noexcept {
    try {
        last_activity_ms_ = now_ms();
        step_tts_chunks_++;
        // the words spoken, as TEXT has them (truncation lines the two up)
        sink_.tts_chunk(audio_turn_.load(), without_specials(text), n, idx);
    } catch (...) {
    }
}

void LlamaOmniEngine::on_wav(const int16_t *pcm, size_t n, int wav_index) noexcept {
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
            std::lock_guard<std::mutex> lk(threads_.mu);
            auto it = round_turn_.find(wav_index / 1000);
            if (it != round_turn_.end()) turn = it->second;
        }
        sink_.audio(turn, pcm, n, kSampleRate);  // the host drops it if that turn is over
    } catch (...) {
    }
}

long long LlamaOmniEngine::now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now().time_since_epoch()).count();
}

}  // namespace omni::llama

namespace omni {

std::unique_ptr<Engine> create_llama_omni_engine(const OptionValues &opts, EventSink &sink) {
    return std::make_unique<llama::LlamaOmniEngine>(opts, sink);
}

}  // namespace omni
