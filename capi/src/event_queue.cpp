#include "event_queue.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "engine.h"

namespace omni {

namespace {

bool ends_turn(int32_t type) {
    return type == OMNI_EVENT_ERROR || type == OMNI_EVENT_STATS || type == OMNI_EVENT_TURN_DONE;
}

}  // namespace

void EventQueue::push(const omni_event &ev) {
    // Copy outside the lock: the engine's buffers are only valid during this call.
    Slot s;
    s.ev = ev;
    s.ev.text = nullptr;
    s.ev.pcm = nullptr;
    if (ev.text) {
        s.text.assign(ev.text, ev.text_len);
        s.has_text = true;
    }
    if (ev.pcm && ev.n_samples) s.pcm.assign(ev.pcm, ev.pcm + ev.n_samples);

    std::unique_lock<std::mutex> lk(mu_);
    auto may_enter = [&] {
        return closed_ || q_.size() < capacity_ || ends_turn(ev.type) || ev.turn_id <= released_through_;
    };
    if (!may_enter()) {
        auto t0 = std::chrono::steady_clock::now();
        space_cv_.wait(lk, may_enter);
        wait_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    if (closed_) return;  // omni_destroy discards what nobody will pull
    q_.push_back(std::move(s));
    event_cv_.notify_all();
}

void EventQueue::release_through(uint64_t turn) {
    std::lock_guard<std::mutex> lk(mu_);
    released_through_ = std::max(released_through_, turn);
    space_cv_.notify_all();
}

void EventQueue::pop(int timeout_ms, omni_event *out) {
    std::unique_lock<std::mutex> lk(mu_);
    if (closed_) throw Error(OMNI_ERR_CLOSED, "omni_next_event: the engine is being destroyed");
    if (pulling_)
        throw Error(OMNI_ERR_STATE, "omni_next_event: another thread is already waiting for events of this engine; "
                                    "pull from one thread at a time");
    current_ = Slot{};  // the previous event's buffers end here, as the header promises
    auto ready = [&] { return closed_ || !q_.empty(); };
    if (!ready()) {
        pulling_ = true;
        if (timeout_ms < 0) event_cv_.wait(lk, ready);
        else event_cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), ready);
        pulling_ = false;
        if (closed_) {
            left_cv_.notify_all();  // omni_destroy may free the engine once we return
            throw Error(OMNI_ERR_CLOSED, "omni_next_event: omni_destroy() was called while waiting; "
                                         "make no further call on this engine");
        }
        if (q_.empty())
            throw Error(OMNI_ERR_TIMEOUT, "omni_next_event: no event within " + std::to_string(timeout_ms) + " ms");
    }
    current_ = std::move(q_.front());
    q_.pop_front();
    space_cv_.notify_all();
    // Pointers are set after the move: a short string's bytes move with the object.
    current_.ev.text = current_.has_text ? current_.text.c_str() : nullptr;
    current_.ev.pcm = current_.pcm.empty() ? nullptr : current_.pcm.data();
    // A caller built against an older (smaller) or newer (larger) omni_event gets the
    // fields both know; out->size then says how many bytes were written.
    size_t n = std::min<size_t>(out->size, sizeof(omni_event));
    current_.ev.size = uint32_t(n);
    std::memcpy(out, &current_.ev, n);
}

void EventQueue::close() {
    std::unique_lock<std::mutex> lk(mu_);
    closed_ = true;
    q_.clear();
    space_cv_.notify_all();
    event_cv_.notify_all();
    left_cv_.wait(lk, [&] { return !pulling_; });
    current_ = Slot{};
}

double EventQueue::take_wait_ms() {
    std::lock_guard<std::mutex> lk(mu_);
    double ms = wait_ms_;
    wait_ms_ = 0;
    return ms;
}

size_t EventQueue::queued() {
    std::lock_guard<std::mutex> lk(mu_);
    return q_.size();
}

bool EventQueue::puller_waiting() {
    std::lock_guard<std::mutex> lk(mu_);
    return pulling_;
}

}  // namespace omni
