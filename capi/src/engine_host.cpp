#include "engine_host.h"

#include <algorithm>
#include <cmath>

#include "enum_names.h"
#include "heard.h"
#include "isolation/isolation.h"

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

}  // namespace

const std::vector<OptionSpec> &host_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"max_audio_seconds", OptionType::Float, "600", 1, 36000, {}, true,
         "Most seconds of audio that may be prefilled for one turn; more is refused with OMNI_ERR_TOO_LARGE."},
        {"event_queue_size", OptionType::Int, "1024", 1, 10000000, {}, false,
         "Pull mode (no callback): most events waiting for omni_next_event(); when full, the engine waits for "
         "the puller (back-pressure, nothing dropped)."},
        {"isolate", OptionType::Enum, "auto", 1, 0, {"auto", "process", "none"}, false,
         "process: the engine runs in a process of its own (omni-engine-host), so an engine that aborts costs "
         "its turn an ERROR event and a restart, not the application; none: in this process; auto: process for "
         "engines that load model files (llama-omni) when omni-engine-host is beside the library, none for the "
         "simulator."},
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
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        creating_ = true;
        create_start_ = clock::now();
    }
    try {
        const std::string isolate = options_.str("isolate");
        if (isolate == "process" || (isolate == "auto" && kind_.isolate_by_default && isolation::unavailable().empty()))
            engine_ = isolation::create_isolated(kind_, options_, *this);
        else
            engine_ = kind_.create(options_, *this);
    } catch (...) {
        std::lock_guard<std::mutex> lk(state_mu_);
        creating_ = false;
        throw;
    }
    std::lock_guard<std::mutex> lk(state_mu_);
    creating_ = false;
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

std::string EngineHost::truncate(uint64_t turn_id, double played_ms) {
    std::lock_guard<std::mutex> in(input_mu_);
    bool running;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (turn_id == 0 || turn_id != last_turn_id_)
            throw Error(OMNI_ERR_STATE, "only the most recent turn (" + std::to_string(last_turn_id_) +
                                            ") can be truncated, not turn " + std::to_string(turn_id));
        running = running_;
    }
    if (running) {
        interrupt();
        if (!wait_for_turn_done(turn_id, 10000))
            throw Error(OMNI_ERR_INTERNAL, "the running turn did not end within 10 s of an interrupt");
    }
    std::vector<std::pair<std::string, int>> chunks;
    std::string text;
    double delivered_ms;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (pending_inputs_ > 0)
            throw Error(OMNI_ERR_STATE, "input was prefilled after turn " + std::to_string(turn_id) +
                                            "; truncate a reply before sending the next turn's input");
        chunks = turn_.tts_chunks;
        text = turn_.text;
        delivered_ms = turn_.sample_rate ? 1000.0 * double(turn_.audio_samples) / turn_.sample_rate : 0;
    }
    // No audio and no TTS chunk: a text-only reply (no TTS); there is no audio to cut by.
    if (chunks.empty() && delivered_ms <= 0) return text;
    std::string heard = text.substr(0, heard_bytes(text, chunks, std::min(played_ms, delivered_ms)));
    engine_->truncate(turn_id, heard);
    return heard;
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
    JsonObject o, opts;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        for (const auto &kv : options_.all()) opts.add(kv.first, kv.second);
        o.add("kind", kind_.name).add("busy", running_).add("turns", last_turn_id_).add("options", opts);
    }
    engine_->describe(o);
    if (queue_) {
        JsonObject q;
        q.add("queued", queue_->queued()).add("capacity", queue_->capacity()).add("puller_waiting", queue_->puller_waiting());
        o.add("event_queue", q);
    }
    return o.str();
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
    if (queue_ && ev.turn_id == 0) return;  // nobody can pull while omni_create() runs
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
    if (turn == 0 && creating_) {
        *t_ms = std::chrono::duration<double, std::milli>(clock::now() - create_start_).count();
        return true;
    }
    if (!turn_.open || turn_.id != turn) {
        dropped_events_++;
        return false;
    }
    *t_ms = std::chrono::duration<double, std::milli>(clock::now() - turn_.start).count();
    return true;
}

