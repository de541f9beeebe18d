#include "sim_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <thread>

#include "../engine_threads.h"
#include "../isolation/isolation.h"

namespace omni {

namespace {

constexpr int kSampleRate = 24000;
constexpr int kSamplesPerSpeechToken = 960;  // 40 ms at 24 kHz, as in MiniCPM-o
constexpr int kWindowTokens = 25;            // one T2W window = 1 s of audio
constexpr int kLookaheadTokens = 3;          // T2W waits for 3 more tokens before a window, like upstream
constexpr int kTextChunkTokens = 10;         // the real decode loop emits every 10 tokens
constexpr int kDuplexChunkTokens = 8;        // words spoken per duplex step
constexpr float kSpeechRms = 0.02f;          // louder than this = the user is talking

struct Timing {
    double prefill_ms, llm_ms, tts_ms, t2w_ms;
};

Timing preset(const std::string &name) {
    // "m4": the seed README's Apple M4 figures: LLM 68 ms/token (934 ms to the first
    // 10-token chunk), TTS 39 ms per speech token, T2W 932 ms per 1 s window. First
    // audio = 934 + 28 x 39 + 932 ms ~ 3.0 s; steady RTF ~ 1.
    if (name == "m4") return {254, 68, 39, 932};
    return {0, 0, 0, 0};
}

// One message travelling decode -> TTS -> T2W. `end` closes the turn.
struct Msg {
    uint64_t turn = 0;
    bool end = false;
    omni_turn_end reason = OMNI_TURN_COMPLETED;
    std::string error;
    std::string text;      // TTS input (decode -> TTS)
    int text_tokens = 0;   // tokens in text
    int chunk_idx = 0;
    int speech_tokens = 0; // T2W input (TTS -> T2W)

    static Msg of(uint64_t turn) {
        Msg m;
        m.turn = turn;
        return m;
    }
    static Msg end_of(uint64_t turn, omni_turn_end reason = OMNI_TURN_COMPLETED) {
        Msg m = of(turn);
        m.end = true;
        m.reason = reason;
        return m;
    }
};

// One run of prefills of the same kind, in the order they arrived: frames of one size, or audio.
struct Received {
    bool image = false;
    int count = 0, width = 0, height = 0;
    double seconds = 0;
};

struct Input {
    double audio_s = 0;
    float tail_rms = 0;  // loudness of the last 0.5 s received
    double speech_s = 0; // how much of it was louder than kSpeechRms (in 0.1 s frames)
    std::vector<std::pair<int, int>> images;
    std::vector<Received> order;

