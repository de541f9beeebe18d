// engine_process.cpp — the engine process side of isolate=process: one engine, created from
// the options the library sends, driven by its requests; events go back on the same socket.
// Runs in omni-engine-host (capi/src/isolation/omni_engine_host.c), which only calls
// omni_engine_process_main(); whatever the engine does to this process (an abort, a segfault)
// ends only this process, and the library reports it and starts another one.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "../json_writer.h"
#include "isolation.h"
#include "wire.h"

namespace omni::isolation {

namespace {

bool g_in_engine_process = false;

// Whole messages on one socket, from any thread.
class Channel {
public:
    explicit Channel(int fd) : fd_(fd) {}
    void send(const std::string &m) {
        std::lock_guard<std::mutex> lk(mu_);
        send_all(fd_, m);  // the library gone: the read loop sees it and ends the process
    }
    int fd() const { return fd_; }

private:
    int fd_;
    std::mutex mu_;
};

// Events of the engine's threads, to the library.
class SocketSink final : public EventSink {
public:
    explicit SocketSink(Channel &out) : out_(out) {}
    void emit(uint64_t turn, const EventDraft &ev) override {
        Writer w(Msg::event);
        w.u64(turn).i32(ev.type).str(ev.text).i32(ev.index).i32(ev.n_speech_tokens).i32(ev.status);
        w.i32(ev.sample_rate).bytes(ev.pcm, ev.pcm ? ev.n_samples * sizeof(int16_t) : 0);
        send(w.done());
    }
    void stat(uint64_t turn, const std::string &key, double value) override {
        send(Writer(Msg::stat_number).u64(turn).str(key).f64(value).done());
    }
    void stat(uint64_t turn, const std::string &key, const std::string &value) override {
        send(Writer(Msg::stat_text).u64(turn).str(key).str(value).done());
    }
    void finish(uint64_t turn, omni_turn_end reason, omni_status err, const std::string &message) override {
        send(Writer(Msg::finish).u64(turn).i32(reason).i32(err).str(message).done());
    }

private:
    void send(const std::string &m) { out_.send(m); }
    Channel &out_;
};

std::string failed(omni_status code, const std::string &message) {
    return Writer(Msg::failed).i32(code).str(message).done();
}

// Runs one request; the answer to send back.
std::string handle(Engine &engine, Msg type, const std::string &body) {
    Reader r(body);
    switch (type) {
    case Msg::prefill_audio: {
        Audio a;
        a.sample_rate = int(r.i32());
        size_t n = 0;
        const char *p = r.bytes(&n);
        a.samples.resize(n / sizeof(float));
        if (!a.samples.empty()) std::memcpy(a.samples.data(), p, a.samples.size() * sizeof(float));
        engine.prefill_audio(a);
        break;
    }
    case Msg::prefill_image: {
        Image img;
        img.width = r.i32();
        img.height = r.i32();
        size_t n = 0;
        const char *p = r.bytes(&n);
        img.encoded.assign(p, p + n);
        engine.prefill_image(img);
        break;
    }
    case Msg::start_turn: engine.start_turn(r.u64()); break;
    case Msg::reset: engine.reset(); break;
    case Msg::truncate: {
        const uint64_t turn = r.u64();
        engine.truncate(turn, r.str());
        break;
    }
    case Msg::set_option: {
        std::string key = r.str();
        engine.set_option(key, r.str());
        break;
    }
    case Msg::describe: {
        JsonObject info;
        engine.describe(info);
        return Writer(Msg::described).str(info.str()).done();
    }
    default: throw Error(OMNI_ERR_INTERNAL, "engine process: unknown request " + std::to_string(int(type)));
    }
    return Writer(Msg::ok).done();
}

// Only the sockets to the library stay open: the process that started this one may hold
// sockets (a server's clients) that must not live on here.
void close_other_fds(int keep1, int keep2) {
    std::vector<int> fds;
    if (DIR *d = opendir("/proc/self/fd")) {
        while (dirent *e = readdir(d)) {
            int fd = std::atoi(e->d_name);
            if (fd > 2 && fd != keep1 && fd != keep2 && e->d_name[0] != '.') fds.push_back(fd);
        }
        closedir(d);
    }
    for (int fd : fds) close(fd);  // the directory's own fd is closed already: harmless EBADF
}

}  // namespace

bool in_engine_process() { return g_in_engine_process; }

int engine_process_main(int requests_fd, int events_fd) {
    g_in_engine_process = true;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, SIG_IGN);  // Ctrl+C in a terminal reaches the whole group: the library decides
    close_other_fds(requests_fd, events_fd);
    Channel answers(requests_fd), events(events_fd);
    SocketSink sink(events);
    Msg type;
    std::string body;
    if (!recv_msg(requests_fd, &type, &body) || type != Msg::create) return 2;

    std::unique_ptr<Engine> engine;
    try {
        Reader r(body);
        const std::string kind = r.str();
        OptionValues options;
        for (uint32_t i = 0, n = r.u32(); i < n; i++) {
            std::string key = r.str();
            options.set(key, r.str());
        }
        const EngineKind *k = find_engine_kind(kind);
        if (!k) throw Error(OMNI_ERR_UNSUPPORTED, "engine process: no engine kind '" + kind + "'");
        engine = k->create(options, sink);
    } catch (const Error &e) {
        events.send(failed(e.code, e.what()));
        return 0;
    } catch (const std::exception &e) {
        events.send(failed(OMNI_ERR_INTERNAL, std::string("internal error: ") + e.what()));
        return 0;
    }
    // On the event socket, behind the load-progress events: the library returns from
    // omni_create() only after it has delivered them all.
    events.send(Writer(Msg::created).u32(engine->supports_images() ? 1 : 0).done());

    // Requests run in order on a worker; interrupts are handled here at once, so a barge-in
    // never waits behind a prefill the engine is still encoding (as in-process calls).
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<Msg, std::string>> queue;
    bool closing = false;
    std::thread worker([&] {
        for (;;) {
            std::pair<Msg, std::string> req;
            {
                std::unique_lock<std::mutex> lk(mu);
                cv.wait(lk, [&] { return closing || !queue.empty(); });
                if (queue.empty()) return;
                req = std::move(queue.front());
                queue.pop_front();
            }
            std::string answer;
            try {
                answer = handle(*engine, req.first, req.second);
            } catch (const Error &e) {
                answer = failed(e.code, e.what());
            } catch (const std::exception &e) {
                answer = failed(OMNI_ERR_INTERNAL, std::string("internal error: ") + e.what());
            }
            answers.send(answer);
        }
    });
    while (recv_msg(requests_fd, &type, &body) && type != Msg::shutdown) {
        if (type == Msg::interrupt) {
            try {
                engine->interrupt(Reader(body).u64());
            } catch (const std::exception &) {
                // an interrupt is a request to stop; there is nobody to tell it failed
            }
            continue;
        }
        std::lock_guard<std::mutex> lk(mu);
        queue.emplace_back(type, std::move(body));
        cv.notify_one();
    }
    {
        std::lock_guard<std::mutex> lk(mu);
        closing = true;
    }
    cv.notify_one();
    worker.join();
    engine.reset();  // joins the engine's threads; a running turn ends as interrupted
    return 0;
}

}  // namespace omni::isolation

// The entry omni-engine-host calls: argv[1] and argv[2] are the request and event sockets to
// the library. Exported for that program only; not part of the API (omni_c.h).
extern "C" OMNI_API int omni_engine_process_main(int argc, char **argv) {
    if (argc < 3) return 2;
    return omni::isolation::engine_process_main(std::atoi(argv[1]), std::atoi(argv[2]));
}
