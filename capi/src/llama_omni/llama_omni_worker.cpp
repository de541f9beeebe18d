// llama_omni_worker.cpp — the "llama-omni" engine's worker thread: one turn at a time, from
// libomni's decode handshake to the signal that the turn's last audio is out, with the
// guards of llama_omni_internal.h's hazard index.
#include <algorithm>
#include <thread>

#include "llama_omni_internal.h"

namespace omni::llama {

namespace {

constexpr int kSettleMs = 15000;  // longest wait for T2W to notice a break (one CPU window ~10 s)

}  // namespace

const char *audio_done_name(AudioDone d) {
    switch (d) {
    case AudioDone::NoTts: return "no_tts";            // text only: the turn ends with the text
    case AudioDone::T2wFlag: return "t2w_flag";        // token2wav's generation_done.flag
    case AudioDone::TtsDone: return "tts_done";        // no token2wav: the TTS thread's speek_done
    case AudioDone::Idle: return "idle";               // no signal: audio_done_timeout_ms of quiet
    case AudioDone::ListenOnly: return "listen_only";  // duplex step that only listened
    case AudioDone::StepSpoken: return "step_spoken";  // duplex step whose speech tokens are made
    }
    return "unknown";
}

// Every TURN_DONE goes through here. In duplex the step closes for audio first: audio the
// T2W thread makes afterwards is carried into the next step, unless this one was cut short
// (then it is stale and dropped).
void LlamaOmniEngine::finish_turn(uint64_t turn, omni_turn_end reason, omni_status err,
                                  const std::string &message) {
    if (duplex_) {
        std::lock_guard<std::mutex> w(wav_mu_);
        if (open_turn_ == turn) open_turn_ = 0;
        carry_ok_ = reason == OMNI_TURN_COMPLETED;
        if (!carry_ok_) carry_pcm_.clear();
    }
    sink_.finish(turn, reason, err, message);
}

void LlamaOmniEngine::open_duplex_step(uint64_t turn) {
    step_text_ = false;
    step_tts_chunks_ = 0;
    std::lock_guard<std::mutex> w(wav_mu_);
    open_turn_ = turn;
    if (!carry_pcm_.empty()) sink_.audio(turn, carry_pcm_.data(), carry_pcm_.size(), kSampleRate);
    carry_pcm_.clear();
}

void LlamaOmniEngine::worker_loop() {
    for (;;) {
        uint64_t turn;
        {
            std::unique_lock<std::mutex> lk(threads_.mu);
            threads_.cv.wait(lk, [&] { return threads_.stopping_locked() || !jobs_.empty(); });
            if (threads_.stopping_locked()) {
                // never leave a started turn without its TURN_DONE
                for (uint64_t t : jobs_) {
                    lk.unlock();
                    finish_turn(t, OMNI_TURN_INTERRUPTED);
                    lk.lock();
                }
                return;
            }
            turn = jobs_.front();
            jobs_.pop_front();
        }
        std::lock_guard<std::mutex> tl(turn_mu_);
        try {
            run_turn(turn);
        } catch (const std::exception &e) {
            finish_turn(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, std::string("llama-omni: ") + e.what());
        } catch (...) {
            finish_turn(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, "llama-omni: unknown exception");
        }
    }
}

// After an interrupted turn, wait (bounded) until T2W has seen the break, so its stale
// tokens never reach the next turn and the TTS thread stops spinning. [H11]
void LlamaOmniEngine::settle_after_break() {
    if (!need_settle_) return;
    need_settle_ = false;
    if (!use_tts_) return;
    auto t0 = clock::now();
    // let the TTS thread see the break first (simplex: it bumps simplex_round_idx)
    while (!duplex_ && ctx_->simplex_round_idx == settle_round_ && ctx_->break_event.load() &&
           clock::now() - t0 < std::chrono::seconds(3) && !stopping())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (duplex_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    while (ctx_->break_event.load() && clock::now() - t0 < std::chrono::milliseconds(kSettleMs) && !stopping()) {
        wake_t2w();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void LlamaOmniEngine::end_interrupted(uint64_t turn, int round) {
    do_break();
    need_settle_ = true;
    settle_round_ = round;
    finish_turn(turn, OMNI_TURN_INTERRUPTED);
    settle_after_break();  // after TURN_DONE: interrupt latency is not spent here
}

void LlamaOmniEngine::run_turn(uint64_t turn) {
    settle_after_break();
    if (interrupted(turn)) {
        finish_turn(turn, OMNI_TURN_INTERRUPTED);
        return;
    }
    int round = next_round_++;
    prune_debug_files(tmp_dir_, duplex_, round);  // [H13] keep only the running round's dumps
    {
        std::lock_guard<std::mutex> lk(threads_.mu);
        round_turn_[round] = turn;
        while (round_turn_.size() > 8) round_turn_.erase(round_turn_.begin());
    }
    cur_turn_ = turn;
    audio_turn_ = turn;
    listen_seen_ = false;
    if (duplex_) open_duplex_step(turn);
    {
        std::lock_guard<std::mutex> sub(submit_mu_);
        decode_running_ = true;
    }
    auto t0 = clock::now();
    auto ms_since = [&](clock::time_point t) { return std::chrono::duration<double, std::milli>(clock::now() - t).count(); };
    bool decoded = false;
    std::string err;
    try {
        drain_llm();  // [H8]
        sink_.stat(turn, "prefill_wait_ms", ms_since(t0));
        kv_reply_begins(turn);  // [H17] the reply starts after the assistant prompt stream_decode evaluates
        decode_in_progress_ = true;
        if (!interrupted(turn)) {
            stream_decode(ctx_, tmp_dir_, duplex_ ? -1 : round);
            decoded = true;
        }
    } catch (const std::exception &e) {
        err = e.what();
    } catch (...) {
        err = "unknown exception";
    }
    decode_in_progress_ = false;
    sink_.stat(turn, "decode_ms", ms_since(t0));
    last_activity_ms_ = now_ms();
    {
        std::lock_guard<std::mutex> sub(submit_mu_);
        decode_running_ = false;
        for (auto &in : buffered_) {  // [H16] input that arrived during decode
            try {
                submit(in);
            } catch (...) {
            }
        }
        buffered_.clear();
    }
    if (!err.empty()) {
        do_break();
        need_settle_ = true;
        settle_round_ = round;
        finish_turn(turn, OMNI_TURN_FAILED, OMNI_ERR_INTERNAL, "llama-omni stream_decode: " + err);
        return;
    }
    if (!decoded || interrupted(turn)) return end_interrupted(turn, round);
    kv_reply_completed();

    bool listened = duplex_ && (listen_seen_ || ctx_->ended_with_listen.load());
    if (listened) {
        if (!listen_seen_.exchange(true)) sink_.listen(turn);
    } else {
        sink_.end_of_turn(turn);
    }
    AudioDone how = AudioDone::NoTts;  // no TTS: the turn ends with the text
    if (use_tts_ && !(duplex_ ? wait_step_spoken(turn, &how) : wait_audio_done(turn, round, &how)))
        return end_interrupted(turn, round);
    sink_.stat(turn, "audio_done_signal", audio_done_name(how));
    finish_turn(turn, OMNI_TURN_COMPLETED);
}

// [H12] A duplex step has no audio-done signal of its own, and steps come every ~1 s: it
// ends when it only listened (nothing to say) or once its speech tokens are made; the audio
// still being synthesized arrives in the next step (on_wav carries it). False: interrupted.
bool LlamaOmniEngine::wait_step_spoken(uint64_t turn, AudioDone *how) {
    int idle_ms = std::min(idle_timeout_ms_, 1500);
    while (step_text_ && step_tts_chunks_ == 0 && now_ms() - last_activity_ms_.load() <= idle_ms) {
        if (interrupted(turn)) return false;
        nap_ms(10);
    }
    *how = step_text_ ? AudioDone::StepSpoken : AudioDone::ListenOnly;
    return !interrupted(turn);
}

// [H12] A simplex turn's last audio is out when T2W writes generation_done.flag (after its
// last wav_callback); without token2wav, when the TTS thread sets speek_done; and always
// after a bounded quiet spell when neither comes (n_predict ran out, no end token).
bool LlamaOmniEngine::wait_audio_done(uint64_t turn, int round, AudioDone *how) {
    const std::string flag = generation_done_flag(tmp_dir_, duplex_, round);
    for (;;) {
        if (interrupted(turn)) return false;
        if (t2w_loaded_ && file_exists(flag)) {
            *how = AudioDone::T2wFlag;
            return true;
        }
        if (!t2w_loaded_ && ctx_->speek_done) {
            *how = AudioDone::TtsDone;
            return true;
        }
        bool queues_empty;  // (the TTS queue's type is private to omni.cpp; T2W's is public)
        {
            std::lock_guard<std::mutex> b(ctx_->t2w_thread_info->mtx);
            queues_empty = ctx_->t2w_thread_info->queue.empty();
        }
        if (queues_empty && now_ms() - last_activity_ms_.load() > idle_timeout_ms_) {
            *how = AudioDone::Idle;
            return true;
        }
        nap_ms(20);
    }
}

void LlamaOmniEngine::nap_ms(int ms) {  // woken early by interrupts and shutdown
    std::unique_lock<std::mutex> lk(threads_.mu);
    threads_.cv.wait_for(lk, std::chrono::milliseconds(ms));
}

}  // namespace omni::llama