    void add_audio(double s) {
        if (order.empty() || order.back().image) order.push_back(Received{});
        order.back().seconds += s;
    }
    void add_image(int w, int h) {
        if (order.empty() || !order.back().image || order.back().width != w || order.back().height != h)
            order.push_back(Received{true, 0, w, h, 0});
        order.back().count++;
    }
    // What a duplex step received, in order, e.g. "1 frame 448×448, 1.0 s of audio", so a
    // test can check that frames reached the engine each with its second of audio.
    std::string describe() const {
        std::string s;
        char buf[96];
        for (const Received &r : order) {
            if (r.image)
                std::snprintf(buf, sizeof buf, "%d frame%s %d×%d", r.count, r.count == 1 ? "" : "s", r.width,
                              r.height);
            else
                std::snprintf(buf, sizeof buf, "%.1f s of audio", r.seconds);
            s += (s.empty() ? "" : ", ") + std::string(buf);
        }
        return s.empty() ? "nothing" : s;
    }
};

const char *const kFillerEn[] = {
    "The simulator answers in the rhythm of MiniCPM-o, so every layer can be tested without model files.",
    "Text arrives in chunks of ten tokens and speech in windows of one second.",
    "Press stop at any time and the turn ends at once.",
    "Each reply depends on what it heard, so a test can check that the input arrived.",
};
const char *const kFillerZh[] = {
    "这是模拟引擎，它按照MiniCPM-o的节奏回答，不需要模型文件。",
    "文字每十个词元推送一次，语音每一秒推送一段。",
    "随时按下停止，这一轮就会立刻结束。",
    "每次回答都取决于听到的内容，方便测试检查输入。",
};

// Tokens of a text: words (with their leading space) for English, code points for Chinese.
std::vector<std::string> tokenize(const std::string &s, bool zh) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
        size_t j = i + 1;
        if (zh) {
            while (j < s.size() && ((unsigned char)s[j] & 0xC0) == 0x80) j++;
        } else {
            while (j < s.size() && s[j] == ' ') j++;
            while (j < s.size() && s[j] != ' ') j++;
        }
        out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

class SimEngine final : public Engine {
public:
    SimEngine(const OptionValues &o, EventSink &sink) : sink_(sink) {
        duplex_ = o.str("mode") == "duplex";
        vision_ = o.str("media_type") == "omni";
        zh_ = o.str("language") == "zh";
        tts_ = o.flag("tts");
        timing_name_ = o.str("timing");
        Timing t = preset(timing_name_);
        auto pick = [&](const char *k, double d) { double v = o.number(k); return v < 0 ? d : v; };
        prefill_ms_ = pick("first_token_ms", t.prefill_ms);
        llm_ms_ = pick("llm_ms_per_token", t.llm_ms);
        tts_ms_ = pick("tts_ms_per_token", t.tts_ms);
        t2w_ms_ = pick("t2w_ms_per_window", t.t2w_ms);
        reply_tokens_ = int(o.integer("reply_tokens"));
        fail_at_token_ = int(o.integer("fail_at_token"));
        crash_at_token_ = int(o.integer("crash_at_token"));
        length_penalty_ = o.number("length_penalty");
        if (o.number("load_ms") > 0) pretend_to_load(o.number("load_ms"));
        threads_.start([this] { decode_loop(); });
        threads_.start([this] { tts_loop(); });
        threads_.start([this] { t2w_loop(); });
    }

    ~SimEngine() override { threads_.stop(); }

    void prefill_audio(const Audio &a) override {
        size_t tail = std::min(a.samples.size(), size_t(a.sample_rate / 2));
        double sq = 0;
        for (size_t i = a.samples.size() - tail; i < a.samples.size(); i++) sq += double(a.samples[i]) * a.samples[i];
        size_t frame = std::max<size_t>(1, size_t(a.sample_rate / 10)), loud = 0;
        for (size_t at = 0; at < a.samples.size(); at += frame) {
            size_t end = std::min(a.samples.size(), at + frame);
            double fsq = 0;
            for (size_t i = at; i < end; i++) fsq += double(a.samples[i]) * a.samples[i];
            if (std::sqrt(fsq / double(end - at)) > kSpeechRms) loud += end - at;
        }
        std::lock_guard<std::mutex> lk(threads_.mu);
        pending_.audio_s += a.seconds();
        pending_.speech_s += double(loud) / a.sample_rate;
        pending_.add_audio(a.seconds());
        pending_.tail_rms = float(std::sqrt(sq / double(tail ? tail : 1)));
    }

    void prefill_image(const Image &img) override {
        std::lock_guard<std::mutex> lk(threads_.mu);
        pending_.images.emplace_back(img.width, img.height);
        pending_.add_image(img.width, img.height);
    }

    bool supports_images() const override { return vision_; }

    void start_turn(uint64_t turn) override {
        {
            std::lock_guard<std::mutex> lk(threads_.mu);
            job_turn_ = turn;
            job_input_ = pending_;
            pending_ = Input{};
        }
        threads_.cv.notify_all();
    }

    void interrupt(uint64_t turn) override { threads_.interrupt(turn); }

    void reset() override {
        std::lock_guard<std::mutex> lk(threads_.mu);
        pending_ = Input{};
        history_.clear();
        history_turns_ = 0;
        duplex_heard_s_ = 0;
        duplex_reply_.clear();
        duplex_cursor_ = 0;
    }

    void truncate(uint64_t turn, const std::string &heard) override {
        std::lock_guard<std::mutex> lk(threads_.mu);
        for (auto &h : history_)
            if (h.first == turn) h.second = heard;
    }