void EngineHost::emit(uint64_t turn, const EventDraft &d) {
    if (d.type == OMNI_EVENT_ERROR || d.type == OMNI_EVENT_STATS || d.type == OMNI_EVENT_TURN_DONE) return;  // finish()'s
    std::lock_guard<std::mutex> dl(deliver_mu_);
    omni_event ev = blank_event(d.type, turn, 0);
    ev.pcm = d.pcm;
    ev.n_samples = d.n_samples;
    ev.sample_rate = d.sample_rate;
    ev.index = d.index;
    ev.n_speech_tokens = d.n_speech_tokens;
    ev.status = d.status;
    std::string text = d.text;
    {
        std::lock_guard<std::mutex> lk(state_mu_);
        if (!accept(turn, &ev.t_ms) || !count(d, ev.t_ms, &text, &ev)) return;
    }
    if (!text.empty() || d.type == OMNI_EVENT_TTS_CHUNK) {
        ev.text = text.c_str();
        ev.text_len = text.size();
    }
    deliver(ev);
}

bool EngineHost::count(const EventDraft &d, double t, std::string *text, omni_event *ev) {
    switch (d.type) {
    case OMNI_EVENT_TEXT:
        *text = take_valid_utf8(turn_.utf8_tail + d.text, &turn_.utf8_tail);
        if (text->empty()) return false;
        if (turn_.first_text_ms < 0) turn_.first_text_ms = t;
        turn_.text += *text;
        turn_.text_chars += utf8_code_points(*text);
        turn_.text_events++;
        return true;
    case OMNI_EVENT_TTS_CHUNK:
        turn_.tts_chunks.emplace_back(d.text, d.n_speech_tokens);  // the audio timeline of the words, for truncate()
        return true;
    case OMNI_EVENT_AUDIO:
        if (d.n_samples == 0) return false;
        if (turn_.first_audio_ms < 0) turn_.first_audio_ms = t;
        turn_.audio_samples += d.n_samples;
        turn_.sample_rate = d.sample_rate;
        ev->index = int(turn_.audio_events++);  // numbered here: engines need not count
        return true;
    case OMNI_EVENT_END_OF_TURN:
        turn_.end_of_turn_ms = t;
        return true;
    default:
        return true;
    }
}

void EngineHost::stat(uint64_t turn, const std::string &key, double value) {
    std::lock_guard<std::mutex> lk(state_mu_);
    if (turn_.open && turn_.id == turn) turn_.engine_stats[key] = json_number(value);
}

void EngineHost::stat(uint64_t turn, const std::string &key, const std::string &value) {
    std::lock_guard<std::mutex> lk(state_mu_);
    if (turn_.open && turn_.id == turn) turn_.engine_stats[key] = json_string(value);
}

std::string EngineHost::stats_json(const Turn &t, omni_turn_end reason, double done_ms) const {
    auto ms = [](double v) { return v < 0 ? std::string("null") : json_number(v); };
    double audio_ms = t.sample_rate ? 1000.0 * double(t.audio_samples) / t.sample_rate : 0;
    JsonObject o;
    o.add("turn_id", t.id).add("reason", turn_end_word(reason)).add("prefill_audio_ms", t.prefill_audio_s * 1000)
        .add("prefill_images", t.prefill_images).raw("first_text_ms", ms(t.first_text_ms))
        .raw("first_audio_ms", ms(t.first_audio_ms)).raw("end_of_turn_ms", ms(t.end_of_turn_ms))
        .add("done_ms", done_ms).add("text_chars", t.text_chars).add("text_events", t.text_events)
        .add("audio_samples", t.audio_samples).add("audio_events", t.audio_events).add("audio_ms", audio_ms)
        .raw("rtf", audio_ms > 0 ? json_number(done_ms / audio_ms) : "null");
    for (const auto &kv : t.engine_stats) o.raw(kv.first, kv.second);
    return o.str();
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
    if (queue_) t.engine_stats["event_queue_wait_ms"] = json_number(queue_->take_wait_ms());
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
    done.text = turn_end_word(reason);
    done.text_len = std::char_traits<char>::length(done.text);
    deliver(done);
    std::lock_guard<std::mutex> lk(state_mu_);
    if (done_delivered_id_ < turn) done_delivered_id_ = turn;
    done_cv_.notify_all();
}

}  // namespace omni
