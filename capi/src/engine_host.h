// engine_host.h — everything between the ABI and an engine that does not depend on
// which engine runs: the turn state machine, turn ids and sequence numbers, serialized
// callback delivery, UTF-8 completion, dropping late events, STATS, omni_wait().
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine.h"
#include "event_queue.h"

namespace omni {

// Host options, accepted by every engine kind.
const std::vector<OptionSpec> &host_option_specs();

class EngineHost final : public EventSink {
public:
    EngineHost(const EngineKind &kind, omni_event_cb cb, void *user_data);
    ~EngineHost() override;

    // Validates options, creates the engine (loads models).
    void create(const std::vector<std::pair<std::string, std::string>> &options);

    void prefill_audio(const Audio &audio);
    // Throws OMNI_ERR_UNSUPPORTED when the engine takes no images (checked before decoding).
    void require_images() const;
    void prefill_image(const Image &image);
    uint64_t generate();
    bool wait(int timeout_ms);  // false on timeout
    void interrupt();
    void reset();
    // omni_truncate: the reply text that remains.
    std::string truncate(uint64_t turn_id, double played_ms);
    void set_option(const std::string &key, const std::string &value);
    std::string info();
    // Pull mode (created without a callback): the next event, see omni_next_event().
    void next_event(int timeout_ms, omni_event *out);
    // Ends any running turn (TURN_DONE delivered first) and destroys the engine.
    void shutdown();

    // True while the calling thread is inside this library's event callback.
    static bool in_callback();

    // EventSink
    void emit(uint64_t turn, const EventDraft &ev) override;
    void stat(uint64_t turn, const std::string &key, double value) override;
    void stat(uint64_t turn, const std::string &key, const std::string &value) override;
    void finish(uint64_t turn, omni_turn_end reason, omni_status err, const std::string &message) override;

private:
    using clock = std::chrono::steady_clock;
    struct Turn {
        uint64_t id = 0;
        bool open = false;
        clock::time_point start;
        std::string utf8_tail;  // an incomplete UTF-8 sequence held back from the last TEXT
        double prefill_audio_s = 0;
        int prefill_images = 0;
        double first_text_ms = -1, first_audio_ms = -1, end_of_turn_ms = -1;
        size_t text_chars = 0, text_events = 0, audio_samples = 0, audio_events = 0;
        int sample_rate = 0;
        std::map<std::string, std::string> engine_stats;  // key -> JSON value
        std::vector<std::pair<std::string, int>> tts_chunks;  // (text, speech tokens), for truncation
        std::string text;                                      // the TEXT delivered
    };

    // Deliver one event now. Caller holds deliver_mu_ and not state_mu_.
    void deliver(omni_event &ev);
    // Open-turn check + timestamp under state_mu_; false when the event must be dropped.
    // Events not of a turn (turn 0, e.g. LOAD_PROGRESS) are accepted while create() runs.
    bool accept(uint64_t turn, double *t_ms);
    // The turn's STATS bookkeeping for one event, under state_mu_: completes TEXT's UTF-8
    // into *text and numbers AUDIO; false when the event carries nothing and is dropped.
    bool count(const EventDraft &d, double t_ms, std::string *text, omni_event *ev);
    std::string stats_json(const Turn &t, omni_turn_end reason, double done_ms) const;
    bool wait_for_turn_done(uint64_t turn, int timeout_ms);

    const EngineKind &kind_;
    omni_event_cb cb_;
    void *user_data_;
    std::vector<OptionSpec> specs_;  // host + engine options
    OptionValues options_;
    std::unique_ptr<Engine> engine_;
    std::unique_ptr<EventQueue> queue_;  // pull mode only (no callback)

    std::mutex input_mu_;    // serializes prefill calls into the engine
    std::mutex deliver_mu_;  // serializes callbacks; taken before state_mu_
    std::mutex state_mu_;
    std::condition_variable done_cv_;
    Turn turn_;
    uint64_t last_turn_id_ = 0;
    uint64_t done_delivered_id_ = 0;  // the newest turn whose TURN_DONE has been delivered
    uint64_t seq_ = 0;
    size_t pending_inputs_ = 0;       // prefills since the last generate
    double pending_audio_s_ = 0;
    int pending_images_ = 0;
    bool running_ = false;
    bool creating_ = false;          // create() is loading the engine
    clock::time_point create_start_;
    uint64_t dropped_events_ = 0;
};

}  // namespace omni