    void set_option(const std::string &key, const std::string &value) override {
        std::lock_guard<std::mutex> lk(threads_.mu);
        double v = std::strtod(value.c_str(), nullptr);
        if (key == "llm_ms_per_token") llm_ms_ = v < 0 ? preset(timing_name_).llm_ms : v;
        else if (key == "tts_ms_per_token") tts_ms_ = v < 0 ? preset(timing_name_).tts_ms : v;
        else if (key == "t2w_ms_per_window") t2w_ms_ = v < 0 ? preset(timing_name_).t2w_ms : v;
        else if (key == "first_token_ms") prefill_ms_ = v < 0 ? preset(timing_name_).prefill_ms : v;
        else if (key == "reply_tokens") reply_tokens_ = int(v);
        else if (key == "fail_at_token") fail_at_token_ = int(v);
        else if (key == "crash_at_token") crash_at_token_ = int(v);
        else if (key == "length_penalty") length_penalty_ = v;
    }

    void describe(JsonObject &info) const override {
        std::lock_guard<std::mutex> lk(threads_.mu);
        info.add("engine", "sim").add("model", "built-in simulator (no model files)").add("simulated", true)
            .add("mode", duplex_ ? "duplex" : "simplex").add("language", zh_ ? "zh" : "en").add("vision", vision_)
            .add("tts", tts_).add("sample_rate", kSampleRate).add("timing", timing_name_)
            .add("history_turns", history_turns_)
            .add("history_chars", history_chars());
    }

private:
    // Loading as the real engine reports it (LOAD_PROGRESS by stage), for tests and demos.
    void pretend_to_load(double ms) {
        const char *const stages[] = {"llm", "encoders", "system_prompt"};
        const int steps = 20;
        for (int i = 0; i <= steps; i++) {
            EventDraft ev(OMNI_EVENT_LOAD_PROGRESS);
            ev.text = stages[std::min(2, 3 * i / (steps + 1))];
            ev.index = 1000 * i / steps;
            sink_.emit(0, ev);
            if (i < steps) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms / steps));
        }
    }

    // ---- helpers shared by the three threads ----------------------------------------
    bool cancelled(uint64_t turn) const { return threads_.cancelled_locked(turn); }  // mu held
    bool nap(uint64_t turn, double ms) { return threads_.nap(turn, ms); }

    // Depth-1 hand-over to TTS, like the real engine's TTS queue. False when cancelled.
    bool push_tts(Msg m) {
        std::unique_lock<std::mutex> lk(threads_.mu);
        if (!m.end) {
            threads_.cv.wait(lk, [&] { return tts_q_.empty() || cancelled(m.turn); });
            if (cancelled(m.turn)) return false;
        }
        tts_q_.push_back(std::move(m));
        threads_.cv.notify_all();
        return true;
    }

    void push_t2w(Msg m) {
        std::lock_guard<std::mutex> lk(threads_.mu);
        t2w_q_.push_back(std::move(m));
        threads_.cv.notify_all();
    }

    bool pop(std::deque<Msg> &q, Msg *out) {
        std::unique_lock<std::mutex> lk(threads_.mu);
        threads_.cv.wait(lk, [&] { return threads_.stopping_locked() || !q.empty(); });
        if (threads_.stopping_locked()) return false;
        *out = std::move(q.front());
        q.pop_front();
        threads_.cv.notify_all();
        return true;
    }

