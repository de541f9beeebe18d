// engine_threads.h — the thread scaffolding every engine shares: one lock and condition
// variable for the engine's state, the stop flag, the newest interrupted turn, and the
// engine's own threads, joined by stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace omni {

class EngineThreads {
public:
    EngineThreads() = default;
    EngineThreads(const EngineThreads &) = delete;
    EngineThreads &operator=(const EngineThreads &) = delete;
    // An engine calls stop() first thing in its destructor, while the members its threads
    // use still exist; this is the safety net.
    ~EngineThreads() { stop(); }

    mutable std::mutex mu;       // the engine's state lock; never held while calling the EventSink
    std::condition_variable cv;  // notified whenever that state changes

    void start(std::function<void()> body) { threads_.emplace_back(std::move(body)); }

    // Ask every thread to end (and wake them); stop() also joins them. Both idempotent.
    void request_stop() {
        {
            std::lock_guard<std::mutex> lk(mu);
            stopping_ = true;
        }
        cv.notify_all();
    }
    void stop() {
        request_stop();
        for (auto &t : threads_)
            if (t.joinable()) t.join();
        threads_.clear();
    }

    // Barge-in: `turn` and every earlier one are cancelled.
    void interrupt(uint64_t turn) {
        {
            std::lock_guard<std::mutex> lk(mu);
            if (interrupted_ < turn) interrupted_ = turn;
        }
        cv.notify_all();
    }

    // With `mu` held.
    bool stopping_locked() const { return stopping_; }
    bool cancelled_locked(uint64_t turn) const { return stopping_ || interrupted_ >= turn; }
    // Without it.
    bool stopping() const {
        std::lock_guard<std::mutex> lk(mu);
        return stopping_;
    }
    bool cancelled(uint64_t turn) const {
        std::lock_guard<std::mutex> lk(mu);
        return cancelled_locked(turn);
    }

    // Sleep up to `ms` (none when <= 0), waking at once when `turn` is cancelled. False when it is.
    bool nap(uint64_t turn, double ms) {
        std::unique_lock<std::mutex> lk(mu);
        if (ms > 0) cv.wait_for(lk, std::chrono::duration<double, std::milli>(ms), [&] { return cancelled_locked(turn); });
        return !cancelled_locked(turn);
    }

private:
    bool stopping_ = false;
    uint64_t interrupted_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace omni
