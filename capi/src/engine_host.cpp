#include "engine_host.h"

#include <cmath>

namespace omni {

namespace {

thread_local const EngineHost *tls_in_callback = nullptr;

// The valid UTF-8 of `s`: a character cut off at the end is kept in *tail for the next
// piece (engines cut text at token boundaries); bytes that can never be UTF-8 (a badly
// trained model) become U+FFFD. TEXT events are therefore always valid UTF-8.
std::string take_valid_utf8(const std::string &s, std::string *tail) {
    std::string out;
    tail->clear();
    size_t i = 0, n = s.size();
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        size_t k = 1;
        while (len && k < len && i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
        if (len && k == len) {
            out.append(s, i, len);
            i += len;
        } else if (len && i + k == n) {
            *tail = s.substr(i);
            break;
        } else {
            out += "\xEF\xBF\xBD";
            i++;
        }
    }
    return out;
}

size_t utf8_code_points(const std::string &s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

omni_event blank_event(omni_event_type type, uint64_t turn, double t_ms) {
    omni_event ev{};
    ev.size = sizeof(omni_event);
    ev.type = type;
    ev.turn_id = turn;
    ev.t_ms = t_ms;
    return ev;
}

const char *reason_word(omni_turn_end r) {
    return r == OMNI_TURN_COMPLETED ? "completed" : r == OMNI_TURN_INTERRUPTED ? "interrupted" : "failed";
}

}  // namespace

const std::vector<OptionSpec> &host_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"max_audio_seconds", OptionType::Float, "600", 1, 36000, {}, true,
         "Most seconds of audio that may be prefilled for one turn; more is refused with OMNI_ERR_TOO_LARGE."},
        {"event_queue_size", OptionType::Int, "1024", 1, 10000000, {}, false,
         "Pull mode (no callback): most events waiting for omni_next_event(); when full, the engine waits for "
         "the puller (back-pressure, nothing dropped)."},
    };
    return specs;
}

EngineHost::EngineHost(const EngineKind &kind, omni_event_cb cb, void *user_data)
    : kind_(kind), cb_(cb), user_data_(user_data) {
    specs_ = host_option_specs();
    specs_.insert(specs_.end(), kind.options->begin(), kind.options->end());
}

EngineHost::~EngineHost() { shutdown(); }

bool EngineHost::in_callback() { return tls_in_callback != nullptr; }

void EngineHost::create(const std::vector<std::pair<std::string, std::string>> &options) {
    options_ = validate_options(specs_, options);
    if (!cb_) queue_ = std::make_unique<EventQueue>(size_t(options_.integer("event_queue_size")));
    engine_ = kind_.create(options_, *this);
}

void EngineHost::prefill_audio(const Audio &audio) {
    std::lock_guard<std::mutex> in(input_mu_);
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        double limit = options_.number("max_audio_seconds");
        if (pending_audio_s_ + audio.seconds() > limit + 1e-9)
            throw Error(OMNI_ERR_TOO_LARGE, "audio for this turn would reach " +
                                                json_number(pending_audio_s_ + audio.seconds()) +
                                                " s; max_audio_seconds is " + json_number(limit));
    }
    engine_->prefill_audio(audio);
    std::lock_guard<std::mutex> lk(state_mu_);
    pending_audio_s_ += audio.seconds();
    pending_inputs_++;
}

void EngineHost::require_images() const {
    if (!engine_->supports_images())
        throw Error(OMNI_ERR_UNSUPPORTED,
                    "this engine takes no images: create it with media_type=omni (and, for llama-omni, a vision model)");
}

void EngineHost::prefill_image(const Image &image) {
    std::lock_guard<std::mutex> in(input_mu_);
    require_images();
    engine_->prefill_image(image);
    std::lock_guard<std::mutex> lk(state_mu_);
    pending_inputs_++;
    pending_images_++;
}