    std::vector<std::string> build_reply(const Input &in, int turn_no) {
        char head[256];
        std::string s;
        int target;
        size_t remembered;
        {
            std::lock_guard<std::mutex> lk(threads_.mu);
            target = reply_tokens_;
            remembered = history_chars();
        }
        if (zh_) {
            std::snprintf(head, sizeof head, "第%d轮。我听到了%.1f秒的音频", turn_no, in.audio_s);
            s = head;
            for (auto &wh : in.images) {
                std::snprintf(head, sizeof head, "，还看到了一张%d×%d的图片", wh.first, wh.second);
                s += head;
            }
            s += "。";
            std::snprintf(head, sizeof head, "我记得之前回答的%zu个字。", remembered);
            s += head;
        } else {
            std::snprintf(head, sizeof head, "Turn %d. I heard %.1f seconds of audio", turn_no, in.audio_s);
            s = head;
            for (auto &wh : in.images) {
                std::snprintf(head, sizeof head, " and saw a %d by %d image", wh.first, wh.second);
                s += head;
            }
            s += ".";
            std::snprintf(head, sizeof head, " I remember %zu characters of my earlier replies.", remembered);
            s += head;
        }
        std::vector<std::string> toks = tokenize(s, zh_);
        size_t k = size_t(turn_no + int(std::lround(in.audio_s * 10)));
        while (int(toks.size()) < target) {
            std::string f = std::string(zh_ ? "" : " ") + (zh_ ? kFillerZh : kFillerEn)[k++ % 4];
            for (auto &t : tokenize(f, zh_)) toks.push_back(t);
        }
        if (int(toks.size()) > target) toks.resize(size_t(target));
        return toks;
    }

    int speech_tokens_for(int text_tokens) const { return text_tokens * (zh_ ? 5 : 8); }

    // The conversation as this engine holds it: what each turn said (cut by truncate()).
    // Replies tell how much of it they remember, so a test can see a truncation arrive.
    size_t history_chars() const {  // threads_.mu held
        size_t n = 0;
        for (const auto &h : history_)
            for (unsigned char c : h.second) n += (c & 0xC0) != 0x80;
        return n;
    }

    void remember(uint64_t turn, const std::string &said) {
        std::lock_guard<std::mutex> lk(threads_.mu);
        history_.emplace_back(turn, said);
    }

    // ---- decode thread --------------------------------------------------------------
    void decode_loop() {
        for (;;) {
            uint64_t turn;
            Input in;
            {
                std::unique_lock<std::mutex> lk(threads_.mu);
                threads_.cv.wait(lk, [&] { return threads_.stopping_locked() || job_turn_ != 0; });
                if (threads_.stopping_locked()) return;
                turn = job_turn_;
                job_turn_ = 0;
                in = std::move(job_input_);
            }
            if (duplex_) run_duplex_step(turn, in);
            else run_simplex_turn(turn, in);
        }
    }

    // Emit `toks` as TEXT events of kTextChunkTokens tokens, each handed to TTS.
    // Returns false when the turn was cancelled or failed (End already sent).
    bool speak(uint64_t turn, const std::vector<std::string> &toks, size_t chunk_tokens, int *chunk_idx,
               int token_base, std::string *said) {
        double llm_ms, fail_at, crash_at;
        {
            std::lock_guard<std::mutex> lk(threads_.mu);
            llm_ms = llm_ms_;
            fail_at = fail_at_token_;
            crash_at = crash_at_token_;
        }
        std::string chunk, carry;
        int in_chunk = 0;
        for (size_t i = 0; i < toks.size(); i++) {
            if (crash_at >= 0 && int(i) + token_base == int(crash_at)) {
                // An engine fault that ends the process, as a GGML_ASSERT would; only where the
                // process is the engine's own (isolate=process), else an ordinary failure.
                if (isolation::in_engine_process()) std::abort();
                fail_at = crash_at;
            }
            if (fail_at >= 0 && int(i) + token_base == int(fail_at)) {
                Msg end = Msg::end_of(turn, OMNI_TURN_FAILED);
                end.error = "simulated engine failure at token " + std::to_string(int(fail_at)) + " (fail_at_token)";
                push_tts(std::move(end));
                return false;
            }
            if (!nap(turn, llm_ms)) break;
            chunk += toks[i];
            in_chunk++;
            if (in_chunk == int(chunk_tokens) || i + 1 == toks.size()) {
                // The real engine cuts text at token boundaries, which can split a UTF-8
                // character; do the same on purpose (hold back one byte of a trailing
                // multi-byte character) so the host's UTF-8 assembly is always exercised.
                std::string piece = carry + chunk;
                carry.clear();
                if (i + 1 < toks.size() && ((unsigned char)piece.back() & 0x80)) {
                    carry = piece.substr(piece.size() - 1);
                    piece.pop_back();
                }
                sink_.text(turn, piece);
                *said += chunk;
                Msg m = Msg::of(turn);
                m.text = chunk;
                m.text_tokens = in_chunk;
                m.chunk_idx = (*chunk_idx)++;
                chunk.clear();
                in_chunk = 0;
                if (tts_ && !push_tts(std::move(m))) break;  // text-only: no TTS hand-over
            }
        }
        std::lock_guard<std::mutex> lk(threads_.mu);
        return !cancelled(turn);
    }

