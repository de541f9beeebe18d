// process_engine.cpp — the library side of isolate=process: an Engine that forwards every call
// to an engine process and hands its events to the host, and that starts a new process when
// one ends unexpectedly.
//
// Two socket pairs per process: requests and their answers (written under one lock, each
// answered in order; an interrupt has no answer and is acted on at once), and the events,
// read by one thread that calls the host. Separate streams keep an answer from waiting behind
// events that wait for a slow reader (the pull API's back-pressure).
#include <dlfcn.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "../json_writer.h"
#include "isolation.h"
#include "wire.h"

extern char **environ;
extern "C" OMNI_API int omni_engine_process_main(int argc, char **argv);

namespace omni::isolation {

namespace {

using clock = std::chrono::steady_clock;
constexpr int kMaxRestarts = 3;                    // within kRestartWindow; then the engine stays down
constexpr auto kRestartWindow = std::chrono::seconds(60);
constexpr auto kShutdownGrace = std::chrono::seconds(10);
const char *const kHostProgram = "omni-engine-host";

// omni-engine-host beside this library (or $OMNI_ENGINE_HOST).
std::string host_program() {
    if (const char *env = std::getenv("OMNI_ENGINE_HOST"); env && *env) return env;
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void *>(&omni_engine_process_main), &info) || !info.dli_fname)
        throw Error(OMNI_ERR_UNSUPPORTED, "isolate=process: cannot tell where libomni_c was loaded from");
    return (std::filesystem::path(info.dli_fname).parent_path() / kHostProgram).string();
}

std::string describe_exit(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char *name = strsignal(sig);
        return "killed by signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
    }
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    return "ended";
}

// A request that got no answer because the process ended (the event reader reports the rest).
struct ProcessEnded : Error {
    ProcessEnded() : Error(OMNI_ERR_INTERNAL, "the engine process ended; it is being restarted") {}
};

// One engine process and its two sockets.
struct Child {
    pid_t pid = -1;
    int requests = -1, events = -1;
    // Guarded by ProcessEngine::mu_:
    bool exited = false;
    std::string exit;     // how it ended
    bool created = false;  // the answer to create came (OK or not)
    omni_status create_status = OMNI_OK;
    std::string create_error;
    bool supports_images = false;
    // Events the process sent while creating its engine (LOAD_PROGRESS): delivered by the
    // thread in create_engine(), as an in-process engine delivers them on the creating thread.
    std::deque<std::pair<Msg, std::string>> creation_events;
    ~Child() {
        if (requests >= 0) close(requests);
        if (events >= 0) close(events);
    }
};

class ProcessEngine final : public Engine {
public:
    ProcessEngine(const EngineKind &kind, const OptionValues &options, EventSink &sink)
        : kind_(kind), options_(options), sink_(sink) {
        auto child = start();
        try {
            supports_images_ = create_engine(*child);
        } catch (...) {
            stop(child);
            join_readers();
            throw;
        }
        std::lock_guard<std::mutex> lk(mu_);
        phase_ = Phase::running;
    }

    ~ProcessEngine() override {
        std::shared_ptr<Child> child;
        {
            std::lock_guard<std::mutex> lk(mu_);
            phase_ = Phase::stopping;
            child = child_;
        }
        if (child) stop(child);
        join_readers();
    }

    void prefill_audio(const Audio &a) override {
        Writer w(Msg::prefill_audio);
        w.i32(a.sample_rate).bytes(a.samples.data(), a.samples.size() * sizeof(float));
        call(w.done());
        std::lock_guard<std::mutex> lk(mu_);
        inputs_++;
    }

    void prefill_image(const Image &img) override {
        call(Writer(Msg::prefill_image).i32(img.width).i32(img.height).bytes(img.encoded.data(), img.encoded.size()).done());
        std::lock_guard<std::mutex> lk(mu_);
        inputs_++;
    }

    bool supports_images() const override { return supports_images_; }

