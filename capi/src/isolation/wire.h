// wire.h — the messages between libomni_c and an engine process (isolate=process): a 4-byte
// little-endian length, a 1-byte message type, then the fields in order (integers little-endian,
// strings and byte runs length-prefixed). Both ends are this library, built together, so the
// format needs no versioning. A hand-written framing rather than a serialization library: a
// dozen message types of a few fixed fields each, over a local socket.
//
// What crosses without any change here: every option (all of them go in `create`, runtime
// ones in `set_option`), every event type (one `event` message carries any omni_event_type:
// LOAD_PROGRESS, AUDIO, ...), every omni_info() member (`describe`). A new C ABI call that
// reaches the engine takes one line in each of three places (omni_truncate, as Engine::truncate,
// is one):
//   1. here: a request type, its fields and answer in the comment
//        truncate,           // turn, heard                      -> ok | failed
//   2. process_engine.cpp, the library side: the Engine method sends it and waits for the answer
//        void truncate(uint64_t turn, const std::string &heard) override { call(Writer(Msg::truncate)...); }
//   3. engine_process.cpp, the engine process side: handle() reads the fields and calls the engine
//        case Msg::truncate: { const uint64_t t = r.u64(); engine.truncate(t, r.str()); break; }
// A call that must not wait behind a prefill (as interrupt) is sent with send() instead of
// call() and handled in engine_process_main()'s read loop. A new field of omni_event goes into
// SocketSink::emit (engine_process.cpp) and forward() (process_engine.cpp).
// tests/c/test_isolation.c runs the same turn in-process and isolated: add the call there too.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "../engine.h"

namespace omni::isolation {

enum class Msg : uint8_t {
    // library -> engine process
    create = 1,         // kind, n, (key, value) x n        -> created | failed, on the event socket
    prefill_audio,      // rate, floats                     -> ok | failed
    prefill_image,      // width, height, bytes             -> ok | failed
    start_turn,         // turn                             -> ok | failed
    interrupt,          // turn                             (no answer: handled at once)
    reset,              //                                  -> ok | failed
    set_option,         // key, value                       -> ok | failed
    describe,           //                                  -> described
    truncate,           // turn, heard                      -> ok | failed
    shutdown,           //                                  (the process ends)
    // engine process -> library
    created = 32,       // supports_images (the answer to create comes after its load-progress events)
    ok,
    failed,             // status, message
    described,          // JSON object text
    event,              // turn, type, text, index, n_speech_tokens, status, sample_rate, int16 samples
    stat_number,        // turn, key, value
    stat_text,          // turn, key, value
    finish,             // turn, reason, status, message
};

class Writer {
public:
    explicit Writer(Msg type) { buf_.assign(5, '\0'), buf_[4] = char(type); }
    Writer &u32(uint32_t v) { return put(&v, 4); }
    Writer &u64(uint64_t v) { return put(&v, 8); }
    Writer &i32(int32_t v) { return put(&v, 4); }
    Writer &f64(double v) { return put(&v, 8); }
    Writer &str(const std::string &s) { return u32(uint32_t(s.size())).put(s.data(), s.size()); }
    Writer &bytes(const void *p, size_t n) { return u64(n).put(p, n); }
    // The message with its length filled in.
    const std::string &done() {
        uint32_t n = uint32_t(buf_.size() - 4);
        std::memcpy(&buf_[0], &n, 4);
        return buf_;
    }

private:
    Writer &put(const void *p, size_t n) {  // little-endian hosts only (x86-64, arm64)
        buf_.append(static_cast<const char *>(p), n);
        return *this;
    }
    std::string buf_;
};

// Reads one message's fields; a short message is a protocol error (OMNI_ERR_INTERNAL).
class Reader {
public:
    explicit Reader(const std::string &body) : p_(body.data()), end_(body.data() + body.size()) {}
    uint32_t u32() { return get<uint32_t>(); }
    uint64_t u64() { return get<uint64_t>(); }
    int32_t i32() { return get<int32_t>(); }
    double f64() { return get<double>(); }
    std::string str() {
        uint32_t n = u32();
        return std::string(take(n), n);
    }
    // A byte run: pointer into the message (valid while it lives) and its length.
    const char *bytes(size_t *n) {
        *n = size_t(u64());
        return take(*n);
    }

private:
    template <class T>
    T get() {
        T v;
        std::memcpy(&v, take(sizeof v), sizeof v);
        return v;
    }
    const char *take(size_t n) {
        if (size_t(end_ - p_) < n) throw Error(OMNI_ERR_INTERNAL, "engine process: a message ended early");
        const char *at = p_;
        p_ += n;
        return at;
    }
    const char *p_, *end_;
};

// Whole-message socket I/O. send_all: false when the peer is gone. recv_msg: false at the end
// of the stream (the peer closed or died).
bool send_all(int fd, const std::string &data);
bool recv_msg(int fd, Msg *type, std::string *body);

}  // namespace omni::isolation