    void run_simplex_turn(uint64_t turn, const Input &in) {
        int turn_no;
        double prefill_ms;
        {
            std::lock_guard<std::mutex> lk(threads_.mu);
            turn_no = ++history_turns_;
            prefill_ms = prefill_ms_;
        }
        std::vector<std::string> toks = build_reply(in, turn_no);
        sink_.stat(turn, "llm_tokens", double(toks.size()));
        int chunk_idx = 0;
        std::string said;
        bool ok = nap(turn, prefill_ms) && speak(turn, toks, kTextChunkTokens, &chunk_idx, 0, &said);
        remember(turn, said);  // an interrupted reply stays as far as it was decoded, as in the real engine
        if (ok) sink_.end_of_turn(turn);
        else {
            std::lock_guard<std::mutex> lk(threads_.mu);
            if (!cancelled(turn)) return;  // failed: End already sent by speak()
        }
        push_tts(Msg::end_of(turn));
    }

    // Duplex: every step follows ~1 s of streamed audio. While the user talks (or has
    // said nothing) the model listens; once they pause after speaking it answers, a few
    // words per step, until the reply is done or the user talks over it.
    void run_duplex_step(uint64_t turn, const Input &in) {
        bool talking = in.audio_s > 0 && in.tail_rms > kSpeechRms;
        const std::string received = in.describe();
        sink_.stat(turn, "received", received);
        std::vector<std::string> step;
        int token_base = 0, chunk_idx = 0;
        {
            std::lock_guard<std::mutex> lk(threads_.mu);
            if (talking) {
                duplex_heard_s_ += in.audio_s;
                duplex_reply_.clear();  // the user barged in: drop the rest of the reply
                duplex_cursor_ = 0;
            } else if (in.speech_s > 0 && duplex_reply_.empty()) {
                duplex_heard_s_ += in.speech_s;  // spoke, then paused within this input (long chunks)
            }
        }
        if (!talking) {
            bool start_reply;
            {
                std::lock_guard<std::mutex> lk(threads_.mu);
                start_reply = duplex_reply_.empty() && duplex_heard_s_ >= 0.3;
            }
            if (start_reply) {
                Input heard;
                {
                    std::lock_guard<std::mutex> lk(threads_.mu);
                    heard.audio_s = duplex_heard_s_;
                    heard.images = in.images;
                    ++history_turns_;
                }
                auto reply = build_reply(heard, history_turns_);
                std::lock_guard<std::mutex> lk(threads_.mu);
                duplex_reply_ = std::move(reply);
                duplex_cursor_ = 0;
            }
            std::lock_guard<std::mutex> lk(threads_.mu);
            if (!duplex_reply_.empty()) {
                size_t end = std::min(duplex_reply_.size(), duplex_cursor_ + kDuplexChunkTokens);
                step.assign(duplex_reply_.begin() + long(duplex_cursor_), duplex_reply_.begin() + long(end));
                token_base = int(duplex_cursor_);
                chunk_idx = int(duplex_cursor_ / kDuplexChunkTokens);
                duplex_cursor_ = end;
                if (duplex_cursor_ >= duplex_reply_.size()) {
                    duplex_reply_.clear();
                    duplex_cursor_ = 0;
                    duplex_heard_s_ = 0;
                }
            }
        }
        std::string said;
        if (step.empty()) {
            EventDraft ev(OMNI_EVENT_LISTEN);
            ev.text = received;
            sink_.emit(turn, ev);
        } else if (speak(turn, step, kDuplexChunkTokens, &chunk_idx, token_base, &said)) {
            remember(turn, said);
            sink_.end_of_turn(turn);
        } else {
            remember(turn, said);
            std::lock_guard<std::mutex> lk(threads_.mu);
            if (!cancelled(turn)) return;
        }
        push_tts(Msg::end_of(turn));
    }