    void start_turn(uint64_t turn) override {
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (inputs_ == 0 && phase_ == Phase::running)
                throw Error(OMNI_ERR_STATE, "the engine process was restarted after it ended (" + last_exit_ +
                                                "): the input prefilled before that is lost; prefill again");
            running_turn_ = turn;
        }
        try {
            call(Writer(Msg::start_turn).u64(turn).done());
        } catch (const ProcessEnded &) {
            // The turn started and the process ended before it said so (a fault at the first
            // token): the event reader ends the turn as failed, like any turn a fault cuts short.
        } catch (...) {
            std::lock_guard<std::mutex> lk(mu_);
            running_turn_ = 0;
            throw;
        }
        std::lock_guard<std::mutex> lk(mu_);
        inputs_ = 0;
    }

    void interrupt(uint64_t turn) override {
        std::shared_ptr<Child> child = current();
        if (child) send(*child, Writer(Msg::interrupt).u64(turn).done());
    }

    void reset() override {
        call(Writer(Msg::reset).done());
        std::lock_guard<std::mutex> lk(mu_);
        inputs_ = 0;
    }

    void truncate(uint64_t turn, const std::string &heard) override {
        call(Writer(Msg::truncate).u64(turn).str(heard).done());
    }

    void set_option(const std::string &key, const std::string &value) override {
        call(Writer(Msg::set_option).str(key).str(value).done());
        std::lock_guard<std::mutex> lk(mu_);
        options_.set(key, value);  // a restarted engine gets it too
    }

    void describe(JsonObject &info) const override {
        JsonObject iso;
        {
            std::lock_guard<std::mutex> lk(mu_);
            iso.add("mode", "process").add("pid", child_ ? int64_t(child_->pid) : int64_t(-1));
            iso.add("restarts", restarts_).add("last_exit", last_exit_);
            iso.add("state", phase_ == Phase::running ? "running" : phase_ == Phase::restarting ? "restarting" : "down");
        }
        info.raw("isolation", iso.str());
        try {
            std::string body = call(Writer(Msg::describe).done());
            info.merge(Reader(body).str());
        } catch (const Error &) {
            // no process to ask right now: the isolation member says why
        }
    }

private:
    enum class Phase { creating, running, restarting, down, stopping };

    // Every event reader ends with its process; a restart under way may still add one.
    void join_readers() {
        for (;;) {
            std::vector<std::thread> readers;
            {
                std::lock_guard<std::mutex> lk(threads_mu_);
                readers.swap(readers_);
            }
            if (readers.empty()) return;
            for (auto &t : readers)
                if (t.joinable()) t.join();
        }
    }

    std::shared_ptr<Child> current() const {
        std::lock_guard<std::mutex> lk(mu_);
        return phase_ == Phase::running || phase_ == Phase::creating ? child_ : nullptr;
    }

    // A new engine process with its event reader running; the engine is not created yet.
    std::shared_ptr<Child> start() {
        int req[2], ev[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, req) != 0)
            throw Error(OMNI_ERR_INTERNAL, std::string("isolate=process: socketpair: ") + strerror(errno));
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ev) != 0) {
            close(req[0]), close(req[1]);
            throw Error(OMNI_ERR_INTERNAL, std::string("isolate=process: socketpair: ") + strerror(errno));
        }
        auto child = std::make_shared<Child>();
        child->requests = req[0];
        child->events = ev[0];
        const std::string program = host_program();
        // In the process: fd 3 = requests and answers, fd 4 = events (dup2 clears close-on-exec).
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, req[1], 3);
        posix_spawn_file_actions_adddup2(&fa, ev[1], 4);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t none, defaults;
        sigemptyset(&none);
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);
        sigaddset(&defaults, SIGCHLD);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
