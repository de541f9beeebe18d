// llama_omni_truncate.cpp — [H17] truncation of the last simplex reply in the model's context
// (omni_truncate). libomni has no call to cut a reply, so the engine records where each text
// chunk of the reply ends in the KV cache while it is decoded; a cut removes the KV cache from
// the end of the words heard on and closes the assistant turn there, as libomni closes an
// interrupted turn (<|interrupt|><|im_end|>\n<|im_start|>user\n).
#include "llama_omni_internal.h"

namespace omni::llama {

// What stream_decode evaluates before the reply (simplex), as omni.cpp writes it.
std::string LlamaOmniEngine::assistant_prompt() const {
    return use_tts_ ? "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n<|tts_bos|>"
                    : "<|im_end|>\n<|im_start|>assistant\n";
}

void LlamaOmniEngine::kv_reply_begins(uint64_t turn) {  // worker, after drain_llm, before stream_decode
    if (duplex_) return;  // duplex steps form one running stream and are not cut
    std::lock_guard<std::mutex> kv(kv_mu_);
    kv_ = ReplyKv{};
    kv_.info_turn = turn;
    kv_.start = ctx_->n_past + int(common_tokenize(ctx_->ctx_llama, assistant_prompt(), false, true).size());
    kv_turn_ = turn;
}

void LlamaOmniEngine::kv_chunk_decoded(uint64_t turn, size_t text_bytes) {  // on_text (the worker, in stream_decode)
    if (duplex_ || kv_turn_ != turn) return;
    int p = ctx_->n_past;
    std::lock_guard<std::mutex> kv(kv_mu_);
    if (p < kv_.start || (!kv_.chunk_end.empty() && p < kv_.chunk_end.back())) {
        kv_turn_ = 0;  // the KV slid: the layout is unknown
        return;
    }
    kv_.chunk_end.push_back(p);
    kv_.text_end.push_back((kv_.text_end.empty() ? 0 : kv_.text_end.back()) + text_bytes);
}

void LlamaOmniEngine::kv_reply_completed() {
    std::lock_guard<std::mutex> kv(kv_mu_);
    kv_.completed = true;
}

void LlamaOmniEngine::truncate(uint64_t turn, const std::string &heard) {
    if (duplex_) return;
    std::lock_guard<std::mutex> tl(turn_mu_);  // the worker is idle while we hold it
    std::lock_guard<std::mutex> kv(kv_mu_);
    if (turn != kv_turn_ || kv_.chunk_end.empty()) return;  // unknown layout (KV slid): leave it
    // The text chunk where the words heard end, and the position within its tokens (in
    // proportion to its bytes: the tokens of a chunk are not mapped one by one).
    size_t n = heard.size(), j = 0;
    while (j < kv_.text_end.size() && kv_.text_end[j] <= n) j++;
    int pos;
    if (j == kv_.text_end.size()) {
        if (kv_.completed) return;  // all of a finished reply was heard: nothing to cut
        pos = kv_.chunk_end.back();
    } else {
        int start = j == 0 ? kv_.start : kv_.chunk_end[j - 1];
        size_t from = j == 0 ? 0 : kv_.text_end[j - 1];
        double fraction = double(n - from) / double(kv_.text_end[j] - from);
        pos = start + int(std::lround(fraction * double(kv_.chunk_end[j] - start)));
    }
    std::lock_guard<std::mutex> sub(submit_mu_);
    guarded_call("truncate", [&] {
        drain_llm();  // the LLM thread must be idle: it decodes into the same context
        std::lock_guard<std::mutex> lk(ctx_->llama_mtx);
        llama_memory_seq_rm(llama_get_memory(ctx_->ctx_llama), 0, pos, -1);
        ctx_->n_past = pos;
        std::vector<llama_token> toks;
        if (ctx_->special_token_interrupt >= 0) toks.push_back(ctx_->special_token_interrupt);
        auto close = common_tokenize(ctx_->ctx_llama, "<|im_end|>\n<|im_start|>user\n", false, true);
        toks.insert(toks.end(), close.begin(), close.end());
        std::vector<llama_pos> positions(toks.size());
        for (size_t i = 0; i < toks.size(); i++) positions[i] = pos + llama_pos(i);
        llama_batch batch = llama_batch_get_one(toks.data(), int(toks.size()));
        batch.pos = positions.data();
        if (llama_decode(ctx_->ctx_llama, batch) != 0)
            throw std::runtime_error("llama_decode failed while closing the cut reply");
        ctx_->n_past = pos + int(toks.size());
        for (int &r : ctx_->round_start_positions)
            if (r > pos) r = pos;
    });
    kv_.cut_at = pos;
    kv_turn_ = 0;  // cut once; the positions after the cut are gone
}

void LlamaOmniEngine::describe_kv(JsonObject &info) const {
    std::lock_guard<std::mutex> kv(kv_mu_);
    std::vector<std::string> ends, text_ends;
    for (int p : kv_.chunk_end) ends.push_back(std::to_string(p));
    for (size_t b : kv_.text_end) text_ends.push_back(std::to_string(b));
    JsonObject last;
    last.add("turn", kv_.info_turn).add("start", kv_.start).raw("chunk_ends", json_array(ends))
        .raw("text_ends", json_array(text_ends)).add("cut_at", kv_.cut_at);
    info.add("kv_position", ctx_ ? ctx_->n_past : 0).add("last_reply_kv", last);
}

}  // namespace omni::llama