    // ---- TTS thread -----------------------------------------------------------------
    void tts_loop() {
        Msg m;
        uint64_t turn = 0;
        int pushed = 0;  // speech tokens handed to T2W in this turn
        while (pop(tts_q_, &m)) {
            if (m.turn != turn) {
                turn = m.turn;
                pushed = 0;
            }
            if (m.end) {
                push_t2w(std::move(m));
                continue;
            }
            double tts_ms;
            {
                std::lock_guard<std::mutex> lk(threads_.mu);
                if (cancelled(m.turn)) continue;
                tts_ms = tts_ms_;
            }
            int n = speech_tokens_for(m.text_tokens), done = 0, sent = 0;
            for (; done < n; done++) {
                if (!nap(m.turn, tts_ms)) break;
                // Hand tokens over as upstream does: 28 first (a window + lookahead), then 25.
                int block_size = pushed == 0 ? kWindowTokens + kLookaheadTokens : kWindowTokens;
                if (done + 1 - sent == block_size || done + 1 == n) {
                    Msg block = Msg::of(m.turn);
                    block.speech_tokens = done + 1 - sent;
                    pushed += block.speech_tokens;
                    sent = done + 1;
                    push_t2w(std::move(block));
                }
            }
            if (done == n) sink_.tts_chunk(m.turn, m.text, n, m.chunk_idx);
        }
    }

    // ---- T2W thread -----------------------------------------------------------------
    // A voiced, gently gliding tone with harmonics: audible, deterministic, checkable.
    void synthesize(int tokens, std::vector<int16_t> *pcm) {
        pcm->resize(size_t(tokens) * kSamplesPerSpeechToken);
        for (size_t i = 0; i < pcm->size(); i++) {
            double k = double(synth_token_) + double(i) / kSamplesPerSpeechToken;  // position in speech tokens
            double f0 = 130.0 + 25.0 * std::sin(2 * M_PI * k / 37.0);
            synth_phase_ += 2 * M_PI * f0 / kSampleRate;
            if (synth_phase_ > 2 * M_PI) synth_phase_ -= 2 * M_PI;
            double v = std::sin(synth_phase_) + 0.5 * std::sin(2 * synth_phase_) + 0.3 * std::sin(3 * synth_phase_) +
                       0.2 * std::sin(4 * synth_phase_);
            double env = 0.6 + 0.4 * std::sin(M_PI * std::fmod(k, 8.0) / 8.0);  // one "syllable" per 8 tokens
            (*pcm)[i] = int16_t(std::lrint(32767.0 * 0.25 * env * v / 2.0));
        }
        synth_token_ += uint64_t(tokens);
    }

    void t2w_loop() {
        Msg m;
        uint64_t turn = 0;
        int buffered = 0;
        std::vector<int16_t> pcm;
        while (pop(t2w_q_, &m)) {
            if (m.turn != turn) {  // a new turn: fresh buffer and voice
                turn = m.turn;
                buffered = 0;
                synth_token_ = 0;
                synth_phase_ = 0;
            }
            double t2w_ms;
            bool cut;
            {
                std::lock_guard<std::mutex> lk(threads_.mu);
                t2w_ms = t2w_ms_;
                cut = cancelled(turn);
            }
            if (!m.end) {
                if (cut) continue;
                buffered += m.speech_tokens;
                while (buffered >= kWindowTokens + kLookaheadTokens && nap(turn, t2w_ms)) {
                    synthesize(kWindowTokens, &pcm);
                    sink_.audio(turn, pcm.data(), pcm.size(), kSampleRate);
                    buffered -= kWindowTokens;
                }
                continue;
            }
            if (m.reason == OMNI_TURN_COMPLETED && !cut && buffered > 0 &&
                nap(turn, t2w_ms * buffered / kWindowTokens)) {
                synthesize(buffered, &pcm);  // the final, shorter window
                sink_.audio(turn, pcm.data(), pcm.size(), kSampleRate);
            }
            buffered = 0;
            {
                std::lock_guard<std::mutex> lk(threads_.mu);
                cut = cancelled(turn);
            }
            if (m.reason == OMNI_TURN_FAILED) sink_.finish(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, m.error);
            else sink_.finish(turn, cut ? OMNI_TURN_INTERRUPTED : OMNI_TURN_COMPLETED, OMNI_OK, "");
        }
    }