uint64_t EngineHost::generate() {
    std::lock_guard<std::mutex> in(input_mu_);
    uint64_t id;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (running_)
            throw Error(OMNI_ERR_STATE, "turn " + std::to_string(turn_.id) +
                                            " is still running; wait for its TURN_DONE or call omni_interrupt()");
        if (pending_inputs_ == 0)
            throw Error(OMNI_ERR_STATE, "nothing was prefilled since the last turn; call omni_prefill_* first");
        id = ++last_turn_id_;
        turn_ = Turn{};
        turn_.id = id;
        turn_.open = true;
        turn_.start = clock::now();
        turn_.prefill_audio_s = pending_audio_s_;
        turn_.prefill_images = pending_images_;
        pending_inputs_ = 0;
        pending_audio_s_ = 0;
        pending_images_ = 0;
        running_ = true;
    }
    try {
        engine_->start_turn(id);
    } catch (...) {
        std::lock_guard<std::mutex> lk(state_mu_);
        turn_.open = false;
        running_ = false;
        done_delivered_id_ = id;  // nothing was delivered for it; nobody waits on it
        done_cv_.notify_all();
        throw;
    }
    return id;
}

bool EngineHost::wait_for_turn_done(uint64_t turn, int timeout_ms) {
    std::unique_lock<std::mutex> lk(state_mu_);
    auto done = [&] { return done_delivered_id_ >= turn; };
    if (timeout_ms < 0) {
        done_cv_.wait(lk, done);
        return true;
    }
    return done_cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), done);
}

bool EngineHost::wait(int timeout_ms) {
    uint64_t target;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        target = last_turn_id_;
    }
    return wait_for_turn_done(target, timeout_ms);
}

void EngineHost::interrupt() {
    uint64_t turn;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!running_ || !turn_.open) return;
        turn = turn_.id;
    }
    if (queue_) queue_->release_through(turn);  // an engine thread waiting for queue space goes on
    engine_->interrupt(turn);
}

void EngineHost::reset() {
    std::lock_guard<std::mutex> in(input_mu_);
    interrupt();
    uint64_t target;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        target = last_turn_id_;
    }
    if (!wait_for_turn_done(target, 10000))
        throw Error(OMNI_ERR_INTERNAL, "the running turn did not end within 10 s of an interrupt");
    engine_->reset();
    std::lock_guard<std::mutex> lk(state_mu_);
    pending_inputs_ = 0;
    pending_audio_s_ = 0;
    pending_images_ = 0;
}

void EngineHost::set_option(const std::string &key, const std::string &value) {
    const OptionSpec *spec = find_option(specs_, key);
    if (!spec) throw Error(OMNI_ERR_INVALID_ARGUMENT, "unknown option '" + key + "'");
    if (!spec->runtime)
        throw Error(OMNI_ERR_INVALID_ARGUMENT, "option '" + key + "' is fixed when the engine is created");
    std::string v = canonical_option_value(*spec, value);
    if (find_option(*kind_.options, key)) engine_->set_option(key, v);
    std::lock_guard<std::mutex> lk(state_mu_);
    options_.set(key, v);
}

std::string EngineHost::info() {
    std::string opts;
    bool busy;
    uint64_t turns;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        for (const auto &kv : options_.all()) opts += (opts.empty() ? "" : ",") + json_string(kv.first) + ":" + json_string(kv.second);
        busy = running_;
        turns = last_turn_id_;
    }
    std::string extra = engine_->info_json();
    if (queue_)
        extra += std::string(extra.empty() ? "" : ",") + "\"event_queue\":{\"queued\":" +
                 std::to_string(queue_->queued()) + ",\"capacity\":" + std::to_string(queue_->capacity()) +
                 ",\"puller_waiting\":" + (queue_->puller_waiting() ? "true" : "false") + "}";
    std::string s = "{\"kind\":" + json_string(kind_.name) + ",\"busy\":" + (busy ? "true" : "false") +
                    ",\"turns\":" + std::to_string(turns) + ",\"options\":{" + opts + "}";
    if (!extra.empty()) s += "," + extra;
    return s + "}";
}

