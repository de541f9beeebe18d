// engine.h — the internal C++ interface every engine implements ("sim", "llama-omni").
//
// The ABI layer (omni_c.cpp) and the EngineHost (engine_host.h) own everything
// engine-agnostic: argument checks, the turn state machine, turn ids and sequence
// numbers, UTF-8 completion of text, dropping late events of finished turns,
// per-turn stats, serialized callback delivery and omni_wait(). An engine only
// turns prefilled input into events.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "omni_c.h"
#include "options.h"

namespace omni {

// Thrown anywhere below the ABI; omni_c.cpp turns it into a status + last error.
struct Error : std::runtime_error {
    omni_status code;
    Error(omni_status c, const std::string &msg) : std::runtime_error(msg), code(c) {}
};

// Mono float PCM at its own sample rate, already validated (finite, rate in range, non-empty).
struct Audio {
    std::vector<float> samples;
    int sample_rate = 16000;
    double seconds() const { return sample_rate ? double(samples.size()) / sample_rate : 0.0; }
};

// An image the host has fully decoded once (so it is known to be valid); the
// encoded bytes are kept because the real engine wants them.
struct Image {
    std::vector<uint8_t> encoded;
    int width = 0, height = 0;
};

// One event as an engine reports it. The host adds the turn id, seq and t_ms, completes
// UTF-8 text, counts the turn's stats and delivers it; `pcm` is borrowed for the call.
struct EventDraft {
    explicit EventDraft(omni_event_type t) : type(t) {}
    omni_event_type type;
    std::string text;  // TEXT: may end inside a UTF-8 sequence or hold invalid bytes (the host mends both)
    const int16_t *pcm = nullptr;
    size_t n_samples = 0;
    int sample_rate = 0;
    int index = 0;
    int n_speech_tokens = 0;
    int status = 0;
};

// What an engine reports. Thread-safe; call from any engine thread, but never while
// holding an engine lock that omni_interrupt() also takes (the callback may call it).
// Events of a turn that is no longer current are dropped by the host.
class EventSink {
public:
    virtual ~EventSink() = default;
    // The one way an event reaches the user: any omni_event_type except ERROR, STATS and
    // TURN_DONE, which the host makes from finish().
    virtual void emit(uint64_t turn, const EventDraft &ev) = 0;
    // Record a per-stage timing or count (or a name) for the turn's STATS event.
    virtual void stat(uint64_t turn, const std::string &key, double value) = 0;
    virtual void stat(uint64_t turn, const std::string &key, const std::string &value) = 0;
    // The turn is over: called exactly once per started turn, after its last audio.
    // For OMNI_TURN_FAILED pass the status and message of the error.
    virtual void finish(uint64_t turn, omni_turn_end reason, omni_status err = OMNI_OK,
                        const std::string &message = std::string()) = 0;

    // Shorthands for the events every engine emits.
    void text(uint64_t turn, const std::string &piece) {
        EventDraft ev(OMNI_EVENT_TEXT);
        ev.text = piece;
        emit(turn, ev);
    }
    void tts_chunk(uint64_t turn, const std::string &text, int n_speech_tokens, int chunk_idx) {
        EventDraft ev(OMNI_EVENT_TTS_CHUNK);
        ev.text = text;
        ev.n_speech_tokens = n_speech_tokens;
        ev.index = chunk_idx;
        emit(turn, ev);
    }
    void audio(uint64_t turn, const int16_t *pcm, size_t n, int sample_rate) {
        EventDraft ev(OMNI_EVENT_AUDIO);
        ev.pcm = pcm;
        ev.n_samples = n;
        ev.sample_rate = sample_rate;
        emit(turn, ev);
    }
    void listen(uint64_t turn) { emit(turn, EventDraft(OMNI_EVENT_LISTEN)); }
    void end_of_turn(uint64_t turn) { emit(turn, EventDraft(OMNI_EVENT_END_OF_TURN)); }
};

class Engine {
public:
    virtual ~Engine() = default;  // joins every engine thread
    // Input for the next turn. Called with the host's input lock held, never concurrently.
    virtual void prefill_audio(const Audio &audio) = 0;
    virtual void prefill_image(const Image &image) = 0;
    virtual bool supports_images() const = 0;
    // Start turn `turn` on the input prefilled since the last turn; return at once.
    // Every event of the turn, and finally sink.finish(turn, ...), comes from engine threads.
    virtual void start_turn(uint64_t turn) = 0;
    // Barge-in. Must return at once and must not emit events on the calling thread;
    // the engine then finishes `turn` with OMNI_TURN_INTERRUPTED.
    virtual void interrupt(uint64_t turn) = 0;
    // New conversation; called only while no turn runs. Drop queued input and history.
    virtual void reset() = 0;
    // Cut the reply of `turn` (the most recent turn, ended, no input since) in the history
    // to what was heard: `heard`, the beginning of the TEXT the engine emitted for it (the
    // host works it out from the audio timeline, heard.h). Called only while no turn runs.
    virtual void truncate(uint64_t turn, const std::string &heard) = 0;
    // A runtime option (already validated against the schema).
    virtual void set_option(const std::string &key, const std::string &value) = 0;
    // What omni_info() shows of the engine (model files, mode, ...), added to `info`.
    virtual void describe(JsonObject &info) const = 0;
};

// Factory registered per engine kind (engine_registry.cpp).
struct EngineKind {
    const char *name;
    const std::vector<OptionSpec> *options;  // engine options (host options are added)
    std::unique_ptr<Engine> (*create)(const OptionValues &opts, EventSink &sink);
    // isolate=auto runs it in a process of its own (isolation/isolation.h): engines that run
    // other people's native code on model files that may make it abort.
    bool isolate_by_default = false;
};

const std::vector<EngineKind> &engine_kinds();
const EngineKind *find_engine_kind(const std::string &name);

}  // namespace omni
