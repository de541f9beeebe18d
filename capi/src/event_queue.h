// event_queue.h — the pull side of event delivery (omni_next_event): a bounded FIFO of
// deep-copied events between the engine threads and the one thread that pulls them.
//
// Overflow rule: back-pressure. When the queue holds `capacity` events, the engine thread
// delivering the next one waits for the puller, exactly as it waits for a slow callback;
// nothing is dropped. Events that end a turn (ERROR, STATS, TURN_DONE) never wait, and an
// interrupted turn no longer waits (release_through), so omni_interrupt/reset/destroy stay
// prompt even when nobody pulls.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "omni_c.h"

namespace omni {

class EventQueue {
public:
    explicit EventQueue(size_t capacity) : capacity_(capacity ? capacity : 1) {}

    // Engine side; the host calls it one event at a time, in seq order. Copies `ev`.
    void push(const omni_event &ev);
    // Events of turns up to `turn` no longer wait for space (the turn is being cut short).
    void release_through(uint64_t turn);

    // Pull side: the next event into *out (out->size bytes at most, see omni_next_event).
    // The previous event's buffers are freed on entry. Throws omni::Error with
    // OMNI_ERR_TIMEOUT, OMNI_ERR_STATE (another thread is waiting) or OMNI_ERR_CLOSED.
    void pop(int timeout_ms, omni_event *out);

    // omni_destroy: wake a waiting puller (it returns OMNI_ERR_CLOSED), wait until it has
    // left, free what is queued; later pushes are discarded. Idempotent.
    void close();

    // Milliseconds engine threads waited for space since the last call (for STATS).
    double take_wait_ms();
    // For omni_info: events waiting to be pulled, and whether a thread waits in pop().
    size_t capacity() const { return capacity_; }
    size_t queued();
    bool puller_waiting();

private:
    struct Slot {
        omni_event ev{};
        std::string text;
        std::vector<int16_t> pcm;
        bool has_text = false;
    };

    const size_t capacity_;
    std::mutex mu_;
    std::condition_variable space_cv_, event_cv_, left_cv_;
    std::deque<Slot> q_;
    Slot current_;  // the last event handed out; its buffers live until the next pop()
    uint64_t released_through_ = 0;
    bool closed_ = false;
    bool pulling_ = false;  // a thread waits in pop() (it holds mu_ otherwise)
    double wait_ms_ = 0;
};

}  // namespace omni