void EngineHost::next_event(int timeout_ms, omni_event *out) {
    if (!queue_)
        throw Error(OMNI_ERR_STATE, "omni_next_event: this engine delivers its events to the callback it was created "
                                    "with; create it with a NULL callback to pull events");
    queue_->pop(timeout_ms, out);
}

void EngineHost::shutdown() {
    if (queue_) queue_->close();  // a waiting puller returns OMNI_ERR_CLOSED; unpulled events go
    if (!engine_) return;
    interrupt();
    uint64_t target;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        target = last_turn_id_;
    }
    if (!wait_for_turn_done(target, 10000)) {
        // The engine did not end its turn: end it here so the caller still sees exactly
        // one TURN_DONE, and close the turn so nothing else is delivered after it.
        finish(target, OMNI_TURN_INTERRUPTED, OMNI_OK, "");
    }
    engine_.reset();  // joins the engine's threads; their late events are dropped
}

// ---- event delivery ---------------------------------------------------------------

void EngineHost::deliver(omni_event &ev) {
    ev.seq = ++seq_;
    if (queue_) {
        queue_->push(ev);  // copies; may wait for the puller (back-pressure)
        return;
    }
    if (!cb_) return;
    tls_in_callback = this;
    cb_(&ev, user_data_);
    tls_in_callback = nullptr;
}

bool EngineHost::accept(uint64_t turn, double *t_ms) {
    if (!turn_.open || turn_.id != turn) {
        dropped_events_++;
        return false;
    }
    *t_ms = std::chrono::duration<double, std::milli>(clock::now() - turn_.start).count();
    return true;
}

void EngineHost::text(uint64_t turn, const std::string &piece) {
    std::lock_guard<std::mutex> d(deliver_mu_);
    std::string out;
    double t;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!accept(turn, &t)) return;
        out = take_valid_utf8(turn_.utf8_tail + piece, &turn_.utf8_tail);
        if (out.empty()) return;
        if (turn_.first_text_ms < 0) turn_.first_text_ms = t;
        turn_.text_chars += utf8_code_points(out);
        turn_.text_events++;
    }
    omni_event ev = blank_event(OMNI_EVENT_TEXT, turn, t);
    ev.text = out.c_str();
    ev.text_len = out.size();
    deliver(ev);
}

void EngineHost::tts_chunk(uint64_t turn, const std::string &text, int n_speech_tokens, int chunk_idx) {
    std::lock_guard<std::mutex> d(deliver_mu_);
    double t;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!accept(turn, &t)) return;
    }
    omni_event ev = blank_event(OMNI_EVENT_TTS_CHUNK, turn, t);
    ev.text = text.c_str();
    ev.text_len = text.size();
    ev.n_speech_tokens = n_speech_tokens;
    ev.index = chunk_idx;
    deliver(ev);
}

void EngineHost::audio(uint64_t turn, const int16_t *pcm, size_t n, int sample_rate) {
    if (n == 0) return;
    std::lock_guard<std::mutex> d(deliver_mu_);
    double t;
    int index;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!accept(turn, &t)) return;
        if (turn_.first_audio_ms < 0) turn_.first_audio_ms = t;
        turn_.audio_samples += n;
        turn_.sample_rate = sample_rate;
        index = int(turn_.audio_events++);
    }
    omni_event ev = blank_event(OMNI_EVENT_AUDIO, turn, t);
    ev.pcm = pcm;
    ev.n_samples = n;
    ev.sample_rate = sample_rate;
    ev.index = index;
    deliver(ev);
}

void EngineHost::listen(uint64_t turn) {
    std::lock_guard<std::mutex> d(deliver_mu_);
    double t;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!accept(turn, &t)) return;
    }
    omni_event ev = blank_event(OMNI_EVENT_LISTEN, turn, t);
    deliver(ev);
}