#ifdef POSIX_SPAWN_CLOEXEC_DEFAULT
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;  // macOS: no other descriptor reaches the process
#endif
        posix_spawnattr_setflags(&attr, flags);
        char arg0[] = "omni-engine-host", arg1[] = "3", arg2[] = "4";
        char *argv[] = {arg0, arg1, arg2, nullptr};
        const int rc = posix_spawn(&child->pid, program.c_str(), &fa, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        close(req[1]);
        close(ev[1]);
        if (rc != 0)
            throw Error(OMNI_ERR_UNSUPPORTED, "isolate=process: cannot start " + program + " (" + strerror(rc) +
                                                  "); it belongs beside libomni_c (or set OMNI_ENGINE_HOST), or "
                                                  "create the engine with isolate=none");
        {
            std::lock_guard<std::mutex> lk(mu_);
            child_ = child;
        }
        std::lock_guard<std::mutex> lk(threads_mu_);
        readers_.emplace_back([this, child] { read_events(child); });
        return child;
    }

    // Create the engine in `child`; true when it takes images. Its load progress is delivered
    // on this thread meanwhile, all of it before this returns (the answer to create comes behind
    // it on the event socket). Throws the creation's error, or OMNI_ERR_MODEL when the process
    // ended while loading.
    bool create_engine(Child &child) {
        Writer w(Msg::create);
        const auto &all = options_.all();
        w.str(kind_.name).u32(uint32_t(all.size()));
        for (const auto &kv : all) w.str(kv.first).str(kv.second);
        send(child, w.done());
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            exited_cv_.wait(lk, [&] { return !child.creation_events.empty() || child.created || child.exited; });
            if (child.creation_events.empty()) break;
            auto events = std::move(child.creation_events);
            child.creation_events.clear();
            lk.unlock();
            for (const auto &m : events) forward(m.first, m.second);
            lk.lock();
        }
        if (!child.created)
            throw Error(OMNI_ERR_MODEL, "the engine process ended while loading the engine (" + child.exit +
                                            "); a model file may have made the engine abort (check_models=true "
                                            "checks them first)");
        if (child.create_status != OMNI_OK) throw Error(child.create_status, child.create_error);
        return child.supports_images;
    }

    bool send(Child &child, const std::string &msg) const {
        std::lock_guard<std::mutex> lk(write_mu_);
        return send_all(child.requests, msg);
    }

    // One request and its answer (the answer's fields), or its error thrown.
    std::string call(const std::string &msg) const {
        std::lock_guard<std::mutex> req(request_mu_);
        std::shared_ptr<Child> child;
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (phase_ == Phase::restarting)
                throw Error(OMNI_ERR_STATE, "the engine is restarting after its process ended (" + last_exit_ +
                                                "); try again when it has loaded");
            if (phase_ == Phase::down)
                throw Error(OMNI_ERR_INTERNAL, "the engine process ended " + std::to_string(kMaxRestarts + 1) +
                                                   " times within a minute (last: " + last_exit_ +
                                                   "); it is not restarted again: create the engine anew");
            child = child_;
        }
        Msg type;
        std::string body;
        if (!child || !send(*child, msg) || !recv_msg(child->requests, &type, &body)) throw ProcessEnded();
        if (type == Msg::failed) {
            Reader r(body);
            const int code = r.i32();
            throw Error(omni_status(code), r.str());
        }
        return body;
    }

    // Reap `child` (it has closed its sockets or is about to); how it ended.
    std::string wait_exit(Child &child) {
        {
            std::unique_lock<std::mutex> lk(mu_);
            if (child.exited) return child.exit;
        }
        int status = 0;
        std::string how = "ended";
        if (waitpid(child.pid, &status, 0) == child.pid) how = describe_exit(status);
        std::lock_guard<std::mutex> lk(mu_);
        if (!child.exited) {
            child.exited = true;
            child.exit = how;
        }
        exited_cv_.notify_all();
        return child.exit;
    }

    // Ask `child` to end; kill it if it does not within the grace period.
    void stop(const std::shared_ptr<Child> &child) {
        send(*child, Writer(Msg::shutdown).done());
        {
            std::unique_lock<std::mutex> lk(mu_);
            if (exited_cv_.wait_for(lk, kShutdownGrace, [&] { return child->exited; })) return;
        }
        kill(child->pid, SIGKILL);
        wait_exit(*child);
    }

    // The event reader of one process: events to the host until the process ends; then, if it
    // ended unexpectedly, the running turn fails and a new process is started.
    void read_events(std::shared_ptr<Child> child) {
        Msg type;
        std::string body;
        while (recv_msg(child->events, &type, &body)) {
            try {
                if (type == Msg::created || type == Msg::failed) {
                    Reader r(body);
                    std::lock_guard<std::mutex> lk(mu_);
                    if (type == Msg::created) {
                        child->supports_images = r.u32() != 0;
                    } else {
                        child->create_status = omni_status(r.i32());
                        child->create_error = r.str();
                    }
                    child->created = true;
                    exited_cv_.notify_all();
                    continue;
                }
                {
                    std::lock_guard<std::mutex> lk(mu_);
                    if (!child->created) {  // loading: create_engine() delivers it
                        child->creation_events.emplace_back(type, std::move(body));
                        exited_cv_.notify_all();
                        continue;
                    }
                }
                forward(type, body);
            } catch (const Error &) {
                break;  // a garbled message: treat the process as gone
            }
        }
        const std::string how = wait_exit(*child);
        uint64_t turn;
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (phase_ != Phase::running || child_ != child) return;  // stopping, or it never got going
            last_exit_ = how;
            turn = running_turn_;
            running_turn_ = 0;
            inputs_ = 0;
            const auto now = clock::now();
            while (!deaths_.empty() && now - deaths_.front() > kRestartWindow) deaths_.pop_front();
            deaths_.push_back(now);
            phase_ = int(deaths_.size()) > kMaxRestarts ? Phase::down : Phase::restarting;
        }
        if (turn)
            sink_.finish(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL,
                         "the engine process " + how + " during this turn; the engine restarts with the same "
                         "options, and the conversation so far is lost");
        restart();
    }

    void restart() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (phase_ != Phase::restarting) return;
        }
        std::shared_ptr<Child> child;
        try {
            child = start();
            const bool images = create_engine(*child);
            std::unique_lock<std::mutex> lk(mu_);
            if (phase_ != Phase::restarting) {  // the engine is being destroyed
                lk.unlock();
                stop(child);
                return;
            }
            supports_images_ = images;
            restarts_++;
            phase_ = Phase::running;
        } catch (const Error &e) {
            if (child) stop(child);
            std::lock_guard<std::mutex> lk(mu_);
            if (phase_ == Phase::restarting) phase_ = Phase::down;
            last_exit_ += std::string("; the restart failed: ") + e.what();
        }
    }

    void forward(Msg type, const std::string &body) {
        Reader r(body);
        const uint64_t turn = r.u64();
        switch (type) {
        case Msg::event: {
            EventDraft ev(omni_event_type(r.i32()));
            ev.text = r.str();
            ev.index = r.i32();
            ev.n_speech_tokens = r.i32();
            ev.status = r.i32();
            ev.sample_rate = r.i32();
            size_t n = 0;
            const char *pcm = r.bytes(&n);
            std::vector<int16_t> samples(n / sizeof(int16_t));  // aligned copy
            if (!samples.empty()) std::memcpy(samples.data(), pcm, samples.size() * sizeof(int16_t));
            ev.pcm = samples.empty() ? nullptr : samples.data();
            ev.n_samples = samples.size();
            sink_.emit(turn, ev);
            break;
        }
        case Msg::stat_number: {
            std::string key = r.str();
            sink_.stat(turn, key, r.f64());
            break;
        }
        case Msg::stat_text: {
            std::string key = r.str();
            sink_.stat(turn, key, r.str());
            break;
        }
        case Msg::finish: {
            const auto reason = omni_turn_end(r.i32());
            const auto err = omni_status(r.i32());
            const std::string message = r.str();
            {
                std::lock_guard<std::mutex> lk(mu_);
                if (running_turn_ == turn) running_turn_ = 0;
            }
            sink_.finish(turn, reason, err, message);
            break;
        }
        default: throw Error(OMNI_ERR_INTERNAL, "engine process: unexpected event message");
        }
    }

    const EngineKind &kind_;
    OptionValues options_;  // guarded by mu_ after creation (set_option)
    EventSink &sink_;
    bool supports_images_ = false;

    mutable std::mutex mu_;
    std::condition_variable exited_cv_;
    Phase phase_ = Phase::creating;
    std::shared_ptr<Child> child_;
    uint64_t running_turn_ = 0;
    size_t inputs_ = 0;  // prefills the current process has had since its last turn
    int restarts_ = 0;
    std::string last_exit_;
    std::deque<clock::time_point> deaths_;

    mutable std::mutex request_mu_;  // one request at a time, answered in order
    mutable std::mutex write_mu_;    // whole messages on the request socket
    std::mutex threads_mu_;
    std::vector<std::thread> readers_;  // one per process started
};

}  // namespace

std::unique_ptr<Engine> create_isolated(const EngineKind &kind, const OptionValues &options, EventSink &sink) {
    return std::make_unique<ProcessEngine>(kind, options, sink);
}

std::string unavailable() {
    try {
        const std::string program = host_program();
        if (access(program.c_str(), X_OK) != 0) return program + " is missing";
    } catch (const Error &e) {
        return e.what();
    }
    return "";
}

}  // namespace omni::isolation