    EventSink &sink_;
    bool duplex_ = false, vision_ = false, zh_ = false, tts_ = true;
    std::string timing_name_;

    EngineThreads threads_;  // its lock guards everything below
    double prefill_ms_, llm_ms_, tts_ms_, t2w_ms_, length_penalty_;
    int reply_tokens_, fail_at_token_, crash_at_token_;
    Input pending_;
    uint64_t job_turn_ = 0;
    Input job_input_;
    std::deque<Msg> tts_q_, t2w_q_;
    int history_turns_ = 0;
    std::vector<std::pair<uint64_t, std::string>> history_;  // (turn, what it said)
    double duplex_heard_s_ = 0;
    std::vector<std::string> duplex_reply_;
    size_t duplex_cursor_ = 0;
    uint64_t synth_token_ = 0;  // T2W thread only
    double synth_phase_ = 0;    // T2W thread only
};

}  // namespace

const std::vector<OptionSpec> &sim_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"mode", OptionType::Enum, "simplex", 1, 0, {"simplex", "duplex"}, false,
         "simplex: the reply starts after the user's turn; duplex: generate after every ~1 s of streamed audio and "
         "the model decides to listen or speak"},
        {"media_type", OptionType::Enum, "audio", 1, 0, {"audio", "omni"}, false,
         "audio: voice only; omni: voice and images"},
        {"language", OptionType::Enum, "en", 1, 0, {"en", "zh"}, false, "language of the replies"},
        {"timing", OptionType::Enum, "zero", 1, 0, {"zero", "m4"}, false,
         "stage delays: zero (as fast as possible) or m4 (the seed's Apple M4 figures, first audio ~3 s)"},
        {"first_token_ms", OptionType::Float, "-1", -1, 600000, {}, true,
         "delay before the first token (prefill); -1 = from the timing preset"},
        {"llm_ms_per_token", OptionType::Float, "-1", -1, 600000, {}, true, "LLM delay per text token; -1 = preset"},
        {"tts_ms_per_token", OptionType::Float, "-1", -1, 600000, {}, true, "TTS delay per speech token; -1 = preset"},
        {"t2w_ms_per_window", OptionType::Float, "-1", -1, 600000, {}, true,
         "token2wav delay per 1 s window; -1 = preset"},
        {"tts", OptionType::Bool, "true", 1, 0, {}, false,
         "false: text only (no TTS_CHUNK or AUDIO events), like llama-omni without a TTS model"},
        {"reply_tokens", OptionType::Int, "40", 1, 10000000, {}, true, "text tokens in a simplex reply"},
        {"fail_at_token", OptionType::Int, "-1", -1, 100000, {}, true,
         "test hook: fail the turn with an ERROR event at this token (-1: never)"},
        {"crash_at_token", OptionType::Int, "-1", -1, 100000, {}, true,
         "test hook: abort the engine's process at this token when it runs in one of its own (isolate=process); "
         "in the application's process it fails the turn like fail_at_token (-1: never)"},
        {"load_ms", OptionType::Float, "0", 0, 600000, {}, false,
         "test hook: take this long to 'load', reporting LOAD_PROGRESS events as the real engine does"},
        {"length_penalty", OptionType::Float, "1.1", 0.01, 100, {}, true,
         "accepted for parity with llama-omni (the sim ignores it)"},
    };
    return specs;
}

std::unique_ptr<Engine> create_sim_engine(const OptionValues &opts, EventSink &sink) {
    return std::make_unique<SimEngine>(opts, sink);
}

}  // namespace omni