void EngineHost::end_of_turn(uint64_t turn) {
    std::lock_guard<std::mutex> d(deliver_mu_);
    double t;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!accept(turn, &t)) return;
        turn_.end_of_turn_ms = t;
    }
    omni_event ev = blank_event(OMNI_EVENT_END_OF_TURN, turn, t);
    deliver(ev);
}

void EngineHost::stat(uint64_t turn, const std::string &key, double value) {
    std::lock_guard<std::mutex> lk(state_mu_);
    if (turn_.open && turn_.id == turn) turn_.engine_stats[key] = value;
}

std::string EngineHost::stats_json(const Turn &t, omni_turn_end reason, double done_ms) const {
    auto ms = [](double v) { return v < 0 ? std::string("null") : json_number(v); };
    double audio_ms = t.sample_rate ? 1000.0 * double(t.audio_samples) / t.sample_rate : 0;
    std::string s = "{\"turn_id\":" + std::to_string(t.id) + ",\"reason\":\"" + reason_word(reason) + "\"" +
                    ",\"prefill_audio_ms\":" + json_number(t.prefill_audio_s * 1000) +
                    ",\"prefill_images\":" + std::to_string(t.prefill_images) +
                    ",\"first_text_ms\":" + ms(t.first_text_ms) + ",\"first_audio_ms\":" + ms(t.first_audio_ms) +
                    ",\"end_of_turn_ms\":" + ms(t.end_of_turn_ms) + ",\"done_ms\":" + json_number(done_ms) +
                    ",\"text_chars\":" + std::to_string(t.text_chars) +
                    ",\"text_events\":" + std::to_string(t.text_events) +
                    ",\"audio_samples\":" + std::to_string(t.audio_samples) +
                    ",\"audio_events\":" + std::to_string(t.audio_events) + ",\"audio_ms\":" + json_number(audio_ms) +
                    ",\"rtf\":" + (audio_ms > 0 ? json_number(done_ms / audio_ms) : std::string("null"));
    for (const auto &kv : t.engine_stats) s += "," + json_string(kv.first) + ":" + json_number(kv.second);
    return s + "}";
}

void EngineHost::finish(uint64_t turn, omni_turn_end reason, omni_status err, const std::string &message) {
    std::lock_guard<std::mutex> d(deliver_mu_);
    Turn t;
    double now_ms;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!turn_.open || turn_.id != turn) return;  // finished already (exactly once)
        now_ms = std::chrono::duration<double, std::milli>(clock::now() - turn_.start).count();
        turn_.open = false;
        running_ = false;  // a new turn may start now; its events queue behind this TURN_DONE
        t = turn_;
    }
    if (queue_) t.engine_stats["event_queue_wait_ms"] = queue_->take_wait_ms();
    // An incomplete UTF-8 tail at the end of a turn is not text: drop it.
    if (reason == OMNI_TURN_FAILED) {
        omni_event ev = blank_event(OMNI_EVENT_ERROR, turn, now_ms);
        std::string msg = message.empty() ? "engine failure" : message;
        ev.text = msg.c_str();
        ev.text_len = msg.size();
        ev.status = err == OMNI_OK ? OMNI_ERR_INTERNAL : err;
        deliver(ev);
    }
    std::string stats = stats_json(t, reason, now_ms);
    omni_event st = blank_event(OMNI_EVENT_STATS, turn, now_ms);
    st.text = stats.c_str();
    st.text_len = stats.size();
    deliver(st);
    omni_event done = blank_event(OMNI_EVENT_TURN_DONE, turn, now_ms);
    done.status = reason;
    done.text = reason_word(reason);
    done.text_len = std::char_traits<char>::length(done.text);
    deliver(done);
    std::lock_guard<std::mutex> lk(state_mu_);
    if (done_delivered_id_ < turn) done_delivered_id_ = turn;
    done_cv_.notify_all();
}

}  // namespace omni
